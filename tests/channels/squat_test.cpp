// Reading in a hostile network: anyone can post anything at any address. Junk, a replay of an
// earlier message and a duplicate of the message itself, posted at the address of each message kind
// in each channel type, hide nothing: every reader still reads every real message, in order. A
// sender that forks its own state puts two valid messages at one address: every reader reads the
// same one and is told. Candidates per address are bounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"
#include "support/results.h"
#include "support/squat_transport.h"

namespace iota_streams::channels {
namespace {

using message::ContentType;
using test::must;
using test::Squat;
using test::SquatTransport;
using test::text;
using transports::BucketTransport;
using Kind = UnwrappedMessage::Kind;

std::string str(const std::vector<uint8_t>& b) { return {b.begin(), b.end()}; }

// What a reader got, in order: "keyload", "keyload?" (no access), masked payloads, "?"
// (unreadable).
std::vector<std::string> read_list(const FetchResult& fetched) {
  std::vector<std::string> out;
  for (const auto& m : fetched.messages) {
    switch (m.kind) {
      case Kind::kKeyload:
        out.push_back(m.has_access ? "keyload" : "keyload?");
        break;
      case Kind::kSignedPacket:
        out.push_back("signed:" + str(m.masked_payload));
        break;
      case Kind::kTaggedPacket:
        out.push_back("tagged:" + str(m.masked_payload));
        break;
      case Kind::kUnreadable:
        out.push_back("?");
        break;
    }
  }
  return out;
}

MessageBytes announce_bytes(const std::string& seed, ChannelType type) {
  BucketTransport scratch;
  Author twin(seed, type, scratch);
  const Address link = must(twin.send_announce());
  return must(scratch.recv_message(link));
}

using SquatCase = std::tuple<ChannelType, ContentType, Squat>;

class Squatting : public ::testing::TestWithParam<SquatCase> {};

// The whole flow, with the squat at the first message of the target kind. Every message kind is
// sent: announce, two subscribes, keyload (and its sequence in multi-branch), signed and tagged
// packets by the author, a signed packet by a subscriber (not in single-depth), an unsubscribe, and
// a last packet.
TEST_P(Squatting, EveryReaderStillReadsEveryMessageInOrder) {
  const auto [type, target, squat] = GetParam();
  const std::string seed = "SQUAT-AUTHOR-" + std::string(channel_type_name(type));
  BucketTransport bucket;
  SquatTransport net(bucket, target, squat);
  net.set_first_replay(announce_bytes("SOMEONE-ELSE", type));
  Author author(seed, type, net);
  if (target == ContentType::kAnnounce) {
    must(net.squat_announce(*author.announcement_link(), announce_bytes(seed, type)));
  }
  const Address announce = must(author.send_announce());
  Subscriber a("SQUAT-READER-A", net), b("SQUAT-READER-B", net);
  must(a.receive_announcement(announce));
  must(b.receive_announcement(announce));
  must(author.receive_subscribe(must(a.send_subscribe(announce))));
  const Address b_subscription = must(b.send_subscribe(announce));
  must(author.receive_subscribe(b_subscription));

  const auto keyload = must(author.send_keyload_for_everyone(announce));
  const bool single_depth = type == ChannelType::kSingleDepth;
  auto next_link = [&](const Address& last) { return single_depth ? keyload.msg_link : last; };
  const auto p1 = must(author.send_signed_packet(keyload.msg_link, text("pub"), text("p1")));
  const auto t1 = must(author.send_tagged_packet(next_link(p1.msg_link), text("pub"), text("t1")));
  const std::vector<std::string> by_author = {"keyload", "signed:p1", "tagged:t1"};

  const FetchResult a_read = a.fetch_all_next_msgs();
  EXPECT_TRUE(a_read.ok());
  EXPECT_EQ(read_list(a_read), by_author);
  EXPECT_EQ(read_list(b.fetch_all_next_msgs()), by_author);
  Address last = t1.msg_link;
  if (!single_depth) {
    last = must(a.send_signed_packet(t1.msg_link, text("pub"), text("from a"))).msg_link;
    EXPECT_EQ(read_list(author.fetch_all_next_msgs()), std::vector<std::string>{"signed:from a"});
    EXPECT_EQ(read_list(b.fetch_all_next_msgs()), std::vector<std::string>{"signed:from a"});
  }

  must(author.receive_unsubscribe(must(b.send_unsubscribe(b_subscription))));
  const auto p2 = must(author.send_signed_packet(next_link(last), text("pub"), text("p2")));
  const FetchResult a_last = a.fetch_all_next_msgs();
  EXPECT_EQ(read_list(a_last), std::vector<std::string>{"signed:p2"});
  EXPECT_EQ(a_last.messages.back().link, p2.msg_link);
  EXPECT_GT(net.squats() + (squat == Squat::kDuplicate), 0u) << "the squat was never posted";
}

std::vector<SquatCase> squat_cases() {
  std::vector<SquatCase> cases;
  for (auto type :
       {ChannelType::kSingleBranch, ChannelType::kMultiBranch, ChannelType::kSingleDepth}) {
    for (auto kind : {ContentType::kAnnounce, ContentType::kSubscribe, ContentType::kKeyload,
                      ContentType::kSignedPacket, ContentType::kTaggedPacket,
                      ContentType::kSequence, ContentType::kUnsubscribe}) {
      if (kind == ContentType::kSequence && type != ChannelType::kMultiBranch)
        continue;  // only there
      for (auto squat : {Squat::kJunk, Squat::kReplay, Squat::kDuplicate})
        cases.emplace_back(type, kind, squat);
    }
  }
  return cases;
}

std::string case_name(const ::testing::TestParamInfo<SquatCase>& info) {
  const auto [type, kind, squat] = info.param;
  std::string name = std::string(channel_type_name(type)) + "_" +
                     std::string(message::content_type_name(static_cast<uint8_t>(kind))) + "_" +
                     test::squat_name(squat);
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(AllKinds, Squatting, ::testing::ValuesIn(squat_cases()), case_name);

// A small fixture: an author, a subscriber that read the keyload, and where the next packet goes.
struct Reading : ::testing::Test {
  void SetUp() override {
    announce = must(author.send_announce());
    must(reader.receive_announcement(announce));
    must(author.receive_subscribe(must(reader.send_subscribe(announce))));
    keyload = must(author.send_keyload_for_everyone(announce)).msg_link;
    must(reader.receive_keyload(keyload));
  }
  BucketTransport bucket;
  Author author{"READING-AUTHOR", ChannelType::kSingleBranch, bucket};
  Subscriber reader{"READING-READER", bucket};
  Address announce, keyload;
};

// Serves the messages at every address in reverse order: another node, another order.
class Reversed : public Transport {
 public:
  explicit Reversed(Transport& base) : base_(base) {}
  Result<void> send_message(const Address& link, ByteSpan message) override {
    return base_.send_message(link, message);
  }
  Result<std::vector<MessageBytes>> recv_messages(const Address& link) override {
    STREAMS_ASSIGN_OR_RETURN(auto found, base_.recv_messages(link));
    std::reverse(found.begin(), found.end());
    return found;
  }

 private:
  Transport& base_;
};

TEST_F(Reading, AForkedSenderIsReadTheSameWayByEveryReaderAndReported) {
  Author fork = author;  // the author's state, restored from a backup and used again
  const auto one = must(author.send_signed_packet(keyload, text("pub"), text("first")));
  const auto two = must(fork.send_signed_packet(keyload, text("pub"), text("second")));
  ASSERT_EQ(one.msg_link, two.msg_link);
  Subscriber other = reader;
  Reversed reversed(bucket);
  other.set_transport(reversed);
  const FetchResult mine = reader.fetch_all_next_msgs();
  const FetchResult theirs = other.fetch_all_next_msgs();
  ASSERT_EQ(mine.messages.size(), 1u);
  ASSERT_EQ(theirs.messages.size(), 1u);
  EXPECT_EQ(mine.messages[0].masked_payload, theirs.messages[0].masked_payload);
  EXPECT_TRUE(mine.messages[0].forked);
  EXPECT_TRUE(theirs.messages[0].forked);
  EXPECT_TRUE(mine.refused.empty());
  // The rule: the smaller bytes.
  auto at = must(bucket.recv_messages(one.msg_link));
  const MessageBytes smallest = *std::min_element(at.begin(), at.end());
  Subscriber direct = reader;
  Subscriber copy = reader;
  const auto read = must(direct.receive_signed_packet(one.msg_link));
  EXPECT_TRUE(read.forked);
  EXPECT_TRUE(direct.last_read().forked);
  EXPECT_EQ(direct.last_read().found, 2u);
  BucketTransport only_smallest;
  for (const auto& [link, bytes] : bucket.all()) {
    if (link != one.msg_link || bytes == smallest) must(only_smallest.send_message(link, bytes));
  }
  copy.set_transport(only_smallest);
  EXPECT_EQ(must(copy.receive_signed_packet(one.msg_link)).masked_payload, read.masked_payload);
}

TEST_F(Reading, RefusalsNameEachCandidateAndWhyAndLeaveTheStateAlone) {
  const auto sent = must(author.send_signed_packet(keyload, text("pub"), text("real")));
  MessageBytes forged = must(bucket.recv_message(sent.msg_link));
  forged.back() ^= 0x01;
  must(bucket.send_message(sent.msg_link, std::vector<uint8_t>{1, 2, 3, 4}));
  must(bucket.send_message(sent.msg_link, forged));
  // With the real one there: read, and the two others reported.
  Subscriber trial = reader;
  const auto read = must(trial.receive_signed_packet(sent.msg_link));
  EXPECT_EQ(str(read.masked_payload), "real");
  EXPECT_FALSE(read.forked);
  EXPECT_EQ(trial.last_read().found, 3u);
  ASSERT_EQ(trial.last_read().refused.size(), 2u);
  for (const auto& r : trial.last_read().refused) EXPECT_FALSE(r.reason.message().empty());

  // Without it: a clear error naming both, and the state unchanged.
  BucketTransport hostile;
  for (const auto& [link, bytes] : bucket.all()) {
    if (link != sent.msg_link || bytes != must(bucket.recv_messages(sent.msg_link)).front()) {
      must(hostile.send_message(link, bytes));
    }
  }
  Subscriber blocked = reader;
  blocked.set_transport(hostile);
  const auto refused = blocked.receive_signed_packet(sent.msg_link);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::kSignatureMismatch)
      << refused.error().message();  // the telling one
  EXPECT_NE(refused.error().message().find("among the 2 messages"), std::string::npos)
      << refused.error().message();
  EXPECT_NE(refused.error().message().find("signature verification failed"), std::string::npos);
  EXPECT_TRUE(blocked.state() == reader.state());
  const FetchResult fetched = blocked.fetch_next_msgs();
  EXPECT_TRUE(fetched.ok());
  EXPECT_TRUE(fetched.messages.empty());
  EXPECT_EQ(fetched.refused.size(), 2u);
  EXPECT_FALSE(fetched.nothing_new());
  EXPECT_TRUE(blocked.state() == reader.state());
}

TEST_F(Reading, CandidatesPerAddressAreBounded) {
  const auto sent = must(author.send_signed_packet(keyload, text("pub"), text("real")));
  for (uint8_t i = 0; i < 4; ++i) must(bucket.send_message(sent.msg_link, std::vector<uint8_t>{i}));
  for (int copies = 0; copies < 8; ++copies)
    must(bucket.send_message(sent.msg_link, std::vector<uint8_t>{0}));
  UserOptions options;
  options.max_candidates = 4;
  Subscriber bounded = must(Subscriber::import_state(must(reader.export_state("pw")), "pw", bucket,
                                                     StateFormat::kNative, options));
  const UserState before = bounded.state();
  const auto read = bounded.receive_signed_packet(sent.msg_link);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), Errc::kCapacityExceeded);
  EXPECT_NE(read.error().message().find("5 different messages found"), std::string::npos)
      << read.error().message();
  EXPECT_NE(read.error().message().find("max_candidates"), std::string::npos)
      << read.error().message();
  EXPECT_TRUE(bounded.state() == before);
  const FetchResult fetched = bounded.fetch_next_msgs();
  ASSERT_EQ(fetched.refused.size(), 1u);
  EXPECT_EQ(fetched.refused[0].candidate, Refusal::kWholeAddress);
  EXPECT_TRUE(fetched.messages.empty());
  // Copies count once: within the bound, the same address reads.
  options.max_candidates = 5;
  Subscriber enough = must(Subscriber::import_state(must(reader.export_state("pw")), "pw", bucket,
                                                    StateFormat::kNative, options));
  EXPECT_EQ(str(must(enough.receive_signed_packet(sent.msg_link)).masked_payload), "real");
  // The default bound.
  EXPECT_EQ(str(must(reader.receive_signed_packet(sent.msg_link)).masked_payload), "real");
}

