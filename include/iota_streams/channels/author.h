// The channel Author (api/tangle/author.rs): creates the channel from its seed, announces it,
// accepts subscribers, shares session keys in keyloads, and publishes signed and tagged packets.
// Method names follow the official API. The calls every user shares (attributes, pending messages,
// receiving packets, fetching, cursors) are UserBase's (user.h), with their contracts.
#pragma once

#include <string_view>
#include <vector>

#include "iota_streams/channels/state.h"
#include "iota_streams/channels/user.h"

namespace iota_streams::channels {

class Author : public UserBase {
 public:
  // Keys from the seed; the channel (index 0) is created at once, not yet announced.
  Author(std::string_view seed, ChannelType type, Transport& transport,
         const UserOptions& options = {});

  // Author::recover: rebuilds the author from its seed and checks that its announce is the message
  // at `announcement` (an error, not the official panic, when it is not). Subscribers, PSKs and
  // cursors are not recovered; sync_state() finds the author's own later messages.
  static Result<Author> recover(std::string_view seed, const Address& announcement,
                                ChannelType type, Transport& transport,
                                const UserOptions& options = {});

  // The whole state under a password (state.h: the formats, what each carries, the errors).
  static Result<Author> import_state(ByteSpan bytes, std::string_view password,
                                     Transport& transport,
                                     StateFormat format = StateFormat::kNative,
                                     const UserOptions& options = {});
  Result<std::vector<uint8_t>> export_state(std::string_view password,
                                            StateFormat format = StateFormat::kNative,
                                            const crypto::PasswordCost& cost = {}) const;

  // --- Announcing and subscribers
  // Publishes the announce at announcement_link(). kChannelDuplication when a valid announce of
  // this author is already there (junk there does not count); the pending rules of UserBase.
  Result<Address> send_announce();
  Result<Address> prepare_announce();
  // Reads a subscription and registers its subscriber (kAlreadyRegistered when known;
  // kCapacityExceeded when the key store is full).
  Result<void> receive_subscribe(const Address& link);
  // Reads an unsubscription and forgets its subscriber (kNotRegistered when unknown).
  Result<void> receive_unsubscribe(const Address& link);
  // Registers a subscriber known out of band (kAlreadyRegistered; kNotRegistered before the
  // channel exists).
  Result<void> store_new_subscriber(const crypto::Ed25519PublicKey& subscriber);
  Result<void> remove_subscriber(const crypto::Ed25519PublicKey& subscriber);  // kNotRegistered

  // --- Pre-shared keys
  // The official store_psk(psk_seed): PSK from the seed string, returns its id (kPskAlreadyStored).
  Result<crypto::PskId> store_psk(std::string_view psk_seed);
  Result<void> store_psk(const crypto::PskId& id, const crypto::Psk& psk);

  // --- Publishing, linked to `link_to` (a message of this channel this user wrote or read; else
  // kLinkNotFound, kAppInstMismatch for another channel). Each returns the message's address and,
  // in a multi-branch channel, its sequence message's; the pending rules of UserBase.
  // A new session key for `recipients` (identities the key store knows: subscribers' keys and
  // stored PSK ids; unknown ones are left out).
  Result<MessageLinks> send_keyload(const Address& link_to,
                                    const std::vector<Identifier>& recipients);
  Result<MessageLinks> prepare_keyload(const Address& link_to,
                                       const std::vector<Identifier>& recipients);
  // A keyload for every known subscriber, the author and every stored PSK.
  Result<MessageLinks> send_keyload_for_everyone(const Address& link_to);
  Result<MessageLinks> prepare_keyload_for_everyone(const Address& link_to);
  // A packet signed with the author's key; the masked payload is encrypted under the session key
  // of the keyload it joins. The payloads are copied.
  Result<MessageLinks> send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);
  Result<MessageLinks> prepare_signed_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);
  // A packet authenticated by a MAC under the session key only.
  Result<MessageLinks> send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);
  Result<MessageLinks> prepare_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);

 private:
  friend class DeviceStateStore;  // rebuilds a user from a sealed device state (device_state.h)
  Author(UserState state, Transport& transport, const UserOptions& options)
      : UserBase(std::move(state), transport, options) {}
};

}  // namespace iota_streams::channels
