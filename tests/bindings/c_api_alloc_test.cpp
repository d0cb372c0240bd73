// No C API call aborts when memory runs out (src/bindings/heap_headroom.h). This program replaces
// operator new and delete with ones that behave as libstdc++'s do (on failure they call the
// new-handler and try again; with no handler, the nothrow form returns NULL and the throwing form
// ends the program, as a throw through the library, built without exceptions, would) over a heap
// the test can fill, and runs every call of the flows in two heaps:
// - no room: the reserve the call asks for cannot be had. The call must return
//   STREAMS_ERR_NO_MEMORY with every state unchanged and nothing published.
// - full but for the reserve: every allocation fails until the new-handler frees the reserve, and
//   then only its bytes (and what the call frees) can be had. The call must complete.
// ASan (CI) checks that nothing leaks on either path.
#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "handles.h"
#include "heap_headroom.h"
#include "iota_streams/channels.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/device_state.h"
#include "iota_streams/transports/bucket.h"

namespace {

using iota_streams::bindings::HeapHeadroom;

enum class Heap { kNormal, kNoRoom, kFullButReserve };
Heap g_heap = Heap::kNormal;
size_t g_room = 0;           // kFullButReserve: the bytes operator new can still have
size_t g_freed_reserve = 0;  // kFullButReserve: the bytes of reserves the new-handler freed
size_t g_most_used = 0;      // kFullButReserve: the most of them in use at once
size_t g_largest = 0;        // kFullButReserve: the largest allocation

void* take(size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (g_heap != Heap::kFullButReserve || p == nullptr) return p;
  g_largest = std::max(g_largest, size);
  const size_t usable = malloc_usable_size(p);
  if (usable > g_room) {
    std::free(p);
    return nullptr;
  }
  g_room -= usable;
  if (g_freed_reserve > g_room) g_most_used = std::max(g_most_used, g_freed_reserve - g_room);
  return p;
}

void give_back(void* p) {
  if (p == nullptr) return;
  if (g_heap == Heap::kFullButReserve) g_room += malloc_usable_size(p);
  std::free(p);
}

void* allocate(size_t size, bool nothrow) {
  for (;;) {
    if (void* p = take(size)) return p;
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) {
      if (nothrow) return nullptr;
      std::fprintf(stderr, "operator new of %zu bytes failed with no reserve left\n", size);
      std::abort();  // what a throw through the library (no exceptions) comes to
    }
    handler();  // frees a piece of the reserve (unreserve: room again) or steps aside
  }
}

// Reserves come from here (HeapHeadroom::set_reserve_allocator): none in a heap with no room. A
// piece freed in a full heap is room again.
void* reserve(size_t size) { return g_heap == Heap::kNoRoom ? nullptr : std::malloc(size); }
void unreserve(void* p) {
  if (g_heap == Heap::kFullButReserve) {
    g_room += malloc_usable_size(p);
    g_freed_reserve += malloc_usable_size(p);
  }
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size, false); }
void* operator new[](std::size_t size) { return allocate(size, false); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size, true);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size, true);
}
void operator delete(void* p) noexcept { give_back(p); }
void operator delete[](void* p) noexcept { give_back(p); }
void operator delete(void* p, std::size_t) noexcept { give_back(p); }
void operator delete[](void* p, std::size_t) noexcept { give_back(p); }

namespace {

namespace cs = iota_streams::channels;

size_t published(streams_transport_t* transport) {
  return static_cast<iota_streams::transports::BucketTransport&>(*transport->impl).message_count();
}

// What a call may change: the users' states and the messages published.
struct World {
  streams_transport_t* transport = nullptr;
  streams_author_t* author = nullptr;
  streams_subscriber_t* sub = nullptr;

  struct Snapshot {
    size_t messages;
    std::vector<cs::UserState> states;
  };
  Snapshot snapshot() const {
    Snapshot s{transport ? published(transport) : 0, {}};
    if (author) s.states.push_back(author->user.state());
    if (sub) s.states.push_back(sub->user.state());
    return s;
  }
};

class CApiAllocation : public ::testing::Test {
 protected:
  void SetUp() override { HeapHeadroom::set_reserve_allocator({&reserve, &unreserve}); }
  void TearDown() override { g_heap = Heap::kNormal; }

