// The C API's result codes: every error kind of the library reaches C as its own code with a text,
// and failures found by the protocol (a bad MAC, a bad signature) read as themselves, not as one
// catch-all.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "handles.h"
#include "iota_streams/channels.h"
#include "iota_streams/transports/bucket.h"

namespace {

using iota_streams::Errc;

TEST(CApiErrors, EveryLibraryErrorKindHasItsOwnCodeAndText) {
  std::set<int> codes;
  unsigned kinds = 0;
  for (unsigned k = 1; k <= static_cast<unsigned>(Errc::kInternal); ++k, ++kinds) {
    const auto kind = static_cast<Errc>(k);
    const std::string name(iota_streams::errc_name(kind));
    const streams_err_t code = streams_c_code(kind);
    EXPECT_NE(code, STREAMS_ERR_OK) << name;
    EXPECT_TRUE(codes.insert(code).second)
        << name << " shares C code " << code << " with another kind";
    EXPECT_EQ(std::string(streams_err_message(code)), name) << "code " << code;
    // Through the failure path: the kind's code, and its name in the last error.
    EXPECT_EQ(streams_c_fail(iota_streams::Error(kind, "at the test")), code) << name;
    EXPECT_EQ(std::string(streams_last_error()), name + ": at the test");
  }
  EXPECT_EQ(kinds, 43u) << "Errc gained or lost a kind: give it its C code and update this count";
  EXPECT_EQ(iota_streams::errc_name(static_cast<Errc>(kinds + 1)), "unknown error")
      << "a kind after kInternal";
  EXPECT_EQ(streams_c_code(Errc::kOk), STREAMS_ERR_OK);
  // The newest kind: its own code (after INTERNAL: the values are fixed) and its name.
  EXPECT_EQ(streams_c_code(Errc::kNoDeviceState), STREAMS_ERR_NO_DEVICE_STATE);
  EXPECT_EQ(static_cast<int>(STREAMS_ERR_NO_DEVICE_STATE), 54);
  EXPECT_STREQ(streams_err_message(STREAMS_ERR_NO_DEVICE_STATE), "no device state saved");
  EXPECT_EQ(streams_c_fail(iota_streams::Error(Errc::kOk, "a failure without a kind")),
            STREAMS_ERR_INTERNAL)
      << "a failure never reads as success";

  // The codes of the C API's own: each its text, none shared with a kind.
  for (streams_err_t own :
       {STREAMS_ERR_NULL_ARGUMENT, STREAMS_ERR_NO_MEMORY, STREAMS_ERR_NO_CHANNEL}) {
    EXPECT_TRUE(codes.insert(own).second) << own;
    EXPECT_STRNE(streams_err_message(own), "unknown error code") << own;
  }
  EXPECT_STREQ(streams_err_message(static_cast<streams_err_t>(3)), "unknown error code");
  EXPECT_STREQ(streams_err_message(static_cast<streams_err_t>(-1)), "unknown error code");
}

TEST(CApiErrors, LastErrorIsCutToItsBufferNotOverrun) {
  const std::string long_reason(4000, 'x');
  EXPECT_EQ(streams_c_fail(STREAMS_ERR_BAD_ARGUMENT, long_reason), STREAMS_ERR_BAD_ARGUMENT);
  const std::string kept = streams_last_error();
  EXPECT_GT(kept.size(), 200u);
  EXPECT_LT(kept.size(), long_reason.size());
  EXPECT_EQ(kept, long_reason.substr(0, kept.size()));
}

// A channel on one bucket, copied message by message into a second bucket with one message altered:
// a subscriber with the same seed follows the copy and meets the altered message.
struct TamperedCopy {
  streams_transport_t* original = streams_transport_new();
  streams_transport_t* copy = streams_transport_new();
  streams_author_t* author = nullptr;
  streams_message_links_t keyload{}, signed_packet{}, tagged_packet{};
  streams_address_t* announcement = nullptr;

