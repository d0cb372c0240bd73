#include "iota_streams/channels/subscriber.h"

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

Result<MessageLinks> Subscriber::send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                                    ByteSpan masked_payload) {
  if (is_single_depth()) {
    return STREAMS_ERROR(Errc::kSingleDepthOperation,
                         "only the author publishes in a single-depth channel");
  }
  return UserBase::send_signed_packet(link_to, public_payload, masked_payload);
}

Result<MessageLinks> Subscriber::send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                                    ByteSpan masked_payload) {
  if (is_single_depth()) {
    return STREAMS_ERROR(Errc::kSingleDepthOperation,
                         "only the author publishes in a single-depth channel");
  }
  return UserBase::send_tagged_packet(link_to, public_payload, masked_payload);
}

Result<MessageLinks> Subscriber::prepare_signed_packet(const Address& link_to,
                                                       ByteSpan public_payload,
                                                       ByteSpan masked_payload) {
  if (is_single_depth()) {
    return STREAMS_ERROR(Errc::kSingleDepthOperation,
                         "only the author publishes in a single-depth channel");
  }
  return UserBase::prepare_signed_packet(link_to, public_payload, masked_payload);
}

Result<MessageLinks> Subscriber::prepare_tagged_packet(const Address& link_to,
                                                       ByteSpan public_payload,
                                                       ByteSpan masked_payload) {
  if (is_single_depth()) {
    return STREAMS_ERROR(Errc::kSingleDepthOperation,
                         "only the author publishes in a single-depth channel");
  }
  return UserBase::prepare_tagged_packet(link_to, public_payload, masked_payload);
}

}  // namespace iota_streams::channels
