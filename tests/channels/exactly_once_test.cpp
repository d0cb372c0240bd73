// Exactly-once sends (issue 10, item 2): a send whose answer is lost, a transport that is down, a
// crash between saving and publishing, subscribing twice. Whatever happens, no address ever holds
// two different messages of ours, and every message is delivered with the bytes it was first built
// with.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"
#include "support/channel_types.h"
#include "support/results.h"

namespace iota_streams::channels {
namespace {

using test::must;
using test::text;
using transports::BucketTransport;
using Kind = UnwrappedMessage::Kind;

// Wraps a transport and misbehaves on demand: the node stores the message and the answer is lost,
// or the node cannot be reached at all.
class FlakyTransport : public Transport {
 public:
  enum class Mode { kWorks, kStoresThenLosesAnswer, kDown };
  explicit FlakyTransport(Transport& base) : base_(base) {}

  Result<void> send_message(const Address& link, ByteSpan message) override {
    ++sends;
    const bool fail = mode != Mode::kWorks && sends > fail_after;
    if (fail && mode == Mode::kDown)
      return Error(Errc::kTransportFailure, "node unreachable (test)");
    STREAMS_TRY(base_.send_message(link, message));
    if (fail)
      return Error(Errc::kTransportFailure, "answer lost after the node stored the message (test)");
    return {};
  }
  Result<std::vector<MessageBytes>> recv_messages(const Address& link) override {
    if (mode == Mode::kDown) return Error(Errc::kTransportFailure, "node unreachable (test)");
    return base_.recv_messages(link);
  }
  // Fails from the (fail_after + 1)-th send on.
  void misbehave(Mode m, int after = 0) {
    mode = m;
    sends = 0;
    fail_after = after;
  }

  Mode mode = Mode::kWorks;
  int sends = 0;
  int fail_after = 0;

