#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "iota_streams/transports/postgres.h"
#include "pg_connection.h"
#include "postgres_sql.h"

namespace iota_streams::transports {
namespace {

// Concurrent CREATE ... IF NOT EXISTS from two nodes starting at once can fail on the catalog's
// unique indexes; the retry then finds the tables.
constexpr int kSchemaAttempts = 5;

int64_t sql_limit(size_t limit) {
  return static_cast<int64_t>(
      std::min<size_t>(limit, static_cast<size_t>(std::numeric_limits<int64_t>::max())));
}

chrysalis::MessageId id_from(ByteSpan bytes) {
  chrysalis::MessageId id{};
  if (bytes.size() == id.size()) std::copy(bytes.begin(), bytes.end(), id.begin());
  return id;
}

Result<std::vector<chrysalis::MessageId>> ids_from(const PgResult& result) {
  std::vector<chrysalis::MessageId> ids;
  ids.reserve(static_cast<size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) ids.push_back(id_from(result.bytes(row, 0)));
  return ids;
}

Result<void> prepare_schema(PgConnection& connection) {
  for (int attempt = 1;; ++attempt) {
    STREAMS_ASSIGN_OR_RETURN(
        const auto exist, connection.exec(pg_sql::kTablesExist, PgParams(), "look for the tables"));
    const bool all =
        exist.rows() == 1 && exist.bytes(0, 0).size() == 1 && exist.bytes(0, 0)[0] == 1;
    auto created = all ? ok_result() : connection.exec_script(pg_sql::kSchema, "create the tables");
    if (created.ok())
      created = connection.exec_script(pg_sql::kCounterRow, "create the counter row");
    if (created.ok() || attempt == kSchemaAttempts) return created;
    const std::string& state = connection.last_sqlstate();
    if (state != "23505" && state != "42P07" && state != "42710")
      return created;  // not a creation race
  }
}

}  // namespace

// Borrows one idle read connection (waiting while all are in use) and gives it back.
class PostgresStorage::ReadLease {
 public:
  explicit ReadLease(PostgresStorage& storage) : storage_(storage) {
    std::unique_lock lock(storage_.pool_mutex_);
    storage_.pool_ready_.wait(lock, [&] { return !storage_.idle_.empty(); });
    connection_ = std::move(storage_.idle_.back());
    storage_.idle_.pop_back();
  }
  ~ReadLease() {
    {
      std::lock_guard lock(storage_.pool_mutex_);
      storage_.idle_.push_back(std::move(connection_));
    }
    storage_.pool_ready_.notify_one();
  }
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;

  // The connection, reconnected first if it was lost.
  Result<PgConnection*> connection() {
    STREAMS_TRY(connection_->ensure_connected());
    return connection_.get();
  }

 private:
  PostgresStorage& storage_;
  std::unique_ptr<PgConnection> connection_;
};

PostgresStorage::PostgresStorage(std::string conninfo, PostgresOptions options)
    : conninfo_(std::move(conninfo)), options_(options) {}

Result<std::unique_ptr<PostgresStorage>> PostgresStorage::open(const std::string& conninfo,
                                                               PostgresOptions options) {
  options.read_connections = std::max<size_t>(options.read_connections, 1);
  options.max_batch_messages = std::max<size_t>(options.max_batch_messages, 1);
  std::unique_ptr<PostgresStorage> storage(new PostgresStorage(conninfo, options));
  STREAMS_TRY(storage->start());
  return storage;
}

Result<void> PostgresStorage::start() {
  STREAMS_ASSIGN_OR_RETURN(writer_, PgConnection::connect(conninfo_));
  STREAMS_TRY(prepare_schema(*writer_));
  for (size_t i = 0; i < options_.read_connections; ++i) {
    STREAMS_ASSIGN_OR_RETURN(auto reader, PgConnection::connect(conninfo_));
    idle_.push_back(std::move(reader));
  }
  committer_ = std::thread([this] { commit_loop(); });
  return ok_result();
}

PostgresStorage::~PostgresStorage() {
  if (committer_.joinable()) {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queue_ready_.notify_one();
    committer_.join();
  }
}

// ---- writes ----

void PostgresStorage::put_async(StoredMessage message, PutDone done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Pending{std::move(message), std::move(done)});
  }
  queue_ready_.notify_one();
}

// Takes everything queued (up to the batch bound) while the previous transaction committed: the
// more writers wait, the larger the next group. Drains the queue before stopping.
void PostgresStorage::commit_loop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      while (!queue_.empty() && batch.size() < options_.max_batch_messages) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

