#include "iota_streams/transports/store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "wal_vfs.h"

namespace iota_streams::transports {
namespace {

constexpr size_t kMaxMessagesPerIndex = 1000;  // as a Chrysalis node caps maxResults
constexpr size_t kMaxGroup = 4096;             // messages in one transaction at most

Error sqlite_error(sqlite3* db, const std::string& what) {
  return Error(Errc::kTransportFailure,
               "local store: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

constexpr const char* kSchema = R"sql(
  PRAGMA journal_mode = WAL;
  CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY,                -- arrival order (never deleted, so never reused)
    id BLOB NOT NULL UNIQUE,                -- BLAKE2b-256 of raw
    idx BLOB,                               -- indexation index (NULL for other payloads)
    raw BLOB NOT NULL,
    arrived_ms INTEGER NOT NULL DEFAULT 0); -- Unix time of the commit, in ms (0: stored before version 3)
  CREATE INDEX IF NOT EXISTS messages_by_index ON messages (idx, seq);
  -- Files made before this layout have AUTOINCREMENT on seq (a sqlite_sequence row updated by every
  -- insert); new files do without: messages are never deleted, so the largest seq is never reused.
  -- Without a rowid: the key is the only B-tree (a rowid table would add a second, written for every
  -- link). Files made before keep their rowid table; the statements are the same for both.
  CREATE TABLE IF NOT EXISTS parents (parent BLOB NOT NULL, child BLOB NOT NULL,
                                      PRIMARY KEY (parent, child)) WITHOUT ROWID;
  -- Keyed by seq only: a parent leaves the tips by its seq (read from messages), so no index on the
  -- (random) id is written per message. Files made before also have UNIQUE on id.
  CREATE TABLE IF NOT EXISTS tips (seq INTEGER PRIMARY KEY, id BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
)sql";

// The tips (messages nothing refers to yet), kept as messages arrive so that choosing parents reads
// a handful of rows however large the store is. A store written before this table existed gets it
// filled once, by one scan when it is opened (schema version 1 -> 2), never on a request.
constexpr const char* kTipsBackfill = R"sql(
  INSERT OR IGNORE INTO tips (seq, id) SELECT seq, id FROM messages m
    WHERE NOT EXISTS (SELECT 1 FROM parents p WHERE p.parent = m.id);
)sql";
// Version 2 -> 3: the message count is kept (counting a million rows on a request is what we
// avoid), and messages carry their arrival time (the arrival log, `recent`).
constexpr const char* kArrivalColumn =
    "ALTER TABLE messages ADD COLUMN arrived_ms INTEGER NOT NULL DEFAULT 0";
constexpr const char* kCountBackfill =
    "INSERT OR REPLACE INTO counters (name, value) VALUES ('messages', (SELECT COUNT(*) FROM "
    "messages))";
constexpr int kSchemaVersion = 3;

Result<void> exec(sqlite3* db, const char* sql, const std::string& what) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return ok_result();
  std::string text = message ? message : "unknown error";
  sqlite3_free(message);
  return Error(Errc::kTransportFailure, "local store: " + what + ": " + text);
}

chrysalis::MessageId id_from_column(sqlite3_stmt* statement, int column) {
  chrysalis::MessageId id{};
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(statement, column));
  if (blob && sqlite3_column_bytes(statement, column) == static_cast<int>(id.size()))
    std::copy(blob, blob + id.size(), id.begin());
  return id;
}

int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One SQLite connection with its statements, prepared once and reset after each use.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() { return db_; }
  // The prepared statement for `sql` (a string literal: its address is the key), reset and unbound;
  // nullptr when it does not prepare.
  sqlite3_stmt* statement(const char* sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) {
      sqlite3_reset(found->second);
      sqlite3_clear_bindings(found->second);
      return found->second;
    }
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
        SQLITE_OK)
      return nullptr;
    statements_.emplace(sql, statement);
    return statement;
  }

 private:
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

