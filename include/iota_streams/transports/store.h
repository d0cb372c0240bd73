// The local store (SQLite, host only): Chrysalis messages by id, by index and by parent, durable
// and safe to share between processes (WAL journal, synchronous writes, a busy timeout). It backs
// both the CLI's default transport (StoreTransport) and streams-node, in the same schema, so a node
// started on a CLI's store file serves the channels the CLI wrote (start it with the same network
// name).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/channels/transport.h"
#include "iota_streams/transports/chrysalis.h"
#include "iota_streams/transports/storage.h"

namespace iota_streams::transports {

// The network name the CLI's store and streams-node use unless told otherwise.
inline constexpr std::string_view kLocalNetworkName = "streams-local";

// The SQLite storage backend. Writes go to one committer thread that commits every message waiting
// for it in one transaction and one sync (group commit); reads use their own connections (WAL lets
// them run beside a commit), with statements prepared once per connection. Schema version 3:
// messages (with their arrival time), parents, tips, a kept message count; older files are migrated
// at open.
class MessageStore : public MessageStorage {
 public:
  // Opens (creating if needed) the database at `path`.
  static Result<std::unique_ptr<MessageStore>> open(const std::string& path);
  // Commits whatever is still waiting, then closes.
  ~MessageStore() override;
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  using MessageStorage::put;
  // Stores a message that parse_message accepted; false when it was already there. Returns once the
  // write is on disk.
  Result<bool> put(const chrysalis::MessageId& id, const chrysalis::MessageView& view,
                   ByteSpan raw);

  void put_async(StoredMessage message, PutDone done) override;
  Result<std::optional<std::vector<uint8_t>>> get(const chrysalis::MessageId& id) override;
  Result<std::vector<chrysalis::MessageId>> ids_by_index(ByteSpan index, size_t limit) override;
  Result<std::vector<chrysalis::MessageId>> children(const chrysalis::MessageId& id,
                                                     size_t limit) override;
  // From the tips table: its cost does not grow with the store.
  Result<std::vector<chrysalis::MessageId>> tips(size_t limit) override;
  Result<std::vector<ArrivedMessage>> recent(size_t limit,
                                             std::optional<uint64_t> before_seq) override;
  Result<uint64_t> count() override;
  // Unhealthy when the database file was deleted or replaced since it was opened, when it is not
  // writable, or when the last commit failed and a write probe still fails (disk full).
  Result<void> check_health() override;
  void set_commit_observer(CommitObserver observer) override;

  struct Impl;

 private:
  explicit MessageStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The CLI's default transport: each Streams message becomes a Chrysalis indexation message (index:
// its address's BLAKE2b-256 index, as the node transport sends it; parents: the store's tips; nonce
// 0) in a local store file.
class StoreTransport : public channels::Transport {
 public:
  static Result<std::unique_ptr<StoreTransport>> open(
      const std::string& path, std::string_view network_name = kLocalNetworkName);

  Result<void> send_message(const message::Address& link, ByteSpan message) override;
  Result<std::vector<channels::MessageBytes>> recv_messages(const message::Address& link) override;

  MessageStore& store() { return *store_; }

 private:
  StoreTransport(std::unique_ptr<MessageStore> store, uint64_t network_id)
      : store_(std::move(store)), network_id_(network_id) {}

  std::unique_ptr<MessageStore> store_;
  uint64_t network_id_;
};

}  // namespace iota_streams::transports
