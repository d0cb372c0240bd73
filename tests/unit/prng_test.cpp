// The spongos PRNG and the seed -> key chain, against the 1.2.0 source's answers.
#include <gtest/gtest.h>

#include "iota_streams/crypto/keys.h"
#include "iota_streams/sponge/prng.h"
#include "support/vectors.h"

namespace iota_streams::sponge {
namespace {

TEST(Prng, UserSeedChainMatchesOfficialSource) {
  const auto users = test::load_vectors("streams-core.json")["user_seeds"];
  ASSERT_EQ(users.size(), 6u);  // empty, short, long (166 B), exactly one block (168 B), 200 B
  for (const auto& u : users) {
    const std::string seed = u["seed"];
    SCOPED_TRACE("seed of " + std::to_string(seed.size()) + " bytes");
    const Prng prng = Prng::from_seed(crypto::kUserKeyDomain, seed);
    EXPECT_EQ(to_hex(prng.key().view()), u["prng_key"].get<std::string>());
    Bytes<32> ed_seed;
    prng.gen(as_bytes(crypto::kUserKeyNonce), ed_seed);
    EXPECT_EQ(to_hex(ed_seed), u["ed_seed"].get<std::string>());
    EXPECT_EQ(to_hex(crypto::ed25519_seed_from_user_seed(seed).view()),
              u["ed_seed"].get<std::string>());
  }
}

TEST(Prng, SeedIsAbsorbedBeforeDomain) {
  const Prng a = Prng::from_seed("domain", "seed");
  const Prng b = Prng::from_seed("seed", "domain");
  EXPECT_NE(to_hex(a.key().view()), to_hex(b.key().view()));
}

TEST(Prng, ExportKeyMatchesOfficialSource) {
  const auto v = test::load_vectors("streams-core.json")["export_key"];
  const Prng k0 = Prng::from_seed("IOTA Streams Channels app", v["password"].get<std::string>());
  Bytes<32> key;
  k0.gen(as_bytes("user export key"), key);
  EXPECT_EQ(to_hex(key), v["key"].get<std::string>());
}

}  // namespace
}  // namespace iota_streams::sponge
