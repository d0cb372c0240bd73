// PostgresStorage against a real PostgreSQL server (tests/support/pg.sh starts it; CTest passes its
// connection string in STREAMS_PG_CONNINFO_FILE). Each test works in a schema of its own.
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "iota_streams/base/text.h"
#include "iota_streams/transports/postgres.h"
#include "pg_connection.h"
#include "postgres_sql.h"

namespace iota_streams::transports {
namespace {

using chrysalis::MessageId;

std::string base_conninfo() {
  const char* file = std::getenv("STREAMS_PG_CONNINFO_FILE");
  if (!file) return "";
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

StoredMessage make_message(std::vector<MessageId> parents, uint32_t tag,
                           std::optional<std::string> index = "idx") {
  if (parents.empty()) parents.push_back(MessageId{});
  std::sort(parents.begin(), parents.end());
  const std::string data = "data " + std::to_string(tag);
  const std::string index_text = index.value_or("");
  std::vector<uint8_t> bytes(
      chrysalis::message_size(parents.size(), std::max<size_t>(index_text.size(), 1), data.size()));
  const auto size = chrysalis::write_message(chrysalis::network_id("streams-local"), parents,
                                             as_bytes(index ? index_text : std::string("-")),
                                             as_bytes(data), 0, bytes);
  EXPECT_TRUE(size.ok()) << size.error().message();
  bytes.resize(*size);
  StoredMessage message;
  message.id = chrysalis::message_id(bytes);
  message.raw = bytes;
  if (index) message.index = std::vector<uint8_t>(index_text.begin(), index_text.end());
  message.parents = parents;
  return message;
}

// put_async, waited for.
Result<bool> put(MessageStorage& storage, StoredMessage message) {
  std::promise<Result<bool>> answer;
  auto future = answer.get_future();
  storage.put_async(std::move(message),
                    [&answer](Result<bool> result) { answer.set_value(std::move(result)); });
  return future.get();
}

class Postgres : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string base = base_conninfo();
    ASSERT_FALSE(base.empty())
        << "STREAMS_PG_CONNINFO_FILE names no connection string (run under CTest)";
    schema_ = "t_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::transform(schema_.begin(), schema_.end(), schema_.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto admin = PgConnection::connect(base);
    ASSERT_TRUE(admin.ok()) << admin.error().message();
    admin_ = std::move(*admin);
    const std::string sql =
        "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_;
    ASSERT_TRUE(admin_->exec_script(sql.c_str(), "create the test schema").ok());
    conninfo_ = base + "?application_name=" + schema_ + "&options=-csearch_path%3D" + schema_;
  }
  void TearDown() override {
    if (!admin_) return;
    const std::string sql = "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE";
    (void)admin_->exec_script(sql.c_str(), "drop the test schema");
  }

  std::unique_ptr<PostgresStorage> open(PostgresOptions options = {}) {
    auto storage = PostgresStorage::open(conninfo_, options);
    EXPECT_TRUE(storage.ok()) << storage.error().message();
    return storage.ok() ? std::move(*storage) : nullptr;
  }

  // Ends every server connection of this test's storages (as a restart or a network cut would).
  void cut_connections() {
    const std::string sql =
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
        schema_ + "'";
    ASSERT_TRUE(admin_->exec_script(sql.c_str(), "end connections").ok());
  }

  static std::vector<MessageId> ids(Result<std::vector<MessageId>> result) {
    EXPECT_TRUE(result.ok()) << result.error().message();
    return result.ok() ? *result : std::vector<MessageId>{};
  }
  static uint64_t count(MessageStorage& storage) {
    auto n = storage.count();
    EXPECT_TRUE(n.ok()) << n.error().message();
    return n.ok() ? *n : 0;
  }

