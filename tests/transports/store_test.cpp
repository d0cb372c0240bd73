// The local store: tips kept as messages arrive (no scan on a request), right when a child arrives
// before its parent, filled once for a store written before the tips table existed; the kept count
// and the arrival log; group commit; a deleted database refusing writes; the tips kept in memory;
// the VFS that gathers the WAL writes of a commit.
#include "iota_streams/transports/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "wal_vfs.h"

namespace iota_streams::transports {
namespace {

using chrysalis::MessageId;

class StoreFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("store_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    remove_files();
  }
  void TearDown() override { remove_files(); }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  // Stores an indexation message with the given parents and returns its id.
  MessageId put(MessageStore& store, std::vector<MessageId> parents, uint8_t tag) {
    const std::vector<uint8_t> index(8, 'i');
    const std::vector<uint8_t> data(4, tag);
    std::vector<uint8_t> bytes(chrysalis::message_size(parents.size(), index.size(), data.size()));
    const auto size = chrysalis::write_message(chrysalis::network_id("streams-local"), parents,
                                               index, data, 0, bytes);
    EXPECT_TRUE(size.ok()) << size.error().message();
    bytes.resize(*size);
    const auto view = chrysalis::parse_message(bytes);
    EXPECT_TRUE(view.ok());
    const auto id = chrysalis::message_id(bytes);
    const auto stored = store.put(id, *view, bytes);
    EXPECT_TRUE(stored.ok() && *stored) << (stored.ok() ? "" : stored.error().message());
    return id;
  }

  std::vector<MessageId> tips(MessageStore& store) {
    auto tips = store.tips(chrysalis::kMaxParents);
    EXPECT_TRUE(tips.ok()) << tips.error().message();
    return *tips;
  }

  std::string path_;
};

TEST_F(StoreFile, TipsAreTheMessagesNothingRefersTo) {
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_TRUE(tips(**store).empty());
  const MessageId genesis{};
  const auto a = put(**store, {genesis}, 1);
  EXPECT_EQ(tips(**store), std::vector<MessageId>{a});
  const auto b = put(**store, {a}, 2);
  const auto c = put(**store, {a}, 3);
  EXPECT_EQ(tips(**store), (std::vector<MessageId>{c, b}));  // newest first
  const auto d = put(**store, {b, c}, 4);
  EXPECT_EQ(tips(**store), std::vector<MessageId>{d});
}

TEST_F(StoreFile, AMessageAlreadyNamedAsAParentIsNoTip) {
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok());
  MessageId unknown{};
  unknown.fill(0x77);
  const auto child = put(**store, {unknown}, 1);
  EXPECT_EQ(tips(**store), std::vector<MessageId>{child});
  // A message whose id is already someone's parent cannot be a tip; the test makes such a message
  // by naming the id of a message before storing it.
  const std::vector<uint8_t> index(8, 'i');
  const std::vector<uint8_t> data(4, 9);
  std::vector<uint8_t> bytes(chrysalis::message_size(1, index.size(), data.size()));
  const std::vector<MessageId> parents{MessageId{}};
  bytes.resize(*chrysalis::write_message(chrysalis::network_id("streams-local"), parents, index,
                                         data, 0, bytes));
  const auto late_id = chrysalis::message_id(bytes);
  const auto late_child = put(**store, {late_id}, 2);
  ASSERT_TRUE((*store)->put(late_id, *chrysalis::parse_message(bytes), bytes).ok());
  EXPECT_EQ(tips(**store), (std::vector<MessageId>{late_child, child}));
}

TEST_F(StoreFile, AStoreWithoutTheTipsTableGetsItFilledOnOpen) {
  MessageId a, b, c;
  {
    auto store = MessageStore::open(path_);
    ASSERT_TRUE(store.ok());
    a = put(**store, {MessageId{}}, 1);
    b = put(**store, {a}, 2);
    c = put(**store, {a}, 3);
  }
  // Make it look like a store from before the tips table.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "DROP TABLE tips; PRAGMA user_version = 0;", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_EQ(tips(**store), (std::vector<MessageId>{c, b}));
}

