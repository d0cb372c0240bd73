// Internal pieces of User shared by its implementation files.
#pragma once

#include <string>

#include "iota_streams/channels/user.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/message/message.h"

namespace iota_streams::channels {

namespace detail {

// A message built and ready to publish, with the state to commit once it is sent.
struct Outgoing {
  Address link;
  MessageBytes bytes;
  sponge::Inner inner{};
  std::optional<Address> sequence_link;
};

// A sequence message read and checked, not yet committed.
struct PendingSequence {
  Address link;
  sponge::Inner inner{};
  Identifier publisher;  // the header's sender, equal to the body's identifier
  Address referenced;    // the message it announces
  uint64_t seq_num = 0;
};

// "signed packet", "keyload", ...
std::string message_name(message::ContentType type);

// An unwrap failure as a sentence that names the message and its address, e.g.
// "signature verification failed for signed packet at <address>".
// Why a message was refused; `what` names it (static text). No heap unless the message is asked for.
Error read_failure(const ddml::Status& status, const char* what, const Address& link, ByteSpan bytes);

}  // namespace detail
}  // namespace iota_streams::channels