void bind_blob(sqlite3_stmt* statement, int at, ByteSpan bytes) {
  sqlite3_bind_blob(statement, at, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

Result<std::unique_ptr<Connection>> connect(const std::string& path, bool writer) {
  sqlite3* db = nullptr;
  // Readers never create: a reader opened after the file was deleted must fail, not make an empty
  // one.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
  // The writer gathers each commit's WAL writes into one (wal_vfs.h); readers never write it.
  const char* vfs = writer ? store_detail::coalescing_wal_vfs() : nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, vfs) != SQLITE_OK) {
    Error error = sqlite_error(db, "cannot open " + path);
    sqlite3_close(db);
    return error;
  }
  auto connection = std::make_unique<Connection>(db);
  sqlite3_busy_timeout(db,
                       10000);  // other processes (a CLI, a node) may hold the write lock briefly
  // Every commit synced (FULL in WAL mode syncs the log at each commit): acknowledged means on
  // disk. The writer copies the log back into the file every 16,384 pages (64 MiB) instead of
  // SQLite's 1,000: a page changed by many commits in between is copied once.
  const char* pragmas = writer ? "PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; "
                                 "PRAGMA wal_autocheckpoint = 16384"
                               : "PRAGMA cache_size = -16384; PRAGMA mmap_size = 268435456";
  STREAMS_TRY(exec(db, pragmas, "cannot prepare " + path));
  return connection;
}

Result<int> schema_version(sqlite3* db) {
  sqlite3_stmt* select = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &select, nullptr) == SQLITE_OK &&
      sqlite3_step(select) == SQLITE_ROW) {
    version = sqlite3_column_int(select, 0);
  }
  sqlite3_finalize(select);
  if (version < 0) return sqlite_error(db, "cannot read the schema version");
  return version;
}

bool has_arrival_column(sqlite3* db) {
  sqlite3_stmt* select = nullptr;
  const bool has = sqlite3_prepare_v2(db, "SELECT arrived_ms FROM messages LIMIT 0", -1, &select,
                                      nullptr) == SQLITE_OK;
  sqlite3_finalize(select);
  return has;
}

// Brings an older file to this version, in one transaction (another process may open it at the same
// time: the version is read again under the write lock).
Result<void> migrate(sqlite3* db, const std::string& what) {
  STREAMS_TRY(exec(db, "BEGIN IMMEDIATE", what));
  auto steps = [&]() -> Result<void> {
    STREAMS_ASSIGN_OR_RETURN(const int version, schema_version(db));
    if (version >= kSchemaVersion) return ok_result();
    if (version < 2) STREAMS_TRY(exec(db, kTipsBackfill, what));
    if (!has_arrival_column(db)) STREAMS_TRY(exec(db, kArrivalColumn, what));
    STREAMS_TRY(exec(db, kCountBackfill, what));
    return exec(db, "PRAGMA user_version = 3", what);
  };
  auto done = steps();
  if (!done.ok()) {
    (void)exec(db, "ROLLBACK", "rollback");
    return done;
  }
  return exec(db, "COMMIT", what);
}

// Which file a path names now (device and inode), to notice a database deleted or replaced under
// us.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  bool exists = false;
};

FileIdentity identity_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || info.st_nlink == 0) return {};
  return {info.st_dev, info.st_ino, true};
}

struct Pending {
  std::optional<StoredMessage> message;  // none: a write probe (check_health)
  MessageStorage::PutDone done;
};

constexpr const char* kInsert =
    "INSERT OR IGNORE INTO messages (id, idx, raw, arrived_ms) VALUES (?1, ?2, ?3, ?4)";
// A message's links to its N parents (1 to 8) in one statement: ?1 the child, ?2.. the parents.
const char* link_statement(size_t parents) {
  static const std::array<std::string, chrysalis::kMaxParents + 1> statements = [] {
    std::array<std::string, chrysalis::kMaxParents + 1> made;
    for (size_t n = 1; n < made.size(); ++n) {
      made[n] = "INSERT OR IGNORE INTO parents (parent, child) VALUES ";
      for (size_t i = 0; i < n; ++i)
        made[n] += (i ? ", (?" : "(?") + std::to_string(i + 2) + ", ?1)";
    }
    return made;
  }();
  return parents < statements.size() ? statements[parents].c_str() : nullptr;
}
constexpr const char* kUntip =
    "DELETE FROM tips WHERE seq = (SELECT seq FROM messages WHERE id = ?1)";
