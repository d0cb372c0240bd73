#include "iota_streams/transports/store.h"

#include <sqlite3.h>

namespace iota_streams::transports {
namespace {

constexpr size_t kMaxMessagesPerIndex = 1000;  // as a Chrysalis node caps maxResults

Error sqlite_error(sqlite3* db, const std::string& what) {
  return Error(Errc::kTransportFailure, "local store: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) == SQLITE_OK; }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return statement_; }
  void bind(int at, ByteSpan bytes) { sqlite3_bind_blob(statement_, at, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT); }
  void bind(int at, int64_t value) { sqlite3_bind_int64(statement_, at, value); }

 private:
  sqlite3_stmt* statement_ = nullptr;
  bool ok_ = false;
};

constexpr const char* kSchema = R"sql(
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = FULL;
  CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order
    id BLOB NOT NULL UNIQUE,                -- BLAKE2b-256 of raw
    idx BLOB,                               -- indexation index (NULL for other payloads)
    raw BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS messages_by_index ON messages (idx, seq);
  CREATE TABLE IF NOT EXISTS parents (parent BLOB NOT NULL, child BLOB NOT NULL, PRIMARY KEY (parent, child));
)sql";

// The tips (messages nothing refers to yet), kept as messages arrive so that choosing parents reads a
// handful of rows however large the store is. A store written before this table existed gets it filled
// once, by one scan when it is opened (schema version 1 -> 2), never on a request.
constexpr const char* kTipsSchema = R"sql(
  CREATE TABLE IF NOT EXISTS tips (seq INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE);
)sql";
constexpr const char* kTipsBackfill = R"sql(
  BEGIN IMMEDIATE;
  INSERT OR IGNORE INTO tips (seq, id) SELECT seq, id FROM messages m
    WHERE NOT EXISTS (SELECT 1 FROM parents p WHERE p.parent = m.id);
  PRAGMA user_version = 2;
  COMMIT;
)sql";
constexpr int kSchemaVersion = 2;

Result<void> exec(sqlite3* db, const char* sql, const char* what) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return ok_result();
  std::string text = message ? message : "unknown error";
  sqlite3_free(message);
  return Error(Errc::kTransportFailure, std::string("local store: ") + what + ": " + text);
}

chrysalis::MessageId id_from_column(sqlite3_stmt* statement, int column) {
  chrysalis::MessageId id{};
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(statement, column));
  if (blob && sqlite3_column_bytes(statement, column) == static_cast<int>(id.size())) std::copy(blob, blob + id.size(), id.begin());
  return id;
}

Result<int> schema_version(sqlite3* db) {
  Statement select(db, "PRAGMA user_version");
  if (!select.ok() || sqlite3_step(select.get()) != SQLITE_ROW) return sqlite_error(db, "cannot read the schema version");
  return sqlite3_column_int(select.get(), 0);
}

Result<void> prepare_schema(sqlite3* db, const std::string& path) {
  const std::string what = "cannot prepare " + path;
  STREAMS_TRY(exec(db, kSchema, what.c_str()));
  STREAMS_TRY(exec(db, kTipsSchema, what.c_str()));
  STREAMS_ASSIGN_OR_RETURN(const int version, schema_version(db));
  if (version >= kSchemaVersion) return ok_result();
  auto backfill = exec(db, kTipsBackfill, what.c_str());
  if (!backfill.ok()) (void)exec(db, "ROLLBACK", "rollback");
  return backfill;
}

}  // namespace

Result<std::unique_ptr<MessageStore>> MessageStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    Error error = sqlite_error(db, "cannot open " + path);
    sqlite3_close(db);
    return error;
  }
  sqlite3_busy_timeout(db, 10000);  // other processes (a CLI, a node) may hold the write lock briefly
  auto schema = prepare_schema(db, path);
  if (!schema.ok()) {
    sqlite3_close(db);
    return std::move(schema).error();
  }
  return std::unique_ptr<MessageStore>(new MessageStore(db));
}

MessageStore::~MessageStore() { sqlite3_close(db_); }

Result<bool> MessageStore::put(const chrysalis::MessageId& id, const chrysalis::MessageView& view, ByteSpan raw) {
  std::lock_guard lock(mutex_);
  STREAMS_TRY(exec(db_, "BEGIN IMMEDIATE", "begin"));
  Statement insert(db_, "INSERT OR IGNORE INTO messages (id, idx, raw) VALUES (?1, ?2, ?3)");
  Statement link(db_, "INSERT OR IGNORE INTO parents (parent, child) VALUES (?1, ?2)");
  bool inserted = false;
  bool ok = insert.ok() && link.ok();
  if (ok) {
    insert.bind(1, id);
    if (view.payload_type == chrysalis::kIndexationPayloadType) insert.bind(2, view.index);
    insert.bind(3, raw);
    ok = sqlite3_step(insert.get()) == SQLITE_DONE;
    inserted = ok && sqlite3_changes(db_) == 1;
  }
  for (size_t i = 0; ok && inserted && i < view.parent_count; ++i) {
    sqlite3_reset(link.get());
    link.bind(1, view.parents[i]);
    link.bind(2, id);
    ok = sqlite3_step(link.get()) == SQLITE_DONE;
  }
  if (ok && inserted) ok = update_tips(id, view);
  if (!ok) {
    Error error = sqlite_error(db_, "cannot store message " + to_hex(id));
    (void)exec(db_, "ROLLBACK", "rollback");
    return error;
  }
  STREAMS_TRY(exec(db_, "COMMIT", "commit"));
  return inserted;
}

