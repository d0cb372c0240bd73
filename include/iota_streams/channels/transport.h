// The transport interface: where an Author or a Subscriber sends its messages and finds others'.
// Deliberately small so that a new transport plugs in without touching the channels code.
// Implementations live in src/transports/: an in-memory bucket, a local SQLite store, and the
// Chrysalis node HTTP API. (iota-streams-app/src/transport/mod.rs)
#pragma once

#include <cstdint>
#include <vector>

#include "iota_streams/base/error.h"
#include "iota_streams/message/address.h"

namespace iota_streams::channels {

using MessageBytes = std::vector<uint8_t>;

class Transport {
 public:
  virtual ~Transport() = default;

  // Publishes `message` (the whole Streams binary message) at `link`.
  virtual Result<void> send_message(const message::Address& link, ByteSpan message) = 0;

  // Every message found at `link`, in the order the transport holds them (a node need not keep the
  // order they were sent in, so no caller relies on it); an empty list when there is none. An error
  // means the transport itself failed (unreachable node, I/O), not that the link is unknown.
  virtual Result<std::vector<MessageBytes>> recv_messages(const message::Address& link) = 0;

  // Exactly one message at `link`, as the official recv_message: kLinkNotFoundInTransport when
  // there is none, kMessageNotUnique when there are several.
  Result<MessageBytes> recv_message(const message::Address& link);
};

}  // namespace iota_streams::channels
