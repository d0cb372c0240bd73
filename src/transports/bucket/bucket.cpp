#include "iota_streams/transports/bucket.h"

namespace iota_streams::transports {

Result<void> BucketTransport::send_message(const message::Address& link, ByteSpan message) {
  messages_[Key{link.to_bytes()}].emplace_back(message.begin(), message.end());
  return {};
}

Result<std::vector<channels::MessageBytes>> BucketTransport::recv_messages(
    const message::Address& link) {
  auto it = messages_.find(Key{link.to_bytes()});
  if (it == messages_.end()) return std::vector<channels::MessageBytes>{};
  return it->second;
}

size_t BucketTransport::message_count() const {
  size_t n = 0;
  for (const auto& [key, list] : messages_) n += list.size();
  return n;
}

size_t BucketTransport::bytes_stored() const {
  size_t n = 0;
  for (const auto& [key, list] : messages_) {
    for (const auto& m : list) n += m.size();
  }
  return n;
}

std::vector<std::pair<message::Address, channels::MessageBytes>> BucketTransport::all() const {
  std::vector<std::pair<message::Address, channels::MessageBytes>> out;
  for (const auto& [key, list] : messages_) {
    const auto address = *message::Address::from_bytes(key.bytes);
    for (const auto& m : list) out.emplace_back(address, m);
  }
  return out;
}

}  // namespace iota_streams::transports
