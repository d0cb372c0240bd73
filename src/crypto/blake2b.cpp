#include "iota_streams/crypto/blake2b.h"

#include <sodium.h>

#include "sodium_init.h"

namespace iota_streams::crypto {

Bytes<kBlake2b256Size> blake2b_256(ByteSpan data) { return blake2b_256(data, {}); }

Bytes<kBlake2b256Size> blake2b_256(ByteSpan first, ByteSpan second) {
  detail::ensure_sodium();
  crypto_generichash_blake2b_state state;
  crypto_generichash_blake2b_init(&state, nullptr, 0, kBlake2b256Size);
  crypto_generichash_blake2b_update(&state, first.data(), first.size());
  crypto_generichash_blake2b_update(&state, second.data(), second.size());
  Bytes<kBlake2b256Size> out;
  crypto_generichash_blake2b_final(&state, out.data(), out.size());
  return out;
}

}  // namespace iota_streams::crypto
