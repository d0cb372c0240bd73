// The spongos PRNG of iota-streams-core/src/prng.rs: a 32-byte key, and gen(nonce) = fresh spongos,
// absorb(key), absorb(nonce), commit, squeeze. No domain byte and no length encodings (unlike the
// PDF).
#pragma once

#include <string_view>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/secret.h"

namespace iota_streams::sponge {

inline constexpr size_t kPrngKeySize = 32;

class Prng {
 public:
  explicit Prng(const Secret<kPrngKeySize>& key) : key_(key) {}

  // key = spongos{absorb(seed); commit; squeeze 32} (Prng::init_with_seed).
  static Prng from_seed_bytes(ByteSpan seed);
  // key = spongos{absorb(seed); commit; absorb(domain); commit; squeeze 32}: the seed first
  // (prng::from_seed).
  static Prng from_seed(std::string_view domain, std::string_view seed);

  void gen(ByteSpan nonce, MutableByteSpan out) const;
  const Secret<kPrngKeySize>& key() const { return key_; }

 private:
  Secret<kPrngKeySize> key_;
};

}  // namespace iota_streams::sponge