  // Runs `call` first with no room for its reserve (it must change nothing and return
  // `no_memory`, with "out of memory" in `last_error()`), then in a heap full but for its reserve
  // (it must return `expected`). Returns the bytes of the freed reserve the call used at most.
  template <class Code>
  size_t pressure(const char* what, const std::function<Code()>& call, Code expected,
                  Code no_memory, const char* (*last_error)()) {
    const World::Snapshot before = world.snapshot();
    HeapHeadroom::set_reserve_allocator({&reserve, &unreserve});  // drops a reserve kept till now
    g_heap = Heap::kNoRoom;
    const Code refused = call();
    g_heap = Heap::kNormal;
    EXPECT_EQ(refused, no_memory) << what << " with no room: " << last_error();
    EXPECT_NE(std::string(last_error()).find("out of memory"), std::string::npos) << last_error();
    const World::Snapshot after = world.snapshot();
    EXPECT_EQ(after.messages, before.messages) << what << " published with no room";
    EXPECT_TRUE(after.states == before.states) << what << " changed a state with no room";

    g_room = 0;
    g_most_used = 0;
    g_freed_reserve = 0;
    g_largest = 0;
    const size_t released = HeapHeadroom::released_bytes();
    HeapHeadroom::set_reserve_allocator({&reserve, &unreserve});
    g_heap = Heap::kFullButReserve;
    const Code result = call();
    g_heap = Heap::kNormal;
    EXPECT_EQ(result, expected) << what << " in a full heap: " << last_error();
    if (g_most_used > 0) {
      EXPECT_GT(HeapHeadroom::released_bytes(), released) << what << " ran on its reserve";
      EXPECT_LE(g_most_used, HeapHeadroom::last_request());
      // A piece freed makes room for any one allocation of the call.
      EXPECT_LE(g_largest, HeapHeadroom::last_piece()) << what;
    }
    return g_most_used;
  }

  size_t under_pressure(const char* what, const std::function<streams_err_t()>& call) {
    return pressure<streams_err_t>(what, call, STREAMS_ERR_OK, STREAMS_ERR_NO_MEMORY,
                                   &streams_last_error);
  }

  size_t device_under_pressure(const char* what,
                               const std::function<streams_device_state_result_t()>& call) {
    return pressure<streams_device_state_result_t>(what, call, STREAMS_DEVICE_STATE_OK,
                                                   STREAMS_DEVICE_STATE_NO_MEMORY,
                                                   &streams_device_state_last_error);
  }

