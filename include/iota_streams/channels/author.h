// The channel Author (api/tangle/author.rs): creates the channel from its seed, announces it,
// accepts subscribers, shares session keys in keyloads, and publishes signed and tagged packets.
// Method names follow the official API.
#pragma once

#include <string_view>

#include "iota_streams/channels/state.h"
#include "iota_streams/channels/user.h"

namespace iota_streams::channels {

class Author : private User {
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

  static Result<Author> import_state(ByteSpan bytes, std::string_view password,
                                     Transport& transport,
                                     StateFormat format = StateFormat::kNative,
                                     const UserOptions& options = {});
  Result<std::vector<uint8_t>> export_state(std::string_view password,
                                            StateFormat format = StateFormat::kNative,
                                            const crypto::PasswordCost& cost = {}) const;

  // The official store_psk(psk_seed): PSK from the seed string, returns its id.
  Result<crypto::PskId> store_psk(std::string_view psk_seed);
  Result<void> store_psk(const crypto::PskId& id, const crypto::Psk& psk) {
    return User::store_psk(id, psk, false);
  }

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
  using User::is_single_depth;
  using User::last_read;
  using User::pending_messages;
  using User::prepare_announce;
  using User::prepare_keyload;
  using User::prepare_keyload_for_everyone;
  using User::prepare_signed_packet;
  using User::prepare_tagged_packet;
  using User::publish_pending;
  using User::receive_msg;
  using User::receive_msg_by_sequence_number;
  using User::receive_sequence;
  using User::receive_signed_packet;
  using User::receive_subscribe;
  using User::receive_tagged_packet;
  using User::receive_unsubscribe;
  using User::remove_psk;
  using User::remove_subscriber;
  using User::reset_state;
  using User::send_announce;
  using User::send_keyload;
  using User::send_keyload_for_everyone;
  using User::send_signed_packet;
  using User::send_tagged_packet;
  using User::set_transport;
  using User::state;
  using User::store_new_subscriber;
  using User::store_state;
  using User::store_state_for_all;
  using User::sync_state;
  using User::transport;

 private:
  friend class DeviceStateStore;  // rebuilds a user from a sealed device state (device_state.h)
  Author(UserState state, Transport& transport, const UserOptions& options)
      : User(std::move(state), transport, options) {}
};

}  // namespace iota_streams::channels