  std::string schema_;
  std::string conninfo_;
  std::unique_ptr<PgConnection> admin_;
};

TEST_F(Postgres, StoresAndServesEveryLookup) {
  auto storage = open();
  ASSERT_TRUE(storage);
  EXPECT_EQ(count(*storage), 0u);
  EXPECT_TRUE(ids(storage->tips(8)).empty());

  const auto a = make_message({}, 1);
  const auto b = make_message({a.id}, 2);
  const auto c =
      make_message({a.id}, 3, std::nullopt);  // stored without an index, as other payloads are
  for (const auto* m : {&a, &b, &c}) {
    auto stored = put(*storage, *m);
    ASSERT_TRUE(stored.ok()) << stored.error().message();
    EXPECT_TRUE(*stored);
  }
  auto raw = storage->get(b.id);
  ASSERT_TRUE(raw.ok() && raw->has_value());
  EXPECT_EQ(**raw, b.raw);
  auto missing = storage->get(MessageId{9});
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  EXPECT_EQ(ids(storage->ids_by_index(as_bytes("idx"), 10)), (std::vector<MessageId>{a.id, b.id}));
  EXPECT_EQ(ids(storage->ids_by_index(as_bytes("idx"), 1)), (std::vector<MessageId>{a.id}));
  EXPECT_TRUE(ids(storage->ids_by_index(as_bytes("other"), 10)).empty());
  auto children = ids(storage->children(a.id, 10));
  std::sort(children.begin(), children.end());
  auto expected = std::vector<MessageId>{b.id, c.id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(children, expected);
  EXPECT_EQ(ids(storage->children(MessageId{}, 10)), (std::vector<MessageId>{a.id}));
  EXPECT_EQ(ids(storage->tips(8)), (std::vector<MessageId>{c.id, b.id}));  // newest first
  EXPECT_EQ(ids(storage->tips(1)), (std::vector<MessageId>{c.id}));
  EXPECT_EQ(count(*storage), 3u);

  auto recent = storage->recent(10, std::nullopt);
  ASSERT_TRUE(recent.ok()) << recent.error().message();
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0].id, c.id);
  EXPECT_EQ((*recent)[2].id, a.id);
  EXPECT_GT((*recent)[0].seq, (*recent)[1].seq);
  EXPECT_GT((*recent)[1].seq, (*recent)[2].seq);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_LE((*recent)[0].arrived_unix_ms, now_ms + 60'000);  // a clock sanity check, not a timing
  EXPECT_GE((*recent)[0].arrived_unix_ms, now_ms - 600'000);
  auto older = storage->recent(10, (*recent)[1].seq);
  ASSERT_TRUE(older.ok());
  ASSERT_EQ(older->size(), 1u);
  EXPECT_EQ((*older)[0].id, a.id);
  EXPECT_TRUE(storage->check_health().ok());
}

TEST_F(Postgres, DuplicatesAreStoredOnce) {
  auto storage = open();
  ASSERT_TRUE(storage);
  const auto a = make_message({}, 1);
  auto first = put(*storage, a);
  auto again = put(*storage, a);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*again);

  // The same message many times in one group: one of them stores it.
  const auto b = make_message({a.id}, 2);
  std::atomic<int> stored_now{0}, answered{0}, failed{0};
  std::promise<void> all;
  constexpr int kCopies = 20;
  for (int i = 0; i < kCopies; ++i) {
    storage->put_async(b, [&](Result<bool> result) {
      if (!result.ok())
        ++failed;
      else if (*result)
        ++stored_now;
      if (++answered == kCopies) all.set_value();
    });
  }
  all.get_future().wait();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(stored_now.load(), 1);
  EXPECT_EQ(count(*storage), 2u);
  EXPECT_EQ(ids(storage->tips(8)), (std::vector<MessageId>{b.id}));
  EXPECT_EQ(ids(storage->children(a.id, 10)), (std::vector<MessageId>{b.id}));
}

TEST_F(Postgres, ChildBeforeParentLeavesNoStaleTip) {
  auto storage = open();
  ASSERT_TRUE(storage);
  const auto parent = make_message({}, 1);
  const auto child = make_message({parent.id}, 2);
  ASSERT_TRUE(put(*storage, child).ok());
  ASSERT_TRUE(put(*storage, parent).ok());
  EXPECT_EQ(ids(storage->tips(8)), (std::vector<MessageId>{child.id}));
}

TEST_F(Postgres, ConcurrentWritersShareTransactions) {
  auto storage = open();
  ASSERT_TRUE(storage);
  std::atomic<size_t> observed{0}, groups{0};
  storage->set_commit_observer([&](size_t messages) {
    observed += messages;
    ++groups;
  });
  constexpr int kThreads = 16;
  constexpr int kEach = 60;
  std::atomic<int> stored_now{0}, failed{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      MessageId previous{};
      for (int i = 0; i < kEach; ++i) {
        auto message = make_message({previous}, static_cast<uint32_t>(t * 1000 + i),
                                    "thread " + std::to_string(t));
        previous = message.id;
        auto result = put(*storage, std::move(message));
        if (!result.ok())
          ++failed;
        else if (*result)
          ++stored_now;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(stored_now.load(), kThreads * kEach);
  EXPECT_EQ(count(*storage), static_cast<uint64_t>(kThreads * kEach));
  EXPECT_EQ(ids(storage->ids_by_index(as_bytes("thread 3"), 1000)).size(),
            static_cast<size_t>(kEach));
  // Each thread's chain ends in one tip; nothing else is one.
  EXPECT_EQ(ids(storage->tips(100)).size(), static_cast<size_t>(kThreads));
  const auto stats = storage->commit_stats();
  EXPECT_EQ(stats.messages, static_cast<uint64_t>(kThreads * kEach));
  EXPECT_LT(stats.transactions, stats.messages) << "no two puts shared a transaction";
  EXPECT_GT(stats.largest, 1u);
  EXPECT_EQ(observed.load(), stats.messages) << "the commit observer saw every group";
  EXPECT_EQ(groups.load(), stats.transactions);
  std::printf("group commit: %llu messages in %llu transactions (largest %zu)\n",
              static_cast<unsigned long long>(stats.messages),
              static_cast<unsigned long long>(stats.transactions), stats.largest);
}

// Two storages on one database (two nodes): parents and children stored at the same time through
// different storages never leave a parent a tip, and each reads what the other stored.
TEST_F(Postgres, TwoStoragesShareTipsAndMessages) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first && second);
  constexpr int kRounds = 200;
  std::vector<StoredMessage> parents, children;
  for (int i = 0; i < kRounds; ++i) {
    parents.push_back(make_message({}, static_cast<uint32_t>(i)));
    children.push_back(make_message({parents.back().id}, static_cast<uint32_t>(100000 + i)));
  }
  std::atomic<int> failed{0};
  auto writer = [&](MessageStorage& storage, const std::vector<StoredMessage>& messages) {
    for (const auto& message : messages) {
      if (!put(storage, message).ok()) ++failed;
    }
  };
  std::thread a(writer, std::ref(*first), std::cref(parents));
  std::thread b(writer, std::ref(*second), std::cref(children));
  a.join();
  b.join();
  ASSERT_EQ(failed.load(), 0);
  EXPECT_EQ(count(*first), 2u * kRounds);
  EXPECT_EQ(count(*second), 2u * kRounds);
  auto tips = ids(first->tips(10 * kRounds));
  std::sort(tips.begin(), tips.end());
  size_t stale = 0, children_tips = 0;
  for (int i = 0; i < kRounds; ++i) {
    stale += std::binary_search(tips.begin(), tips.end(), parents[i].id) ? 1 : 0;
    children_tips += std::binary_search(tips.begin(), tips.end(), children[i].id) ? 1 : 0;
  }
  EXPECT_EQ(stale, 0u) << "parents left tips after their child was committed";
  EXPECT_EQ(children_tips, static_cast<size_t>(kRounds));
  EXPECT_EQ(tips.size(), static_cast<size_t>(kRounds));
  EXPECT_EQ(ids(second->tips(10 * kRounds)).size(), static_cast<size_t>(kRounds));
  auto raw = second->get(parents[kRounds / 2].id);
  ASSERT_TRUE(raw.ok() && raw->has_value());
  EXPECT_EQ(**raw, parents[kRounds / 2].raw);
  EXPECT_EQ(ids(first->children(parents[7].id, 10)), (std::vector<MessageId>{children[7].id}));
}

TEST_F(Postgres, LostConnectionFailsClearlyThenReconnects) {
  PostgresOptions options;
  options.read_connections = 1;
  auto storage = open(options);
  ASSERT_TRUE(storage);
  const auto a = make_message({}, 1);
  ASSERT_TRUE(put(*storage, a).ok());
  cut_connections();

  auto read = storage->get(a.id);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("PostgreSQL: connection lost"), std::string::npos)
      << read.error().message();
  auto written = put(*storage, make_message({a.id}, 2));
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message().find("PostgreSQL"), std::string::npos)
      << written.error().message();

  auto again = storage->get(a.id);
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_TRUE(again->has_value());
  auto rewritten = put(*storage, make_message({a.id}, 2));
  ASSERT_TRUE(rewritten.ok()) << rewritten.error().message();
  EXPECT_TRUE(*rewritten);
  EXPECT_EQ(count(*storage), 2u);
}