namespace {

// One group's rows: the messages to insert (each id once) and where each put's answer comes from.
struct BatchRows {
  std::vector<const StoredMessage*> unique;  // first occurrence of each id
  std::vector<size_t> first_of;              // per put: its index in `unique`
  std::vector<bool> repeated;                // per put: the same id came earlier in this batch
};

template <class Pendings>
BatchRows batch_rows(const Pendings& batch) {
  BatchRows rows;
  std::map<chrysalis::MessageId, size_t> seen;
  for (const auto& pending : batch) {
    const auto [at, fresh] = seen.emplace(pending.message.id, rows.unique.size());
    if (fresh) rows.unique.push_back(&pending.message);
    rows.first_of.push_back(at->second);
    rows.repeated.push_back(!fresh);
  }
  return rows;
}

// Tips stay exact across nodes because every write transaction starts by locking the counter row: a
// writer on any node waits there until the previous one committed, and under READ COMMITTED each of
// its later statements sees that commit. So when node A stores child C of P while node B stores P,
// whichever goes second sees the other's rows: B finds (P, C) in streams_parents and does not make
// P a tip, or A finds P in streams_tips and removes it. (Without the lock both could commit,
// neither seeing the other, and P would stay a tip forever.) The same lock makes seq order equal
// commit order, so `recent` pages never skip a row committed late. The cost is that writers across
// nodes take turns, one group transaction each; group commit keeps that a transaction per batch,
// not per message.
Result<std::vector<bool>> store_rows(PgConnection& connection, const BatchRows& rows) {
  std::vector<std::optional<ByteSpan>> ids, indexes, raws, parent_column, child_column;
  for (const StoredMessage* message : rows.unique) {
    ids.emplace_back(ByteSpan(message->id));
    indexes.push_back(message->index ? std::optional<ByteSpan>(ByteSpan(*message->index))
                                     : std::nullopt);
    raws.emplace_back(ByteSpan(message->raw));
    for (const auto& parent : message->parents) {
      parent_column.emplace_back(ByteSpan(parent));
      child_column.emplace_back(ByteSpan(message->id));
    }
  }
  PgParams none, store_params, tip_params;
  store_params.bytea_array(ids)
      .bytea_array(indexes)
      .bytea_array(raws)
      .bytea_array(parent_column)
      .bytea_array(child_column);
  tip_params.bytea_array(ids).bytea_array(parent_column);
  // One round trip: nothing here waits for an answer before the next statement (a repeat changes
  // nothing in kUpdateTips), and COMMIT is skipped by the server if anything before it failed.
  STREAMS_ASSIGN_OR_RETURN(auto results,
                           connection.exec_pipeline({{pg_sql::kBegin, &none},
                                                     {pg_sql::kLockWriters, &none},
                                                     {pg_sql::kStoreMessages, &store_params},
                                                     {pg_sql::kUpdateTips, &tip_params},
                                                     {pg_sql::kCommit, &none}},
                                                    "store messages"));
  const PgResult& inserted_rows = results[2];
  std::set<chrysalis::MessageId> inserted;
  for (int row = 0; row < inserted_rows.rows(); ++row)
    inserted.insert(id_from(inserted_rows.bytes(row, 0)));
  std::vector<bool> stored_now;
  for (const StoredMessage* message : rows.unique)
    stored_now.push_back(inserted.count(message->id) != 0);
  return stored_now;
}

}  // namespace

void PostgresStorage::commit_batch(std::vector<Pending>& batch) {
  const BatchRows rows = batch_rows(batch);
  auto stored = [&]() -> Result<std::vector<bool>> {
    STREAMS_TRY(writer_->ensure_connected());
    auto result = store_rows(*writer_, rows);
    // A failed statement leaves the transaction open and aborted. A connection lost before COMMIT
    // returned leaves the outcome unknown to us; the client's retry is safe (the id is the hash of
    // the bytes, so a second put finds it stored).
    if (!result.ok() && writer_->in_transaction())
      (void)writer_->exec_script("ROLLBACK", "roll back");
    return result;
  }();
  if (stored.ok()) {
    {
      std::lock_guard lock(queue_mutex_);
      stats_.transactions += 1;
      stats_.messages += batch.size();
      stats_.largest = std::max(stats_.largest, batch.size());
    }
    if (commit_observer_) commit_observer_(batch.size());
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!stored.ok()) {
      batch[i].done(stored.error());
      continue;
    }
    batch[i].done(Result<bool>(!rows.repeated[i] && (*stored)[rows.first_of[i]]));
  }
}

