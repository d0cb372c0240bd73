// The local store's tips: kept as messages arrive (no scan on a request), right when a child arrives
// before its parent, filled once for a store written before the tips table existed.
#include "iota_streams/transports/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace iota_streams::transports {
namespace {

using chrysalis::MessageId;

class StoreFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("store_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db")).string();
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
    const auto size = chrysalis::write_message(chrysalis::network_id("streams-local"), parents, index, data, 0, bytes);
    EXPECT_TRUE(size.ok()) << size.error().message();
    bytes.resize(*size);
    const auto view = chrysalis::parse_message(bytes);
    EXPECT_TRUE(view.ok());
    const auto id = chrysalis::message_id(bytes);
    const auto stored = store.put(id, *view, bytes);
    EXPECT_TRUE(stored.ok() && *stored);
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
  // A message whose id is already someone's parent cannot be a tip; the test makes such a message by
  // naming the id of a message before storing it.
  const std::vector<uint8_t> index(8, 'i');
  const std::vector<uint8_t> data(4, 9);
  std::vector<uint8_t> bytes(chrysalis::message_size(1, index.size(), data.size()));
  const std::vector<MessageId> parents{MessageId{}};
  bytes.resize(*chrysalis::write_message(chrysalis::network_id("streams-local"), parents, index, data, 0, bytes));
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
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE tips; PRAGMA user_version = 0;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = MessageStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_EQ(tips(**store), (std::vector<MessageId>{c, b}));
}

}  // namespace
}  // namespace iota_streams::transports
