// Whole flows in process, over the bucket transport, for the three channel types: several
// subscribers, keyloads for subsets, PSK-only readers, readers left out, subscribers publishing,
// unsubscribe, sequence messages, walking back, recovery.
#include <gtest/gtest.h>

#include <algorithm>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"
#include "support/results.h"

namespace iota_streams::channels {
namespace {

using test::must;
using test::text;
using transports::BucketTransport;
using Kind = UnwrappedMessage::Kind;

std::string str(const std::vector<uint8_t>& b) { return {b.begin(), b.end()}; }

// The masked payloads a reader got, in order; "?" for a message it could not open.
std::vector<std::string> masked_read(const std::vector<UnwrappedMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) {
    if (m.kind == Kind::kSignedPacket || m.kind == Kind::kTaggedPacket)
      out.push_back(str(m.masked_payload));
    if (m.kind == Kind::kUnreadable) out.push_back("?");
  }
  return out;
}

struct Channel {
  explicit Channel(ChannelType type, const std::string& seed = "AUTHOR")
      : author(seed + "-" + std::string(channel_type_name(type)), type, bucket) {
    announce = must(author.send_announce());
  }
  Subscriber& join(const std::string& seed, bool subscribe = true) {
    readers.push_back(std::make_unique<Subscriber>(seed, bucket));
    Subscriber& s = *readers.back();
    must(s.receive_announcement(announce));
    if (subscribe) {
      const Address link = must(s.send_subscribe(announce));
      must(author.receive_subscribe(link));
      subscriptions.push_back(link);
    }
    return s;
  }
  BucketTransport bucket;
  Author author;
  Address announce;
  std::vector<std::unique_ptr<Subscriber>> readers;
  std::vector<Address> subscriptions;
};

TEST(Flow, SingleBranchOriginalPoC) {
  Channel c(ChannelType::kSingleBranch);
  Subscriber& sub = c.join("SUBSCRIBERA9SEED");
  const auto keyload = must(c.author.send_keyload_for_everyone(c.announce));
  EXPECT_FALSE(keyload.seq_link.has_value());  // no sequence messages outside multi-branch
  const auto p1 =
      must(c.author.send_signed_packet(keyload.msg_link, text("public 1"), text("masked 1")));
  const auto p2 =
      must(c.author.send_signed_packet(p1.msg_link, text("public 2"), text("masked 2")));
  const auto p3 =
      must(c.author.send_tagged_packet(p2.msg_link, text("public 3"), text("masked 3")));

  const auto read = sub.fetch_all_next_msgs().messages;
  ASSERT_EQ(read.size(), 4u);
  EXPECT_EQ(read[0].kind, Kind::kKeyload);
  EXPECT_TRUE(read[0].has_access);
  EXPECT_EQ(masked_read(read), (std::vector<std::string>{"masked 1", "masked 2", "masked 3"}));
  EXPECT_EQ(read[1].publisher, c.author.get_public_key());
  EXPECT_EQ(str(read[3].public_payload), "public 3");
  EXPECT_TRUE(sub.fetch_next_msgs().messages.empty());

  const auto own =
      must(sub.send_tagged_packet(p3.msg_link, text("from sub"), text("secret from sub")));
  EXPECT_EQ(masked_read(c.author.fetch_all_next_msgs().messages),
            std::vector<std::string>{"secret from sub"});
  // The subscriber's cursor moved past its own packet: nothing new for it.
  EXPECT_TRUE(sub.fetch_next_msgs().messages.empty());

  const Address unsubscribe = must(sub.send_unsubscribe(c.subscriptions[0]));
  must(c.author.receive_unsubscribe(unsubscribe));
  EXPECT_FALSE(c.author.state().key_store.contains(Identifier(sub.get_public_key())));
  (void)own;
}

TEST(Flow, SingleBranchReaderLeftOutIsNotStuckAndReadsNothingMasked) {
  Channel c(ChannelType::kSingleBranch);
  Subscriber& in = c.join("IN9SEED");
  Subscriber& out = c.join("OUT9SEED");
  const auto k = must(c.author.send_keyload(c.announce, {Identifier(in.get_public_key())}));
  const auto p1 = must(c.author.send_signed_packet(k.msg_link, text("p1"), text("only for in")));
  const auto p2 =
      must(c.author.send_tagged_packet(p1.msg_link, text("p2"), text("also only for in")));

  EXPECT_EQ(masked_read(in.fetch_all_next_msgs().messages),
            (std::vector<std::string>{"only for in", "also only for in"}));
  const auto left_out =
      out.fetch_all_next_msgs().messages;  // terminates: each unreadable message is stepped over
  ASSERT_EQ(left_out.size(), 3u);
  EXPECT_EQ(left_out[0].kind, Kind::kKeyload);
  EXPECT_FALSE(left_out[0].has_access);
  EXPECT_EQ(masked_read(left_out), (std::vector<std::string>{"?", "?"}));
  // Both readers now wait at the same place in the branch.
  EXPECT_EQ(in.gen_next_msg_ids(false)[0].link, out.gen_next_msg_ids(false)[0].link);
  auto direct = out.receive_signed_packet(p1.msg_link);
  ASSERT_FALSE(direct.ok());
  EXPECT_NE(direct.error().message().find("has not read or has no access to"), std::string::npos);
  (void)p2;
}

TEST(Flow, MultiBranchSubsetsPskReadersSequencesAndPublishingSubscribers) {
  Channel c(ChannelType::kMultiBranch);
  Subscriber& a = c.join("A9SEED");
  Subscriber& b = c.join("B9SEED");
  Subscriber& psk_reader = c.join("PSK9READER", /*subscribe=*/false);
  const crypto::PskId psk_id = must(c.author.store_psk("shared psk seed"));
  EXPECT_EQ(must(psk_reader.store_psk("shared psk seed")), psk_id);

  // Keyload 1: only A. B and the PSK reader are left out.
  const auto k1 = must(c.author.send_keyload(c.announce, {Identifier(a.get_public_key())}));
  ASSERT_TRUE(k1.seq_link.has_value());
  const auto p1 = must(c.author.send_signed_packet(k1.msg_link, text("pub 1"), text("secret 1")));
  ASSERT_TRUE(p1.seq_link.has_value());

  EXPECT_EQ(masked_read(a.fetch_all_next_msgs().messages), std::vector<std::string>{"secret 1"});
  EXPECT_EQ(masked_read(b.fetch_all_next_msgs().messages), std::vector<std::string>{"?"});
  EXPECT_EQ(masked_read(psk_reader.fetch_all_next_msgs().messages), std::vector<std::string>{"?"});

  // Keyload 2 to A, B and the PSK, linked to the announce: everyone back in.
  const auto k2 =
      must(c.author.send_keyload(c.announce, {Identifier(a.get_public_key()),
                                              Identifier(b.get_public_key()), Identifier(psk_id)}));
  const auto p2 = must(c.author.send_tagged_packet(k2.msg_link, text("pub 2"), text("secret 2")));
  for (Subscriber* s : {&a, &b, &psk_reader}) {
    const auto read = s->fetch_all_next_msgs().messages;
    ASSERT_EQ(read.size(), 2u);
    EXPECT_EQ(read[0].kind, Kind::kKeyload);
    EXPECT_TRUE(read[0].has_access);
    EXPECT_EQ(masked_read(read), std::vector<std::string>{"secret 2"});
  }

  // Subscribers publish in their own branches; the author reads them through their sequences.
  const auto from_a = must(a.send_signed_packet(p2.msg_link, text("a pub"), text("a secret")));
  ASSERT_TRUE(from_a.seq_link.has_value());
  const auto from_psk =
      must(psk_reader.send_tagged_packet(p2.msg_link, text("psk pub"), text("psk secret")));
  const auto from_psk2 =
      must(psk_reader.send_tagged_packet(from_psk.msg_link, text("psk 2"), text("psk secret 2")));
  auto author_read = masked_read(c.author.fetch_all_next_msgs().messages);
  std::sort(author_read.begin(), author_read.end());
  EXPECT_EQ(author_read, (std::vector<std::string>{"a secret", "psk secret", "psk secret 2"}));
  auto b_read = masked_read(b.fetch_all_next_msgs().messages);
  std::sort(b_read.begin(), b_read.end());
  EXPECT_EQ(b_read, (std::vector<std::string>{"a secret", "psk secret", "psk secret 2"}));

  // A sequence message names its packet.
  EXPECT_EQ(must(c.author.receive_sequence(*from_psk2.seq_link)), from_psk2.msg_link);
  // PSK publishers cannot sign.
  EXPECT_EQ(psk_reader.send_signed_packet(p2.msg_link, text("x"), text("y")).error().code(),
            Errc::kMessageBuildFailure);
}

TEST(Flow, MultiBranchUnsubscribedReaderIsNotInTheNextKeyload) {
  Channel c(ChannelType::kMultiBranch);
  Subscriber& stays = c.join("STAYS9SEED");
  Subscriber& leaves = c.join("LEAVES9SEED");
  must(c.author.receive_unsubscribe(must(leaves.send_unsubscribe(c.subscriptions[1]))));
  const auto k = must(c.author.send_keyload_for_everyone(c.announce));
  must(c.author.send_signed_packet(k.msg_link, text("p"), text("after the unsubscribe")));
  EXPECT_EQ(masked_read(stays.fetch_all_next_msgs().messages),
            std::vector<std::string>{"after the unsubscribe"});
  EXPECT_EQ(masked_read(leaves.fetch_all_next_msgs().messages), std::vector<std::string>{"?"});
}

TEST(Flow, SingleDepthAnchorAndSequenceNumbers) {
  Channel c(ChannelType::kSingleDepth);
  Subscriber& direct = c.join("DEPTH9SEED");
  Subscriber& fetcher = c.join("FETCH9SEED");
  Subscriber& late = c.join("LATE9SEED", /*subscribe=*/false);  // not a recipient of the keyload
  const auto k = must(c.author.send_keyload_for_everyone(c.announce));
  std::vector<Address> packets;
  for (int i = 0; i < 4; ++i) {
    // Single-depth packets all link to the anchor, the keyload.
    packets.push_back(
        must(c.author.send_signed_packet(k.msg_link, text("p"), text("depth " + std::to_string(i))))
            .msg_link);
  }
  EXPECT_TRUE(must(direct.receive_keyload(k.msg_link)));
  for (uint32_t n = 0; n < 4; ++n) {
    const auto m = must(direct.receive_msg_by_sequence_number(k.msg_link, n));
    EXPECT_EQ(m.link, packets[n]);
    EXPECT_EQ(str(m.masked_payload), "depth " + std::to_string(n));
  }
  EXPECT_TRUE(
      direct.fetch_all_next_msgs().messages.empty());  // reading them moved its cursors past them
  EXPECT_EQ(masked_read(fetcher.fetch_all_next_msgs().messages),
            (std::vector<std::string>{"depth 0", "depth 1", "depth 2", "depth 3"}));
  EXPECT_EQ(masked_read(late.fetch_all_next_msgs().messages),
            (std::vector<std::string>{"?", "?", "?", "?"}));
  EXPECT_EQ(direct.send_tagged_packet(k.msg_link, text("x"), text("y")).error().code(),
            Errc::kSingleDepthOperation);

  Channel sb(ChannelType::kSingleBranch);
  EXPECT_EQ(sb.author.receive_msg_by_sequence_number(sb.announce, 0).error().code(),
            Errc::kChannelNotSingleDepth);
}

TEST(Flow, FetchPreviousMessages) {
  Channel c(ChannelType::kSingleBranch);
  Subscriber& sub = c.join("PREV9SEED");
  const auto k = must(c.author.send_keyload_for_everyone(c.announce));
  Address last = k.msg_link;
  for (int i = 0; i < 3; ++i)
    last =
        must(c.author.send_signed_packet(last, text("p"), text("m" + std::to_string(i)))).msg_link;
  (void)sub.sync_state();
  const auto prev = must(sub.fetch_prev_msg(last));
  EXPECT_EQ(str(prev.masked_payload), "m1");
  const auto all =
      must(sub.fetch_prev_msgs(last, 10));  // stops at the announce, which is never returned
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].kind, Kind::kKeyload);
  EXPECT_EQ(masked_read(all), (std::vector<std::string>{"m0", "m1"}));
  EXPECT_EQ(sub.fetch_prev_msg(c.announce).error().code(), Errc::kNoPreviousMessage);
}