// A new message is a tip unless something already names it (a child may arrive before its parent).
constexpr const char* kTip =
    "INSERT OR IGNORE INTO tips (seq, id) SELECT ?1, ?2 "
    "WHERE NOT EXISTS (SELECT 1 FROM parents WHERE parent = ?2)";
constexpr const char* kAddCount = "UPDATE counters SET value = value + ?1 WHERE name = 'messages'";
// The newest tips, read by the committer after each of its commits (kept in memory for tips()).
constexpr const char* kNewestTips = "SELECT id FROM tips ORDER BY seq DESC LIMIT ?1";
// How many tips tips() serves from memory (a message has at most 8 parents), and for how long after
// they were read: the database stays the truth, so a message another process wrote into the same
// file (a CLI) is offered as a tip within this time, and this node's own commits refresh it at
// once.
constexpr size_t kKeptTips = chrysalis::kMaxParents;
constexpr auto kKeptTipsFresh = std::chrono::milliseconds(100);
constexpr const char* kProbe =
    "INSERT OR REPLACE INTO counters (name, value) VALUES ('write probe', ?1)";

}  // namespace

struct MessageStore::Impl {
  std::string path;
  FileIdentity database;
  FileIdentity log;  // the -wal file, when it existed at open
  std::unique_ptr<Connection> writer;

  std::mutex queue_mutex;
  std::condition_variable queue_changed;
  std::deque<Pending> queue;
  bool stopping = false;
  CommitObserver observer;
  std::thread committer;

  std::vector<chrysalis::MessageId> named_parents;  // the committer's: parents named in the group

  std::mutex readers_mutex;
  std::vector<std::unique_ptr<Connection>> idle_readers;

  std::mutex health_mutex;
  std::optional<std::string> last_commit_error;

  // The newest tips (newest first, at most kKeptTips) as of `tips_read_at`, so that choosing
  // parents for a POST costs no database read. `tips_generation` counts the committer's refreshes:
  // a reader that read the table installs what it read only when no commit came in between.
  std::mutex tips_mutex;
  std::vector<chrysalis::MessageId> kept_tips;
  std::chrono::steady_clock::time_point tips_read_at{};
  bool tips_kept = false;
  uint64_t tips_generation = 0;

  ~Impl() {
    {
      std::lock_guard lock(queue_mutex);
      stopping = true;
    }
    queue_changed.notify_all();
    if (committer.joinable()) committer.join();
  }

  // Why the file this store opened is no longer the one at its path; nothing when it still is.
  std::optional<std::string> file_problem() const {
    const FileIdentity now = identity_of(path);
    if (!now.exists || now.device != database.device || now.inode != database.inode) {
      return "database file " + path + " was deleted or replaced while in use";
    }
    if (log.exists) {
      const FileIdentity log_now = identity_of(path + "-wal");
      if (!log_now.exists || log_now.device != log.device || log_now.inode != log.inode) {
        return "database log " + path + "-wal was deleted or replaced while in use";
      }
    }
    if (::access(path.c_str(), W_OK) != 0) return "database file " + path + " is not writable";
    return std::nullopt;
  }

