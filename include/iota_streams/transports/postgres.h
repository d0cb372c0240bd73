// PostgreSQL as the node's storage (libpq, host only): several streams-node processes on one
// database serve one network. A message written through any of them is readable from all, tips are
// shared, and `done` runs only after COMMIT returned with synchronous_commit on.
//
// Tables, created at open when missing (names prefixed `streams_` so they can share a database):
//   streams_messages  seq bigint identity (arrival order), id bytea unique, idx bytea (index (idx,
//   seq)),
//                     raw bytea, arrived timestamptz
//   streams_parents   (parent, child), primary key (parent, child)
//   streams_tips      (seq, id): the messages nothing names as a parent yet, kept as messages
//   arrive streams_counters  one row 'messages': the exact count, updated in each write transaction
//
// Writes: put_async queues; one committer thread with its own connection takes everything queued
// (up to PostgresOptions::max_batch_messages) and stores it in one transaction sent in one round
// trip (group commit; the statements are in src/transports/postgres/postgres_sql.h). Every write
// transaction first locks the counter row (SELECT ... FOR UPDATE), so writers on every node sharing
// the database take turns; under READ COMMITTED each later statement then sees every message
// committed before, which is what keeps tips exact when two nodes store a parent and its child at
// the same time (see store_rows in postgres_storage.cpp). Reads never wait for writers (MVCC): they
// run on a small pool of connections, any thread.
//
// Errors carry libpq's message. A lost connection makes the call that saw it fail (the node answers
// 5xx); the next call on that connection reconnects.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "iota_streams/transports/storage.h"

namespace iota_streams::transports {

class PgConnection;  // one libpq connection (postgres.cpp)
class PgParams;
class PgResult;

struct PostgresOptions {
  size_t read_connections = 4;  // the pool for get, ids_by_index, children, tips, recent, count
  size_t max_batch_messages = 1024;  // at most this many messages in one write transaction
};

class PostgresStorage final : public MessageStorage {
 public:
  // Connects with a libpq connection string ("postgresql://user@host/db?sslmode=require" or
  // "host=... dbname=..."), creates the tables when missing, and starts the committer.
  static Result<std::unique_ptr<PostgresStorage>> open(const std::string& conninfo,
                                                       PostgresOptions options = {});
  // Commits what is queued, then closes every connection.
  ~PostgresStorage() override;
  PostgresStorage(const PostgresStorage&) = delete;
  PostgresStorage& operator=(const PostgresStorage&) = delete;

  void put_async(StoredMessage message, PutDone done) override;
  Result<std::optional<std::vector<uint8_t>>> get(const chrysalis::MessageId& id) override;
  Result<std::vector<chrysalis::MessageId>> ids_by_index(ByteSpan index, size_t limit) override;
  Result<std::vector<chrysalis::MessageId>> children(const chrysalis::MessageId& id,
                                                     size_t limit) override;
  Result<std::vector<chrysalis::MessageId>> tips(size_t limit) override;
  Result<std::vector<ArrivedMessage>> recent(size_t limit,
                                             std::optional<uint64_t> before_seq) override;
  Result<uint64_t> count() override;
  Result<void> check_health() override;
  void set_commit_observer(CommitObserver observer) override {
    commit_observer_ = std::move(observer);
  }

  // Group-commit figures since open: transactions committed and messages they carried.
  struct CommitStats {
    uint64_t transactions = 0;
    uint64_t messages = 0;
    size_t largest = 0;
  };
  CommitStats commit_stats();

 private:
  struct Pending {
    StoredMessage message;
    PutDone done;
  };
  class ReadLease;

  PostgresStorage(std::string conninfo, PostgresOptions options);
  Result<void> start();
  void commit_loop();
  void commit_batch(std::vector<Pending>& batch);
  // Runs a read that answers message ids (by index, children, tips) on a borrowed connection.
  Result<std::vector<chrysalis::MessageId>> read_ids(const char* sql, const PgParams& params,
                                                     const char* what);
  // Runs a parameterless read that answers exactly one row; `no_row` is the error otherwise.
  Result<PgResult> read_row(const char* sql, const char* what, const char* no_row);

  const std::string conninfo_;
  const PostgresOptions options_;

  // Readers: idle connections, borrowed one at a time.
  std::mutex pool_mutex_;
  std::condition_variable pool_ready_;
  std::vector<std::unique_ptr<PgConnection>> idle_;

  // The committer.
  std::unique_ptr<PgConnection> writer_;
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  CommitStats stats_;
  CommitObserver commit_observer_;  // set before the first put; called on the committer thread
  std::thread committer_;
};

}  // namespace iota_streams::transports