// Messages handed over together share a transaction: a chain of them, each the child of the one
// before, committed in groups, leaves only the last one a tip (a parent stored in the same group as
// its child leaves the tips too), and every link is there.
TEST_F(StoreFile, AChainPostedAtOnceLeavesOneTip) {
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  std::atomic<int> failed{0}, done{0};
  std::vector<MessageId> chain;
  MessageId parent{};
  constexpr int kMessages = 300;
  for (int i = 0; i < kMessages; ++i) {
    const std::vector<uint8_t> index(8, 'c');
    const std::vector<uint8_t> data{static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8)};
    const std::vector<MessageId> parents{parent};
    StoredMessage message;
    message.raw.resize(chrysalis::message_size(1, index.size(), data.size()));
    message.raw.resize(*chrysalis::write_message(chrysalis::network_id("streams-local"), parents,
                                                 index, data, 0, message.raw));
    message.id = chrysalis::message_id(message.raw);
    message.index = index;
    message.parents = parents;
    parent = message.id;
    chain.push_back(message.id);
    (*store)->put_async(std::move(message), [&](Result<bool> stored) {
      if (!stored.ok() || !*stored) failed += 1;
      done += 1;
    });
  }
  while (done.load() < kMessages) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(tips(**store), std::vector<MessageId>{chain.back()});
  for (int i = 0; i + 1 < kMessages; i += 37) {
    const auto children = (*store)->children(chain[static_cast<size_t>(i)], 10);
    ASSERT_TRUE(children.ok()) << children.error().message();
    EXPECT_EQ(*children, std::vector<MessageId>{chain[static_cast<size_t>(i) + 1]}) << i;
  }
}

// A file made with the earlier layout (parents with a rowid, tips with a unique id) is used as it
// is: the same statements keep its tips and links.
TEST_F(StoreFile, AFileWithTheEarlierLayoutKeepsItsTips) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, R"sql(
      PRAGMA journal_mode = WAL;
      CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id BLOB NOT NULL UNIQUE,
        idx BLOB, raw BLOB NOT NULL, arrived_ms INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX messages_by_index ON messages (idx, seq);
      CREATE TABLE parents (parent BLOB NOT NULL, child BLOB NOT NULL, PRIMARY KEY (parent, child));
      CREATE TABLE tips (seq INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO counters (name, value) VALUES ('messages', 0);
      PRAGMA user_version = 3;)sql",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  const auto a = put(**store, {MessageId{}}, 1);
  const auto b = put(**store, {a}, 2);
  const auto c = put(**store, {a}, 3);
  EXPECT_EQ(tips(**store), (std::vector<MessageId>{c, b}));
  const auto d = put(**store, {b, c}, 4);
  EXPECT_EQ(tips(**store), std::vector<MessageId>{d});
  EXPECT_EQ(*(*store)->count(), 4u);
  const auto children = (*store)->children(a, 10);
  ASSERT_TRUE(children.ok());
  EXPECT_EQ(children->size(), 2u);
}

TEST_F(StoreFile, CountAndArrivalLogAreKept) {
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  const MessageId a = put(**store, {MessageId{}}, 1);
  const MessageId b = put(**store, {a}, 2);
  EXPECT_EQ(*(*store)->count(), 2u);
  const auto recent = (*store)->recent(10, std::nullopt);
  ASSERT_TRUE(recent.ok()) << recent.error().message();
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].id, b);
  EXPECT_EQ((*recent)[1].id, a);
  const auto raw = (*store)->get(b);
  ASSERT_TRUE(raw.ok() && *raw);
  EXPECT_EQ(*(*store)->put(b, *chrysalis::parse_message(**raw), **raw), false);  // already there
  EXPECT_EQ(*(*store)->count(), 2u);
  EXPECT_GT((*recent)[0].seq, (*recent)[1].seq);
  EXPECT_GT((*recent)[0].arrived_unix_ms, 1700000000000);
  const auto older = (*store)->recent(10, (*recent)[0].seq);
  ASSERT_TRUE(older.ok());
  ASSERT_EQ(older->size(), 1u);
  EXPECT_EQ((*older)[0].id, a);
}

TEST_F(StoreFile, AVersion2StoreGetsItsCountAndArrivalColumnOnOpen) {
  {
    auto store = MessageStore::open(path_);
    ASSERT_TRUE(store.ok());
    put(**store, {MessageId{}}, 1);
    put(**store, {MessageId{}}, 2);
  }
  // Make it look like a version 2 store: no arrival column, no kept count.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE counters; ALTER TABLE messages DROP COLUMN arrived_ms; PRAGMA "
                         "user_version = 2;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_EQ(*(*store)->count(), 2u);
  const auto recent = (*store)->recent(10, std::nullopt);
  ASSERT_TRUE(recent.ok()) << recent.error().message();
  EXPECT_EQ(recent->size(), 2u);
  put(**store, {MessageId{}}, 3);
  EXPECT_EQ(*(*store)->count(), 3u);
}

