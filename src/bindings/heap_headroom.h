// Heap headroom: how a C API call keeps its promise never to abort when memory runs out, although
// the library under it is built without exceptions and grows std containers (where a failed
// allocation can only end the program).
//
// A call that may allocate first takes a reserve: as many bytes as the call can allocate at most
// (headroom_for: the user's limits and what it holds), taken with malloc, which returns NULL
// instead of throwing. When the heap has no room for it, the call returns STREAMS_ERR_NO_MEMORY
// before doing anything, so every state is unchanged. Once the reserve is held, the call runs, and
// the reserve is freed when it ends. Should an allocation inside the call fail, the new-handler
// frees a piece of the reserve and operator new tries again, until the call has the room the
// reserve held: the call completes.
//
// The reserve is taken in pieces (at most 16, each at least as large as the largest single
// allocation the call makes): a device's heap, split into regions and fragmented, rarely has one
// block as large as the whole reserve.
//
// On hosts (STREAMS_C_KEEP_RESERVE, config.h) a thread keeps its last reserve, when the call did
// not touch it, for its next call, so that calls take no syscall for it; the new-handler gives a
// kept reserve up when the program runs out of memory between calls. Devices free it every time.
//
// What the promise rests on, and what breaks it:
// - The bound. A call allocates at most Headroom::total bytes while it runs, none larger than
//   Headroom::largest. The bound counts every message a read takes as max_message_bytes long: the
//   node transport keeps none longer (NodeOptions::max_message_bytes, the same default), the bucket
//   holds what the program put in it, and a transport of the program's own must keep to it too.
//   c_api_alloc_test runs every call of the flows, and the largest read and send, in a heap that
//   is full but for the reserve.
// - The room being kept. A freed piece goes back to the allocator; another thread that allocates
//   at that moment can take it. Threads that share a heap near its end should not call the library
//   at the same time.
// - The new-handler. The first guarded call installs one, process-wide; the handler the program had
//   before runs when this thread holds no reserve (when there was none, operator new fails as it
//   would have). A program that installs its own handler later turns the guard off until the next
//   C API call installs it again.
#pragma once

#include <cstddef>

#include "iota_streams/channels/user.h"

namespace iota_streams::bindings {

// The most a call allocates in all, and in one allocation.
struct Headroom {
  size_t total;
  size_t largest;

  // `bytes` more in all, in allocations no larger than `largest_one`.
  Headroom plus(size_t bytes, size_t largest_one = 0) const;
};

// What a call that touches no user may allocate (texts of errors, an address's parts).
inline constexpr Headroom kSmallCallHeadroom{4096, 1024};

// The most one call on `user` may allocate: a read of max_candidates messages of max_message_bytes
// each and what reading them allocates, a message built, kept pending and handed to the transport,
// the growth of the stores it holds (a std::vector grows to twice its size), and the texts.
Headroom headroom_for(const channels::UserBase& user);
// The same for a user with `options` that holds `held` bytes (one being made, imported or loaded).
Headroom headroom_for(const channels::UserOptions& options, size_t held);

// Where reserves come from: malloc and free (tests put a heap they can fill in their place).
struct ReserveAllocator {
  void* (*allocate)(size_t);
  void (*release)(void*);
};

class HeapHeadroom {
 public:
  // Tries to take a reserve for `room`; ok() says whether it could.
  explicit HeapHeadroom(Headroom room) noexcept;
  ~HeapHeadroom();
  HeapHeadroom(const HeapHeadroom&) = delete;
  HeapHeadroom& operator=(const HeapHeadroom&) = delete;

  bool ok() const { return held_ != nullptr || spent_; }
  // For a call made of rounds (a whole sync): takes a new reserve for the next round, then gives
  // the old one up; false when the heap has no room for it (the old one is kept: the call stops
  // and hands out what it holds).
  bool renew(Headroom room) noexcept;

  // For tests: the bytes this thread's last guard asked for, and in pieces of how many; how many
  // bytes of reserves the new-handler has freed on this thread; where reserves come from.
  static size_t last_request();
  static size_t last_piece();
  static size_t released_bytes();
  static void set_reserve_allocator(ReserveAllocator allocator);

 private:
  friend void release_headroom();
  // The pieces are a list: each piece's first bytes point to the next.
  static void* take(Headroom room, size_t& piece) noexcept;
  static void give_back(void* pieces) noexcept;
  bool release_one_piece() noexcept;

  void* held_ = nullptr;  // the pieces not yet freed
  size_t piece_ = 0;      // the size of each
  bool spent_ = false;    // the new-handler has freed a piece: the call ran on the reserve
  HeapHeadroom* outer_;   // the guard this one is nested in, on this thread
};

}  // namespace iota_streams::bindings

// Opens a C function's guard: a heap without room for `room` returns `no_room` before anything
// is done; otherwise the reserve is held until the function returns.
#define STREAMS_C_HEADROOM(room, no_room)                               \
  ::iota_streams::bindings::HeapHeadroom streams_headroom_guard_(room); \
  if (!streams_headroom_guard_.ok()) return no_room
