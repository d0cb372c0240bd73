// Test support: a transport that serves replacement bytes at one address and passes everything else
// to another transport (tampered messages in tests, fuzzed ones in the fuzz targets).
#pragma once

#include <utility>
#include <vector>

#include "iota_streams/channels/transport.h"

namespace iota_streams::test {

class OverrideTransport : public channels::Transport {
 public:
  OverrideTransport(channels::Transport& base, const channels::Address& link,
                    channels::MessageBytes bytes)
      : base_(base), link_(link), bytes_(std::move(bytes)) {}
  Result<void> send_message(const channels::Address& link, ByteSpan message) override {
    return base_.send_message(link, message);
  }
  Result<std::vector<channels::MessageBytes>> recv_messages(
      const channels::Address& link) override {
    if (link == link_) return std::vector<channels::MessageBytes>{bytes_};
    return base_.recv_messages(link);
  }

 private:
  channels::Transport& base_;
  channels::Address link_;
  channels::MessageBytes bytes_;
};

}  // namespace iota_streams::test
