// No C API call aborts when memory runs out: this program replaces the non-throwing operator new
// (the only allocation the C API makes for its handles and buffers) with one that fails the n-th
// call, and tries each call with n = 0, 1, 2, ... until it succeeds. Every attempt must either
// succeed or return STREAMS_ERR_NO_MEMORY with its outputs untouched, and a send that reports it
// must have published nothing. ASan (CI) checks that no failed attempt leaks.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <new>
#include <string>

#include "handles.h"
#include "iota_streams/channels.h"
#include "iota_streams/transports/bucket.h"

namespace {

long g_fail_at = -1;  // the nothrow allocation (counted from arming) that fails; -1: none
long g_seen = 0;

void* allocate(std::size_t size, bool array) noexcept {
  if (g_fail_at >= 0 && g_seen++ == g_fail_at) return nullptr;
  try {
    return array ? ::operator new[](size) : ::operator new(size);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size, false);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size, true);
}

namespace {

size_t published(streams_transport_t* transport) {
  return static_cast<iota_streams::transports::BucketTransport&>(*transport->impl).message_count();
}

// Runs `call` with the n-th allocation failing, n = 0, 1, ...; returns how many attempts ran out of
// memory before one succeeded; with `transport`, also checks that a failed attempt published
// nothing.
int until_it_succeeds(const char* what, const std::function<streams_err_t()>& call,
                      streams_transport_t* transport) {
  for (long n = 0; n < 64; ++n) {
    const size_t before = transport ? published(transport) : 0;
    g_seen = 0;
    g_fail_at = n;
    const streams_err_t result = call();
    const bool failed_one = g_seen > n;
    g_fail_at = -1;
    if (result == STREAMS_ERR_OK) {
      EXPECT_FALSE(failed_one) << what << ": succeeded although allocation " << n << " failed";
      return static_cast<int>(n);
    }
    EXPECT_EQ(result, STREAMS_ERR_NO_MEMORY)
        << what << " with allocation " << n << " failing: " << streams_last_error();
    EXPECT_NE(std::string(streams_last_error()).find("out of memory"), std::string::npos)
        << streams_last_error();
    if (transport) {
      EXPECT_EQ(published(transport), before)
          << what << " published although it reported no memory";
    }
    if (result != STREAMS_ERR_NO_MEMORY) return -1;
  }
  ADD_FAILURE() << what << " never succeeded";
  return -1;
}

TEST(CApiAllocation, EveryCallReportsNoMemoryInsteadOfAborting) {
  g_seen = 0;
  g_fail_at = 0;
  EXPECT_EQ(streams_transport_new(), nullptr) << "the transport's first allocation fails";
  g_fail_at = 1;
  g_seen = 0;
  EXPECT_EQ(streams_transport_new(), nullptr) << "the bucket's allocation fails";
  g_fail_at = -1;
  streams_transport_t* transport = streams_transport_new();
  ASSERT_NE(transport, nullptr);

  streams_author_t* author = nullptr;
  streams_subscriber_t* sub = nullptr;
  streams_address_t *announcement = nullptr, *subscription = nullptr, *parsed = nullptr;
  streams_message_links_t keyload{}, packet{};
  streams_packet_payloads_t payloads{};
  streams_unwrapped_messages_t* fetched = nullptr;
  streams_buffer_t state{};
  streams_subscriber_t* imported = nullptr;
  streams_next_msg_ids_t* ids = nullptr;
  streams_user_state_t* cursors = nullptr;
  const uint8_t masked[] = {'m'};
  int failures = 0;

  failures += until_it_succeeds(
      "auth_new", [&] { return streams_auth_new(&author, "A", STREAMS_MULTI_BRANCH, transport); },
      nullptr);
  failures += until_it_succeeds(
      "sub_new", [&] { return streams_sub_new(&sub, "S", transport); }, nullptr);
  failures += until_it_succeeds(
      "send_announce", [&] { return streams_auth_send_announce(&announcement, author); },
      transport);
  ASSERT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);
  failures += until_it_succeeds(
      "send_subscribe",
      [&] { return streams_sub_send_subscribe(&subscription, sub, announcement); }, transport);
  ASSERT_EQ(streams_auth_receive_subscribe(author, subscription), STREAMS_ERR_OK);
  failures += until_it_succeeds(
      "send_keyload",
      [&] { return streams_auth_send_keyload_for_everyone(&keyload, author, announcement); },
      transport);
  ASSERT_NE(keyload.seq_link, nullptr);
  failures += until_it_succeeds(
      "send_signed_packet",
      [&] {
        return streams_auth_send_signed_packet(&packet, author, keyload, masked, 1, masked, 1);
      },
      transport);
  uint8_t access = 0;
  ASSERT_EQ(streams_sub_receive_keyload(&access, sub, keyload.msg_link), STREAMS_ERR_OK);
  failures += until_it_succeeds(
      "receive_signed_packet",
      [&] { return streams_sub_receive_signed_packet(&payloads, sub, packet.msg_link); }, nullptr);
  EXPECT_EQ(payloads.masked_payload.size, 1u);
  failures += until_it_succeeds(
      "fetch_next_msgs", [&] { return streams_auth_fetch_next_msgs(&fetched, author); }, nullptr);
  failures += until_it_succeeds(
      "address_from_string",
      [&] {
        char text[STREAMS_ADDRESS_STR_SIZE];
        streams_get_address_str(text, sizeof text, announcement);
        return streams_address_from_string(&parsed, text);
      },
      nullptr);
  failures += until_it_succeeds(
      "sub_export", [&] { return streams_sub_export(&state, sub, "pw"); }, nullptr);
  failures += until_it_succeeds(
      "sub_import", [&] { return streams_sub_import(&imported, state, "pw", transport); }, nullptr);
  failures += until_it_succeeds(
      "gen_next_msg_ids", [&] { return streams_sub_gen_next_msg_ids(&ids, sub); }, nullptr);
  failures += until_it_succeeds(
      "fetch_state", [&] { return streams_sub_fetch_state(&cursors, sub); }, nullptr);
  // Each call above allocates at least once, so each met at least one failure.
  EXPECT_GE(failures, 13);

  streams_drop_user_state(cursors);
  streams_drop_next_msg_ids(ids);
  streams_sub_drop(imported);
  streams_drop_buffer(state);
  streams_drop_address(parsed);
  streams_drop_unwrapped_messages(fetched);
  streams_drop_payloads(payloads);
  streams_drop_links(packet);
  streams_drop_links(keyload);
  streams_drop_address(subscription);
  streams_drop_address(announcement);
  streams_sub_drop(sub);
  streams_auth_drop(author);
  streams_transport_drop(transport);
}

}  // namespace
