// A user's keys from its seed string (api/tangle/user.rs User::new): prng key = from_seed("IOTA
// Streams Channels user sig keypair", seed); Ed25519 seed = prng.gen("TANGLEUSERNONCE", 32); X25519
// from Ed25519.
#pragma once

#include <string_view>

#include "iota_streams/crypto/ed25519.h"
#include "iota_streams/crypto/x25519.h"

namespace iota_streams::crypto {

inline constexpr std::string_view kUserKeyDomain = "IOTA Streams Channels user sig keypair";
inline constexpr std::string_view kUserKeyNonce = "TANGLEUSERNONCE";

struct UserKeys {
  Ed25519Keypair signing;
  X25519Secret exchange_secret;     // clamped SHA-512(ed seed)[0..32]
  X25519PublicKey exchange_public;  // X25519(secret, 9) = Montgomery form of the Ed25519 key

  static UserKeys from_ed25519_seed(const Secret<kEd25519SeedSize>& seed);
};

// Any UTF-8 string is a valid seed, the empty string included (the official code enforces nothing).
Secret<kEd25519SeedSize> ed25519_seed_from_user_seed(std::string_view seed);
UserKeys user_keys_from_seed(std::string_view seed);

}  // namespace iota_streams::crypto
