// Errors without heap traffic: an error made from a code, a static text and a place (message id,
// byte offset) is created, copied and moved through Results without one allocation, and its text is
// built only when asked for; a message refused by a receiver comes back in that form.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "iota_streams/base/error.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/transports/bucket.h"
#include "support/override_transport.h"

// Every allocation of this program is counted (malloc/free underneath, so new and delete still
// pair).
namespace {
long g_allocations = 0;
}
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace iota_streams {
namespace {

constexpr uint8_t kMsgId[Error::kMsgIdBytes] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xab};

TEST(Error, MadeCopiedAndMovedWithoutTheHeap) {
  const long before = g_allocations;
  Result<int> made =
      Error(Errc::kBadMac, STREAMS_TEXT("MAC check failed"), "keyload", kMsgId, Error::kNoOffset);
  Result<int> copy = made;
  Result<int> moved = std::move(copy);
  Result<void> as_void = moved.error();
  Error assigned(Errc::kInternal, "x", nullptr, nullptr, Error::kNoOffset);
  assigned = as_void.error();
  EXPECT_EQ(assigned.code(), Errc::kBadMac);
  EXPECT_FALSE(assigned.has_text());
  EXPECT_EQ(g_allocations, before) << "no allocation until the text is asked for";

  EXPECT_EQ(moved.error().message(),
            "keyload at message 000102030405060708090aab: MAC check failed: bad MAC");
  EXPECT_TRUE(moved.error().has_text());
  EXPECT_EQ(assigned.message(), moved.error().message());
}

TEST(Error, AsLargeAsBeforeWithLibstdcxx) {
#if defined(__GLIBCXX__)
  // The parts take the room of the string: a code and a string, as before (Results stay their
  // size).
  EXPECT_EQ(sizeof(Error), alignof(std::string) + sizeof(std::string));
#else
  GTEST_SKIP() << "libc++'s string is smaller than the parts (README: Errors on a device)";
#endif
}

TEST(Error, TextOfEachPlace) {
  EXPECT_EQ(
      Error(Errc::kStreamTooShort, "truncated", "signed packet", kMsgId, 17).message(),
      "signed packet at message 000102030405060708090aab: truncated at byte 17: stream too short");
  EXPECT_EQ(Error(Errc::kBadOneof, "", nullptr, nullptr, 3).message(), "at byte 3: bad oneof");
  EXPECT_EQ(Error(Errc::kBadMac, "", "keyload", kMsgId, Error::kNoOffset).message(),
            "keyload at message 000102030405060708090aab: bad MAC")
      << "a build without texts keeps code and place";
  // The codec's status: the same text as before it was built lazily.
  EXPECT_EQ(ddml::to_error(ddml::fail(Errc::kStreamTooShort, "absorb u8", 40)).message(),
            "absorb u8 at byte 40: stream too short");
}

TEST(Error, TextErrorsAndPrefixAsBefore) {
  Error text(Errc::kInvalidArgument, std::string("made by the caller"));
  EXPECT_TRUE(text.has_text());
  EXPECT_EQ(text.message(), "made by the caller");
  Error lazy(Errc::kBadMac, "MAC check failed", "tagged packet", kMsgId, Error::kNoOffset);
  lazy.prefix("while fetching");
  EXPECT_EQ(lazy.message(),
            "while fetching: tagged packet at message 000102030405060708090aab: MAC check failed: "
            "bad MAC");
  text = lazy;
  EXPECT_EQ(text.message(), lazy.message());
  Error moved_into(std::move(lazy));
  EXPECT_EQ(moved_into.code(), Errc::kBadMac);
}

TEST(Error, ARefusedMessageComesBackWithoutItsText) {
  using namespace channels;
  transports::BucketTransport bucket;
  Author author("ERROR TEST AUTHOR", ChannelType::kSingleBranch, bucket);
  Subscriber subscriber("ERROR TEST SUBSCRIBER", bucket);
  auto announcement = author.send_announce();
  ASSERT_TRUE(announcement.ok());
  ASSERT_TRUE(subscriber.receive_announcement(*announcement).ok());
  auto subscription = subscriber.send_subscribe(*announcement);
  ASSERT_TRUE(subscription.ok());
  ASSERT_TRUE(author.receive_subscribe(*subscription).ok());
  auto keyload = author.send_keyload_for_everyone(*announcement);
  ASSERT_TRUE(keyload.ok());
  ASSERT_TRUE(subscriber.receive_keyload(keyload->msg_link).ok());
  const uint8_t masked[] = {'m', 'a', 's', 'k', 'e', 'd'};
  auto packet = author.send_tagged_packet(keyload->msg_link, {}, masked);
  ASSERT_TRUE(packet.ok());
  auto stored = bucket.recv_messages(packet->msg_link);
  ASSERT_TRUE(stored.ok());
  MessageBytes altered = stored->front();
  altered[altered.size() - 33] ^= 0x80;  // the masked payload's last byte, before the 32-byte MAC
  test::OverrideTransport tampered(bucket, packet->msg_link, altered);
  subscriber.set_transport(tampered);
  auto read = subscriber.receive_tagged_packet(packet->msg_link);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), Errc::kBadMac);
  EXPECT_FALSE(read.error().has_text()) << "the refusal built its text: " << read.error().message();
  EXPECT_NE(read.error().message().find("tagged packet at message " +
                                        to_hex(packet->msg_link.msgid.bytes)),
            std::string::npos)
      << read.error().message();
}

}  // namespace
}  // namespace iota_streams
