// A channel Subscriber (api/tangle/subscriber.rs): reads the announce, subscribes, reads keyloads
// and packets, and publishes packets where the channel type allows it (not in single-depth
// channels). The calls every user shares (attributes, pending messages, receiving packets,
// fetching, cursors) are UserBase's (user.h), with their contracts.
#pragma once

#include <string_view>
#include <vector>

#include "iota_streams/channels/state.h"
#include "iota_streams/channels/user.h"

namespace iota_streams::channels {

class Subscriber : public UserBase {
 public:
  Subscriber(std::string_view seed, Transport& transport, const UserOptions& options = {});

  // The whole state under a password (state.h: the formats, what each carries, the errors).
  static Result<Subscriber> import_state(ByteSpan bytes, std::string_view password,
                                         Transport& transport,
                                         StateFormat format = StateFormat::kNative,
                                         const UserOptions& options = {});
  Result<std::vector<uint8_t>> export_state(std::string_view password,
                                            StateFormat format = StateFormat::kNative,
                                            const crypto::PasswordCost& cost = {}) const;

  // --- Joining the channel
  // Reads the announce and registers in its channel, taking its author and type
  // (kAlreadyRegistered when registered in another; kNotAnnouncement when no announce is there).
  using UserBase::receive_announcement;
  // Forgets the channel and its author; keeps the stores.
  using UserBase::unregister;
  // Publishes a subscription (this user's exchange key, for the author's keyloads) linked to the
  // announce; the pending rules of UserBase. Subscribing again to the same announce publishes the
  // same bytes again (prepare_subscribe re-queues them).
  using UserBase::prepare_subscribe;
  using UserBase::send_subscribe;
  // Publishes an unsubscription linked to this user's subscription.
  using UserBase::prepare_unsubscribe;
  using UserBase::send_unsubscribe;
  // Reads a keyload; true iff this user got its session key (by its exchange key or a stored PSK).
  using UserBase::receive_keyload;

  // --- Pre-shared keys
  // The official store_psk(psk_seed): one PSK, under which this subscriber then publishes tagged
  // packets (kStateStoreFailure when one is stored already).
  Result<crypto::PskId> store_psk(std::string_view psk_seed) {
    return UserBase::store_psk(psk_seed, true);
  }
  Result<void> store_psk(const crypto::PskId& id, const crypto::Psk& psk) {
    return UserBase::store_psk(id, psk, true);
  }

  // --- Publishing, as Author's packets (author.h). Single-depth channels: only the author
  // publishes (kSingleDepthOperation).
  Result<MessageLinks> send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);
  Result<MessageLinks> send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);
  Result<MessageLinks> prepare_signed_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);
  Result<MessageLinks> prepare_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);

 private:
  friend class DeviceStateStore;  // rebuilds a user from a sealed device state (device_state.h)
  Subscriber(UserState state, Transport& transport, const UserOptions& options)
      : UserBase(std::move(state), transport, options) {}
};

}  // namespace iota_streams::channels