PostgresStorage::CommitStats PostgresStorage::commit_stats() {
  std::lock_guard lock(queue_mutex_);
  return stats_;
}

// ---- reads ----

Result<std::optional<std::vector<uint8_t>>> PostgresStorage::get(const chrysalis::MessageId& id) {
  ReadLease lease(*this);
  STREAMS_ASSIGN_OR_RETURN(PgConnection * connection, lease.connection());
  PgParams params;
  params.bytes(id);
  STREAMS_ASSIGN_OR_RETURN(const auto result,
                           connection->exec(pg_sql::kGet, params, "read a message"));
  if (result.rows() == 0) return std::optional<std::vector<uint8_t>>();
  const ByteSpan raw = result.bytes(0, 0);
  return std::optional<std::vector<uint8_t>>(std::vector<uint8_t>(raw.begin(), raw.end()));
}

Result<std::vector<chrysalis::MessageId>> PostgresStorage::read_ids(const char* sql,
                                                                    const PgParams& params,
                                                                    const char* what) {
  ReadLease lease(*this);
  STREAMS_ASSIGN_OR_RETURN(PgConnection * connection, lease.connection());
  STREAMS_ASSIGN_OR_RETURN(const auto result, connection->exec(sql, params, what));
  return ids_from(result);
}

Result<std::vector<chrysalis::MessageId>> PostgresStorage::ids_by_index(ByteSpan index,
                                                                        size_t limit) {
  PgParams params;
  params.bytes(index).integer(sql_limit(limit));
  return read_ids(pg_sql::kByIndex, params, "read an index");
}

Result<std::vector<chrysalis::MessageId>> PostgresStorage::children(const chrysalis::MessageId& id,
                                                                    size_t limit) {
  PgParams params;
  params.bytes(id).integer(sql_limit(limit));
  return read_ids(pg_sql::kChildren, params, "read children");
}

Result<std::vector<chrysalis::MessageId>> PostgresStorage::tips(size_t limit) {
  PgParams params;
  params.integer(sql_limit(limit));
  return read_ids(pg_sql::kTips, params, "read tips");
}

Result<std::vector<ArrivedMessage>> PostgresStorage::recent(size_t limit,
                                                            std::optional<uint64_t> before_seq) {
  ReadLease lease(*this);
  STREAMS_ASSIGN_OR_RETURN(PgConnection * connection, lease.connection());
  PgParams params;
  params.integer(sql_limit(limit));
  const char* sql = pg_sql::kRecent;
  if (before_seq) {
    params.integer(
        static_cast<int64_t>(std::min<uint64_t>(*before_seq, std::numeric_limits<int64_t>::max())));
    sql = pg_sql::kRecentBefore;
  }
  STREAMS_ASSIGN_OR_RETURN(const auto result,
                           connection->exec(sql, params, "read recent messages"));
  std::vector<ArrivedMessage> messages;
  for (int row = 0; row < result.rows(); ++row) {
    messages.push_back(ArrivedMessage{static_cast<uint64_t>(result.int64(row, 0)),
                                      id_from(result.bytes(row, 1)), result.int64(row, 2)});
  }
  return messages;
}

Result<PgResult> PostgresStorage::read_row(const char* sql, const char* what, const char* no_row) {
  ReadLease lease(*this);
  STREAMS_ASSIGN_OR_RETURN(PgConnection * connection, lease.connection());
  STREAMS_ASSIGN_OR_RETURN(auto result, connection->exec(sql, PgParams(), what));
  if (result.rows() != 1) return Error(Errc::kTransportFailure, no_row);
  return result;
}

Result<uint64_t> PostgresStorage::count() {
  STREAMS_ASSIGN_OR_RETURN(const auto result,
                           read_row(pg_sql::kCount, "read the message count",
                                    "PostgreSQL: the counter row of streams_counters is missing"));
  return static_cast<uint64_t>(result.int64(0, 0));
}

Result<void> PostgresStorage::check_health() {
  STREAMS_ASSIGN_OR_RETURN(const auto result, read_row(pg_sql::kHealth, "check the database",
                                                       "PostgreSQL: health check answered no row"));
  if (result.bytes(0, 0).size() == 1 && result.bytes(0, 0)[0] == 1) {
    return Error(
        Errc::kTransportFailure,
        "PostgreSQL: the database is read-only (a standby, or default_transaction_read_only)");
  }
  if (result.bytes(0, 1).size() == 1 && result.bytes(0, 1)[0] == 1) {
    return Error(Errc::kTransportFailure, "PostgreSQL: the table streams_messages is gone");
  }
  return ok_result();
}

}  // namespace iota_streams::transports
