// Heap headroom (heap_headroom.h): the reserve a C API call takes before it starts, and the
// new-handler that gives it to the call, a piece at a time, when the heap runs out.
#include "heap_headroom.h"

#include "iota_streams/config.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <new>

namespace iota_streams::bindings {
namespace {

// A read with no candidate limit (max_candidates 0) is counted as reading this many.
constexpr size_t kUncountedCandidates = 256;
// Beside each message's bytes: the vector around it, a refusal and its text, a parsed header.
constexpr size_t kPerMessage = 512;
// Texts of errors, the small vectors of a call, the allocator's own overhead.
constexpr size_t kPerCall = 4096;
// A reserve is taken in at most this many pieces.
constexpr size_t kMostPieces = 16;

std::atomic<std::new_handler> g_previous_handler{nullptr};
thread_local HeapHeadroom* t_innermost = nullptr;
thread_local size_t t_last_request = 0;
thread_local size_t t_last_piece = 0;
thread_local size_t t_released = 0;
// malloc returns NULL when the heap is full; operator new, even its nothrow form, reaches a throw
// in libstdc++ (GCC 9 and later), and without exceptions (ESP-IDF's default) a throw aborts.
ReserveAllocator g_reserve{&std::malloc, &std::free};

#if STREAMS_C_KEEP_RESERVE
// A reserve kept for this thread's next call, freed with the thread. (Devices keep none, and have
// no thread-local object with a destructor: not every RTOS runs them.)
struct KeptReserve {
  void* pieces = nullptr;
  size_t piece = 0;
  size_t count = 0;
  ~KeptReserve() { drop(); }
  void drop() {
    while (pieces != nullptr) {
      void* next = *static_cast<void**>(pieces);
      g_reserve.release(pieces);
      pieces = next;
    }
    count = 0;
  }
};
thread_local KeptReserve t_kept;

size_t pieces_in(void* pieces) {
  size_t count = 0;
  for (; pieces != nullptr; pieces = *static_cast<void**>(pieces)) ++count;
  return count;
}

bool give_up_kept() {
  if (t_kept.pieces == nullptr) return false;
  t_kept.drop();
  return true;
}
void drop_kept() { t_kept.drop(); }
#else
bool give_up_kept() { return false; }
void drop_kept() {}
#endif

size_t saturating_add(size_t a, size_t b) {
  return a > std::numeric_limits<size_t>::max() - b ? std::numeric_limits<size_t>::max() : a + b;
}

size_t saturating_mul(size_t a, size_t b) {
  if (a != 0 && b > std::numeric_limits<size_t>::max() / a)
    return std::numeric_limits<size_t>::max();
  return a * b;
}

// The largest block the user holds on the heap: a store's list, which grows to twice its size
// while the old one is still held, or a pending message.
size_t largest_held(const channels::UserState& state) {
  size_t largest =
      saturating_mul(state.link_store.entries().capacity(), sizeof(channels::LinkStore::Entry));
  largest = std::max(largest,
                     saturating_mul(state.key_store.size() + 1, sizeof(channels::KeyStore::Entry)));
  for (const auto& pending : state.pending) largest = std::max(largest, pending.bytes.size());
  return largest;
}

// What the user holds on the heap that a call may copy or grow.
size_t held_bytes(const channels::UserState& state) {
  size_t bytes =
      saturating_mul(state.link_store.entries().capacity(), sizeof(channels::LinkStore::Entry));
  bytes = saturating_add(
      bytes, saturating_mul(state.key_store.size() + 1, sizeof(channels::KeyStore::Entry)));
  for (const auto& pending : state.pending)
    bytes = saturating_add(bytes, pending.bytes.size() + sizeof pending);
  return bytes;
}

}  // namespace

// The new-handler: a piece of the innermost reserve this thread still holds goes back to the heap
// (or, between calls, the reserve it kept), and operator new tries again. With none left, the
// handler the program had runs, or, when it had none, this one steps aside so that operator new
// fails as it would have without it.
void release_headroom() {
  for (HeapHeadroom* guard = t_innermost; guard != nullptr; guard = guard->outer_) {
    if (guard->release_one_piece()) return;
  }
  if (give_up_kept()) return;  // kept between calls: the program needs it more
  if (std::new_handler previous = g_previous_handler.load()) {
    previous();
    return;
  }
  std::set_new_handler(nullptr);
}

namespace {

void install_handler() {
  const std::new_handler current = std::get_new_handler();
  if (current == &release_headroom) return;
  g_previous_handler.store(current);
  std::set_new_handler(&release_headroom);
}

}  // namespace

Headroom Headroom::plus(size_t bytes, size_t largest_one) const {
  return Headroom{saturating_add(total, bytes), std::max(largest, largest_one)};
}

Headroom headroom_for(const channels::UserOptions& options, size_t held) {
  const size_t candidates =
      options.max_candidates != 0 ? options.max_candidates : kUncountedCandidates;
  const size_t message = saturating_add(options.max_message_bytes, kPerMessage);
  // A read: the candidates copied out of the transport, the one read with its payloads, and the
  // copies the C API hands out. A send: the message, its pending copy, the transport's copy.
  const size_t messages = saturating_mul(candidates + 4, message);
  const size_t total = saturating_add(saturating_add(kPerCall, messages), saturating_mul(4, held));
  // One allocation: a message (read into a string that grows to twice its size), the list of
  // candidates, or a held block grown to twice its size.
  const size_t largest = std::max(
      {saturating_mul(2, message), saturating_mul(candidates, 32), saturating_mul(2, held)});
  return Headroom{total, largest};
}

Headroom headroom_for(const channels::UserBase& user) {
  const channels::UserState& state = user.state();
  Headroom room = headroom_for(user.options(), held_bytes(state));
  // Only the largest block grows at once; the rest is counted in the total.
  room.largest =
      std::max(saturating_mul(2, saturating_add(user.options().max_message_bytes, kPerMessage)),
               saturating_mul(2, largest_held(state)));
  return room;
}

HeapHeadroom::HeapHeadroom(Headroom room) noexcept : outer_(t_innermost) {
  install_handler();
  t_innermost = this;
  held_ = take(room, piece_);
}

HeapHeadroom::~HeapHeadroom() {
#if STREAMS_C_KEEP_RESERVE
  if (held_ != nullptr && !spent_ && t_kept.pieces == nullptr) {  // whole: kept for the next call
    t_kept.pieces = held_;
    t_kept.piece = piece_;
    t_kept.count = pieces_in(held_);
    held_ = nullptr;
  }
#endif
  give_back(held_);
  t_innermost = outer_;
}

void* HeapHeadroom::take(Headroom room, size_t& piece) noexcept {
  t_last_request = room.total;
  const size_t fewest = room.total / kMostPieces + (room.total % kMostPieces != 0);
  piece = std::max({room.largest, fewest, sizeof(void*)});
  t_last_piece = piece;
#if STREAMS_C_KEEP_RESERVE
  if (t_kept.pieces != nullptr) {
    if (t_kept.piece >= piece && saturating_mul(t_kept.count, t_kept.piece) >= room.total) {
      void* kept = t_kept.pieces;
      piece = t_kept.piece;
      t_last_piece = piece;
      t_kept.pieces = nullptr;
      t_kept.count = 0;
      return kept;
    }
    t_kept.drop();  // too small for this call: a new one is taken
  }
#endif
  void* pieces = nullptr;
  size_t taken = 0;
  do {  // one piece at least: a reserve of nothing would read as no room
    void* next = g_reserve.allocate(piece);
    if (next == nullptr) {
      give_back(pieces);
      return nullptr;
    }
    *static_cast<void**>(next) = pieces;
    pieces = next;
    taken = saturating_add(taken, piece);
  } while (taken < room.total);
  return pieces;
}

void HeapHeadroom::give_back(void* pieces) noexcept {
  while (pieces != nullptr) {
    void* next = *static_cast<void**>(pieces);
    g_reserve.release(pieces);
    pieces = next;
  }
}

bool HeapHeadroom::release_one_piece() noexcept {
  if (held_ == nullptr) return false;
  void* next = *static_cast<void**>(held_);
  g_reserve.release(held_);
  held_ = next;
  spent_ = true;
  t_released += piece_;
  return true;
}

bool HeapHeadroom::renew(Headroom room) noexcept {
  size_t piece = 0;
  void* fresh = take(room, piece);
  if (fresh == nullptr) return false;  // the old reserve stays: it covers what the call holds
  give_back(held_);
  held_ = fresh;
  piece_ = piece;
  spent_ = false;
  return true;
}

size_t HeapHeadroom::last_request() { return t_last_request; }
size_t HeapHeadroom::last_piece() { return t_last_piece; }
size_t HeapHeadroom::released_bytes() { return t_released; }
void HeapHeadroom::set_reserve_allocator(ReserveAllocator allocator) {
  drop_kept();  // what it kept came from the allocator before
  g_reserve = allocator;
}

}  // namespace iota_streams::bindings