  World world;
};

TEST_F(CApiAllocation, EveryCallOfTheFlowsRefusesOrCompletesInAFullHeap) {
  streams_transport_t* transport = nullptr;
  g_heap = Heap::kNoRoom;
  EXPECT_EQ(streams_transport_new(), nullptr);
  g_heap = Heap::kNormal;
  g_room = 0;
  g_heap = Heap::kFullButReserve;
  transport = streams_transport_new();
  g_heap = Heap::kNormal;
  ASSERT_NE(transport, nullptr);
  world.transport = transport;

  streams_author_t* author = nullptr;
  streams_subscriber_t* sub = nullptr;
  streams_address_t *announcement = nullptr, *subscription = nullptr, *parsed = nullptr,
                    *copy = nullptr, *message_link = nullptr;
  streams_message_links_t keyload{}, packet{}, tagged{}, prepared{};
  streams_packet_payloads_t payloads{}, tagged_payloads{};
  streams_unwrapped_messages_t *fetched = nullptr, *synced = nullptr, *previous = nullptr;
  streams_buffer_t state{};
  streams_subscriber_t* imported = nullptr;
  streams_next_msg_ids_t* ids = nullptr;
  streams_user_state_t* cursors = nullptr;
  streams_psk_id_t psk{};
  const uint8_t masked[] = {'m'};
  size_t most = 0;
  const auto note = [&](size_t used) { most = std::max(most, used); };

  note(under_pressure("auth_new", [&] {
    return streams_auth_new(&author, "A", STREAMS_SINGLE_BRANCH, transport);
  }));
  world.author = author;
  note(under_pressure("sub_new", [&] { return streams_sub_new(&sub, "S", transport); }));
  world.sub = sub;
  note(under_pressure("send_announce",
                      [&] { return streams_auth_send_announce(&announcement, author); }));
  note(under_pressure("receive_announce",
                      [&] { return streams_sub_receive_announce(sub, announcement); }));
  note(under_pressure("send_subscribe", [&] {
    return streams_sub_send_subscribe(&subscription, sub, announcement);
  }));
  note(under_pressure("receive_subscribe",
                      [&] { return streams_auth_receive_subscribe(author, subscription); }));
  note(under_pressure("send_keyload", [&] {
    return streams_auth_send_keyload_for_everyone(&keyload, author, announcement);
  }));
  uint8_t access = 0;
  note(under_pressure("receive_keyload",
                      [&] { return streams_sub_receive_keyload(&access, sub, keyload.msg_link); }));
  EXPECT_EQ(access, 1);
  note(under_pressure("send_signed_packet", [&] {
    return streams_auth_send_signed_packet(&packet, author, keyload, masked, 1, masked, 1);
  }));
  note(under_pressure("receive_signed_packet", [&] {
    return streams_sub_receive_signed_packet(&payloads, sub, packet.msg_link);
  }));
  EXPECT_EQ(payloads.masked_payload.size, 1u);
  note(under_pressure("send_tagged_packet", [&] {
    return streams_auth_send_tagged_packet(&tagged, author, packet, masked, 1, masked, 1);
  }));
  note(under_pressure("fetch_next_msgs",
                      [&] { return streams_sub_fetch_next_msgs(&fetched, sub); }));
  EXPECT_EQ(streams_get_payloads_count(fetched), 1u) << "the tagged packet";
  note(under_pressure("prepare_signed_packet", [&] {
    return streams_auth_prepare_signed_packet(&prepared, author, tagged, masked, 1, masked, 1);
  }));
  note(under_pressure("publish_pending", [&] { return streams_auth_publish_pending(author); }));
  note(under_pressure("sync_state", [&] { return streams_sub_sync_state(&synced, sub); }));
  EXPECT_EQ(streams_get_payloads_count(synced), 1u) << "the prepared packet";
  note(under_pressure("fetch_prev_msgs", [&] {
    return streams_sub_fetch_prev_msgs(&previous, sub, prepared.msg_link, 2);
  }));
  EXPECT_EQ(streams_get_payloads_count(previous), 2u);
  note(under_pressure("get_message_link", [&] {
    return streams_get_message_link(&message_link, streams_get_indexed_message(previous, 0));
  }));
  note(under_pressure("address_from_string", [&] {
    char text[STREAMS_ADDRESS_STR_SIZE];
    streams_get_address_str(text, sizeof text, announcement);
    return streams_address_from_string(&parsed, text);
  }));
  note(under_pressure("address_copy", [&] { return streams_address_copy(&copy, parsed); }));
  note(under_pressure("store_psk", [&] { return streams_auth_store_psk(&psk, author, "psk"); }));
  note(under_pressure("remove_psk", [&] { return streams_auth_remove_psk(author, &psk); }));
  note(under_pressure("sub_export", [&] { return streams_sub_export(&state, sub, "pw"); }));
  note(under_pressure("sub_import",
                      [&] { return streams_sub_import(&imported, state, "pw", transport); }));
  note(under_pressure("gen_next_msg_ids", [&] { return streams_sub_gen_next_msg_ids(&ids, sub); }));
  note(under_pressure("get_next_msg_id", [&] {
    char id[65];
    return streams_get_next_msg_id(id, sizeof id, nullptr, ids, 0);
  }));
  note(under_pressure("fetch_state", [&] { return streams_sub_fetch_state(&cursors, sub); }));
  note(under_pressure("reset_state", [&] { return streams_sub_reset_state(sub); }));
  EXPECT_GT(most, 0u) << "some call ran on its reserve";

  for (streams_address_t* a : {announcement, subscription, parsed, copy, message_link})
    streams_drop_address(a);
  for (streams_message_links_t l : {keyload, packet, tagged, prepared}) streams_drop_links(l);
  streams_drop_payloads(payloads);
  streams_drop_payloads(tagged_payloads);
  for (auto* m : {fetched, synced, previous}) streams_drop_unwrapped_messages(m);
  streams_drop_user_state(cursors);
  streams_drop_next_msg_ids(ids);
  streams_sub_drop(imported);
  streams_drop_buffer(state);
  streams_sub_drop(sub);
  streams_auth_drop(author);
  streams_transport_drop(transport);
}

// The calls the first flow has no use for: multi-branch sequences, keyloads to named recipients, a
// subscriber publishing, unsubscribing, the author's own store and state, recovery; and a
// single-depth channel's reads by number.
TEST_F(CApiAllocation, TheOtherCallsRefuseOrCompleteInAFullHeapToo) {
  world.transport = streams_transport_new();
  streams_transport_t* transport = world.transport;
  ASSERT_NE(transport, nullptr);
  streams_author_t* author = nullptr;
  streams_subscriber_t *sub = nullptr, *other = nullptr;
  ASSERT_EQ(streams_auth_new(&author, "A", STREAMS_MULTI_BRANCH, transport), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_new(&sub, "S", transport), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_new(&other, "T", transport), STREAMS_ERR_OK);
  world.author = author;
  world.sub = sub;
  streams_address_t *announcement = nullptr, *subscription = nullptr, *link = nullptr,
                    *sequenced = nullptr, *unsubscription = nullptr, *announced = nullptr;
  ASSERT_EQ(streams_auth_send_announce(&announcement, author), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_send_subscribe(&subscription, sub, announcement), STREAMS_ERR_OK);
  ASSERT_EQ(streams_auth_receive_subscribe(author, subscription), STREAMS_ERR_OK);
  streams_public_key_t sub_key{}, other_key{};
  ASSERT_EQ(streams_sub_get_public_key(&sub_key, sub), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_get_public_key(&other_key, other), STREAMS_ERR_OK);

  under_pressure("store_new_subscriber",
                 [&] { return streams_auth_store_new_subscriber(author, &other_key); });
  under_pressure("remove_subscriber",
                 [&] { return streams_auth_remove_subscriber(author, &other_key); });
  under_pressure("announcement_link",
                 [&] { return streams_auth_announcement_link(&announced, author); });
  streams_message_links_t keyload{}, packet{};
  under_pressure("send_keyload to named keys", [&] {
    return streams_auth_send_keyload(&keyload, author, announcement, nullptr, 0, &sub_key, 1);
  });
  ASSERT_NE(keyload.seq_link, nullptr) << "multi-branch: the keyload has its sequence";
  under_pressure("sub_receive_sequence",
                 [&] { return streams_sub_receive_sequence(&sequenced, sub, keyload.seq_link); });
  EXPECT_TRUE(streams_address_eq(sequenced, keyload.msg_link));
  uint8_t access = 0;
  ASSERT_EQ(streams_sub_receive_keyload(&access, sub, keyload.msg_link), STREAMS_ERR_OK);
  const uint8_t byte[] = {'b'};
  under_pressure("sub_send_tagged_packet", [&] {
    return streams_sub_send_tagged_packet(&packet, sub, keyload, byte, 1, byte, 1);
  });
  under_pressure("auth_receive_sequence",
                 [&] { return streams_auth_receive_sequence(&link, author, packet.seq_link); });
  streams_unwrapped_message_t *message = nullptr, *previous = nullptr;
  under_pressure("auth_receive_msg",
                 [&] { return streams_auth_receive_msg(&message, author, link); });
  EXPECT_EQ(streams_get_message_kind(message), STREAMS_MESSAGE_TAGGED_PACKET);
  under_pressure("auth_fetch_prev_msg",
                 [&] { return streams_auth_fetch_prev_msg(&previous, author, packet.msg_link); });
  streams_user_state_t* cursors = nullptr;
  under_pressure("auth_fetch_state", [&] { return streams_auth_fetch_state(&cursors, author); });
  under_pressure("get_user_state_entry", [&] {
    char id[65];
    uint32_t seq_no = 0;
    return streams_get_user_state_entry(id, sizeof id, nullptr, &seq_no, cursors, 0);
  });
  under_pressure("send_unsubscribe",
                 [&] { return streams_sub_send_unsubscribe(&unsubscription, sub, subscription); });
  under_pressure("receive_unsubscribe",
                 [&] { return streams_auth_receive_unsubscribe(author, unsubscription); });
  streams_buffer_t state{};
  streams_author_t *imported = nullptr, *recovered = nullptr;
  under_pressure("auth_export", [&] { return streams_auth_export(&state, author, "pw"); });
  under_pressure("auth_import",
                 [&] { return streams_auth_import(&imported, state, "pw", transport); });
  under_pressure("auth_recover", [&] {
    return streams_auth_recover(&recovered, "A", announcement, STREAMS_MULTI_BRANCH, transport);
  });

  // Single depth: packets link to the keyload, read by their number.
  streams_author_t* depth = nullptr;
  streams_subscriber_t* reader = nullptr;
  ASSERT_EQ(streams_auth_new(&depth, "D", STREAMS_SINGLE_DEPTH, transport), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_new(&reader, "R", transport), STREAMS_ERR_OK);
  streams_address_t *depth_announce = nullptr, *depth_subscription = nullptr;
  ASSERT_EQ(streams_auth_send_announce(&depth_announce, depth), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_receive_announce(reader, depth_announce), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_send_subscribe(&depth_subscription, reader, depth_announce),
            STREAMS_ERR_OK);
  ASSERT_EQ(streams_auth_receive_subscribe(depth, depth_subscription), STREAMS_ERR_OK);
  streams_message_links_t anchor{}, numbered{};
  ASSERT_EQ(streams_auth_send_keyload_for_everyone(&anchor, depth, depth_announce), STREAMS_ERR_OK);
  ASSERT_EQ(streams_auth_send_signed_packet(&numbered, depth, anchor, byte, 1, byte, 1),
            STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_receive_keyload(&access, reader, anchor.msg_link), STREAMS_ERR_OK);
  world.author = depth;
  world.sub = reader;
  streams_unwrapped_message_t* by_number = nullptr;
  under_pressure("receive_msg_by_sequence_number", [&] {
    return streams_sub_receive_msg_by_sequence_number(&by_number, reader, anchor.msg_link, 0);
  });
  EXPECT_EQ(streams_get_payload(by_number).masked_payload.size, 1u);

  for (auto* m : {message, previous, by_number}) streams_drop_unwrapped_message(m);
  streams_drop_user_state(cursors);
  streams_drop_buffer(state);
  for (auto* a : {imported, recovered, depth}) streams_auth_drop(a);
  for (auto l : {keyload, packet, anchor, numbered}) streams_drop_links(l);
  for (auto* a : {announcement, subscription, link, sequenced, unsubscription, announced,
                  depth_announce, depth_subscription})
    streams_drop_address(a);
  for (auto* s : {sub, other, reader}) streams_sub_drop(s);
  streams_auth_drop(author);
  streams_transport_drop(transport);
}

// The bound holds where a read costs most: max_candidates messages of the largest size at the
// address read, and a message of the largest size built.
TEST_F(CApiAllocation, TheLargestReadAndSendFitTheirReserve) {
  world.transport = streams_transport_new();
  ASSERT_NE(world.transport, nullptr);
  ASSERT_EQ(streams_auth_new(&world.author, "A", STREAMS_SINGLE_BRANCH, world.transport),
            STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_new(&world.sub, "S", world.transport), STREAMS_ERR_OK);
  streams_address_t* announcement = nullptr;
  ASSERT_EQ(streams_auth_send_announce(&announcement, world.author), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_receive_announce(world.sub, announcement), STREAMS_ERR_OK);

  // The largest signed packet (public payload only, so the subscriber reads it).
  const cs::UserOptions options;
  std::vector<uint8_t> payload(options.max_message_bytes - 400, 'p');
  streams_message_links_t packet{};
  const streams_message_links_t from_announce{announcement, nullptr};
  const size_t send_used = under_pressure("send the largest packet", [&] {
    return streams_auth_send_signed_packet(&packet, world.author, from_announce, payload.data(),
                                           payload.size(), nullptr, 0);
  });
  EXPECT_GT(send_used, payload.size()) << "the message itself ran on the reserve";

  // Junk of the largest size beside it, up to max_candidates messages at the address.
  auto& bucket = static_cast<iota_streams::transports::BucketTransport&>(*world.transport->impl);
  char text[STREAMS_ADDRESS_STR_SIZE];
  ASSERT_EQ(streams_get_address_str(text, sizeof text, packet.msg_link), STREAMS_ERR_OK);
  const auto link = cs::Address::parse(text);
  ASSERT_TRUE(link.ok());
  for (size_t i = 1; i < options.max_candidates; ++i) {
    std::vector<uint8_t> junk(options.max_message_bytes, static_cast<uint8_t>(i));
    ASSERT_TRUE(bucket.send_message(*link, junk).ok());
  }
  streams_packet_payloads_t payloads{};
  const size_t read_used = under_pressure("read beside the most junk", [&] {
    return streams_sub_receive_signed_packet(&payloads, world.sub, packet.msg_link);
  });
  EXPECT_EQ(payloads.public_payload.size, payload.size());
  EXPECT_GT(read_used, (options.max_candidates - 1) * options.max_message_bytes)
      << "every candidate was copied on the reserve";
  std::printf("reserve used at most: send %zu, read %zu of %zu bytes\n", send_used, read_used,
              HeapHeadroom::last_request());

  streams_drop_payloads(payloads);
  streams_drop_links(packet);
  streams_drop_address(announcement);
  streams_sub_drop(world.sub);
  streams_auth_drop(world.author);
  streams_transport_drop(world.transport);
}

// The same on a device's limits (ESP-IDF's Kconfig defaults), through the C++ API under the guard
// the C API takes: there the pieces are small, and one must hold the largest allocation.
TEST_F(CApiAllocation, OnADevicesLimitsTheLargestReadAndSendFitTheirReserve) {
  cs::UserOptions device;
  device.max_links = 64;
  device.max_identities = 16;
  device.max_message_bytes = 4096;
  device.max_candidates = 16;
  iota_streams::transports::BucketTransport bucket;
  cs::Author author("A", cs::ChannelType::kSingleBranch, bucket, device);
  cs::Subscriber sub("S", bucket, device);
  const auto announcement = author.send_announce();
  ASSERT_TRUE(announcement.ok());
  ASSERT_TRUE(sub.receive_announcement(*announcement).ok());

  // Runs `call` under the user's guard in a heap full but for the reserve.
  const auto in_full_heap = [&](const cs::UserBase& user, const auto& call) {
    g_room = 0;
    g_most_used = 0;
    g_freed_reserve = 0;
    g_largest = 0;
    HeapHeadroom::set_reserve_allocator({&reserve, &unreserve});  // none kept from the host calls
    iota_streams::bindings::HeapHeadroom guard(iota_streams::bindings::headroom_for(user));
    EXPECT_TRUE(guard.ok());
    g_heap = Heap::kFullButReserve;
    const bool ok = call();
    g_heap = Heap::kNormal;
    EXPECT_LE(g_largest, HeapHeadroom::last_piece());
    EXPECT_LE(HeapHeadroom::last_piece(), HeapHeadroom::last_request() / 8) << "in pieces";
    return ok;
  };
  const std::vector<uint8_t> payload(device.max_message_bytes - 400, 'p');
  cs::MessageLinks packet;
  EXPECT_TRUE(in_full_heap(author, [&] {
    auto sent = author.send_signed_packet(*announcement, payload, {});
    if (sent.ok()) packet = *sent;
    return sent.ok();
  }));
  EXPECT_GT(g_most_used, payload.size());
  for (size_t i = 1; i < device.max_candidates; ++i) {
    const std::vector<uint8_t> junk(device.max_message_bytes, static_cast<uint8_t>(i));
    ASSERT_TRUE(bucket.send_message(packet.msg_link, junk).ok());
  }
  EXPECT_TRUE(in_full_heap(sub, [&] {
    auto read = sub.receive_signed_packet(packet.msg_link);
    return read.ok() && read->public_payload.size() == payload.size();
  }));
  std::printf("device limits: reserve %zu bytes in pieces of %zu, the read used %zu\n",
              HeapHeadroom::last_request(), HeapHeadroom::last_piece(), g_most_used);
  EXPECT_GT(g_most_used, (device.max_candidates - 1) * device.max_message_bytes);
}

// A whole sync that has no room for another round stops: it hands out what it read with
// STREAMS_ERR_NO_MEMORY, and the next sync goes on from there (nothing lost, nothing twice).
TEST_F(CApiAllocation, ASyncWithoutRoomForAnotherRoundHandsOutWhatItReadAndGoesOnLater) {
  streams_transport_t* transport = streams_transport_new();
  streams_author_t* author = nullptr;
  streams_subscriber_t* sub = nullptr;
  ASSERT_EQ(streams_auth_new(&author, "A", STREAMS_SINGLE_BRANCH, transport), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_new(&sub, "S", transport), STREAMS_ERR_OK);
  streams_address_t* announcement = nullptr;
  ASSERT_EQ(streams_auth_send_announce(&announcement, author), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);
  streams_message_links_t last{announcement, nullptr};
  std::vector<streams_message_links_t> sent;
  for (uint8_t i = 0; i < 3; ++i) {
    streams_message_links_t links{};
    ASSERT_EQ(streams_auth_send_signed_packet(&links, author, last, &i, 1, nullptr, 0),
              STREAMS_ERR_OK);
    sent.push_back(links);
    last = links;
  }

  // The first round's reserve can be had, the second's cannot (it asks for more: it also covers
  // handing out the message read in the first).
  static size_t first_request;
  first_request = 0;
  HeapHeadroom::set_reserve_allocator({[](size_t size) -> void* {
                                         if (first_request == 0)
                                           first_request = HeapHeadroom::last_request();
                                         if (HeapHeadroom::last_request() != first_request)
                                           return nullptr;
                                         return std::malloc(size);
                                       },
                                       &std::free});
  streams_unwrapped_messages_t* first = nullptr;
  streams_fetch_report_t report{};
  EXPECT_EQ(streams_sub_sync_state_report(&first, &report, sub), STREAMS_ERR_NO_MEMORY);
  EXPECT_FALSE(report.transport_failed);
  ASSERT_EQ(streams_get_payloads_count(first), 1u);
  EXPECT_EQ(streams_get_indexed_payload(first, 0).public_payload.ptr[0], 0);

  HeapHeadroom::set_reserve_allocator({&std::malloc, &std::free});
  streams_unwrapped_messages_t* rest = nullptr;
  EXPECT_EQ(streams_sub_sync_state(&rest, sub), STREAMS_ERR_OK);
  ASSERT_EQ(streams_get_payloads_count(rest), 2u);
  EXPECT_EQ(streams_get_indexed_payload(rest, 0).public_payload.ptr[0], 1);
  EXPECT_EQ(streams_get_indexed_payload(rest, 1).public_payload.ptr[0], 2);

  streams_drop_unwrapped_messages(rest);
  streams_drop_unwrapped_messages(first);
  for (auto& links : sent) streams_drop_links(links);
  streams_drop_address(announcement);
  streams_sub_drop(sub);
  streams_auth_drop(author);
  streams_transport_drop(transport);
}

// Two flash slots in RAM behind the C callbacks of device_state.h.
struct RamFlash {
  static constexpr size_t kSlotSize = 8192;
  std::array<std::vector<uint8_t>, 2> slots{std::vector<uint8_t>(kSlotSize, 0xFF),
                                            std::vector<uint8_t>(kSlotSize, 0xFF)};
  static int read(void* c, unsigned slot, size_t offset, uint8_t* out, size_t size) {
    std::memcpy(out, static_cast<RamFlash*>(c)->slots.at(slot).data() + offset, size);
    return 0;
  }
  static int erase(void* c, unsigned slot) {
    auto& bytes = static_cast<RamFlash*>(c)->slots.at(slot);
    std::fill(bytes.begin(), bytes.end(), 0xFF);
    return 0;
  }
  static int write(void* c, unsigned slot, size_t offset, const uint8_t* data, size_t size) {
    std::memcpy(static_cast<RamFlash*>(c)->slots.at(slot).data() + offset, data, size);
    return 0;
  }
};

// Device state: open, save and load refuse with no room and complete on their reserve.
TEST_F(CApiAllocation, DeviceStateCallsRefuseOrCompleteInAFullHeap) {
  RamFlash ram;
  const streams_flash_t flash{&ram, RamFlash::kSlotSize, RamFlash::read, RamFlash::erase,
                              RamFlash::write};
  const uint8_t key[STREAMS_DEVICE_KEY_SIZE] = {7};
  world.transport = streams_transport_new();
  ASSERT_EQ(streams_auth_new(&world.author, "A", STREAMS_SINGLE_BRANCH, world.transport),
            STREAMS_ERR_OK);
  streams_address_t* announcement = nullptr;
  ASSERT_EQ(streams_auth_send_announce(&announcement, world.author), STREAMS_ERR_OK);

  streams_device_state_t* store = nullptr;
  device_under_pressure("device_state_open",
                        [&] { return streams_device_state_open(&store, &flash, key); });
  device_under_pressure("device_state_save",
                        [&] { return streams_device_state_save_author(store, world.author); });
  streams_author_t* loaded = nullptr;
  device_under_pressure("device_state_load", [&] {
    return streams_device_state_load_author(&loaded, store, world.transport);
  });
  ASSERT_NE(loaded, nullptr);
  EXPECT_TRUE(loaded->user.state() == world.author->user.state());

  streams_auth_drop(loaded);
  streams_device_state_close(store);
  streams_drop_address(announcement);
  streams_auth_drop(world.author);
  streams_transport_drop(world.transport);
}

// The program's own new-handler is kept: it runs when an allocation outside the library fails.
TEST_F(CApiAllocation, TheProgramsNewHandlerStillRuns) {
  static int calls;
  calls = 0;
  const std::new_handler before = std::set_new_handler([] {
    ++calls;
    g_heap = Heap::kNormal;  // the program made room
  });
  streams_transport_t* transport = streams_transport_new();  // installs the library's handler
  ASSERT_NE(transport, nullptr);
  HeapHeadroom::set_reserve_allocator({&reserve, &unreserve});  // no reserve kept
  g_room = 0;
  g_heap = Heap::kFullButReserve;
  auto* bytes = new uint8_t[64];  // no guard, no reserve: the library's handler passes it on
  EXPECT_EQ(calls, 1);
  delete[] bytes;
  streams_transport_drop(transport);
  std::set_new_handler(before);
}

#if STREAMS_C_KEEP_RESERVE
// On a host a thread keeps its whole reserve for its next call (no syscall for it), and gives it up
// when the program runs out of memory between calls.
TEST_F(CApiAllocation, AHostThreadKeepsItsReserveAndGivesItUpWhenTheProgramRunsOut) {
  static int pieces;
  pieces = 0;
  HeapHeadroom::set_reserve_allocator({[](size_t size) {
                                         ++pieces;
                                         return std::malloc(size);
                                       },
                                       &unreserve});
  streams_address_t *first = nullptr, *second = nullptr, *third = nullptr;
  const char* text =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:"
      "bbbbbbbbbbbbbbbbbbbbbbbb";
  ASSERT_EQ(streams_address_from_string(&first, text), STREAMS_ERR_OK);
  const int taken = pieces;
  EXPECT_GT(taken, 0);
  ASSERT_EQ(streams_address_from_string(&second, text), STREAMS_ERR_OK);
  EXPECT_EQ(pieces, taken) << "the second call used the kept reserve";

  g_room = 0;
  g_freed_reserve = 0;
  g_heap = Heap::kFullButReserve;
  auto* bytes = new uint8_t[64];  // the program, out of memory between calls: the kept reserve
  g_heap = Heap::kNormal;
  EXPECT_GT(g_freed_reserve, 0u) << "the kept reserve was given up";
  delete[] bytes;
  ASSERT_EQ(streams_address_from_string(&third, text), STREAMS_ERR_OK);
  EXPECT_GT(pieces, taken) << "a new reserve after the kept one was given up";
  for (auto* a : {first, second, third}) streams_drop_address(a);
}
#endif

}  // namespace