TEST_F(StoreFile, ConcurrentPutsShareCommitsAndAllAreStored) {
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok());
  std::atomic<size_t> groups{0}, committed{0};
  (*store)->set_commit_observer([&](size_t messages) {
    groups += 1;
    committed += messages;
  });
  constexpr int kMessages = 400;
  std::atomic<int> done{0}, stored{0};
  for (int i = 0; i < kMessages; ++i) {
    StoredMessage message;
    message.raw = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8)};
    message.id = chrysalis::message_id(message.raw);
    message.index = std::vector<uint8_t>{'g'};
    message.parents = {MessageId{}};
    (*store)->put_async(std::move(message), [&](Result<bool> result) {
      if (result.ok() && *result) stored += 1;
      done += 1;
    });
  }
  for (int wait = 0; done < kMessages && wait < 6000; ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(stored.load(), kMessages);
  EXPECT_EQ(committed.load(), static_cast<size_t>(kMessages));
  EXPECT_LT(groups.load(),
            static_cast<size_t>(kMessages));  // some commits carried several messages
  EXPECT_EQ(*(*store)->count(), static_cast<uint64_t>(kMessages));
  EXPECT_EQ((*store)->ids_by_index(std::vector<uint8_t>{'g'}, 1000)->size(),
            static_cast<size_t>(kMessages));
}

TEST_F(StoreFile, ADeletedDatabaseFailsWritesAndHealth) {
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok());
  put(**store, {MessageId{}}, 1);
  EXPECT_TRUE((*store)->check_health().ok());
  remove_files();
  const auto health = (*store)->check_health();
  ASSERT_FALSE(health.ok());
  EXPECT_NE(health.error().message().find("deleted"), std::string::npos)
      << health.error().message();
  StoredMessage message;
  message.raw = {1, 2, 3};
  message.id = chrysalis::message_id(message.raw);
  const auto stored = (*store)->put(std::move(message));
  ASSERT_FALSE(stored.ok());
  EXPECT_NE(stored.error().message().find("deleted"), std::string::npos)
      << stored.error().message();
}

// tips() answers from memory; each commit of this store refreshes it before the commit's messages
// are answered, and a message another process wrote into the file is offered once the kept tips are
// older than 0.1 s.
TEST_F(StoreFile, KeptTipsFollowOwnCommitsAndOtherWriters) {
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok());
  const MessageId a = put(**store, {MessageId{}}, 1);
  EXPECT_EQ(tips(**store), std::vector<MessageId>{a});
  const MessageId b = put(**store, {a}, 2);
  EXPECT_EQ(tips(**store), std::vector<MessageId>{b});  // at once, not after the 0.1 s
  auto other = MessageStore::open(path_);               // another writer of the same file
  ASSERT_TRUE(other.ok());
  const MessageId c = put(**other, {b}, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(tips(**store), std::vector<MessageId>{c});
  auto more = (*store)->tips(100);  // more than are kept: from the table
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(*more, std::vector<MessageId>{c});
}

// Write calls this process made so far (Linux's /proc/self/io).
uint64_t write_calls() {
  std::ifstream io("/proc/self/io");
  std::string key;
  uint64_t value = 0;
  while (io >> key >> value)
    if (key == "syscw:") return value;
  return 0;
}

Result<void> run(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return ok_result();
  std::string text = message ? message : "?";
  sqlite3_free(message);
  return Error(Errc::kTransportFailure, text);
}

// A commit of 200 pages reaches the WAL in a handful of writes (200 frames are 400 writes with the
// default VFS), and everything written through the VFS, across a restart of the log, reads back
// through the default VFS.
TEST_F(StoreFile, TheWalVfsGathersACommitsWrites) {
  const char* vfs = store_detail::coalescing_wal_vfs();
  ASSERT_NE(vfs, nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
            SQLITE_OK);
  ASSERT_TRUE(run(db,
                  "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                  "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
                  .ok());
  const uint64_t before = write_calls();
  ASSERT_TRUE(run(db,
                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
                  "INSERT INTO t SELECT i, randomblob(3000) FROM n")
                  .ok());
  const uint64_t calls = write_calls() - before;
  EXPECT_GE(calls, 2u);   // the frames went out
  EXPECT_LT(calls, 40u);  // ~200 frames of 4 KiB, at most 31 per write
  // The log restarts from its beginning after a full checkpoint; the next commits write there.
  ASSERT_TRUE(run(db, "PRAGMA wal_checkpoint(RESTART)").ok());
  ASSERT_TRUE(run(db,
                  "UPDATE t SET v = randomblob(10) WHERE k % 2 = 0; "
                  "INSERT INTO t VALUES (1000, x'0102')")
                  .ok());
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* select = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(reader,
                               "SELECT COUNT(*), SUM(length(v)), (SELECT hex(v) FROM t WHERE k = "
                               "1000) FROM t",
                               -1, &select, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(select), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(select, 0), 201);
  EXPECT_EQ(sqlite3_column_int(select, 1), 100 * 3000 + 100 * 10 + 2);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(select, 2)), "0102");
  sqlite3_finalize(select);
  sqlite3_close(reader);
  sqlite3_close(db);
}

}  // namespace
}  // namespace iota_streams::transports
