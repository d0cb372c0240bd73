// Ed25519 keys and the signature Streams uses: Ed25519ph (RFC 8032 §5.1, phflag 1) with context
// "IOTAStreams" over a 64-byte hash squeezed from the spongos (iota-streams-ddml
// command/*/ed25519.rs, ed25519-dalek 1.0.1 sign_prehashed/verify_prehashed). Built on libsodium's
// scalar and point operations, because libsodium's own ed25519ph takes no context and hashes the
// message itself.
#pragma once

#include <span>
#include <string_view>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/secret.h"

namespace iota_streams::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;
inline constexpr size_t kSignedHashSize = 64;  // HashSig: 64 bytes squeezed from the spongos
inline constexpr std::string_view kStreamsSignatureContext = "IOTAStreams";

struct Ed25519PublicKey {
  Bytes<kEd25519PublicKeySize> bytes{};
  bool operator==(const Ed25519PublicKey&) const = default;
  auto operator<=>(const Ed25519PublicKey&) const = default;
};

using Ed25519Signature = Bytes<kEd25519SignatureSize>;
using SignedHash = std::span<const uint8_t, kSignedHashSize>;

// A keypair from its 32-byte RFC 8032 secret seed. Holds the expanded secret (clamped scalar and
// nonce prefix, SHA-512 of the seed); every secret is wiped on destruction.
class Ed25519Keypair {
 public:
  static Ed25519Keypair from_seed(const Secret<kEd25519SeedSize>& seed);

  const Ed25519PublicKey& public_key() const { return public_key_; }
  const Secret<kEd25519SeedSize>& seed() const { return seed_; }
  // The clamped scalar: also the X25519 secret of this user (x25519 keypair_from_ed25519).
  const Secret<32>& scalar() const { return scalar_; }

  // Ed25519ph over `prehash` with `context` (at most 255 bytes).
  Ed25519Signature sign_prehashed(SignedHash prehash, std::string_view context) const;
  // The Streams signature: context "IOTAStreams".
  Ed25519Signature sign_streams(SignedHash hash) const {
    return sign_prehashed(hash, kStreamsSignatureContext);
  }

 private:
  Secret<kEd25519SeedSize> seed_;
  Secret<32> scalar_;
  Secret<32> prefix_;
  Ed25519PublicKey public_key_;
};

// True iff the bytes decompress to a curve point (ed25519-dalek PublicKey::from_bytes:
// non-canonical y, small-order and mixed-order points are accepted, as the official library does).
bool ed25519_is_valid_public_key(const Ed25519PublicKey& key);

// Verification with the rules of ed25519-dalek 1.0.1 verify_prehashed: S must be canonical (< L);
// k = SHA-512(dom || R || A || H) mod L; accept iff encode(S·B − k·A) == R byte for byte (the
// non-cofactored equation, valid for any A on the curve, including small- and mixed-order A).
bool ed25519_verify_prehashed(const Ed25519PublicKey& key, SignedHash prehash,
                              std::string_view context, const Ed25519Signature& signature);
inline bool ed25519_verify_streams(const Ed25519PublicKey& key, SignedHash hash,
                                   const Ed25519Signature& sig) {
  return ed25519_verify_prehashed(key, hash, kStreamsSignatureContext, sig);
}

}  // namespace iota_streams::crypto