 private:
  Transport& base_;
};

// Every address of the bucket holds one message, or copies of one message.
void expect_one_message_per_address(const BucketTransport& bucket) {
  std::map<std::string, std::set<MessageBytes>> at;
  for (const auto& [address, bytes] : bucket.all()) at[address.to_string()].insert(bytes);
  for (const auto& [address, distinct] : at) {
    EXPECT_EQ(distinct.size(), 1u) << distinct.size() << " different messages at " << address;
  }
}

// The masked payloads of the packets fetched. (Takes the messages as a list, or a fetch result that
// holds them in `messages`, so that this test reads either shape of fetch_all_next_msgs.)
template <class Fetched>
std::vector<std::string> masked_read(const Fetched& fetched) {
  const std::vector<UnwrappedMessage>* messages = nullptr;
  if constexpr (requires { fetched.messages; }) {
    messages = &fetched.messages;
  } else {
    messages = &fetched;
  }
  std::vector<std::string> out;
  for (const auto& m : *messages) {
    if (m.kind == Kind::kSignedPacket || m.kind == Kind::kTaggedPacket) {
      out.emplace_back(m.masked_payload.begin(), m.masked_payload.end());
    }
  }
  return out;
}

struct Channel {
  explicit Channel(ChannelType type)
      : flaky(bucket),
        author("EXACTLY ONCE AUTHOR " + std::string(channel_type_name(type)), type, flaky),
        subscriber("EXACTLY ONCE SUBSCRIBER", bucket) {
    announce = must(author.send_announce());
    must(subscriber.receive_announcement(announce));
    must(author.receive_subscribe(must(subscriber.send_subscribe(announce))));
  }
  BucketTransport bucket;
  FlakyTransport flaky;
  Author author;
  Subscriber subscriber;
  Address announce;
};

class ExactlyOnce : public ::testing::TestWithParam<ChannelType> {};

// The plain send_* calls after lost answers and an unreachable node: a retry builds nothing new
// until the pending message is delivered, and delivery finds it where the lost answer left it.
TEST_P(ExactlyOnce, LostAnswersNeverPutTwoMessagesAtOneAddress) {
  Channel c(GetParam());
  c.flaky.misbehave(FlakyTransport::Mode::kStoresThenLosesAnswer);
  auto lost = c.author.send_keyload_for_everyone(c.announce);
  ASSERT_FALSE(lost.ok());
  EXPECT_NE(lost.error().message().find("stays pending"), std::string::npos)
      << lost.error().message();
  ASSERT_TRUE(c.author.has_pending());
  const Address keyload = c.author.pending_messages().front().link;

  c.flaky.misbehave(FlakyTransport::Mode::kWorks);
  auto retry = c.author.send_keyload_for_everyone(c.announce);  // what a caller does after an error
  ASSERT_FALSE(retry.ok());
  EXPECT_EQ(retry.error().code(), Errc::kMessageBuildFailure);
  EXPECT_NE(retry.error().message().find("publish_pending"), std::string::npos)
      << retry.error().message();
  EXPECT_EQ(c.flaky.sends, 0);
  must(c.author.publish_pending());
  // Found at its address, not sent again (a multi-branch keyload's sequence message had not gone
  // yet).
  EXPECT_EQ(c.flaky.sends, c.author.is_multi_branching() ? 1 : 0);
  EXPECT_FALSE(c.author.has_pending());

  c.flaky.misbehave(FlakyTransport::Mode::kStoresThenLosesAnswer);
  EXPECT_FALSE(c.author.send_signed_packet(keyload, text("p"), text("first")).ok());
  const Address first = c.author.pending_messages().front().link;
  c.flaky.misbehave(FlakyTransport::Mode::kDown);
  EXPECT_FALSE(c.author.publish_pending().ok());
  EXPECT_TRUE(c.author.has_pending());
  c.flaky.misbehave(FlakyTransport::Mode::kWorks);
  must(c.author.publish_pending());
  // Single-depth packets link to the channel's anchor, the others to the previous message.
  must(c.author.send_signed_packet(c.author.is_single_depth() ? keyload : first, text("p"),
                                   text("second")));

  expect_one_message_per_address(c.bucket);
  EXPECT_EQ(c.bucket.recv_messages(first)->size(), 1u);
  // The first packet (its answer lost) and the second, each once; nothing else.
  EXPECT_EQ(masked_read(c.subscriber.fetch_all_next_msgs().messages),
            (std::vector<std::string>{"first", "second"}));
}

// A message whose sequence message could not be sent: the sequence stays pending and goes out
// unchanged.
TEST_P(ExactlyOnce, HalfPublishedPairIsCompleted) {
  Channel c(GetParam());
  const auto keyload = must(c.author.send_keyload_for_everyone(c.announce));
  c.flaky.misbehave(FlakyTransport::Mode::kDown,
                    1);  // the packet goes, its sequence (if any) does not
  const auto sent = c.author.send_signed_packet(keyload.msg_link, text("p"), text("one"));
  EXPECT_EQ(sent.ok(), !c.author.is_multi_branching());
  EXPECT_EQ(c.author.has_pending(), c.author.is_multi_branching());
  c.flaky.misbehave(FlakyTransport::Mode::kWorks);
  must(c.author.publish_pending());
  EXPECT_FALSE(c.author.has_pending());
  expect_one_message_per_address(c.bucket);
  EXPECT_EQ(masked_read(c.subscriber.fetch_all_next_msgs().messages),
            (std::vector<std::string>{"one"}));
}

INSTANTIATE_TEST_SUITE_P(AllTypes, ExactlyOnce, test::all_channel_types(),
                         test::channel_type_test_name);

// The two phases with a save in between, and a crash at each point: before publishing, and after
// publishing but before the cleared state was saved.
TEST(ExactlyOnceTwoPhase, SavedPendingMessageIsDeliveredOnceAfterACrash) {
  Channel c(ChannelType::kMultiBranch);
  const auto keyload = must(c.author.send_keyload_for_everyone(c.announce));

  // Crash after the save, before publishing.
  const auto links = must(c.author.prepare_signed_packet(keyload.msg_link, text("p"), text("one")));
  ASSERT_EQ(c.author.pending_messages().size(), 2u);  // the packet and its sequence
  EXPECT_EQ(c.author.pending_messages()[0].link, links.msg_link);
  auto saved = must(c.author.export_state("pw", StateFormat::kNative, {1, 8}));
  EXPECT_TRUE(c.bucket.recv_messages(links.msg_link)->empty());  // nothing published yet
  {
    auto restarted = must(Author::import_state(saved, "pw", c.flaky));
    EXPECT_EQ(restarted.state(), c.author.state());  // the pending messages travel with the state
    // The restarted process is offline at first: the error is returned, the message stays pending.
    c.flaky.misbehave(FlakyTransport::Mode::kDown);
    EXPECT_FALSE(restarted.publish_pending().ok());
    EXPECT_TRUE(restarted.has_pending());
    c.flaky.misbehave(FlakyTransport::Mode::kWorks);
    must(restarted.publish_pending());
    EXPECT_EQ(c.flaky.sends, 2);
    EXPECT_FALSE(restarted.has_pending());
  }

  // Crash after publishing, before the cleared state was saved: found there, not sent again.
  auto again = must(Author::import_state(saved, "pw", c.flaky));
  c.flaky.misbehave(FlakyTransport::Mode::kWorks);
  must(again.publish_pending());
  EXPECT_EQ(c.flaky.sends, 0);
  EXPECT_EQ(c.bucket.recv_messages(links.msg_link)->size(), 1u);

  const auto next = must(again.send_signed_packet(keyload.msg_link, text("p"), text("two")));
  EXPECT_NE(next.msg_link, links.msg_link);
  expect_one_message_per_address(c.bucket);
  EXPECT_EQ(masked_read(c.subscriber.fetch_all_next_msgs().messages),
            (std::vector<std::string>{"one", "two"}));
}

TEST(ExactlyOnceTwoPhase, NothingNewIsBuiltAndNoOfficialExportWhilePending) {
  Channel c(ChannelType::kSingleBranch);
  const auto keyload = must(c.author.prepare_keyload_for_everyone(c.announce));
  const auto before = c.author.state().key_store;

  auto refused = c.author.prepare_signed_packet(keyload.msg_link, text("p"), text("m"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::kMessageBuildFailure);
  EXPECT_NE(refused.error().message().find("publish_pending"), std::string::npos)
      << refused.error().message();
  EXPECT_EQ(c.author.state().key_store, before);

  auto official = c.author.export_state("pw", StateFormat::kOfficial);
  ASSERT_FALSE(official.ok());
  EXPECT_NE(official.error().message().find("pending"), std::string::npos)
      << official.error().message();

  must(c.author.publish_pending());
  EXPECT_TRUE(c.author.export_state("pw", StateFormat::kOfficial).ok());
  must(c.author.send_signed_packet(keyload.msg_link, text("p"), text("m")));
  EXPECT_EQ(masked_read(c.subscriber.fetch_all_next_msgs().messages),
            (std::vector<std::string>{"m"}));
}

TEST(ExactlyOnceTwoPhase, SubscribingTwiceSendsTheSameSubscription) {
  BucketTransport bucket;
  Author author("SUBSCRIBE TWICE AUTHOR", ChannelType::kSingleBranch, bucket);
  const Address announce = must(author.send_announce());
  Subscriber subscriber("SUBSCRIBE TWICE SUBSCRIBER", bucket);
  must(subscriber.receive_announcement(announce));
  const Address first = must(subscriber.send_subscribe(announce));
  const Address second = must(subscriber.send_subscribe(announce));
  EXPECT_EQ(first, second);
  // And from a saved state, as a second CLI run does.
  auto saved = must(subscriber.export_state("pw", StateFormat::kNative, {1, 8}));
  auto restarted = must(Subscriber::import_state(saved, "pw", bucket));
  EXPECT_EQ(must(restarted.send_subscribe(announce)), first);
  EXPECT_EQ(bucket.recv_messages(first)->size(), 1u);
  must(author.receive_subscribe(first));

  // A state from the official format has no bytes to send again: refused rather than a second
  // message.
  auto official = must(subscriber.export_state("pw", StateFormat::kOfficial));
  auto from_official =
      must(Subscriber::import_state(official, "pw", bucket, StateFormat::kOfficial));
  auto refused = from_official.send_subscribe(announce);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("already subscribed"), std::string::npos)
      << refused.error().message();
  EXPECT_EQ(bucket.recv_messages(first)->size(), 1u);
}

// A state file written by the previous version of our format (1, before pending messages) still
// imports.
TEST(ExactlyOnceTwoPhase, Version1StateFileStillImports) {
  std::ifstream in(std::string(STREAMS_VECTORS_DIR) + "/state/author-v1.state", std::ios::binary);
  ASSERT_TRUE(in) << "missing tests/vectors/state/author-v1.state";
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                   std::istreambuf_iterator<char>()};
  ASSERT_EQ(bytes[8], 1);  // the version byte after the magic
  BucketTransport bucket;
  auto author = must(Author::import_state(bytes, "v1 password", bucket));
  EXPECT_FALSE(author.has_pending());
  // `streams author create --seed STATE9V1` (single-branch), by the version before this one.
  Author expected("STATE9V1", ChannelType::kSingleBranch, bucket);
  EXPECT_EQ(author.state(), expected.state());
  // Saved again, it is a version 3 file (2 is the sealed device form's).
  auto saved = must(author.export_state("pw", StateFormat::kNative, {1, 8}));
  EXPECT_EQ(saved[8], 3);
  EXPECT_EQ(must(state_role(saved, StateFormat::kNative)), Role::kAuthor);
  saved[8] = 2;
  auto refused = state_role(saved, StateFormat::kNative);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("version"), std::string::npos)
      << refused.error().message();
  EXPECT_FALSE(Author::import_state(saved, "pw", bucket).ok());
}

}  // namespace
}  // namespace iota_streams::channels