  TamperedCopy() {
    streams_subscriber_t* sub = nullptr;
    streams_address_t* subscription = nullptr;
    const uint8_t masked[] = {'m', 'a', 's', 'k', 'e', 'd'};
    EXPECT_EQ(streams_auth_new(&author, "TAMPER AUTHOR", STREAMS_SINGLE_BRANCH, original),
              STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_new(&sub, "TAMPER SUBSCRIBER", original), STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_send_announce(&announcement, author), STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_send_subscribe(&subscription, sub, announcement), STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_receive_subscribe(author, subscription), STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_send_keyload_for_everyone(&keyload, author, announcement),
              STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_send_signed_packet(&signed_packet, author, keyload, nullptr, 0, masked,
                                              sizeof masked),
              STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_send_tagged_packet(&tagged_packet, author, signed_packet, nullptr, 0,
                                              masked, sizeof masked),
              STREAMS_ERR_OK);
    streams_drop_address(subscription);
    streams_sub_drop(sub);
  }
  ~TamperedCopy() {
    streams_drop_links(keyload);
    streams_drop_links(signed_packet);
    streams_drop_links(tagged_packet);
    streams_drop_address(announcement);
    streams_auth_drop(author);
    streams_transport_drop(copy);
    streams_transport_drop(original);
  }

  // Copies every message, XOR-ing `mask` into byte `from_end` counted from the end of the one at
  // `link`.
  void copy_altering(const streams_address_t* link, size_t from_end, uint8_t mask) {
    auto& from = static_cast<iota_streams::transports::BucketTransport&>(*original->impl);
    char wanted[STREAMS_ADDRESS_STR_SIZE];
    ASSERT_EQ(streams_get_address_str(wanted, sizeof wanted, link), STREAMS_ERR_OK);
    for (auto [address, bytes] : from.all()) {
      if (address.to_string() == wanted) bytes[bytes.size() - 1 - from_end] ^= mask;
      ASSERT_TRUE(copy->impl->send_message(address, bytes).ok());
    }
  }

  // A subscriber of the copy, up to and including the keyload.
  streams_subscriber_t* reader() {
    streams_subscriber_t* sub = nullptr;
    uint8_t access = 0;
    EXPECT_EQ(streams_sub_new(&sub, "TAMPER SUBSCRIBER", copy), STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_receive_keyload(&access, sub, keyload.msg_link), STREAMS_ERR_OK);
    EXPECT_EQ(access, 1);
    return sub;
  }
};

TEST(CApiErrors, ABadSignatureReadsAsSignatureMismatch) {
  TamperedCopy t;
  t.copy_altering(t.signed_packet.msg_link, 0, 0x01);  // the last byte: the signature's
  streams_subscriber_t* sub = t.reader();
  streams_packet_payloads_t payloads{};
  EXPECT_EQ(streams_sub_receive_signed_packet(&payloads, sub, t.signed_packet.msg_link),
            STREAMS_ERR_SIGNATURE_MISMATCH)
      << streams_last_error();
  EXPECT_NE(std::string(streams_last_error()).find("signature"), std::string::npos)
      << streams_last_error();
  streams_sub_drop(sub);
}

TEST(CApiErrors, AnAlteredTaggedPacketReadsAsBadMac) {
  TamperedCopy t;
  t.copy_altering(t.tagged_packet.msg_link, 32,
                  0x80);  // the masked payload's last byte, before the 32-byte MAC
  streams_subscriber_t* sub = t.reader();
  streams_packet_payloads_t payloads{};
  ASSERT_EQ(streams_sub_receive_signed_packet(&payloads, sub, t.signed_packet.msg_link),
            STREAMS_ERR_OK);
  streams_drop_payloads(payloads);
  payloads = {};
  EXPECT_EQ(streams_sub_receive_tagged_packet(&payloads, sub, t.tagged_packet.msg_link),
            STREAMS_ERR_BAD_MAC)
      << streams_last_error();
  streams_sub_drop(sub);
}

TEST(CApiErrors, NoChannelYetHasItsOwnCode) {
  streams_transport_t* transport = streams_transport_new();
  streams_subscriber_t* sub = nullptr;
  ASSERT_EQ(streams_sub_new(&sub, "NO CHANNEL", transport), STREAMS_ERR_OK);
  char channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE];
  EXPECT_EQ(streams_sub_channel_address(channel, sizeof channel, sub), STREAMS_ERR_NO_CHANNEL);
  EXPECT_NE(std::string(streams_last_error()).find("streams_sub_channel_address"),
            std::string::npos)
      << streams_last_error();
  streams_public_key_t key{};
  EXPECT_EQ(streams_sub_author_public_key(&key, sub), STREAMS_ERR_NO_CHANNEL);
  streams_user_state_t* state = nullptr;
  EXPECT_EQ(streams_sub_fetch_state(&state, sub), STREAMS_ERR_NOT_REGISTERED);
  EXPECT_EQ(state, nullptr);
  streams_sub_drop(sub);
  streams_transport_drop(transport);
}

}  // namespace
