// The key store (api/key_store.rs KeyMap): every identity this user knows in the channel, with its
// cursor (where that publisher is), the X25519 form of an Ed25519 identity, and the secret of a PSK
// identity when this user holds it.
//
// Order is insertion order, Ed25519 identities first, then PSK identities (the official code
// iterates its two hash maps in that order, each in an unspecified order). Capacity 0 means
// unbounded.
#pragma once

#include <optional>
#include <vector>

#include "iota_streams/base/error.h"
#include "iota_streams/channels/types.h"
#include "iota_streams/crypto/psk.h"
#include "iota_streams/crypto/x25519.h"

namespace iota_streams::channels {

class KeyStore {
 public:
  struct Entry {
    Identifier id;
    crypto::X25519PublicKey exchange_key;  // Ed25519 identities: the Montgomery form, for keyloads
    std::optional<crypto::Psk> psk;        // PSK identities: the key, if this user holds it
    Cursor cursor;
  };

  KeyStore() = default;
  explicit KeyStore(size_t capacity) : capacity_(capacity) {}

  bool contains(const Identifier& id) const { return find(id) != nullptr; }
  const Cursor* cursor(const Identifier& id) const;
  Cursor* cursor(const Identifier& id);
  const crypto::X25519PublicKey* exchange_key(const Identifier& id) const;
  const crypto::Psk* psk(const Identifier& id) const;

  // Sets the cursor of `id`, adding it if new. An Ed25519 identity gets its X25519 key computed
  // (KeyConversionFailure if it is not a curve point); a PSK identity keeps no secret
  // (insert_cursor in the official code stores None). kCapacityExceeded when a new identity does
  // not fit.
  Result<void> insert_cursor(const Identifier& id, const Cursor& cursor);
  // Adds or replaces a PSK identity with its secret.
  Result<void> insert_psk(const crypto::PskId& id, const crypto::Psk& psk, const Cursor& cursor);
  void remove(const Identifier& id);

  // The first PSK identity that has a secret (KeyMap::get_next_pskid).
  std::optional<Identifier> next_psk_id() const;

  // Every Ed25519 identity, then every PSK identity, in order.
  std::vector<const Entry*> entries() const;
  std::vector<Entry*> entries();
  size_t size() const { return public_keys_.size() + psks_.size(); }
  size_t capacity() const { return capacity_; }
  bool operator==(const KeyStore& other) const;

 private:
  const Entry* find(const Identifier& id) const;
  Entry* find(const Identifier& id);
  Result<void> ensure_room() const;

  size_t capacity_ = 0;
  std::vector<Entry> public_keys_;
  std::vector<Entry> psks_;
};

}  // namespace iota_streams::channels
