// Export and import: our format round-trips every state exactly (PSKs, anchor, PSK publishing
// included) in every channel type; the official format round-trips what it can carry; a wrong
// password or any single flipped byte is an error, never a crash or a partial state.
#include <gtest/gtest.h>

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

constexpr crypto::PasswordCost kFastCost{1, 8};  // the minimum Argon2id cost: fast tests

// A channel with an author, a subscriber holding a PSK (publishing under it) and a keyload, packets
// read.
struct Populated {
  explicit Populated(ChannelType type)
      : author("STATE-AUTHOR", type, bucket), subscriber("STATE-SUBSCRIBER", bucket) {
    announce = must(author.send_announce());
    EXPECT_TRUE(subscriber.receive_announcement(announce).ok());
    EXPECT_TRUE(author.receive_subscribe(must(subscriber.send_subscribe(announce))).ok());
    must(author.store_psk("state psk"));
    must(subscriber.store_psk("state psk"));
    keyload = must(author.send_keyload_for_everyone(announce)).msg_link;
    last = must(author.send_signed_packet(keyload, text("p"), text("m"))).msg_link;
    (void)subscriber.sync_state();
  }
  BucketTransport bucket;
  Author author;
  Subscriber subscriber;
  Address announce, keyload, last;
};

class StateRoundTrip : public ::testing::TestWithParam<ChannelType> {};

TEST_P(StateRoundTrip, NativeFormatKeepsEverything) {
  Populated p(GetParam());
  const auto author_bytes =
      must(p.author.export_state("author password", StateFormat::kNative, kFastCost));
  const auto subscriber_bytes =
      must(p.subscriber.export_state("sub password", StateFormat::kNative, kFastCost));
  Author author = must(Author::import_state(author_bytes, "author password", p.bucket));
  Subscriber subscriber =
      must(Subscriber::import_state(subscriber_bytes, "sub password", p.bucket));
  EXPECT_TRUE(author.state() == p.author.state());
  EXPECT_TRUE(subscriber.state() == p.subscriber.state());
  EXPECT_TRUE(subscriber.state().use_psk);
  EXPECT_TRUE(subscriber.state().anchor.has_value());

  // Both go on: the imported author publishes, the imported subscriber reads it.
  const auto next =
      must(author.send_tagged_packet(GetParam() == ChannelType::kSingleDepth ? p.keyload : p.last,
                                     text("after import"), text("still secret")));
  const auto read = subscriber.fetch_all_next_msgs().messages;
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].link, next.msg_link);
  EXPECT_EQ(std::string(read[0].masked_payload.begin(), read[0].masked_payload.end()),
            "still secret");
}

TEST_P(StateRoundTrip, OfficialFormatKeepsWhatItCanCarry) {
  Populated p(GetParam());
  const auto bytes = must(p.subscriber.export_state("pw", StateFormat::kOfficial));
  // Deterministic: no salt, no randomness (user.rs export).
  EXPECT_EQ(bytes, must(p.subscriber.export_state("pw", StateFormat::kOfficial)));
  Subscriber back = must(Subscriber::import_state(bytes, "pw", p.bucket, StateFormat::kOfficial));
  const UserState& got = back.state();
  const UserState& want = p.subscriber.state();
  EXPECT_TRUE(got.link_store == want.link_store);
  EXPECT_EQ(got.announcement, want.announcement);
  EXPECT_EQ(got.author_public_key, want.author_public_key);
  EXPECT_EQ(got.flags, want.flags);
  EXPECT_EQ(got.keys.signing.public_key(), want.keys.signing.public_key());
  // What the official format drops: PSK secrets and the PSK-publishing flag.
  EXPECT_FALSE(got.use_psk);
  ASSERT_TRUE(want.key_store.next_psk_id().has_value());
  EXPECT_FALSE(got.key_store.next_psk_id().has_value());
  EXPECT_TRUE(
      got.key_store.contains(*want.key_store.next_psk_id()));  // the identity and its cursor remain
  for (const auto* entry : want.key_store.entries()) {
    ASSERT_NE(got.key_store.cursor(entry->id), nullptr);
    EXPECT_EQ(*got.key_store.cursor(entry->id), entry->cursor);
  }
  // The author's state too, and it still publishes.
  Author author =
      must(Author::import_state(must(p.author.export_state("a", StateFormat::kOfficial)), "a",
                                p.bucket, StateFormat::kOfficial));
  EXPECT_TRUE(author
                  .send_signed_packet(GetParam() == ChannelType::kSingleDepth ? p.keyload : p.last,
                                      text("x"), text("y"))
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(AllTypes, StateRoundTrip, test::all_channel_types(),
                         test::channel_type_test_name);

TEST(State, WrongPasswordAndWrongRoleAreClearErrors) {
  Populated p(ChannelType::kSingleBranch);
  for (auto format : {StateFormat::kNative, StateFormat::kOfficial}) {
    const auto bytes = must(p.author.export_state("right", format, kFastCost));
    auto wrong = Author::import_state(bytes, "wrong", p.bucket, format);
    ASSERT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error().message().find("wrong password"), std::string::npos)
        << wrong.error().message();
    auto role = Subscriber::import_state(bytes, "right", p.bucket, format);
    ASSERT_FALSE(role.ok());
    EXPECT_NE(role.error().message().find("belongs to an author"), std::string::npos)
        << role.error().message();
  }
}

TEST(State, EverySingleByteFlipIsAnErrorInBothFormats) {
  Populated p(ChannelType::kMultiBranch);
  for (auto format : {StateFormat::kNative, StateFormat::kOfficial}) {
    const auto bytes = must(p.subscriber.export_state("pw", format, kFastCost));
    for (size_t i = 0; i < bytes.size(); ++i) {
      auto copy = bytes;
      copy[i] ^= 0x01;
      ASSERT_FALSE(Subscriber::import_state(copy, "pw", p.bucket, format).ok())
          << (format == StateFormat::kNative ? "native" : "official") << " byte " << i;
    }
    for (size_t n = 0; n < bytes.size(); n += 7) {  // truncations
      std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      ASSERT_FALSE(Subscriber::import_state(cut, "pw", p.bucket, format).ok()) << n;
    }
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_FALSE(Subscriber::import_state(longer, "pw", p.bucket, format).ok());
  }
}

TEST(State, OfficialExportKnownKeyAndLayout) {
  // The official layout starts with version 0 and the role flag in clear; the rest is keyed by
  // the password (digest C §4).
  Populated p(ChannelType::kSingleBranch);
  const auto bytes = must(p.author.export_state("password", StateFormat::kOfficial));
  ASSERT_GT(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(bytes[1], 0);
  const auto sub = must(p.subscriber.export_state("password", StateFormat::kOfficial));
  EXPECT_EQ(sub[1], 1);
}

}  // namespace
}  // namespace iota_streams::channels
