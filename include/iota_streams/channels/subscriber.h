// A channel Subscriber (api/tangle/subscriber.rs): reads the announce, subscribes, reads keyloads
// and packets, and publishes packets where the channel type allows it (not in single-depth
// channels).
#pragma once

#include <string_view>

#include "iota_streams/channels/state.h"
#include "iota_streams/channels/user.h"

namespace iota_streams::channels {

class Subscriber : private User {
 public:
  Subscriber(std::string_view seed, Transport& transport, const UserOptions& options = {});

  static Result<Subscriber> import_state(ByteSpan bytes, std::string_view password,
                                         Transport& transport,
                                         StateFormat format = StateFormat::kNative,
                                         const UserOptions& options = {});
  Result<std::vector<uint8_t>> export_state(std::string_view password,
                                            StateFormat format = StateFormat::kNative,
                                            const crypto::PasswordCost& cost = {}) const;

  // The official store_psk(psk_seed): one PSK, under which this subscriber then publishes tagged
  // packets.
  Result<crypto::PskId> store_psk(std::string_view psk_seed);
  Result<void> store_psk(const crypto::PskId& id, const crypto::Psk& psk) {
    return User::store_psk(id, psk, true);
  }

  // Single-depth channels: only the author publishes (SingleDepthOperationFailure).
  Result<MessageLinks> send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);
  Result<MessageLinks> send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);
  Result<MessageLinks> prepare_signed_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);
  Result<MessageLinks> prepare_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);

  using User::announcement_link;
  using User::author_public_key;
  using User::channel_address;
  using User::fetch_all_next_msgs;
  using User::fetch_next_msgs;
  using User::fetch_prev_msg;
  using User::fetch_prev_msgs;
  using User::fetch_state;
  using User::gen_next_msg_ids;
  using User::get_public_key;
  using User::has_pending;
  using User::is_multi_branching;
  using User::is_registered;
  using User::is_single_depth;
  using User::last_read;
  using User::pending_messages;
  using User::prepare_subscribe;
  using User::prepare_unsubscribe;
  using User::publish_pending;
  using User::receive_announcement;
  using User::receive_keyload;
  using User::receive_msg;
  using User::receive_msg_by_sequence_number;
  using User::receive_sequence;
  using User::receive_signed_packet;
  using User::receive_tagged_packet;
  using User::remove_psk;
  using User::reset_state;
  using User::send_subscribe;
  using User::send_unsubscribe;
  using User::set_transport;
  using User::state;
  using User::store_state;
  using User::store_state_for_all;
  using User::sync_state;
  using User::transport;
  using User::unregister;

 private:
  friend class DeviceStateStore;  // rebuilds a user from a sealed device state (device_state.h)
  Subscriber(UserState state, Transport& transport, const UserOptions& options)
      : User(std::move(state), transport, options) {}
};

}  // namespace iota_streams::channels