// A transport that fails: fetch says so, apart from "nothing new".
class Failing : public Transport {
 public:
  Result<void> send_message(const Address&, ByteSpan) override {
    return Error(Errc::kTransportFailure, "down");
  }
  Result<std::vector<MessageBytes>> recv_messages(const Address&) override {
    return Error(Errc::kTransportFailure, "node unreachable");
  }
};

TEST_F(Reading, FetchTellsNothingNewFromATransportFailure) {
  const FetchResult idle = reader.fetch_all_next_msgs();
  EXPECT_TRUE(idle.nothing_new());
  Failing down;
  Subscriber cut = reader;
  cut.set_transport(down);
  const FetchResult failed = cut.fetch_all_next_msgs();
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(failed.nothing_new());
  ASSERT_TRUE(failed.transport_error.has_value());
  EXPECT_NE(failed.transport_error->message().find("node unreachable"), std::string::npos);
  EXPECT_TRUE(cut.state() == reader.state());
  EXPECT_FALSE(cut.sync_state().ok());
}

TEST_F(Reading, AnnounceRefusedOnlyWhenAValidAnnounceIsThere) {
  BucketTransport fresh;
  Author next("READING-AUTHOR-2", ChannelType::kMultiBranch, fresh);
  must(fresh.send_message(*next.announcement_link(), std::vector<uint8_t>{0, 1, 2, 3}));
  must(fresh.send_message(*next.announcement_link(),
                          must(bucket.recv_message(announce))));  // another's announce
  EXPECT_EQ(must(next.send_announce()), *next.announcement_link());
  EXPECT_EQ(next.send_announce().error().code(), Errc::kChannelDuplication);
  Subscriber s("READING-SUB-2", fresh);
  must(s.receive_announcement(*next.announcement_link()));
  EXPECT_TRUE(s.is_multi_branching());
  EXPECT_EQ(s.last_read().refused.size(), 2u);
}


