#include "iota_streams/crypto/x25519.h"

#include <sodium.h>

#include "field25519.h"
#include "iota_streams/base/platform.h"
#include "sodium_init.h"

namespace iota_streams::crypto {

bool x25519_from_ed25519(const Ed25519PublicKey& key, X25519PublicKey& out) {
  detail::ensure_sodium();
  if (!ed25519_is_valid_public_key(key)) return false;
  // dalek converts any point that decompresses, and the conversion depends on y alone. libsodium's
  // crypto_sign_ed25519_pk_to_curve25519 refuses small-order and mixed-order points and
  // non-canonical encodings, and its subgroup check costs a scalar multiplication: one field
  // inversion is all it takes.
  out.bytes = detail::montgomery_u_from_edwards_y(key.bytes);
  return true;
}

X25519PublicKey x25519_public(const X25519Secret& secret) {
  detail::ensure_sodium();
  X25519PublicKey out;
  crypto_scalarmult_curve25519_base(out.bytes.data(), secret.data());
  return out;
}

SharedSecret x25519_shared(const X25519Secret& secret, const X25519PublicKey& peer) {
  detail::ensure_sodium();
  SharedSecret shared;
  // libsodium returns -1 when the result is all zeros; x25519-dalek returns the zeros. The output
  // buffer holds the computed value in both cases, so the return value is deliberately not an error
  // here.
  const int all_zero =
      crypto_scalarmult_curve25519(shared.data(), secret.data(), peer.bytes.data());
  static_cast<void>(all_zero);
  return shared;
}

X25519Secret x25519_random_secret() {
  X25519Secret secret;
  platform::random_bytes(secret.data(), secret.size());
  return secret;  // clamped by X25519 itself at every use
}

}  // namespace iota_streams::crypto
