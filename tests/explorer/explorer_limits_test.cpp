// The explorer API's limits: a channel of 10,000 messages is walked page by page (each page within
// its caps, the pages together giving every message once), and a flood of 1,000 junk messages at
// one index yields bounded pages, marked candidates, and does not stop the walk. Costs are counted
// as storage calls per request (no timing).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "iota_streams/channels/author.h"
#include "memory_storage.h"

namespace iota_streams::node::explorer {
namespace {

using fixtures::call;
using fixtures::CountingStorage;
using fixtures::json;
using fixtures::StorageTransport;

constexpr size_t kChannelMessages = 10'000;
constexpr size_t kJunk = 1'000;

class ExplorerLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    storage_ = new CountingStorage();
    transport_ = new StorageTransport(*storage_);
    channels::Author author("explorer limits author", channels::ChannelType::kSingleBranch,
                            *transport_);
    auto announce = author.send_announce();
    ASSERT_TRUE(announce.ok());
    announce_ = new message::Address(*announce);
    addresses_ = new std::vector<message::Address>{*announce};
    message::Address previous = *announce;
    const uint8_t payload[] = {'r', 'e', 'a', 'd', 'i', 'n', 'g'};
    for (size_t i = 1; i < kChannelMessages; ++i) {
      auto links = author.send_tagged_packet(previous, payload, {});
      ASSERT_TRUE(links.ok()) << links.error().message();
      previous = links->msg_link;
      addresses_->push_back(previous);
      if (i == kChannelMessages / 2) flood((*addresses_)[i].index(), "after a real message");
    }
  }
  static void TearDownTestSuite() {
    delete transport_;
    delete storage_;
    delete announce_;
    delete addresses_;
  }

  // kJunk messages at one index, each unique, none a Streams message of that address.
  static void flood(ByteSpan index, const std::string& tag) {
    for (size_t i = 0; i < kJunk; ++i) {
      const std::string junk = "junk " + tag + " " + std::to_string(i);
      transport_->post(index, ByteSpan(reinterpret_cast<const uint8_t*>(junk.data()), junk.size()));
    }
  }

  static inline CountingStorage* storage_ = nullptr;
  static inline StorageTransport* transport_ = nullptr;
  static inline message::Address* announce_ = nullptr;
  static inline std::vector<message::Address>* addresses_ = nullptr;
};

TEST_F(ExplorerLimits, AChannelOfTenThousandMessagesIsWalkedInBoundedPages) {
  Explorer explorer(*storage_);
  const Limits limits;
  const std::string path = "/api/explorer/channel/" + announce_->channel.to_hex();
  std::set<std::string> seen;
  std::optional<std::string> cursor;
  size_t pages = 0;
  size_t junk_marked = 0;
  do {
    storage_->reset_counts();
    std::map<std::string, std::string> query{{"limit", "100000"}};  // asks for more than the cap
    if (cursor) query["cursor"] = *cursor;
    const json page = call(explorer, path, query);
    ASSERT_EQ(page["http_status"], 200) << page.dump();
    ++pages;
    EXPECT_LE(page["nodes"].size(), limits.graph_nodes);
    EXPECT_LE(page["lookups"].get<size_t>(), limits.graph_lookups);
    // One index lookup per probe (plus the announce), each reading at most the candidate cap + 1
    // ids.
    EXPECT_LE(storage_->index_lookups, limits.graph_lookups + 1);
    EXPECT_LE(storage_->largest_index_answer_limit, limits.candidates_per_address + 1);
    EXPECT_LE(storage_->gets, (limits.graph_lookups + 1) * limits.candidates_per_address);
    for (const auto& node : page["nodes"]) {
      EXPECT_TRUE(seen.insert(node["msgid"].get<std::string>()).second) << "a message on two pages";
      EXPECT_EQ(node["status"], "ok");
      if (node["others"].get<size_t>() > 0) {
        ++junk_marked;
        EXPECT_TRUE(node["more_candidates"].get<bool>());
        EXPECT_EQ(node["candidates"].get<size_t>(), limits.candidates_per_address);
      }
    }
    cursor =
        page["next"].is_string() ? std::optional(page["next"].get<std::string>()) : std::nullopt;
  } while (cursor && pages < 100);
  EXPECT_LE(pages,
            kChannelMessages / limits.graph_nodes + 1);  // a last page may only probe past the end
  EXPECT_EQ(seen.size(), kChannelMessages);
  for (const auto& address : *addresses_)
    EXPECT_TRUE(seen.count(address.msgid.to_hex())) << address.to_string();
  EXPECT_EQ(junk_marked, 1u) << "the flooded address is the one marked as holding other messages";
}

