// Whole flows in process, over the bucket transport, for the three channel types.
#include <gtest/gtest.h>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"
#include "support/vectors.h"

namespace iota_streams::channels {
namespace {

using transports::BucketTransport;

std::vector<uint8_t> text(std::string_view s) { return {s.begin(), s.end()}; }

struct Read {
  std::string kind;
  std::string publisher;
  std::string public_text;
  std::string masked_text;
};

std::vector<Read> summarize(const std::vector<UnwrappedMessage>& messages) {
  std::vector<Read> out;
  for (const auto& m : messages) {
    out.push_back({std::string(kind_name(m.kind)), m.publisher ? to_hex(m.publisher->bytes) : "",
                   std::string(m.public_payload.begin(), m.public_payload.end()),
                   std::string(m.masked_payload.begin(), m.masked_payload.end())});
  }
  return out;
}

TEST(Flow, SingleBranchOriginalPoC) {
  BucketTransport bucket;
  Author author("AUTHOR9SEED", ChannelType::kSingleBranch, bucket);
  Subscriber subscriber("SUBSCRIBERA9SEED", bucket);

  auto announce = author.send_announce();
  ASSERT_TRUE(announce.ok()) << announce.error().message();
  EXPECT_EQ(announce->to_string(),
            "657f9751cb972555032119bdff0ba4a675c82ff55aee3a552ae6aeccad27e0240000000000000000:196753aa70924e009b6c4def");
  ASSERT_TRUE(subscriber.receive_announcement(*announce).ok());
  auto subscribe = subscriber.send_subscribe(*announce);
  ASSERT_TRUE(subscribe.ok()) << subscribe.error().message();
  auto received = author.receive_subscribe(*subscribe);
  ASSERT_TRUE(received.ok()) << received.error().message();

  auto keyload = author.send_keyload_for_everyone(*announce);
  ASSERT_TRUE(keyload.ok()) << keyload.error().message();
  auto p1 = author.send_signed_packet(keyload->msg_link, text("public 1"), text("masked 1"));
  ASSERT_TRUE(p1.ok()) << p1.error().message();
  auto p2 = author.send_signed_packet(p1->msg_link, text("public 2"), text("masked 2"));
  ASSERT_TRUE(p2.ok());
  auto p3 = author.send_tagged_packet(p2->msg_link, text("public 3"), text("masked 3"));
  ASSERT_TRUE(p3.ok());

  auto read = summarize(subscriber.fetch_all_next_msgs());
  ASSERT_EQ(read.size(), 4u);
  EXPECT_EQ(read[0].kind, "keyload");
  EXPECT_EQ(read[1].kind, "signed");
  EXPECT_EQ(read[1].masked_text, "masked 1");
  EXPECT_EQ(read[2].masked_text, "masked 2");
  EXPECT_EQ(read[3].kind, "tagged");
  EXPECT_EQ(read[3].public_text, "public 3");
  EXPECT_EQ(read[3].masked_text, "masked 3");

  // The subscriber publishes, the author reads it.
  auto sp = subscriber.send_tagged_packet(p3->msg_link, text("from sub"), text("secret from sub"));
  ASSERT_TRUE(sp.ok()) << sp.error().message();
  auto author_read = summarize(author.fetch_all_next_msgs());
  ASSERT_EQ(author_read.size(), 1u);
  EXPECT_EQ(author_read[0].masked_text, "secret from sub");

  auto unsubscribe = subscriber.send_unsubscribe(*subscribe);
  ASSERT_TRUE(unsubscribe.ok()) << unsubscribe.error().message();
  auto unsubscribed = author.receive_unsubscribe(*unsubscribe);
  ASSERT_TRUE(unsubscribed.ok()) << unsubscribed.error().message();
}

}  // namespace
}  // namespace iota_streams::channels