TEST_F(Postgres, UnreachableServerIsAClearError) {
  auto storage =
      PostgresStorage::open("postgresql://streams@127.0.0.1:1/streams?connect_timeout=5");
  ASSERT_FALSE(storage.ok());
  EXPECT_NE(storage.error().message().find("PostgreSQL: cannot connect"), std::string::npos)
      << storage.error().message();
}

TEST_F(Postgres, DroppedTablesMakeItUnhealthyAndWritesFail) {
  auto storage = open();
  ASSERT_TRUE(storage);
  ASSERT_TRUE(storage->check_health().ok());
  const std::string sql = "DROP TABLE " + schema_ + ".streams_messages";
  ASSERT_TRUE(admin_->exec_script(sql.c_str(), "drop").ok());
  auto health = storage->check_health();
  ASSERT_FALSE(health.ok());
  EXPECT_NE(health.error().message().find("streams_messages"), std::string::npos)
      << health.error().message();
  auto written = put(*storage, make_message({}, 1));
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message().find("streams_messages"), std::string::npos)
      << written.error().message();
}

// A role with only SELECT, INSERT, UPDATE, DELETE on tables an administrator created runs the
// storage.
TEST_F(Postgres, RunsWithDataPrivilegesOnly) {
  { ASSERT_TRUE(open()); }  // creates the tables as the owner
  const std::string role = schema_ + "_writer";
  const std::string sql = "DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN; " +
                          "GRANT USAGE ON SCHEMA " + schema_ + " TO " + role + "; " +
                          "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " +
                          schema_ + " TO " + role;
  ASSERT_TRUE(admin_->exec_script(sql.c_str(), "create a role").ok());
  std::string conninfo = conninfo_;
  conninfo.replace(conninfo.find("streams@"), 8, role + "@");
  {
    auto storage = PostgresStorage::open(conninfo);
    ASSERT_TRUE(storage.ok()) << storage.error().message();
    auto stored = put(**storage, make_message({}, 1));
    ASSERT_TRUE(stored.ok()) << stored.error().message();
    EXPECT_TRUE(*stored);
    EXPECT_EQ(count(**storage), 1u);
  }
  const std::string drop = "DROP OWNED BY " + role + "; DROP ROLE " + role;
  EXPECT_TRUE(admin_->exec_script(drop.c_str(), "drop the role").ok());
}

