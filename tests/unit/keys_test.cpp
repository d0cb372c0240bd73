// Seed -> Ed25519 -> X25519 keys, key agreement, BLAKE2b index: reference answers and every user of
// every official vector file.
#include <gtest/gtest.h>
#include <sodium.h>

#include "../../src/crypto/field25519.h"
#include "iota_streams/crypto/blake2b.h"
#include "iota_streams/crypto/keys.h"
#include "support/vectors.h"

namespace iota_streams::crypto {
namespace {

TEST(Keys, ReferenceUsers) {
  const auto vectors = test::load_vectors("streams-core.json");
  for (const auto& v : vectors["keys"]) {
    const auto keys = user_keys_from_seed(v["seed"].get<std::string>());
    SCOPED_TRACE(v["seed"].get<std::string>());
    EXPECT_EQ(to_hex(keys.signing.seed().view()), v["ed_seed"].get<std::string>());
    EXPECT_EQ(to_hex(keys.signing.public_key().bytes), v["ed_pk"].get<std::string>());
    EXPECT_EQ(to_hex(keys.exchange_secret.view()), v["x_sk"].get<std::string>());
    EXPECT_EQ(to_hex(keys.exchange_public.bytes), v["x_pk"].get<std::string>());
    X25519PublicKey converted;
    ASSERT_TRUE(x25519_from_ed25519(keys.signing.public_key(), converted));
    EXPECT_EQ(converted, keys.exchange_public);
  }
}

TEST(Keys, KeyAgreementMatchesReference) {
  const auto file = test::load_vectors("streams-core.json");
  const auto author = user_keys_from_seed("AUTHOR9SEED");
  const auto subscriber = user_keys_from_seed("SUBSCRIBERA9SEED");
  const auto shared = x25519_shared(author.exchange_secret, subscriber.exchange_public);
  EXPECT_EQ(to_hex(shared.view()), file["x25519_author_subscriber"].get<std::string>());
  EXPECT_EQ(x25519_shared(subscriber.exchange_secret, author.exchange_public), shared);
}

TEST(Keys, SmallOrderPeerGivesZeroSecretLikeDalek) {
  const auto author = user_keys_from_seed("AUTHOR9SEED");
  const X25519PublicKey zero{};  // u = 0 has order 2 on the Montgomery curve
  EXPECT_EQ(x25519_shared(author.exchange_secret, zero), SharedSecret{});
}

TEST(Keys, EveryUserOfEveryOfficialFile) {
  int users = 0;
  for (const auto& file : test::official_vector_files()) {
    const auto scenario = test::load_vectors(file);
    for (const auto& step : scenario["steps"]) {
      const std::string cmd = step["cmd"], args = step["args"], result = step["result"];
      if (cmd != "author-create" && cmd != "subscriber-create") continue;
      const std::string seed = cmd == "author-create" ? args.substr(0, args.rfind(' ')) : args;
      const auto keys = user_keys_from_seed(seed);
      const std::string pk = to_hex(keys.signing.public_key().bytes);
      // author-create prints the channel address (pk || u64 0), subscriber-create the public key
      EXPECT_EQ(cmd == "author-create" ? pk + std::string(16, '0') : pk, result)
          << file << " seed " << seed;
      ++users;
    }
  }
  EXPECT_GE(users, 7);
}

TEST(Keys, OwnFieldArithmeticAgreesWithLibsodiumConversion) {
  // The fallback conversion (for keys libsodium refuses) must equal libsodium's on keys it accepts.
  for (int i = 0; i < 64; ++i) {
    const auto keys = user_keys_from_seed("FIELD" + std::to_string(i));
    Bytes<32> expected;
    ASSERT_EQ(crypto_sign_ed25519_pk_to_curve25519(expected.data(),
                                                   keys.signing.public_key().bytes.data()),
              0);
    EXPECT_EQ(detail::montgomery_u_from_edwards_y(keys.signing.public_key().bytes), expected);
  }
}

TEST(Keys, MixedOrderKeyConvertsLikeDalek) {
  const auto keys = user_keys_from_seed("MIXED9ORDER");
  Ed25519PublicKey mixed;
  const auto t =
      test::hex_array<32>("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
  ASSERT_EQ(
      crypto_core_ed25519_add(mixed.bytes.data(), keys.signing.public_key().bytes.data(), t.data()),
      0);
  Bytes<32> refused;
  ASSERT_NE(crypto_sign_ed25519_pk_to_curve25519(refused.data(), mixed.bytes.data()), 0);
  X25519PublicKey converted;
  ASSERT_TRUE(x25519_from_ed25519(mixed, converted));
  EXPECT_EQ(converted.bytes, detail::montgomery_u_from_edwards_y(mixed.bytes));
  EXPECT_NE(converted, keys.exchange_public);
}

TEST(Keys, IdentityConvertsToZeroAsDalekDoes) {
  Ed25519PublicKey identity{};
  identity.bytes[0] = 1;  // y = 1: 1 - y = 0 and dalek's 1/0 is 0
  X25519PublicKey converted;
  ASSERT_TRUE(x25519_from_ed25519(identity, converted));
  EXPECT_EQ(converted, X25519PublicKey{});
}

TEST(Blake2b, IndexDocTestVector) {
  const auto v = test::load_vectors("streams-core.json")["blake2b_index"];
  EXPECT_EQ(to_hex(blake2b_256(test::hex_bytes(v["appinst"]), test::hex_bytes(v["msgid"]))),
            v["index"].get<std::string>());
}

}  // namespace
}  // namespace iota_streams::crypto
