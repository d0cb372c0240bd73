#include "iota_streams/channels/key_store.h"

#include <algorithm>

namespace iota_streams::channels {

const KeyStore::Entry* KeyStore::find(const Identifier& id) const {
  const auto& list = id.is_psk() ? psks_ : public_keys_;
  for (const auto& e : list) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

KeyStore::Entry* KeyStore::find(const Identifier& id) {
  return const_cast<Entry*>(static_cast<const KeyStore*>(this)->find(id));
}

const Cursor* KeyStore::cursor(const Identifier& id) const {
  const Entry* e = find(id);
  return e ? &e->cursor : nullptr;
}

Cursor* KeyStore::cursor(const Identifier& id) {
  Entry* e = find(id);
  return e ? &e->cursor : nullptr;
}

const crypto::X25519PublicKey* KeyStore::exchange_key(const Identifier& id) const {
  const Entry* e = id.is_psk() ? nullptr : find(id);
  return e ? &e->exchange_key : nullptr;
}

const crypto::Psk* KeyStore::psk(const Identifier& id) const {
  const Entry* e = id.is_psk() ? find(id) : nullptr;
  return e && e->psk ? &*e->psk : nullptr;
}

Result<void> KeyStore::ensure_room() const {
  if (capacity_ != 0 && size() >= capacity_) {
    return STREAMS_ERROR(Errc::kCapacityExceeded, "the key store is full (" +
                                                      std::to_string(capacity_) +
                                                      " identities; raise STREAMS_MAX_IDENTITIES)");
  }
  return {};
}

Result<void> KeyStore::insert_cursor(const Identifier& id, const Cursor& cursor) {
  if (Entry* e = find(id)) {
    e->cursor = cursor;
    e->psk.reset();  // as the official insert_cursor: a PSK identity loses its stored secret
    return {};
  }
  STREAMS_TRY(ensure_room());
  Entry entry{id, {}, std::nullopt, cursor};
  if (!id.is_psk()) {
    if (!crypto::x25519_from_ed25519(id.public_key(), entry.exchange_key)) {
      return STREAMS_ERROR(Errc::kKeyConversionFailure,
                           "identity " + id.to_hex() + " is not an Ed25519 public key");
    }
    public_keys_.push_back(entry);
  } else {
    psks_.push_back(entry);
  }
  return {};
}

Result<void> KeyStore::insert_psk(const crypto::PskId& psk_id, const crypto::Psk& psk,
                                  const Cursor& cursor) {
  const Identifier id(psk_id);
  if (Entry* e = find(id)) {
    e->psk = psk;
    e->cursor = cursor;
    return {};
  }
  STREAMS_TRY(ensure_room());
  psks_.push_back(Entry{id, {}, psk, cursor});
  return {};
}

void KeyStore::remove(const Identifier& id) {
  auto& list = id.is_psk() ? psks_ : public_keys_;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const Entry& e) { return e.id == id; }),
             list.end());
}

std::optional<Identifier> KeyStore::next_psk_id() const {
  for (const auto& e : psks_) {
    if (e.psk) return e.id;
  }
  return std::nullopt;
}

std::vector<const KeyStore::Entry*> KeyStore::entries() const {
  std::vector<const Entry*> out;
  out.reserve(size());
  for (const auto& e : public_keys_) out.push_back(&e);
  for (const auto& e : psks_) out.push_back(&e);
  return out;
}

std::vector<KeyStore::Entry*> KeyStore::entries() {
  std::vector<Entry*> out;
  out.reserve(size());
  for (auto& e : public_keys_) out.push_back(&e);
  for (auto& e : psks_) out.push_back(&e);
  return out;
}

bool KeyStore::operator==(const KeyStore& other) const {
  auto same = [](const std::vector<Entry>& a, const std::vector<Entry>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Entry& x, const Entry& y) {
      return x.id == y.id && x.exchange_key == y.exchange_key && x.psk == y.psk &&
             x.cursor == y.cursor;
    });
  };
  return same(public_keys_, other.public_keys_) && same(psks_, other.psks_);
}

}  // namespace iota_streams::channels