TEST_F(ExplorerLimits, AFloodAtOneIndexIsReadAPageAtATimeUpToTheWindow) {
  Explorer explorer(*storage_);
  const Limits limits;
  const auto& flooded = (*addresses_)[kChannelMessages / 2];
  const std::string path = "/api/explorer/index/" + to_hex(flooded.index());
  size_t shown = 0, pages = 0;
  std::optional<std::string> after;
  json page;
  do {
    storage_->reset_counts();
    std::map<std::string, std::string> query{{"limit", "5000"}};
    if (after) query["after"] = *after;
    page = call(explorer, path, query);
    ASSERT_EQ(page["http_status"], 200) << page.dump();
    EXPECT_LE(page["messages"].size(), limits.index_page);
    EXPECT_LE(storage_->gets, limits.index_page);
    EXPECT_LE(storage_->largest_index_answer_limit, limits.index_window + 1);
    shown += page["messages"].size();
    ++pages;
    after =
        page["next"].is_string() ? std::optional(page["next"].get<std::string>()) : std::nullopt;
  } while (after && pages < 100);
  EXPECT_EQ(shown, limits.index_window)
      << "1,001 messages at the index; the first 1,000 are reachable";
  EXPECT_TRUE(page["capped"].get<bool>());
  EXPECT_EQ(pages, limits.index_window / limits.index_page);

  const json first = call(explorer, "/api/explorer/address/" + flooded.to_string());
  ASSERT_EQ(first["http_status"], 200);
  EXPECT_EQ(first["valid_on_page"], 1) << "the real message (oldest) is the one of this address";
  EXPECT_TRUE(first["messages"][0]["of_this_address"].get<bool>());
  EXPECT_FALSE(first["messages"][1]["of_this_address"].get<bool>());
}

TEST_F(ExplorerLimits, AFloodAtTheNextAddressIsMarkedUnreadableAndBounded) {
  // Junk where the channel's next message would be (addresses are predictable): the walk reads at
  // most the candidate cap there and marks the address.
  channels::Author author("explorer limits flood", channels::ChannelType::kSingleBranch,
                          *transport_);
  auto announce = author.send_announce();
  ASSERT_TRUE(announce.ok());
  const uint8_t payload[] = {'x'};
  auto first = author.send_tagged_packet(*announce, payload, {});
  ASSERT_TRUE(first.ok());
  const auto pk = message::channel_author(announce->channel);
  const message::Address next{announce->channel, message::gen_msgid(announce->channel, pk.bytes,
                                                                    first->msg_link.msgid, 0, 3)};
  flood(next.index(), "at the next address");
  Explorer explorer(*storage_);
  storage_->reset_counts();
  const json page = call(explorer, "/api/explorer/channel/" + announce->channel.to_hex());
  ASSERT_EQ(page["http_status"], 200) << page.dump();
  ASSERT_EQ(page["nodes"].size(), 3u) << page["nodes"].dump();
  const json& flooded = page["nodes"][2];
  EXPECT_EQ(flooded["msgid"], next.msgid.to_hex());
  EXPECT_EQ(flooded["status"], "unreadable");
  EXPECT_TRUE(flooded["more_candidates"].get<bool>());
  EXPECT_EQ(flooded["candidates"].get<size_t>(), Limits{}.candidates_per_address);
  EXPECT_LE(storage_->gets, 3 * (Limits{}.candidates_per_address));
}

TEST_F(ExplorerLimits, PagesAreCappedAndBadParametersRefused) {
  Explorer explorer(*storage_);
  storage_->reset_counts();
  const json recent = call(explorer, "/api/explorer/recent", {{"limit", "1000000"}});
  ASSERT_EQ(recent["http_status"], 200);
  EXPECT_EQ(recent["messages"].size(), Limits{}.recent_page);
  EXPECT_EQ(storage_->largest_recent_limit, Limits{}.recent_page);
  const json older = call(explorer, "/api/explorer/recent",
                          {{"limit", "10"}, {"before", recent["next"].get<std::string>()}});
  EXPECT_EQ(older["messages"][0]["seq"].get<uint64_t>() + 1,
            recent["messages"].back()["seq"].get<uint64_t>());

  const std::string channel = "/api/explorer/channel/" + announce_->channel.to_hex();
  EXPECT_EQ(call(explorer, channel, {{"cursor", "01ff"}})["http_status"], 400);
  EXPECT_EQ(call(explorer, channel, {{"cursor", "zz"}})["http_status"], 400);
  EXPECT_EQ(call(explorer, channel, {{"limit", "-1"}})["http_status"], 400);
  EXPECT_EQ(call(explorer, "/api/explorer/channel/" + std::string(80, '0'))["http_status"], 404);
  EXPECT_EQ(call(explorer, "/api/explorer/message/xyz")["http_status"], 400);
  EXPECT_EQ(call(explorer, "/api/explorer/address/abc")["http_status"], 400);
  EXPECT_EQ(call(explorer, "/api/explorer/nothing")["http_status"], 404);
  EXPECT_EQ(call(explorer, "/api/explorer/index/" + std::string(64, '0'),
                 {{"after", "x"}})["http_status"],
            400);
}

}  // namespace
}  // namespace iota_streams::node::explorer
