// The C API's exactly-once sends (prepare, save, publish_pending) and fetch results (messages read
// before a transport failure handed out with the transport's error; refused junk counted).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "handles.h"
#include "iota_streams/channels.h"
#include "iota_streams/device_state.h"
#include "iota_streams/transports/bucket.h"

namespace {

namespace cs = iota_streams::channels;
using iota_streams::ByteSpan;
using iota_streams::Errc;
using iota_streams::Error;
using iota_streams::Result;

// A bucket whose sends and receives can be made to fail: a send can store and then fail (the answer
// lost), and receives can fail from one address on.
class FlakyTransport : public cs::Transport {
 public:
  enum class Send { kOk, kStoreThenFail, kFail };

  Result<void> send_message(const cs::Address& link, ByteSpan message) override {
    ++sends;
    if (send_mode == Send::kFail)
      return Error(Errc::kTransportFailure, "the test's transport refuses sends");
    auto stored = bucket.send_message(link, message);
    if (!stored.ok()) return stored;
    if (send_mode == Send::kStoreThenFail)
      return Error(Errc::kTransportFailure, "the answer was lost");
    return {};
  }
  Result<std::vector<cs::MessageBytes>> recv_messages(const cs::Address& link) override {
    if (dead || (fail_from && link == *fail_from)) dead = true;
    if (dead) return Error(Errc::kTransportFailure, "the test's transport is down");
    return bucket.recv_messages(link);
  }
  size_t count_at(const cs::Address& link) {
    auto there = bucket.recv_messages(link);
    return there.ok() ? there->size() : 0;
  }

  iota_streams::transports::BucketTransport bucket;
  Send send_mode = Send::kOk;
  bool dead = false;
  std::optional<cs::Address> fail_from;  // receives fail from the first read of this address on
  size_t sends = 0;
};

// A C transport handle over a FlakyTransport the test can reach.
struct Flaky {
  FlakyTransport* impl = new FlakyTransport;
  streams_transport_t* handle = new streams_transport{std::unique_ptr<cs::Transport>(impl)};
  ~Flaky() { streams_transport_drop(handle); }
};

// The C++ address of a C address handle (through its text form: the handle's struct is private).
cs::Address addr(const streams_address_t* link) {
  char text[STREAMS_ADDRESS_STR_SIZE];
  EXPECT_EQ(streams_get_address_str(text, sizeof text, link), STREAMS_ERR_OK);
  auto parsed = cs::Address::parse(text);
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? *parsed : cs::Address{};
}

const uint8_t kMasked[] = {'s', 'e', 'c', 'r', 'e', 't'};

bool pending(const streams_author_t* author) {
  bool out = false;
  EXPECT_EQ(streams_auth_has_pending(&out, author), STREAMS_ERR_OK);
  return out;
}

bool pending(const streams_subscriber_t* sub) {
  bool out = false;
  EXPECT_EQ(streams_sub_has_pending(&out, sub), STREAMS_ERR_OK);
  return out;
}

// An author with its announce and a keyload for the stored subscriber "EO SUBSCRIBER".
struct Channel {
  Flaky transport;
  streams_author_t* author = nullptr;
  streams_address_t* announcement = nullptr;
  streams_message_links_t keyload{};

