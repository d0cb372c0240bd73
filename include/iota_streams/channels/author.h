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
  using UserBase::prepare_announce;
  using UserBase::send_announce;
  // Reads a subscription and registers its subscriber (kAlreadyRegistered when known;
  // kCapacityExceeded when the key store is full); the receive rules of UserBase.
  using UserBase::receive_subscribe;
  // Reads an unsubscription and forgets its subscriber (kNotRegistered when unknown).
  using UserBase::receive_unsubscribe;
  // Registers a subscriber known out of band (kAlreadyRegistered), forgets one (kNotRegistered).
  using UserBase::remove_subscriber;
  using UserBase::store_new_subscriber;

  // --- Pre-shared keys
  // The official store_psk(psk_seed): PSK from the seed string, returns its id (kPskAlreadyStored).
  Result<crypto::PskId> store_psk(std::string_view psk_seed) {
    return UserBase::store_psk(psk_seed, false);
  }
  Result<void> store_psk(const crypto::PskId& id, const crypto::Psk& psk) {
    return UserBase::store_psk(id, psk, false);
  }

  // --- Publishing, linked to `link_to` (a message of this channel this user wrote or read; else
  // kLinkNotFound, kAppInstMismatch for another channel). Each returns the message's address and,
  // in a multi-branch channel, its sequence message's; the pending rules of UserBase.
  // send_keyload: a new session key for `recipients` (identities the key store knows: subscribers'
  // keys and stored PSK ids; unknown ones are left out). send_keyload_for_everyone: for every known
  // subscriber, the author and every stored PSK.
  using UserBase::prepare_keyload;
  using UserBase::prepare_keyload_for_everyone;
  using UserBase::send_keyload;
  using UserBase::send_keyload_for_everyone;
  // A packet signed with the author's key (signed) or authenticated by a MAC under the session key
  // only (tagged); the masked payload is encrypted under the session key of the keyload it joins.
  // The payloads are copied.
  using UserBase::prepare_signed_packet;
  using UserBase::prepare_tagged_packet;
  using UserBase::send_signed_packet;
  using UserBase::send_tagged_packet;

 private:
  friend class DeviceStateStore;  // rebuilds a user from a sealed device state (device_state.h)
  Author(UserState state, Transport& transport, const UserOptions& options)
      : UserBase(std::move(state), transport, options) {}
};

}  // namespace iota_streams::channels
