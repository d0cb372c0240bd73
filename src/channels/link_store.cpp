#include "iota_streams/channels/link_store.h"

#include <algorithm>

namespace iota_streams::channels {

const LinkStore::Entry* LinkStore::find(const MsgId& msgid) const {
  for (const auto& e : entries_) {
    if (e.msgid == msgid) return &e;
  }
  return nullptr;
}

bool LinkStore::lookup(ByteSpan link, sponge::Inner& out) const {
  if (link.size() != message::kMsgIdSize) return false;
  MsgId id;
  std::copy(link.begin(), link.end(), id.bytes.begin());
  const Entry* e = find(id);
  if (e == nullptr) return false;
  out = e->inner;
  e->last_use = ++clock_;
  return true;
}

std::optional<MsgInfo> LinkStore::info(const MsgId& msgid) const {
  const Entry* e = find(msgid);
  return e ? std::optional<MsgInfo>(e->info) : std::nullopt;
}

bool LinkStore::contains(const MsgId& msgid) const { return find(msgid) != nullptr; }

void LinkStore::update(const MsgId& msgid, const sponge::Inner& inner, MsgInfo info) {
  for (auto& e : entries_) {
    if (e.msgid != msgid) continue;
    e.inner = inner;
    e.info = info;
    e.last_use = ++clock_;
    return;
  }
  if (capacity_ != 0 && entries_.size() >= capacity_) evict_one();
  entries_.push_back(Entry{msgid, inner, info, ++clock_});
}

void LinkStore::evict_one() {
  auto victim = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->info == MsgInfo::kAnnounce) continue;
    if (victim == entries_.end() || it->last_use < victim->last_use) victim = it;
  }
  if (victim == entries_.end()) victim = entries_.begin();
  entries_.erase(victim);
}

void LinkStore::erase(const MsgId& msgid) {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const Entry& e) { return e.msgid == msgid; }),
                 entries_.end());
}

bool LinkStore::operator==(const LinkStore& other) const {
  if (entries_.size() != other.entries_.size()) return false;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& a = entries_[i];
    const Entry& b = other.entries_[i];
    if (a.msgid != b.msgid || a.inner != b.inner || a.info != b.info) return false;
  }
  return true;
}

}  // namespace iota_streams::channels