// Junk, a tampered copy and a replay of another message at every address of the bucket.
void squat_everywhere(BucketTransport& bucket) {
  const auto snapshot = bucket.all();
  for (size_t i = 0; i < snapshot.size(); ++i) {
    const auto& [link, bytes] = snapshot[i];
    must(bucket.send_message(link, std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef}));
    MessageBytes flipped = bytes;
    flipped.back() ^= 0x01;
    must(bucket.send_message(link, flipped));
    must(bucket.send_message(link, snapshot[(i + 1) % snapshot.size()].second));
  }
}

TEST(ReadingWalks, NumberedReadsWalksBackAndRecoveryGoThroughSquats) {
  // Single-depth: receive_msg_by_sequence_number.
  BucketTransport depth;
  Author author("WALK-DEPTH-AUTHOR", ChannelType::kSingleDepth, depth);
  Subscriber direct("WALK-DEPTH-READER", depth);
  const Address announce = must(author.send_announce());
  must(direct.receive_announcement(announce));
  must(author.receive_subscribe(must(direct.send_subscribe(announce))));
  const auto k = must(author.send_keyload_for_everyone(announce));
  for (int i = 0; i < 3; ++i) {
    must(author.send_signed_packet(k.msg_link, text("p"), text("depth " + std::to_string(i))));
  }
  squat_everywhere(depth);
  EXPECT_TRUE(must(direct.receive_keyload(k.msg_link)));
  for (uint32_t n = 0; n < 3; ++n) {
    const auto m = must(direct.receive_msg_by_sequence_number(k.msg_link, n));
    EXPECT_EQ(str(m.masked_payload), "depth " + std::to_string(n));
  }
  // Recovery finds its announce among the squats.
  must(Author::recover("WALK-DEPTH-AUTHOR", announce, ChannelType::kSingleDepth, depth));

  // Walking back, through packets and (multi-branch) sequences.
  for (auto type : {ChannelType::kSingleBranch, ChannelType::kMultiBranch}) {
    BucketTransport bucket;
    Author a("WALK-AUTHOR", type, bucket);
    Subscriber s("WALK-READER", bucket);
    const Address an = must(a.send_announce());
    must(s.receive_announcement(an));
    must(a.receive_subscribe(must(s.send_subscribe(an))));
    Address last = must(a.send_keyload_for_everyone(an)).msg_link;
    for (int i = 0; i < 3; ++i) {
      last = must(a.send_signed_packet(last, text("p"), text("m" + std::to_string(i)))).msg_link;
    }
    squat_everywhere(bucket);
    const FetchResult fetched = s.fetch_all_next_msgs();
    EXPECT_EQ(read_list(fetched),
              (std::vector<std::string>{"keyload", "signed:m0", "signed:m1", "signed:m2"}))
        << channel_type_name(type);
    EXPECT_FALSE(fetched.refused.empty());
    const auto walked = must(s.fetch_prev_msgs(last, 10));
    ASSERT_EQ(walked.size(), 3u) << channel_type_name(type);
    EXPECT_EQ(walked[0].kind, Kind::kKeyload);
    EXPECT_EQ(str(walked[2].masked_payload), "m1");
  }
}

}  // namespace
}  // namespace iota_streams::channels
