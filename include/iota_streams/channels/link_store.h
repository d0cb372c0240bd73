// The link store (iota-streams-ddml/src/link_store.rs DefaultLinkStore, keyed by MsgId): for every
// message this user wrote or read, the 32-byte inner spongos state after its final commit, which
// later messages `join`, and what kind of message it was.
//
// Unlike the official HashMap, entries keep their insertion order (so exports are deterministic),
// and the store can have a capacity: when it is full the least recently used entry is evicted,
// never the announce (later subscribes and sequences join it). Capacity 0 means unbounded (the host
// default).
#pragma once

#include <optional>
#include <vector>

#include "iota_streams/base/secret.h"
#include "iota_streams/channels/types.h"
#include "iota_streams/ddml/types.h"
#include "iota_streams/sponge/spongos.h"

namespace iota_streams::channels {

class LinkStore : public ddml::LinkLookup {
 public:
  struct Entry {
    MsgId msgid;
    // The inner state of a keyed message is secret (sponge::Inner is a Secret): it is wiped
    // wherever an entry goes (erased, evicted, moved when the list grows, or with the store).
    sponge::Inner inner;
    MsgInfo info;
    mutable uint64_t last_use = 0;  // recency for eviction; not part of the store's value
  };

  LinkStore() = default;
  explicit LinkStore(size_t capacity) : capacity_(capacity) {}

  // ddml::LinkLookup: the state of a 12-byte message id.
  bool lookup(ByteSpan link, sponge::Inner& out) const override;

  std::optional<MsgInfo> info(const MsgId& msgid) const;
  bool contains(const MsgId& msgid) const;
  // Inserts or overwrites ("last write wins"), evicting when full.
  void update(const MsgId& msgid, const sponge::Inner& inner, MsgInfo info);
  void erase(const MsgId& msgid);
  void clear() { entries_.clear(); }

  size_t size() const { return entries_.size(); }
  size_t capacity() const { return capacity_; }
  const std::vector<Entry>& entries() const { return entries_; }
  bool operator==(const LinkStore& other) const;

 private:
  const Entry* find(const MsgId& msgid) const;
  void evict_one();

  size_t capacity_ = 0;
  std::vector<Entry> entries_;
  mutable uint64_t clock_ = 0;  // lookups refresh an entry's last use
};

}  // namespace iota_streams::channels
