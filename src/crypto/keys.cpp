#include "iota_streams/crypto/keys.h"
#include "iota_streams/base/text.h"

#include "iota_streams/sponge/prng.h"

namespace iota_streams::crypto {

Secret<kEd25519SeedSize> ed25519_seed_from_user_seed(std::string_view seed) {
  // ed25519-dalek SecretKey::generate fills the 32 secret bytes with one Rng::fill_bytes call,
  // which is prng.gen(nonce = "TANGLEUSERNONCE") (prng.rs Rng).
  const auto prng = sponge::Prng::from_seed(kUserKeyDomain, seed);
  Secret<kEd25519SeedSize> ed_seed;
  prng.gen(as_bytes(kUserKeyNonce), ed_seed.view());
  return ed_seed;
}

UserKeys UserKeys::from_ed25519_seed(const Secret<kEd25519SeedSize>& seed) {
  auto signing = Ed25519Keypair::from_seed(seed);
  X25519Secret exchange_secret(signing.scalar().view());  // x25519 keypair_from_ed25519
  auto exchange_public = x25519_public(exchange_secret);
  return UserKeys{std::move(signing), exchange_secret, exchange_public};
}

UserKeys user_keys_from_seed(std::string_view seed) {
  return UserKeys::from_ed25519_seed(ed25519_seed_from_user_seed(seed));
}

}  // namespace iota_streams::crypto
