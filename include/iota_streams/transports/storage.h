// Where a node keeps Chrysalis messages: the contract every storage backend meets (SQLite, the
// embedded default: transports/store.h; PostgreSQL: transports/postgres.h). Host only.
//
// Every call is safe from any thread. No call's cost grows with the number of stored messages: each
// is served by an index (tips are kept as messages arrive, the count is kept, not counted).
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <optional>
#include <vector>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/error.h"
#include "iota_streams/transports/chrysalis.h"

namespace iota_streams::transports {

// A message that parse_message accepted, with what the storage indexes.
struct StoredMessage {
  chrysalis::MessageId id{};                  // BLAKE2b-256 of raw
  std::vector<uint8_t> raw;                   // the whole Chrysalis message
  std::optional<std::vector<uint8_t>> index;  // the indexation index; none for other payloads
  std::vector<chrysalis::MessageId> parents;
};

// One line of the arrival log, newest first (for the explorer and /metrics).
struct ArrivedMessage {
  uint64_t seq = 0;  // arrival order, strictly increasing within one storage
  chrysalis::MessageId id{};
  int64_t arrived_unix_ms = 0;
};

class MessageStorage {
 public:
  virtual ~MessageStorage() = default;

  // Called once the message is durable (committed and synced), or with the reason it is not: true
  // when it was stored now, false when it was already there. May run on a storage thread; must not
  // block.
  using PutDone = std::function<void(Result<bool>)>;

  // Hands one message to the storage. A backend may commit many concurrent messages in one
  // transaction and one sync (group commit); `done` runs for each once its group is durable.
  virtual void put_async(StoredMessage message, PutDone done) = 0;
  // The blocking form of put_async (defined here, so that every backend has it without a library).
  Result<bool> put(StoredMessage message) {
    std::promise<Result<bool>> promise;
    auto future = promise.get_future();
    put_async(std::move(message),
              [&promise](Result<bool> result) { promise.set_value(std::move(result)); });
    return future.get();
  }

  virtual Result<std::optional<std::vector<uint8_t>>> get(const chrysalis::MessageId& id) = 0;
  // Ids at an index, oldest first, at most `limit`.
  virtual Result<std::vector<chrysalis::MessageId>> ids_by_index(ByteSpan index, size_t limit) = 0;
  virtual Result<std::vector<chrysalis::MessageId>> children(const chrysalis::MessageId& id,
                                                             size_t limit) = 0;
  // The most recent messages nothing refers to yet, at most `limit`.
  virtual Result<std::vector<chrysalis::MessageId>> tips(size_t limit) = 0;
  // Messages in arrival order, newest first, at most `limit`, older than `before_seq` when given.
  virtual Result<std::vector<ArrivedMessage>> recent(size_t limit,
                                                     std::optional<uint64_t> before_seq) = 0;
  virtual Result<uint64_t> count() = 0;
  // Whether writes can still succeed (the database is reachable and writable); the reason when not.
  virtual Result<void> check_health() = 0;

  // Called with the number of messages in each group the backend commits (for /metrics), from the
  // committing thread; must not block. Set once, before the first put. A backend that does not
  // group commits may ignore it.
  using CommitObserver = std::function<void(size_t messages)>;
  virtual void set_commit_observer(CommitObserver observer) { (void)observer; }
};

}  // namespace iota_streams::transports