// Every statement the storage runs, planned by PostgreSQL on 100,000 messages (half of them tips):
// none reads a whole table (each is served by an index), so no request's cost grows with the
// database.
TEST_F(Postgres, EveryStatementIsServedByAnIndexAt100kMessages) {
  ASSERT_TRUE(open());  // the tables
  constexpr int kMessages = 100000;
  const std::string fill =
      "SET search_path TO " + schema_ +
      "; "
      "INSERT INTO streams_messages (id, idx, raw) SELECT sha256(int8send(g)), sha256(int8send(g % "
      "1000)), "
      "'\\x00'::bytea FROM generate_series(1, " +
      std::to_string(kMessages) +
      ") g; "
      "INSERT INTO streams_parents (parent, child) SELECT a.id, b.id FROM streams_messages a "
      "JOIN streams_messages b ON b.seq = a.seq + 1; "
      "INSERT INTO streams_tips (seq, id) SELECT seq, id FROM streams_messages WHERE seq % 2 = 0; "
      "UPDATE streams_counters SET value = " +
      std::to_string(kMessages) + "; ANALYZE";
  ASSERT_TRUE(admin_->exec_script(fill.c_str(), "fill").ok());

  const auto id = [](int n) {  // sha256(int8send(n)), as the fill computes ids
    uint8_t be[8];
    store_be(static_cast<uint64_t>(n), be);
    MessageId out{};
    crypto_hash_sha256(out.data(), be, sizeof be);
    return out;
  };
  const MessageId some = id(4242), index = id(42);
  std::vector<std::optional<ByteSpan>> batch;
  for (int i = 0; i < 100; ++i) batch.emplace_back(ByteSpan(some));
  struct Statement {
    const char* sql;
    PgParams params;
  };
  std::vector<Statement> statements;
  statements.push_back({pg_sql::kLockWriters, PgParams()});
  statements.push_back({pg_sql::kStoreMessages, PgParams()
                                                    .bytea_array(batch)
                                                    .bytea_array(batch)
                                                    .bytea_array(batch)
                                                    .bytea_array(batch)
                                                    .bytea_array(batch)});
  statements.push_back({pg_sql::kUpdateTips, PgParams().bytea_array(batch).bytea_array(batch)});
  statements.push_back({pg_sql::kGet, PgParams().bytes(some)});
  statements.push_back({pg_sql::kByIndex, PgParams().bytes(index).integer(1000)});
  statements.push_back({pg_sql::kChildren, PgParams().bytes(some).integer(1000)});
  statements.push_back({pg_sql::kTips, PgParams().integer(8)});
  statements.push_back({pg_sql::kRecent, PgParams().integer(100)});
  statements.push_back({pg_sql::kRecentBefore, PgParams().integer(100).integer(kMessages / 2)});
  statements.push_back({pg_sql::kCount, PgParams()});
  for (const auto& statement : statements) {
    const std::string explain = std::string("EXPLAIN ") + statement.sql;
    auto plan = admin_->exec(explain.c_str(), statement.params, "explain");
    ASSERT_TRUE(plan.ok()) << plan.error().message();
    std::string text;
    for (int row = 0; row < plan->rows(); ++row) {
      const ByteSpan line = plan->bytes(row, 0);
      text.append(line.begin(), line.end()).append("\n");
    }
    for (const char* table : {"streams_messages", "streams_parents", "streams_tips"}) {
      EXPECT_EQ(text.find(std::string("Seq Scan on ") + table), std::string::npos)
          << "plan of " << statement.sql << ":\n"
          << text;
    }
  }
}

