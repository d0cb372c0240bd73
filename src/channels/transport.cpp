#include "iota_streams/channels/transport.h"

namespace iota_streams::channels {

Result<MessageBytes> Transport::recv_message(const message::Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto messages, recv_messages(link));
  if (messages.empty()) {
    return STREAMS_ERROR_AT(Errc::kLinkNotFoundInTransport, link.msgid.bytes.data(),
                            "no message found at " + link.to_string());
  }
  if (messages.size() > 1) {
    return STREAMS_ERROR_AT(Errc::kMessageNotUnique, link.msgid.bytes.data(),
                            std::to_string(messages.size()) + " messages found at " +
                                link.to_string() + "; a Streams address must hold exactly one");
  }
  return std::move(messages.back());
}

}  // namespace iota_streams::channels
