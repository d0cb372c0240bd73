// X25519 key agreement and the Ed25519 -> X25519 conversions (iota-streams-core-edsig key_exchange,
// x25519-dalek), from libsodium.
#pragma once

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/secret.h"
#include "iota_streams/crypto/ed25519.h"

namespace iota_streams::crypto {

inline constexpr size_t kX25519KeySize = 32;

struct X25519PublicKey {
  Bytes<kX25519KeySize> bytes{};
  bool operator==(const X25519PublicKey&) const = default;
};

using X25519Secret = Secret<kX25519KeySize>;
using SharedSecret = Secret<kX25519KeySize>;

// The Montgomery form of an Ed25519 public key, u = (1 + y) / (1 - y) with 1/0 := 0 (x25519-dalek
// public_from_ed25519). False if the key does not decompress (KeyConversionFailure). Keys that
// libsodium refuses to convert (small order, outside the prime-order subgroup) are converted by a
// small field computation of our own, so that every key the official library accepts converts here.
bool x25519_from_ed25519(const Ed25519PublicKey& key, X25519PublicKey& out);

X25519PublicKey x25519_public(const X25519Secret& secret);

// RFC 7748 X25519. Like x25519-dalek, an all-zero result (a small-order peer key) is returned as it
// is, not rejected: the protocol absorbs it and a later signature or MAC decides.
SharedSecret x25519_shared(const X25519Secret& secret, const X25519PublicKey& peer);

// A fresh ephemeral secret from the platform's randomness.
X25519Secret x25519_random_secret();

}  // namespace iota_streams::crypto