// A database that turns read-only (a failover to a standby, default_transaction_read_only) is
// reported by the health check once the storage has reconnected, and writes fail with PostgreSQL's
// reason.
TEST_F(Postgres, ReadOnlyDatabaseIsUnhealthy) {
  const std::string role = schema_ + "_ro";
  const std::string setup = "DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN; " +
                            "GRANT ALL ON SCHEMA " + schema_ + " TO " + role;
  ASSERT_TRUE(admin_->exec_script(setup.c_str(), "create a role").ok());
  std::string conninfo = conninfo_;
  conninfo.replace(conninfo.find("streams@"), 8, role + "@");
  PostgresOptions options;
  options.read_connections = 1;
  {
    auto storage = PostgresStorage::open(conninfo, options);
    ASSERT_TRUE(storage.ok()) << storage.error().message();
    ASSERT_TRUE((*storage)->check_health().ok());
    const std::string read_only = "ALTER ROLE " + role + " SET default_transaction_read_only = on";
    ASSERT_TRUE(admin_->exec_script(read_only.c_str(), "make the role read-only").ok());
    cut_connections();
    (void)(*storage)->check_health();  // meets the cut connection
    auto health = (*storage)->check_health();
    ASSERT_FALSE(health.ok());
    EXPECT_NE(health.error().message().find("read-only"), std::string::npos)
        << health.error().message();
    (void)put(**storage, make_message({}, 1));  // meets the cut connection
    auto written = put(**storage, make_message({}, 1));
    ASSERT_FALSE(written.ok());
    EXPECT_NE(written.error().message().find("read-only transaction"), std::string::npos)
        << written.error().message();
  }
  const std::string drop = "DROP OWNED BY " + role + "; DROP ROLE " + role;
  EXPECT_TRUE(admin_->exec_script(drop.c_str(), "drop the role").ok());
}

}  // namespace
}  // namespace iota_streams::transports