// A new message is a tip unless something already names it (a child may arrive before its parent);
// its parents are tips no more. Called inside put's transaction.
bool MessageStore::update_tips(const chrysalis::MessageId& id, const chrysalis::MessageView& view) {
  Statement untip(db_, "DELETE FROM tips WHERE id = ?1");
  Statement tip(db_, "INSERT OR IGNORE INTO tips (seq, id) SELECT seq, id FROM messages WHERE id = ?1 "
                     "AND NOT EXISTS (SELECT 1 FROM parents WHERE parent = ?1)");
  if (!untip.ok() || !tip.ok()) return false;
  for (size_t i = 0; i < view.parent_count; ++i) {
    sqlite3_reset(untip.get());
    untip.bind(1, view.parents[i]);
    if (sqlite3_step(untip.get()) != SQLITE_DONE) return false;
  }
  tip.bind(1, id);
  return sqlite3_step(tip.get()) == SQLITE_DONE;
}

Result<std::optional<std::vector<uint8_t>>> MessageStore::get(const chrysalis::MessageId& id) {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT raw FROM messages WHERE id = ?1");
  if (!select.ok()) return sqlite_error(db_, "cannot read");
  select.bind(1, id);
  const int step = sqlite3_step(select.get());
  if (step == SQLITE_DONE) return std::optional<std::vector<uint8_t>>();
  if (step != SQLITE_ROW) return sqlite_error(db_, "cannot read message " + to_hex(id));
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(select.get(), 0));
  const int size = sqlite3_column_bytes(select.get(), 0);
  return std::optional<std::vector<uint8_t>>(std::vector<uint8_t>(blob, blob + size));
}

Result<std::vector<chrysalis::MessageId>> MessageStore::query_ids(const char* sql, ByteSpan key, size_t limit) {
  std::lock_guard lock(mutex_);
  Statement select(db_, sql);
  if (!select.ok()) return sqlite_error(db_, "cannot query");
  if (!key.empty()) select.bind(1, key);
  select.bind(2, static_cast<int64_t>(limit));
  std::vector<chrysalis::MessageId> ids;
  int step;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) ids.push_back(id_from_column(select.get(), 0));
  if (step != SQLITE_DONE) return sqlite_error(db_, "cannot query");
  return ids;
}

Result<std::vector<chrysalis::MessageId>> MessageStore::ids_by_index(ByteSpan index, size_t limit) {
  return query_ids("SELECT id FROM messages WHERE idx = ?1 ORDER BY seq LIMIT ?2", index, limit);
}

Result<std::vector<chrysalis::MessageId>> MessageStore::children(const chrysalis::MessageId& id, size_t limit) {
  return query_ids("SELECT child FROM parents WHERE parent = ?1 LIMIT ?2", id, limit);
}

Result<std::vector<chrysalis::MessageId>> MessageStore::tips(size_t limit) {
  return query_ids("SELECT id FROM tips WHERE ?1 IS NULL ORDER BY seq DESC LIMIT ?2", {}, limit);
}

Result<uint64_t> MessageStore::count() {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT COUNT(*) FROM messages");
  if (!select.ok() || sqlite3_step(select.get()) != SQLITE_ROW) return sqlite_error(db_, "cannot count");
  return static_cast<uint64_t>(sqlite3_column_int64(select.get(), 0));
}

// ---- StoreTransport ----

Result<std::unique_ptr<StoreTransport>> StoreTransport::open(const std::string& path, std::string_view network_name) {
  STREAMS_ASSIGN_OR_RETURN(auto store, MessageStore::open(path));
  return std::unique_ptr<StoreTransport>(new StoreTransport(std::move(store), chrysalis::network_id(network_name)));
}

Result<void> StoreTransport::send_message(const message::Address& link, ByteSpan message) {
  STREAMS_ASSIGN_OR_RETURN(auto parents, store_->tips(chrysalis::kMaxParents));
  if (parents.empty()) parents.push_back(chrysalis::MessageId{});  // the genesis of an empty store
  const auto index = link.index();
  std::vector<uint8_t> bytes(chrysalis::message_size(parents.size(), index.size(), message.size()));
  STREAMS_ASSIGN_OR_RETURN(const size_t size, chrysalis::write_message(network_id_, parents, index, message, 0, bytes));
  bytes.resize(size);
  STREAMS_ASSIGN_OR_RETURN(const auto view, chrysalis::parse_message(bytes));
  STREAMS_TRY(store_->put(chrysalis::message_id(bytes), view, bytes));
  return ok_result();
}

Result<std::vector<channels::MessageBytes>> StoreTransport::recv_messages(const message::Address& link) {
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
