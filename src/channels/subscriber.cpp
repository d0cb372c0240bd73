#include "iota_streams/channels/subscriber.h"

#include "user_internal.h"

namespace iota_streams::channels {

Subscriber::Subscriber(std::string_view seed, Transport& transport, const UserOptions& options)
    : UserBase(seed, ChannelType::kSingleBranch, transport, options) {
}  // the announce sets the type

Result<Subscriber> Subscriber::import_state(ByteSpan bytes, std::string_view password,
                                            Transport& transport, StateFormat format,
                                            const UserOptions& options) {
  STREAMS_ASSIGN_OR_RETURN(
      auto state, channels::import_state(bytes, Role::kSubscriber, password, format, options));
  return Subscriber(std::move(state), transport, options);
}

Result<std::vector<uint8_t>> Subscriber::export_state(std::string_view password, StateFormat format,
                                                      const crypto::PasswordCost& cost) const {
  return channels::export_state(state(), Role::kSubscriber, password, format, cost);
}

Result<crypto::PskId> Subscriber::store_psk(std::string_view psk_seed) {
  return detail::store_psk_from_seed(*this, psk_seed, true);
}
Result<void> Subscriber::store_psk(const crypto::PskId& id, const crypto::Psk& psk) {
  return detail::store_psk(*this, id, psk, true);
}

Result<void> Subscriber::receive_announcement(const Address& link) {
  return detail::receive_announcement(*this, link);
}
void Subscriber::unregister() { detail::unregister(*this); }
Result<Address> Subscriber::send_subscribe(const Address& announcement) {
  return detail::send_subscribe(*this, announcement);
}
Result<Address> Subscriber::prepare_subscribe(const Address& announcement) {
  return detail::prepare_subscribe(*this, announcement);
}
Result<Address> Subscriber::send_unsubscribe(const Address& subscription) {
  return detail::send_unsubscribe(*this, subscription);
}
Result<Address> Subscriber::prepare_unsubscribe(const Address& subscription) {
  return detail::prepare_unsubscribe(*this, subscription);
}
Result<bool> Subscriber::receive_keyload(const Address& link) {
  return detail::receive_keyload(*this, link);
}

Result<MessageLinks> Subscriber::send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                                    ByteSpan masked_payload) {
  if (is_single_depth()) {
    return Error(Errc::kSingleDepthOperation,
                 "only the author publishes in a single-depth channel");
  }
  return detail::send_signed_packet(*this, link_to, public_payload, masked_payload);
}

Result<MessageLinks> Subscriber::send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                                    ByteSpan masked_payload) {
  if (is_single_depth()) {
    return Error(Errc::kSingleDepthOperation,
                 "only the author publishes in a single-depth channel");
  }
  return detail::send_tagged_packet(*this, link_to, public_payload, masked_payload);
}

Result<MessageLinks> Subscriber::prepare_signed_packet(const Address& link_to,
                                                       ByteSpan public_payload,
                                                       ByteSpan masked_payload) {
  if (is_single_depth()) {
    return Error(Errc::kSingleDepthOperation,
                 "only the author publishes in a single-depth channel");
  }
  return detail::prepare_signed_packet(*this, link_to, public_payload, masked_payload);
}

Result<MessageLinks> Subscriber::prepare_tagged_packet(const Address& link_to,
                                                       ByteSpan public_payload,
                                                       ByteSpan masked_payload) {
  if (is_single_depth()) {
    return Error(Errc::kSingleDepthOperation,
                 "only the author publishes in a single-depth channel");
  }
  return detail::prepare_tagged_packet(*this, link_to, public_payload, masked_payload);
}

}  // namespace iota_streams::channels
