// The link store: last write wins, eviction of the least recently used entry (never the announce),
// and a store that moves without copying its secret inner states.
#include <gtest/gtest.h>

#include <algorithm>

#include <type_traits>
#include <utility>

#include "iota_streams/channels/link_store.h"

namespace iota_streams::channels {
namespace {

MsgId id(uint8_t n) {
  MsgId out{};
  out.bytes[0] = n;
  return out;
}

sponge::Inner inner(uint8_t n) {
  sponge::Inner out{};
  std::fill_n(out.data(), out.size(), n);
  return out;
}

sponge::Inner looked_up(const LinkStore& store, uint8_t n) {
  sponge::Inner out{};
  const MsgId key = id(n);
  EXPECT_TRUE(store.lookup(key.bytes, out)) << "entry " << int(n);
  return out;
}

// A user's state moves into and out of Author/Subscriber; a copy would leave secrets in a second
// place.
static_assert(std::is_nothrow_move_constructible_v<LinkStore>);
static_assert(std::is_nothrow_move_assignable_v<LinkStore>);

TEST(LinkStore, LastWriteWins) {
  LinkStore store;
  store.update(id(1), inner(1), MsgInfo::kKeyload);
  store.update(id(1), inner(7), MsgInfo::kSignedPacket);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(looked_up(store, 1), inner(7));
  EXPECT_EQ(store.info(id(1)), MsgInfo::kSignedPacket);
}

TEST(LinkStore, FullStoreEvictsTheLeastRecentlyUsedButNeverTheAnnounce) {
  LinkStore store(3);
  store.update(id(0), inner(0), MsgInfo::kAnnounce);
  store.update(id(1), inner(1), MsgInfo::kKeyload);
  store.update(id(2), inner(2), MsgInfo::kSignedPacket);
  looked_up(store, 1);  // 2 is now the least recently used besides the announce
  store.update(id(3), inner(3), MsgInfo::kSignedPacket);
  EXPECT_TRUE(store.contains(id(0)));
  EXPECT_TRUE(store.contains(id(1)));
  EXPECT_FALSE(store.contains(id(2)));
  EXPECT_EQ(looked_up(store, 3), inner(3));
}

TEST(LinkStore, EraseAndMoveKeepTheRest) {
  LinkStore store;
  for (uint8_t n = 1; n <= 5; ++n) store.update(id(n), inner(n), MsgInfo::kTaggedPacket);
  store.erase(id(2));
  LinkStore moved = std::move(store);
  EXPECT_EQ(moved.size(), 4u);
  EXPECT_FALSE(moved.contains(id(2)));
  for (uint8_t n : {1, 3, 4, 5}) EXPECT_EQ(looked_up(moved, n), inner(n));
}

}  // namespace
}  // namespace iota_streams::channels
