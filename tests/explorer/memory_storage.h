// In-memory storage for the explorer's tests: a MessageStorage that counts the calls a request
// makes, and a channel transport that stores each message as the Chrysalis indexation message a
// node holds.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "explorer.h"
#include "iota_streams/channels/transport.h"
#include "iota_streams/transports/chrysalis.h"
#include "iota_streams/transports/store.h"

namespace iota_streams::node::explorer::fixtures {

namespace chrysalis = transports::chrysalis;
using json = nlohmann::json;

// An in-memory storage that counts the calls a request makes.
class CountingStorage : public transports::MessageStorage {
 public:
  void put_async(transports::StoredMessage m, PutDone done) override {
    if (raw_.count(m.id)) return done(false);
    raw_[m.id] = m.raw;
    if (m.index) by_index_[*m.index].push_back(m.id);
    log_.push_back({log_.size() + 1, m.id, 1'700'000'000'000 + static_cast<int64_t>(log_.size())});
    done(true);
  }
  Result<std::optional<std::vector<uint8_t>>> get(const chrysalis::MessageId& id) override {
    ++gets;
    const auto it = raw_.find(id);
    if (it == raw_.end()) return std::optional<std::vector<uint8_t>>();
    return std::optional<std::vector<uint8_t>>(it->second);
  }
  Result<std::vector<chrysalis::MessageId>> ids_by_index(ByteSpan index, size_t limit) override {
    ++index_lookups;
    largest_index_answer_limit = std::max(largest_index_answer_limit, limit);
    const auto it = by_index_.find(std::vector<uint8_t>(index.begin(), index.end()));
    if (it == by_index_.end()) return std::vector<chrysalis::MessageId>();
    return std::vector<chrysalis::MessageId>(
        it->second.begin(),
        it->second.begin() + static_cast<std::ptrdiff_t>(std::min(limit, it->second.size())));
  }
  Result<std::vector<chrysalis::MessageId>> children(const chrysalis::MessageId&, size_t) override {
    return std::vector<chrysalis::MessageId>();
  }
  Result<std::vector<chrysalis::MessageId>> tips(size_t) override {
    return std::vector<chrysalis::MessageId>();
  }
  Result<std::vector<transports::ArrivedMessage>> recent(size_t limit,
                                                         std::optional<uint64_t> before) override {
    ++recent_calls;
    largest_recent_limit = std::max(largest_recent_limit, limit);
    std::vector<transports::ArrivedMessage> out;
    for (auto it = log_.rbegin(); it != log_.rend() && out.size() < limit; ++it) {
      if (!before || it->seq < *before) out.push_back(*it);
    }
    return out;
  }
  Result<uint64_t> count() override { return static_cast<uint64_t>(raw_.size()); }
  Result<void> check_health() override { return {}; }

  void reset_counts() {
    gets = index_lookups = recent_calls = largest_index_answer_limit = largest_recent_limit = 0;
  }

  size_t gets = 0, index_lookups = 0, recent_calls = 0, largest_index_answer_limit = 0,
         largest_recent_limit = 0;

 private:
  std::map<chrysalis::MessageId, std::vector<uint8_t>> raw_;
  std::map<std::vector<uint8_t>, std::vector<chrysalis::MessageId>> by_index_;
  std::vector<transports::ArrivedMessage> log_;
};

// Stores what a channel user sends as the Chrysalis indexation message a node would hold.
class StorageTransport : public channels::Transport {
 public:
  explicit StorageTransport(CountingStorage& storage) : storage_(storage) {}

  Result<void> send_message(const message::Address& link, ByteSpan message) override {
    const auto index = link.index();
    if (drop_next) {
      drop_next = false;
      return {};
    }
    post(index, message);
    return {};
  }
  Result<std::vector<channels::MessageBytes>> recv_messages(const message::Address& link) override {
    std::vector<channels::MessageBytes> out;
    auto ids = storage_.ids_by_index(link.index(), 1000);
    for (const auto& id : *ids) {
      auto raw = storage_.get(id);
      auto view = chrysalis::parse_message(**raw);
      out.emplace_back(view->data.begin(), view->data.end());
    }
    return out;
  }

  // The next message sent is lost (to leave a gap in a channel).
  bool drop_next = false;

  void post(ByteSpan index, ByteSpan data, uint8_t parent_byte = 0) {
    chrysalis::MessageId parent{};
    parent[0] = parent_byte;  // another parent: the same data as a different node message
    std::vector<uint8_t> raw(chrysalis::message_size(1, index.size(), data.size()));
    const auto network = chrysalis::network_id(transports::kLocalNetworkName);
    EXPECT_TRUE(chrysalis::write_message(network, std::span(&parent, 1), index, data, 0, raw).ok());
    transports::StoredMessage m{chrysalis::message_id(raw),
                                raw,
                                std::vector<uint8_t>(index.begin(), index.end()),
                                {parent}};
    storage_.put_async(std::move(m), [](Result<bool> stored) { EXPECT_TRUE(stored.ok()); });
  }

 private:
  CountingStorage& storage_;
};

// Calls a route; the JSON answer with its status as "http_status".
inline json call(Explorer& explorer, const std::string& path,
                 const std::map<std::string, std::string>& query = {}) {
  const Reply reply = explorer.api({path, [&](std::string_view name) -> std::optional<std::string> {
                                      const auto it = query.find(std::string(name));
                                      if (it == query.end()) return std::nullopt;
                                      return it->second;
                                    }});
  json body = json::parse(reply.body);
  body["http_status"] = reply.status;
  return body;
}

}  // namespace iota_streams::node::explorer::fixtures
