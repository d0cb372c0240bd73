// The in-memory "bucket" transport (iota-streams-app/src/transport/bucket.rs), as in the original
// proof of concept: messages kept per address, in arrival order. Several messages at one address
// are kept; reading such an address reports kMessageNotUnique (where the official bucket panics).
#pragma once

#include <map>
#include <vector>

#include "iota_streams/channels/transport.h"

namespace iota_streams::transports {

class BucketTransport : public channels::Transport {
 public:
  Result<void> send_message(const message::Address& link, ByteSpan message) override;
  Result<std::vector<channels::MessageBytes>> recv_messages(const message::Address& link) override;

  size_t message_count() const;
  size_t bytes_stored() const;
  // Every (address, message) pair, in address order then arrival order.
  std::vector<std::pair<message::Address, channels::MessageBytes>> all() const;

 private:
  struct Key {
    Bytes<message::kAddressSize> bytes;
    bool operator<(const Key& other) const { return bytes < other.bytes; }
  };
  std::map<Key, std::vector<channels::MessageBytes>> messages_;
};

}  // namespace iota_streams::transports