TEST(Flow, AuthorRecoversFromSeedAndFindsItsMessages) {
  BucketTransport bucket;
  Address announce, last;
  {
    Author original("RECOVER9SEED", ChannelType::kSingleBranch, bucket);
    announce = must(original.send_announce());
    last = must(original.send_keyload_for_everyone(announce)).msg_link;
    last = must(original.send_signed_packet(last, text("p"), text("before the crash"))).msg_link;
  }
  Author recovered =
      must(Author::recover("RECOVER9SEED", announce, ChannelType::kSingleBranch, bucket));
  const auto own = recovered.fetch_all_next_msgs().messages;
  EXPECT_EQ(own.size(), 2u);
  EXPECT_EQ(own.back().link, last);
  const auto next = must(recovered.send_signed_packet(last, text("p"), text("after")));
  EXPECT_NE(next.msg_link, last);
  auto wrong = Author::recover("RECOVER9SEED", announce, ChannelType::kMultiBranch, bucket);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("is not this seed's announce"), std::string::npos);
  EXPECT_FALSE(Author::recover("OTHER9SEED", announce, ChannelType::kSingleBranch, bucket).ok());
}

TEST(Flow, RegistrationRules) {
  Channel c(ChannelType::kSingleBranch);
  Subscriber& sub = c.join("RULES9SEED");
  // A second subscribe from the same key is refused and changes nothing.
  const auto before = c.author.state();
  BucketTransport other;
  Subscriber again("RULES9SEED", c.bucket);
  must(again.receive_announcement(c.announce));
  auto duplicate = c.author.receive_subscribe(must(again.send_subscribe(c.announce)));
  ASSERT_FALSE(duplicate.ok());  // same key, same subscribe address: two messages there now
  EXPECT_TRUE(c.author.state() == before);
  // Sending before registration.
  Subscriber stranger("STRANGER9SEED", c.bucket);
  EXPECT_EQ(stranger.send_subscribe(c.announce).error().code(), Errc::kNotRegistered);
  // Reading an announce of another channel once registered.
  Channel other_channel(ChannelType::kSingleBranch, "ANOTHER");
  EXPECT_FALSE(sub.receive_announcement(other_channel.announce).ok());
  // A second announce at the same address is refused.
  EXPECT_EQ(c.author.send_announce().error().code(), Errc::kChannelDuplication);
  EXPECT_EQ(sub.store_psk("one").ok(), true);
  EXPECT_EQ(sub.store_psk("two").error().code(), Errc::kStateStoreFailure);
  EXPECT_EQ(c.author.store_psk("one").ok(), true);
  EXPECT_EQ(c.author.store_psk("one").error().code(), Errc::kPskAlreadyStored);
}

TEST(Flow, OversizedPayloadIsRefusedBeforeAnythingIsSent) {
  Channel c(ChannelType::kSingleBranch);
  const auto k = must(c.author.send_keyload_for_everyone(c.announce));
  const size_t before = c.bucket.message_count();
  const std::vector<uint8_t> big(40000, 'x');
  auto sent = c.author.send_signed_packet(k.msg_link, {}, big);
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message().find("exceeds the limit"), std::string::npos);
  EXPECT_EQ(c.bucket.message_count(), before);
}

TEST(Flow, UnknownLinkGivesAClearError) {
  Channel c(ChannelType::kSingleBranch);
  Subscriber& sub = c.join("LINK9SEED");
  Address nowhere = c.announce;
  nowhere.msgid.bytes[0] ^= 0xff;
  auto r = sub.receive_signed_packet(nowhere);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Errc::kLinkNotFoundInTransport);
  EXPECT_NE(r.error().message().find(nowhere.to_string()), std::string::npos);
  auto bad_link = c.author.send_signed_packet(nowhere, text("a"), text("b"));
  ASSERT_FALSE(bad_link.ok());
  EXPECT_EQ(bad_link.error().code(), Errc::kLinkNotFound);
}

}  // namespace
}  // namespace iota_streams::channels