  Channel() {
    EXPECT_EQ(streams_auth_new(&author, "EO AUTHOR", STREAMS_SINGLE_BRANCH, transport.handle),
              STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_send_announce(&announcement, author), STREAMS_ERR_OK);
    streams_subscriber_t* sub = subscriber();
    streams_public_key_t key{};
    EXPECT_EQ(streams_sub_get_public_key(&key, sub), STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_store_new_subscriber(author, &key), STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_send_keyload_for_everyone(&keyload, author, announcement),
              STREAMS_ERR_OK);
    streams_sub_drop(sub);
  }
  ~Channel() {
    streams_drop_links(keyload);
    streams_drop_address(announcement);
    streams_auth_drop(author);
  }
  // A subscriber that has read the announce.
  streams_subscriber_t* subscriber() {
    streams_subscriber_t* sub = nullptr;
    EXPECT_EQ(streams_sub_new(&sub, "EO SUBSCRIBER", transport.handle), STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);
    return sub;
  }
  // Exports and imports the author: what a device does across a crash.
  void restart_author() {
    streams_buffer_t saved{};
    ASSERT_EQ(streams_auth_export(&saved, author, "pw"), STREAMS_ERR_OK);
    streams_auth_drop(author);
    author = nullptr;
    ASSERT_EQ(streams_auth_import(&author, saved, "pw", transport.handle), STREAMS_ERR_OK)
        << streams_last_error();
    streams_drop_buffer(saved);
  }
};

TEST(CApiExactlyOnce, PrepareSaveRestartPublishDeliversThePreparedBytesOnce) {
  Channel c;
  EXPECT_FALSE(pending(c.author));
  const size_t sends_before = c.transport.impl->sends;
  streams_message_links_t packet{};
  ASSERT_EQ(streams_auth_prepare_signed_packet(&packet, c.author, c.keyload, nullptr, 0, kMasked,
                                               sizeof kMasked),
            STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_TRUE(pending(c.author));
  EXPECT_EQ(c.transport.impl->sends, sends_before) << "prepare publishes nothing";
  EXPECT_EQ(c.transport.impl->count_at(addr(packet.msg_link)), 0u);

  // While a message is pending, nothing new is built.
  streams_message_links_t refused{};
  EXPECT_EQ(streams_auth_send_tagged_packet(&refused, c.author, c.keyload, nullptr, 0, kMasked,
                                            sizeof kMasked),
            STREAMS_ERR_MESSAGE_BUILD);
  EXPECT_EQ(streams_auth_prepare_tagged_packet(&refused, c.author, c.keyload, nullptr, 0, kMasked,
                                               sizeof kMasked),
            STREAMS_ERR_MESSAGE_BUILD);
  EXPECT_NE(std::string(streams_last_error()).find("pending"), std::string::npos)
      << streams_last_error();

  c.restart_author();  // saved between the phases, then a crash
  EXPECT_TRUE(pending(c.author)) << "the saved state holds the pending message";
  ASSERT_EQ(streams_auth_publish_pending(c.author), STREAMS_ERR_OK) << streams_last_error();
  EXPECT_FALSE(pending(c.author));
  EXPECT_EQ(c.transport.impl->count_at(addr(packet.msg_link)), 1u);
  EXPECT_EQ(streams_auth_publish_pending(c.author), STREAMS_ERR_OK) << "nothing pending: success";
  EXPECT_EQ(c.transport.impl->count_at(addr(packet.msg_link)), 1u);

  // The subscriber reads the prepared packet.
  streams_subscriber_t* sub = c.subscriber();
  streams_unwrapped_messages_t* read = nullptr;
  ASSERT_EQ(streams_sub_sync_state(&read, sub), STREAMS_ERR_OK) << streams_last_error();
  ASSERT_EQ(streams_get_payloads_count(read), 2u);  // keyload, packet
  const streams_packet_payloads_t payload = streams_get_indexed_payload(read, 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(payload.masked_payload.ptr),
                        payload.masked_payload.size),
            "secret");
  streams_drop_unwrapped_messages(read);
  streams_sub_drop(sub);
  streams_drop_links(packet);
}

TEST(CApiExactlyOnce, AStoredSendWhoseAnswerWasLostIsNotPublishedTwice) {
  Channel c;
  c.transport.impl->send_mode = FlakyTransport::Send::kStoreThenFail;
  streams_message_links_t packet{};
  EXPECT_EQ(streams_auth_send_tagged_packet(&packet, c.author, c.keyload, nullptr, 0, kMasked,
                                            sizeof kMasked),
            STREAMS_ERR_TRANSPORT);
  EXPECT_NE(std::string(streams_last_error()).find("stays pending"), std::string::npos)
      << streams_last_error();
  EXPECT_TRUE(pending(c.author));
  c.restart_author();

  c.transport.impl->send_mode =
      FlakyTransport::Send::kFail;  // still down: the message stays pending
  c.transport.impl->dead = true;
  EXPECT_EQ(streams_auth_publish_pending(c.author), STREAMS_ERR_TRANSPORT);
  EXPECT_TRUE(pending(c.author));

  c.transport.impl->send_mode = FlakyTransport::Send::kOk;
  c.transport.impl->dead = false;
  const size_t sends_before = c.transport.impl->sends;
  ASSERT_EQ(streams_auth_publish_pending(c.author), STREAMS_ERR_OK) << streams_last_error();
  EXPECT_FALSE(pending(c.author));
  EXPECT_EQ(c.transport.impl->sends, sends_before) << "found at its address: not sent again";

  streams_subscriber_t* sub = c.subscriber();
  streams_unwrapped_messages_t* read = nullptr;
  ASSERT_EQ(streams_sub_sync_state(&read, sub), STREAMS_ERR_OK) << streams_last_error();
  ASSERT_EQ(streams_get_payloads_count(read), 2u);
  EXPECT_EQ(streams_get_message_kind(streams_get_indexed_message(read, 1)),
            STREAMS_MESSAGE_TAGGED_PACKET);
  streams_drop_unwrapped_messages(read);
  streams_sub_drop(sub);
}

TEST(CApiExactlyOnce, SubscriberPreparesSubscriptionAndPacket) {
  Flaky transport;
  streams_author_t* author = nullptr;
  streams_address_t* announcement = nullptr;
  ASSERT_EQ(streams_auth_new(&author, "EO AUTHOR 2", STREAMS_MULTI_BRANCH, transport.handle),
            STREAMS_ERR_OK);
  ASSERT_EQ(streams_auth_send_announce(&announcement, author), STREAMS_ERR_OK);
  streams_subscriber_t* sub = nullptr;
  ASSERT_EQ(streams_sub_new(&sub, "EO SUBSCRIBER 2", transport.handle), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);

  streams_address_t* subscription = nullptr;
  ASSERT_EQ(streams_sub_prepare_subscribe(&subscription, sub, announcement), STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_TRUE(pending(sub));
  EXPECT_EQ(transport.impl->count_at(addr(subscription)), 0u);
  streams_buffer_t saved{};
  ASSERT_EQ(streams_sub_export(&saved, sub, "pw"), STREAMS_ERR_OK);
  streams_sub_drop(sub);
  sub = nullptr;
  ASSERT_EQ(streams_sub_import(&sub, saved, "pw", transport.handle), STREAMS_ERR_OK)
      << streams_last_error();
  streams_drop_buffer(saved);
  EXPECT_TRUE(pending(sub));
  ASSERT_EQ(streams_sub_publish_pending(sub), STREAMS_ERR_OK) << streams_last_error();
  EXPECT_FALSE(pending(sub));
  ASSERT_EQ(streams_auth_receive_subscribe(author, subscription), STREAMS_ERR_OK)
      << streams_last_error();

  streams_message_links_t keyload{};
  ASSERT_EQ(streams_auth_prepare_keyload_for_everyone(&keyload, author, announcement),
            STREAMS_ERR_OK)
      << streams_last_error();
  ASSERT_NE(keyload.seq_link, nullptr) << "multi-branch: a sequence message too";
  EXPECT_EQ(transport.impl->count_at(addr(keyload.msg_link)), 0u);
  ASSERT_EQ(streams_auth_publish_pending(author), STREAMS_ERR_OK) << streams_last_error();
  EXPECT_EQ(transport.impl->count_at(addr(keyload.msg_link)), 1u);
  EXPECT_EQ(transport.impl->count_at(addr(keyload.seq_link)), 1u);
  uint8_t access = 0;
  ASSERT_EQ(streams_sub_receive_keyload(&access, sub, keyload.msg_link), STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_EQ(access, 1);

  streams_message_links_t packet{};
  ASSERT_EQ(
      streams_sub_prepare_tagged_packet(&packet, sub, keyload, nullptr, 0, kMasked, sizeof kMasked),
      STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_TRUE(pending(sub));
  ASSERT_EQ(streams_sub_publish_pending(sub), STREAMS_ERR_OK) << streams_last_error();
  streams_packet_payloads_t payloads{};
  ASSERT_EQ(streams_auth_receive_tagged_packet(&payloads, author, packet.msg_link), STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_EQ(payloads.masked_payload.size, sizeof kMasked);
  streams_drop_payloads(payloads);

  streams_drop_links(packet);
  streams_drop_links(keyload);
  streams_drop_address(subscription);
  streams_sub_drop(sub);
  streams_drop_address(announcement);
  streams_auth_drop(author);
}

// Two flash slots in RAM behind the C callbacks of device_state.h.
struct RamFlash {
  static constexpr size_t kSlotSize = 8192;
  std::array<std::vector<uint8_t>, 2> slots{std::vector<uint8_t>(kSlotSize, 0xFF),
                                            std::vector<uint8_t>(kSlotSize, 0xFF)};

  static int read(void* context, unsigned slot, size_t offset, uint8_t* out, size_t size) {
    auto& bytes = static_cast<RamFlash*>(context)->slots.at(slot);
    if (offset + size > bytes.size()) return -1;
    std::memcpy(out, bytes.data() + offset, size);
    return 0;
  }
  static int erase(void* context, unsigned slot) {
    auto& bytes = static_cast<RamFlash*>(context)->slots.at(slot);
    std::fill(bytes.begin(), bytes.end(), 0xFF);
    return 0;
  }
  static int write(void* context, unsigned slot, size_t offset, const uint8_t* data, size_t size) {
    auto& bytes = static_cast<RamFlash*>(context)->slots.at(slot);
    if (offset + size > bytes.size()) return -1;
    std::memcpy(bytes.data() + offset, data, size);
    return 0;
  }
  streams_flash_t callbacks() { return {this, kSlotSize, read, erase, write}; }
};

TEST(CApiExactlyOnce, DeviceStateSavedBetweenThePhasesKeepsThePendingMessage) {
  Channel c;
  RamFlash ram;
  const streams_flash_t flash = ram.callbacks();
  const uint8_t key[STREAMS_DEVICE_KEY_SIZE] = {4, 2};
  streams_device_state_t* store = nullptr;
  ASSERT_EQ(streams_device_state_open(&store, &flash, key), STREAMS_DEVICE_STATE_OK);

  streams_message_links_t keyload{};
  ASSERT_EQ(
      streams_auth_prepare_keyload(&keyload, c.author, c.announcement, nullptr, 0, nullptr, 0),
      STREAMS_ERR_OK)
      << streams_last_error();
  ASSERT_EQ(streams_device_state_save_author(store, c.author), STREAMS_DEVICE_STATE_OK)
      << streams_device_state_last_error();
  c.transport.impl->send_mode =
      FlakyTransport::Send::kFail;  // the publish fails: a power cut would do the same
  EXPECT_EQ(streams_auth_publish_pending(c.author), STREAMS_ERR_TRANSPORT);
  streams_auth_drop(c.author);
  c.author = nullptr;

  c.transport.impl->send_mode = FlakyTransport::Send::kOk;
  ASSERT_EQ(streams_device_state_load_author(&c.author, store, c.transport.handle),
            STREAMS_DEVICE_STATE_OK)
      << streams_device_state_last_error();
  EXPECT_TRUE(pending(c.author));
  ASSERT_EQ(streams_auth_publish_pending(c.author), STREAMS_ERR_OK) << streams_last_error();
  EXPECT_FALSE(pending(c.author));
  EXPECT_EQ(c.transport.impl->count_at(addr(keyload.msg_link)), 1u);
  streams_device_state_close(store);
  streams_drop_links(keyload);
}

TEST(CApiExactlyOnce, PendingCallsCheckTheirArguments) {
  bool out = true;
  EXPECT_EQ(streams_auth_has_pending(&out, nullptr), STREAMS_ERR_NULL_ARGUMENT);
  EXPECT_EQ(streams_sub_has_pending(&out, nullptr), STREAMS_ERR_NULL_ARGUMENT);
  EXPECT_EQ(streams_auth_publish_pending(nullptr), STREAMS_ERR_NULL_ARGUMENT);
  EXPECT_EQ(streams_sub_publish_pending(nullptr), STREAMS_ERR_NULL_ARGUMENT);
  Channel c;
  EXPECT_EQ(streams_auth_has_pending(nullptr, c.author), STREAMS_ERR_NULL_ARGUMENT);
  streams_unwrapped_messages_t* read = nullptr;
  EXPECT_EQ(streams_auth_fetch_next_msgs_report(&read, nullptr, c.author),
            STREAMS_ERR_NULL_ARGUMENT);
  EXPECT_EQ(read, nullptr);
}

// ---- fetch results ----

TEST(CApiFetchReport, ADeadTransportIsReportedNotHiddenAsNothingNew) {
  Channel c;
  streams_subscriber_t* sub = c.subscriber();
  c.transport.impl->dead = true;

  streams_unwrapped_messages_t* read = nullptr;
  EXPECT_EQ(streams_sub_fetch_next_msgs(&read, sub), STREAMS_ERR_TRANSPORT);
  EXPECT_NE(std::string(streams_last_error()).find("down"), std::string::npos)
      << streams_last_error();
  ASSERT_NE(read, nullptr) << "handed out (empty) also when the transport failed";
  EXPECT_EQ(streams_get_payloads_count(read), 0u);
  streams_drop_unwrapped_messages(read);

  read = nullptr;
  streams_fetch_report_t report{};
  EXPECT_EQ(streams_sub_sync_state_report(&read, &report, sub), STREAMS_ERR_TRANSPORT);
  EXPECT_TRUE(report.transport_failed);
  EXPECT_EQ(report.transport_error, STREAMS_ERR_TRANSPORT);
  EXPECT_EQ(report.refused_count, 0u);
  streams_drop_unwrapped_messages(read);

  // Back up: the same messages are still there to read (the cursors did not move).
  c.transport.impl->dead = false;
  read = nullptr;
  report = streams_fetch_report_t{7, true, STREAMS_ERR_INTERNAL};
  ASSERT_EQ(streams_sub_sync_state_report(&read, &report, sub), STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_EQ(streams_get_payloads_count(read), 1u);  // the keyload
  EXPECT_FALSE(report.transport_failed);
  EXPECT_EQ(report.transport_error, STREAMS_ERR_OK);
  EXPECT_EQ(report.refused_count, 0u);
  streams_drop_unwrapped_messages(read);

  // Nothing new: an empty result, nothing refused, no failure.
  read = nullptr;
  ASSERT_EQ(streams_sub_fetch_next_msgs_report(&read, &report, sub), STREAMS_ERR_OK);
  EXPECT_EQ(streams_get_payloads_count(read), 0u);
  EXPECT_FALSE(report.transport_failed);
  EXPECT_EQ(report.refused_count, 0u);
  streams_drop_unwrapped_messages(read);
  streams_sub_drop(sub);
}

TEST(CApiFetchReport, MessagesReadBeforeTheFailureAreHandedOut) {
  Channel c;
  streams_message_links_t first{}, second{};
  ASSERT_EQ(streams_auth_send_signed_packet(&first, c.author, c.keyload, nullptr, 0, kMasked,
                                            sizeof kMasked),
            STREAMS_ERR_OK);
  ASSERT_EQ(streams_auth_send_signed_packet(&second, c.author, first, nullptr, 0, kMasked,
                                            sizeof kMasked),
            STREAMS_ERR_OK);
  streams_subscriber_t* sub = c.subscriber();
  c.transport.impl->fail_from = addr(second.msg_link);

  streams_unwrapped_messages_t* read = nullptr;
  streams_fetch_report_t report{};
  EXPECT_EQ(streams_sub_sync_state_report(&read, &report, sub), STREAMS_ERR_TRANSPORT);
  EXPECT_TRUE(report.transport_failed);
  ASSERT_EQ(streams_get_payloads_count(read), 2u) << "the keyload and the first packet";
  streams_address_t* link = nullptr;
  ASSERT_EQ(streams_get_message_link(&link, streams_get_indexed_message(read, 1)), STREAMS_ERR_OK);
  EXPECT_TRUE(streams_address_eq(link, first.msg_link));
  streams_drop_address(link);
  streams_drop_unwrapped_messages(read);

  // The plain form the same way: the error, and what was read (nothing more here).
  read = nullptr;
  EXPECT_EQ(streams_sub_sync_state(&read, sub), STREAMS_ERR_TRANSPORT);
  EXPECT_EQ(streams_get_payloads_count(read), 0u);
  streams_drop_unwrapped_messages(read);

  // Back up: the second packet, once.
  c.transport.impl->fail_from.reset();
  c.transport.impl->dead = false;
  read = nullptr;
  ASSERT_EQ(streams_sub_sync_state(&read, sub), STREAMS_ERR_OK) << streams_last_error();
  ASSERT_EQ(streams_get_payloads_count(read), 1u);
  ASSERT_EQ(streams_get_message_link(&link, streams_get_indexed_message(read, 0)), STREAMS_ERR_OK);
  EXPECT_TRUE(streams_address_eq(link, second.msg_link));
  streams_drop_address(link);
  streams_drop_unwrapped_messages(read);
  streams_sub_drop(sub);
  streams_drop_links(first);
  streams_drop_links(second);
}

TEST(CApiFetchReport, JunkAtTheNextAddressIsCountedAsRefused) {
  Channel c;
  streams_subscriber_t* sub = c.subscriber();
  streams_unwrapped_messages_t* read = nullptr;
  ASSERT_EQ(streams_sub_sync_state(&read, sub), STREAMS_ERR_OK);  // the keyload
  streams_drop_unwrapped_messages(read);

  // Junk at every address the subscriber looks at next.
  streams_next_msg_ids_t* ids = nullptr;
  ASSERT_EQ(streams_sub_gen_next_msg_ids(&ids, sub), STREAMS_ERR_OK);
  ASSERT_GT(streams_get_next_msg_ids_count(ids), 0u);
  const uint8_t junk[] = {0x01, 0x02, 0x03, 0x04};
  for (size_t i = 0; i < streams_get_next_msg_ids_count(ids); ++i) {
    streams_address_t* next = nullptr;
    ASSERT_EQ(streams_get_next_msg_id(nullptr, 0, &next, ids, i), STREAMS_ERR_OK);
    ASSERT_TRUE(
        c.transport.impl->bucket.send_message(addr(next), ByteSpan(junk, sizeof junk)).ok());
    streams_drop_address(next);
  }
  const size_t looked_at = streams_get_next_msg_ids_count(ids);
  streams_drop_next_msg_ids(ids);

  read = nullptr;
  streams_fetch_report_t report{};
  ASSERT_EQ(streams_sub_fetch_next_msgs_report(&read, &report, sub), STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_EQ(streams_get_payloads_count(read), 0u);
  EXPECT_GE(report.refused_count, 1u);
  EXPECT_LE(report.refused_count, looked_at);
  EXPECT_FALSE(report.transport_failed);
  streams_drop_unwrapped_messages(read);

  // The author's real message at that address is still read (the junk beside it refused).
  streams_message_links_t packet{};
  ASSERT_EQ(streams_auth_send_signed_packet(&packet, c.author, c.keyload, nullptr, 0, kMasked,
                                            sizeof kMasked),
            STREAMS_ERR_OK);
  read = nullptr;
  ASSERT_EQ(streams_sub_fetch_next_msgs_report(&read, &report, sub), STREAMS_ERR_OK)
      << streams_last_error();
  EXPECT_EQ(streams_get_payloads_count(read), 1u);
  streams_drop_unwrapped_messages(read);
  streams_drop_links(packet);
  streams_sub_drop(sub);
}

TEST(CApiFetchReport, AuthorFetchesReportTheSameWay) {
  Channel c;
  c.transport.impl->dead = true;
  streams_unwrapped_messages_t* read = nullptr;
  streams_fetch_report_t report{};
  EXPECT_EQ(streams_auth_fetch_next_msgs_report(&read, &report, c.author), STREAMS_ERR_TRANSPORT);
  EXPECT_TRUE(report.transport_failed);
  streams_drop_unwrapped_messages(read);
  read = nullptr;
  EXPECT_EQ(streams_auth_sync_state(&read, c.author), STREAMS_ERR_TRANSPORT);
  streams_drop_unwrapped_messages(read);
  read = nullptr;
  EXPECT_EQ(streams_auth_sync_state_report(&read, &report, c.author), STREAMS_ERR_TRANSPORT);
  streams_drop_unwrapped_messages(read);
  c.transport.impl->dead = false;
  read = nullptr;
  EXPECT_EQ(streams_auth_fetch_next_msgs(&read, c.author), STREAMS_ERR_OK) << streams_last_error();
  streams_drop_unwrapped_messages(read);
}

}  // namespace