  void run_committer() {
    std::vector<Pending> group;
    for (;;) {
      {
        std::unique_lock lock(queue_mutex);
        queue_changed.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, nothing left
        while (!queue.empty() && group.size() < kMaxGroup) {
          group.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      std::vector<bool> stored(group.size(), false);
      auto committed = commit(group, stored);
      {
        std::lock_guard lock(health_mutex);
        if (committed.ok()) {
          last_commit_error.reset();
        } else {
          last_commit_error = committed.error().message();
        }
      }
      if (committed.ok() && observer) observer(group.size());
      for (size_t i = 0; i < group.size(); ++i) {
        if (committed.ok()) {
          group[i].done(static_cast<bool>(stored[i]));
        } else {
          group[i].done(committed.error());
        }
      }
      group.clear();
    }
  }

  // One transaction and one sync for the whole group.
  Result<void> commit(const std::vector<Pending>& group, std::vector<bool>& stored) {
    if (auto problem = file_problem())
      return Error(Errc::kTransportFailure, "local store: " + *problem);
    sqlite3* db = writer->db();
    STREAMS_TRY(exec(db, "BEGIN IMMEDIATE", "cannot begin a write"));
    const int64_t now = now_unix_ms();
    int64_t added = 0;
    bool ok = true;
    named_parents.clear();
    for (size_t i = 0; ok && i < group.size(); ++i) {
      if (!group[i].message) {
        sqlite3_stmt* probe = writer->statement(kProbe);
        ok = probe && (sqlite3_bind_int64(probe, 1, now), sqlite3_step(probe) == SQLITE_DONE);
        continue;
      }
      auto inserted = insert(*group[i].message, now);
      ok = inserted.ok();
      if (ok && *inserted) {
        stored[i] = true;
        ++added;
      }
    }
    // The parents named in this group are tips no more: each once, however many messages of the
    // group name it (concurrent posts choose the same tips), after every insert of the group, so a
    // parent stored in the same group before its child leaves the tips too.
    std::sort(named_parents.begin(), named_parents.end());
    named_parents.erase(std::unique(named_parents.begin(), named_parents.end()),
                        named_parents.end());
    for (size_t i = 0; ok && i < named_parents.size(); ++i) {
      sqlite3_stmt* untip = writer->statement(kUntip);
      ok = untip && (bind_blob(untip, 1, named_parents[i]), sqlite3_step(untip) == SQLITE_DONE);
    }
    if (ok && added > 0) {
      sqlite3_stmt* add = writer->statement(kAddCount);
      ok = add && (sqlite3_bind_int64(add, 1, added), sqlite3_step(add) == SQLITE_DONE);
    }
    if (!ok) {
      Error error =
          sqlite_error(db, "cannot store " + std::to_string(group.size()) + " message(s)");
      (void)exec(db, "ROLLBACK", "rollback");
      return error;
    }
    auto committed = exec(db, "COMMIT", "cannot commit");
    if (!committed.ok()) {
      (void)exec(db, "ROLLBACK", "rollback");
      forget_tips();
      return committed;
    }
    keep_newest_tips();
    return committed;
  }

  // After a commit, before its messages are answered: the newest tips, from the writer's connection
  // (its pages are in its cache), so that every POST answered so far is seen by the next tips().
  void keep_newest_tips() {
    sqlite3_stmt* select = writer->statement(kNewestTips);
    std::vector<chrysalis::MessageId> newest;
    int step = SQLITE_ERROR;
    if (select) {
      sqlite3_bind_int64(select, 1, static_cast<int64_t>(kKeptTips));
      while ((step = sqlite3_step(select)) == SQLITE_ROW)
        newest.push_back(id_from_column(select, 0));
      sqlite3_reset(select);
    }
    std::lock_guard lock(tips_mutex);
    ++tips_generation;
    if (step == SQLITE_DONE) {
      keep_tips_locked(std::move(newest));
    } else {
      tips_kept = false;  // the next tips() reads the table
    }
  }

  // Under tips_mutex: `newest` are the newest tips as of now.
  void keep_tips_locked(std::vector<chrysalis::MessageId> newest) {
    kept_tips = std::move(newest);
    tips_read_at = std::chrono::steady_clock::now();
    tips_kept = true;
  }

  void forget_tips() {
    std::lock_guard lock(tips_mutex);
    ++tips_generation;
    tips_kept = false;
  }

  // Inside commit's transaction: the message, its parent links, the tips. False when already
  // stored.
  Result<bool> insert(const StoredMessage& message, int64_t now) {
    sqlite3_stmt* insert = writer->statement(kInsert);
    if (!insert) return sqlite_error(writer->db(), "cannot prepare");
    bind_blob(insert, 1, message.id);
    if (message.index) bind_blob(insert, 2, *message.index);
    bind_blob(insert, 3, message.raw);
    sqlite3_bind_int64(insert, 4, now);
    if (sqlite3_step(insert) != SQLITE_DONE) return sqlite_error(writer->db(), "cannot store");
    if (sqlite3_changes(writer->db()) != 1) return false;
    const int64_t seq = sqlite3_last_insert_rowid(writer->db());
    // Its links, in one statement (a parsed message has at most 8 parents). Its parents are tips no
    // more (commit takes them out of the tips once per group); it is a tip unless something already
    // names it (a child may arrive before its parent).
    if (!message.parents.empty()) {
      const char* sql = link_statement(message.parents.size());
      if (!sql)
        return Error(Errc::kTransportFailure, "local store: more than 8 parents in a message");
      sqlite3_stmt* link = writer->statement(sql);
      if (!link) return sqlite_error(writer->db(), "cannot prepare");
      bind_blob(link, 1, message.id);
      for (size_t i = 0; i < message.parents.size(); ++i) {
        bind_blob(link, static_cast<int>(i) + 2, message.parents[i]);
        named_parents.push_back(message.parents[i]);
      }
      if (sqlite3_step(link) != SQLITE_DONE) return sqlite_error(writer->db(), "cannot link");
    }
    sqlite3_stmt* tip = writer->statement(kTip);
    if (!tip) return sqlite_error(writer->db(), "cannot prepare");
    sqlite3_bind_int64(tip, 1, seq);
    bind_blob(tip, 2, message.id);
    if (sqlite3_step(tip) != SQLITE_DONE) return sqlite_error(writer->db(), "cannot keep tips");
    return true;
  }

  void enqueue(Pending pending) {
    {
      std::lock_guard lock(queue_mutex);
      queue.push_back(std::move(pending));
    }
    queue_changed.notify_one();
  }

  // A reader connection for the time of one call, back to the pool after it.
  class Reader {
   public:
    explicit Reader(Impl& impl) : impl_(impl) {
      {
        std::lock_guard lock(impl.readers_mutex);
        if (!impl.idle_readers.empty()) {
          connection_ = std::move(impl.idle_readers.back());
          impl.idle_readers.pop_back();
          return;
        }
      }
      auto opened = connect(impl.path, false);
      if (opened.ok()) {
        connection_ = std::move(*opened);
      } else {
        error_ = opened.error();
      }
    }
    ~Reader() {
      if (!connection_) return;
      std::lock_guard lock(impl_.readers_mutex);
      impl_.idle_readers.push_back(std::move(connection_));
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    // The statement, or the error why there is none.
    Result<sqlite3_stmt*> statement(const char* sql) {
      if (!connection_) return *error_;
      sqlite3_stmt* statement = connection_->statement(sql);
      if (!statement) return sqlite_error(connection_->db(), "cannot prepare a query");
      return statement;
    }
    Error error(const std::string& what) {
      return sqlite_error(connection_ ? connection_->db() : nullptr, what);
    }

   private:
    Impl& impl_;
    std::unique_ptr<Connection> connection_;
    std::optional<Error> error_;
  };

  Result<std::vector<chrysalis::MessageId>> query_ids(const char* sql, ByteSpan key, size_t limit) {
    Reader reader(*this);
    STREAMS_ASSIGN_OR_RETURN(sqlite3_stmt * select, reader.statement(sql));
    if (!key.empty()) bind_blob(select, 1, key);
    sqlite3_bind_int64(select, 2, static_cast<int64_t>(limit));
    std::vector<chrysalis::MessageId> ids;
    int step;
    while ((step = sqlite3_step(select)) == SQLITE_ROW) ids.push_back(id_from_column(select, 0));
    sqlite3_reset(select);
    if (step != SQLITE_DONE) return reader.error("cannot query");
    return ids;
  }
};

Result<std::unique_ptr<MessageStore>> MessageStore::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  STREAMS_ASSIGN_OR_RETURN(impl->writer, connect(path, true));
  const std::string what = "cannot prepare " + path;
  STREAMS_TRY(exec(impl->writer->db(), kSchema, what));
  STREAMS_TRY(migrate(impl->writer->db(), what));
  impl->database = identity_of(path);
  impl->log = identity_of(path + "-wal");
  if (!impl->database.exists)
    return Error(Errc::kTransportFailure, "local store: " + path + " is not a file");
  Impl* raw = impl.get();
  impl->committer = std::thread([raw] { raw->run_committer(); });
  return std::unique_ptr<MessageStore>(new MessageStore(std::move(impl)));
}

MessageStore::MessageStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MessageStore::~MessageStore() = default;

void MessageStore::set_commit_observer(CommitObserver observer) {
  std::lock_guard lock(impl_->queue_mutex);
  impl_->observer = std::move(observer);
}

void MessageStore::put_async(StoredMessage message, PutDone done) {
  impl_->enqueue(Pending{std::move(message), std::move(done)});
}

Result<bool> MessageStore::put(const chrysalis::MessageId& id, const chrysalis::MessageView& view,
                               ByteSpan raw) {
  StoredMessage message;
  message.id = id;
  message.raw.assign(raw.begin(), raw.end());
  if (view.has_payload && view.payload_type == chrysalis::kIndexationPayloadType) {
    message.index.emplace(view.index.begin(), view.index.end());
  }
  message.parents.assign(view.parents, view.parents + view.parent_count);
  return put(std::move(message));
}

Result<std::optional<std::vector<uint8_t>>> MessageStore::get(const chrysalis::MessageId& id) {
  Impl::Reader reader(*impl_);
  STREAMS_ASSIGN_OR_RETURN(sqlite3_stmt * select,
                           reader.statement("SELECT raw FROM messages WHERE id = ?1"));
  bind_blob(select, 1, id);
  const int step = sqlite3_step(select);
  std::optional<std::vector<uint8_t>> found;
  if (step == SQLITE_ROW) {
    const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(select, 0));
    found.emplace(blob, blob + sqlite3_column_bytes(select, 0));
  }
  sqlite3_reset(select);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return reader.error("cannot read message " + to_hex(id));
  return found;
}

Result<std::vector<chrysalis::MessageId>> MessageStore::ids_by_index(ByteSpan index, size_t limit) {
  return impl_->query_ids("SELECT id FROM messages WHERE idx = ?1 ORDER BY seq LIMIT ?2", index,
                          limit);
}

Result<std::vector<chrysalis::MessageId>> MessageStore::children(const chrysalis::MessageId& id,
                                                                 size_t limit) {
  return impl_->query_ids("SELECT child FROM parents WHERE parent = ?1 LIMIT ?2", id, limit);
}

Result<std::vector<chrysalis::MessageId>> MessageStore::tips(size_t limit) {
  constexpr const char* kSelect = "SELECT id FROM tips WHERE ?1 IS NULL ORDER BY seq DESC LIMIT ?2";
  if (limit > kKeptTips) return impl_->query_ids(kSelect, {}, limit);
  uint64_t generation;
  {
    std::lock_guard lock(impl_->tips_mutex);
    if (impl_->tips_kept &&
        std::chrono::steady_clock::now() - impl_->tips_read_at < kKeptTipsFresh) {
      const auto& kept = impl_->kept_tips;
      return std::vector<chrysalis::MessageId>(
          kept.begin(), kept.begin() + static_cast<ptrdiff_t>(std::min(limit, kept.size())));
    }
    generation = impl_->tips_generation;
  }
  // Not read for a while (no commit of ours since): from the table, kept for the next calls unless
  // a commit refreshed them meanwhile.
  auto newest = impl_->query_ids(kSelect, {}, kKeptTips);
  if (!newest.ok()) return newest;
  {
    std::lock_guard lock(impl_->tips_mutex);
    if (impl_->tips_generation == generation) impl_->keep_tips_locked(*newest);
  }
  if (newest->size() > limit) newest->resize(limit);
  return newest;
}

Result<std::vector<ArrivedMessage>> MessageStore::recent(size_t limit,
                                                         std::optional<uint64_t> before_seq) {
  Impl::Reader reader(*impl_);
  STREAMS_ASSIGN_OR_RETURN(
      sqlite3_stmt * select,
      reader.statement(
          "SELECT seq, id, arrived_ms FROM messages WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2"));
  const uint64_t before = before_seq.value_or(static_cast<uint64_t>(INT64_MAX));
  sqlite3_bind_int64(
      select, 1,
      static_cast<int64_t>(before > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : before));
  sqlite3_bind_int64(select, 2, static_cast<int64_t>(limit));
  std::vector<ArrivedMessage> arrived;
  int step;
  while ((step = sqlite3_step(select)) == SQLITE_ROW) {
    arrived.push_back({static_cast<uint64_t>(sqlite3_column_int64(select, 0)),
                       id_from_column(select, 1), sqlite3_column_int64(select, 2)});
  }
  sqlite3_reset(select);
  if (step != SQLITE_DONE) return reader.error("cannot read the arrival log");
  return arrived;
}

Result<uint64_t> MessageStore::count() {
  Impl::Reader reader(*impl_);
  STREAMS_ASSIGN_OR_RETURN(sqlite3_stmt * select,
                           reader.statement("SELECT value FROM counters WHERE name = 'messages'"));
  const int step = sqlite3_step(select);
  const uint64_t value =
      step == SQLITE_ROW ? static_cast<uint64_t>(sqlite3_column_int64(select, 0)) : 0;
  sqlite3_reset(select);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return reader.error("cannot read the message count");
  return value;
}

Result<void> MessageStore::check_health() {
  if (auto problem = impl_->file_problem())
    return Error(Errc::kTransportFailure, "local store: " + *problem);
  {
    std::lock_guard lock(impl_->health_mutex);
    if (!impl_->last_commit_error) return ok_result();
  }
  // The last commit failed (a full disk, an I/O error): healthy again once a write goes through.
  std::promise<Result<bool>> probed;
  auto result = probed.get_future();
  impl_->enqueue(
      Pending{std::nullopt, [&probed](Result<bool> r) { probed.set_value(std::move(r)); }});
  auto probe = result.get();
  if (!probe.ok()) return std::move(probe).error();
  return ok_result();
}

// ---- StoreTransport ----

Result<std::unique_ptr<StoreTransport>> StoreTransport::open(const std::string& path,
                                                             std::string_view network_name) {
  STREAMS_ASSIGN_OR_RETURN(auto store, MessageStore::open(path));
  return std::unique_ptr<StoreTransport>(
      new StoreTransport(std::move(store), chrysalis::network_id(network_name)));
}

Result<void> StoreTransport::send_message(const message::Address& link, ByteSpan message) {
  STREAMS_ASSIGN_OR_RETURN(auto parents, store_->tips(chrysalis::kMaxParents));
  if (parents.empty()) parents.push_back(chrysalis::MessageId{});  // the genesis of an empty store
  const auto index = link.index();
  std::vector<uint8_t> bytes(chrysalis::message_size(parents.size(), index.size(), message.size()));
  STREAMS_ASSIGN_OR_RETURN(
      const size_t size, chrysalis::write_message(network_id_, parents, index, message, 0, bytes));
  bytes.resize(size);
  STREAMS_ASSIGN_OR_RETURN(const auto view, chrysalis::parse_message(bytes));
  STREAMS_TRY(store_->put(chrysalis::message_id(bytes), view, bytes));
  return ok_result();
}

Result<std::vector<channels::MessageBytes>> StoreTransport::recv_messages(
    const message::Address& link) {
  const auto index = link.index();
  STREAMS_ASSIGN_OR_RETURN(const auto ids, store_->ids_by_index(index, kMaxMessagesPerIndex));
  std::vector<channels::MessageBytes> found;
  for (const auto& id : ids) {
    STREAMS_ASSIGN_OR_RETURN(const auto raw, store_->get(id));
    if (!raw) continue;
    const auto view = chrysalis::parse_message(*raw);
    if (!view.ok() || view->payload_type != chrysalis::kIndexationPayloadType) continue;
    found.emplace_back(view->data.begin(), view->data.end());
  }
  return found;
}

}  // namespace iota_streams::transports
