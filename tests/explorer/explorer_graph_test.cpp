// The channel graph the explorer finds with public data only, in the three channel types, and how
// it marks what a reader would not accept: a second valid message at an address (refused), an
// announce whose signature fails (refused), a message a sequence names that the node does not hold
// (missing).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "memory_storage.h"

namespace iota_streams::node::explorer {
namespace {

using channels::Author;
using channels::ChannelType;
using channels::Subscriber;
using fixtures::call;
using fixtures::CountingStorage;
using fixtures::json;
using fixtures::StorageTransport;
using message::Address;

const uint8_t kPayload[] = {'p'};

template <class T>
T must(Result<T> result) {
  EXPECT_TRUE(result.ok()) << result.error().message();
  return std::move(*result);
}

struct Graph {
  json page;
  std::map<std::string, json> nodes;  // by msgid
  size_t links = 0, sequence_edges = 0;
  std::set<std::string> publishers;
};

Graph walk(CountingStorage& storage, const Address& announce) {
  Explorer explorer(storage);
  Graph g;
  g.page = call(explorer, "/api/explorer/channel/" + announce.channel.to_hex());
  EXPECT_EQ(g.page["http_status"], 200) << g.page.dump();
  for (const auto& n : g.page["nodes"]) g.nodes[n["msgid"].get<std::string>()] = n;
  for (const auto& e : g.page["edges"]) (e["kind"] == "sequence" ? g.sequence_edges : g.links) += 1;
  for (const auto& p : g.page["publishers"]) g.publishers.insert(p["id"].get<std::string>());
  EXPECT_TRUE(g.page["next"].is_null());
  return g;
}

std::string status(const Graph& g, const Address& a) {
  const auto it = g.nodes.find(a.msgid.to_hex());
  return it == g.nodes.end() ? "absent" : it->second["status"].get<std::string>();
}

TEST(ExplorerGraph, SingleBranchWithTwoPublishersFoundThroughTheKeyloadRecipients) {
  CountingStorage storage;
  StorageTransport transport(storage);
  Author author("graph sb author", ChannelType::kSingleBranch, transport);
  Subscriber subscriber("graph sb subscriber", transport);
  const Address announce = must(author.send_announce());
  ASSERT_TRUE(subscriber.receive_announcement(announce).ok());
  const Address subscription = must(subscriber.send_subscribe(announce));
  ASSERT_TRUE(author.receive_subscribe(subscription).ok());
  const Address keyload = must(author.send_keyload_for_everyone(announce)).msg_link;
  ASSERT_TRUE(subscriber.receive_keyload(keyload).ok());
  const Address tagged = must(subscriber.send_tagged_packet(keyload, kPayload, kPayload)).msg_link;
  ASSERT_TRUE(author.receive_tagged_packet(tagged).ok());
  const Address signed_packet =
      must(author.send_signed_packet(tagged, kPayload, kPayload)).msg_link;

  const Graph g = walk(storage, announce);
  EXPECT_EQ(g.page["channel_type"], "single-branch");
  EXPECT_EQ(g.nodes.size(), 5u);
  for (const auto& a : {announce, subscription, keyload, tagged, signed_packet})
    EXPECT_EQ(status(g, a), "ok");
  EXPECT_EQ(g.links, 4u);
  EXPECT_EQ(g.sequence_edges, 0u);
  EXPECT_EQ(g.publishers.size(), 2u);
  EXPECT_EQ(g.nodes.at(tagged.msgid.to_hex())["publisher"],
            to_hex(subscriber.get_public_key().bytes));
}

TEST(ExplorerGraph, SingleDepthAuthorMessagesAfterTheKeyload) {
  CountingStorage storage;
  StorageTransport transport(storage);
  Author author("graph sd author", ChannelType::kSingleDepth, transport);
  const Address announce = must(author.send_announce());
  const Address keyload = must(author.send_keyload_for_everyone(announce)).msg_link;
  std::vector<Address> packets;
  for (int i = 0; i < 3; ++i)
    packets.push_back(must(author.send_signed_packet(keyload, kPayload, kPayload)).msg_link);

  const Graph g = walk(storage, announce);
  EXPECT_EQ(g.page["channel_type"], "single-depth");
  EXPECT_EQ(g.nodes.size(), 5u);
  for (const auto& p : packets) {
    EXPECT_EQ(status(g, p), "ok");
    EXPECT_EQ(g.nodes.at(p.msgid.to_hex())["linked"], keyload.msgid.to_hex());
  }
  EXPECT_EQ(g.links, 4u);
}

TEST(ExplorerGraph, MultiBranchSequencesAndAMissingMessage) {
  CountingStorage storage;
  StorageTransport transport(storage);
  Author author("graph mb author", ChannelType::kMultiBranch, transport);
  const Address announce = must(author.send_announce());
  const auto keyload = must(author.send_keyload_for_everyone(announce));
  const auto first = must(author.send_signed_packet(keyload.msg_link, kPayload, kPayload));
  transport.drop_next = true;  // the packet is lost; its sequence message is stored
  const auto lost = must(author.send_tagged_packet(keyload.msg_link, kPayload, kPayload));

  const Graph g = walk(storage, announce);
  EXPECT_EQ(g.page["channel_type"], "multi-branch");
  EXPECT_EQ(g.nodes.size(), 7u);  // announce, 3 sequences, keyload, packet, the missing one
  for (const auto& a : {announce, keyload.msg_link, *keyload.seq_link, first.msg_link,
                        *first.seq_link, *lost.seq_link}) {
    EXPECT_EQ(status(g, a), "ok") << a.to_string();
  }
  EXPECT_EQ(status(g, lost.msg_link), "missing");
  EXPECT_EQ(g.sequence_edges, 3u);
  EXPECT_EQ(g.links, 5u);  // every message held but the announce
  EXPECT_EQ(g.nodes.at(keyload.seq_link->msgid.to_hex())["sequences"],
            keyload.msg_link.msgid.to_hex());
}

TEST(ExplorerGraph, TwoValidMessagesAtOneAddressAreRefusedAndNotFollowed) {
  CountingStorage storage;
  StorageTransport transport(storage);
  Author author("graph refused author", ChannelType::kSingleBranch, transport);
  const Address announce = must(author.send_announce());
  const Address packet = must(author.send_tagged_packet(announce, kPayload, kPayload)).msg_link;
  const Address after = must(author.send_tagged_packet(packet, kPayload, kPayload)).msg_link;
  // The same Streams message again in another node message (another parent): a reader finds two.
  auto ids = storage.ids_by_index(packet.index(), 2);
  auto raw = storage.get((*ids)[0]);
  auto view = transports::chrysalis::parse_message(**raw);
  const std::vector<uint8_t> data(view->data.begin(), view->data.end());
  transport.post(packet.index(), data, 7);

  const Graph g = walk(storage, announce);
  EXPECT_EQ(status(g, packet), "refused");
  EXPECT_EQ(g.nodes.at(packet.msgid.to_hex())["candidates"], 2);
  EXPECT_EQ(status(g, after), "absent") << "nothing after a refused message is followed";
}

TEST(ExplorerGraph, AnAnnounceWithABadSignatureIsRefused) {
  CountingStorage storage;
  StorageTransport good_transport(storage);
  CountingStorage elsewhere;
  StorageTransport capture(elsewhere);
  Author author("graph bad announce", ChannelType::kSingleBranch, capture);
  const Address announce = must(author.send_announce());
  auto ids = elsewhere.ids_by_index(announce.index(), 1);
  auto raw = elsewhere.get((*ids)[0]);
  auto view = transports::chrysalis::parse_message(**raw);
  std::vector<uint8_t> data(view->data.begin(), view->data.end());
  data.back() ^= 1;  // the signature's last byte
  good_transport.post(announce.index(), data);

  Explorer explorer(storage);
  const json page = call(explorer, "/api/explorer/channel/" + announce.channel.to_hex());
  ASSERT_EQ(page["http_status"], 200);
  EXPECT_EQ(page["announce_status"], "refused");
  ASSERT_EQ(page["nodes"].size(), 1u);
  EXPECT_EQ(page["nodes"][0]["status"], "refused");
}

TEST(ExplorerGraph, AMessageLookupDecodesThePublicHeaderAndChecksItsAddress) {
  CountingStorage storage;
  StorageTransport transport(storage);
  Author author("graph lookup author", ChannelType::kSingleBranch, transport);
  const Address announce = must(author.send_announce());
  const Address packet = must(author.send_tagged_packet(announce, kPayload, kPayload)).msg_link;
  const auto id = (*storage.ids_by_index(packet.index(), 1))[0];
  Explorer explorer(storage);
  const json m = call(explorer, "/api/explorer/message/" + to_hex(id));
  ASSERT_EQ(m["http_status"], 200);
  EXPECT_EQ(m["streams"]["type"], "tagged packet");
  EXPECT_EQ(m["streams"]["address"], packet.to_string());
  EXPECT_EQ(m["streams"]["linked"], announce.to_string());
  EXPECT_EQ(m["streams"]["seq"], "2");
  EXPECT_EQ(m["streams"]["publisher"], to_hex(message::channel_author(announce.channel).bytes));
  EXPECT_TRUE(m["streams"]["address_matches_index"].get<bool>());

  // The same data under another index: the header still reads, and the address does not match.
  const auto raw = storage.get(id);
  const auto view = transports::chrysalis::parse_message(**raw);
  const std::vector<uint8_t> data(view->data.begin(), view->data.end());
  transport.post(announce.index(), data);
  const auto moved = (*storage.ids_by_index(announce.index(), 2))[1];
  const json wrong = call(explorer, "/api/explorer/message/" + to_hex(moved));
  EXPECT_FALSE(wrong["streams"]["address_matches_index"].get<bool>());
  EXPECT_EQ(call(explorer, "/api/explorer/lookup/" + to_hex(id))["kind"], "message");
  EXPECT_EQ(call(explorer, "/api/explorer/lookup/" + to_hex(packet.index()))["kind"], "index");
  EXPECT_EQ(call(explorer, "/api/explorer/lookup/" + packet.to_string())["kind"], "address");
  std::string escaped = packet.to_string();
  escaped.replace(escaped.find(':'), 1, "%3A");
  EXPECT_EQ(call(explorer, "/api/explorer/address/" + escaped)["address"], packet.to_string());
  EXPECT_EQ(call(explorer, "/api/explorer/lookup/" + packet.channel.to_hex())["kind"], "channel");
}

}  // namespace
}  // namespace iota_streams::node::explorer
