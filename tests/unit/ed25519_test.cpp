// Ed25519ph with a context, built from libsodium's scalar and point operations: RFC 8032's vector,
// the official Streams signature, and the verification rules of ed25519-dalek 1.0.1.
#include <gtest/gtest.h>
#include <sodium.h>

#include "iota_streams/crypto/ed25519.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/sponge/spongos.h"
#include "support/vectors.h"

namespace iota_streams::crypto {
namespace {

Bytes<64> sha512(ByteSpan data) {
  Bytes<64> out;
  crypto_hash_sha512(out.data(), data.data(), data.size());
  return out;
}

Ed25519Keypair keypair_from_hex(const std::string& hex) {
  return Ed25519Keypair::from_seed(Secret<32>(test::hex_array<32>(hex)));
}

TEST(Ed25519ph, Rfc8032Vector) {
  const auto v = test::load_vectors("ed25519ph-rfc8032.json");
  const auto kp = keypair_from_hex(v["secret_key"]);
  EXPECT_EQ(to_hex(kp.public_key().bytes), v["public_key"].get<std::string>());
  const auto prehash = sha512(test::hex_bytes(v["message"]));
  const auto signature = kp.sign_prehashed(prehash, v["context"].get<std::string>());
  EXPECT_EQ(to_hex(signature), v["signature"].get<std::string>());
  EXPECT_TRUE(ed25519_verify_prehashed(kp.public_key(), prehash, "", signature));
  EXPECT_FALSE(ed25519_verify_prehashed(kp.public_key(), prehash, "IOTAStreams", signature));
}

TEST(Ed25519ph, StreamsSignatureMatchesReference) {
  const auto v = test::load_vectors("streams-core.json")["streams_signature"];
  const auto keys = user_keys_from_seed(v["seed"].get<std::string>());
  sponge::Spongos s;
  s.absorb(as_bytes(v["absorbed"].get<std::string>()));
  s.commit();
  Bytes<64> hash;
  s.squeeze(hash);
  EXPECT_EQ(to_hex(hash), v["hash"].get<std::string>());
  const auto signature = keys.signing.sign_streams(hash);
  EXPECT_EQ(to_hex(signature), v["signature"].get<std::string>());
  EXPECT_TRUE(ed25519_verify_streams(keys.signing.public_key(), hash, signature));
}

class Verification : public ::testing::Test {
 protected:
  const UserKeys keys = user_keys_from_seed("VERIFY9SEED");
  Bytes<64> hash = sha512(as_bytes("some spongos output"));
  Ed25519Signature signature = keys.signing.sign_streams(hash);
};

TEST_F(Verification, AnyFlippedBitIsRejected) {
  for (size_t bit = 0; bit < 8 * signature.size(); ++bit) {
    auto tampered = signature;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(ed25519_verify_streams(keys.signing.public_key(), hash, tampered))
        << "bit " << bit;
  }
  for (size_t bit = 0; bit < 8 * hash.size(); bit += 7) {
    auto other = hash;
    other[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(ed25519_verify_streams(keys.signing.public_key(), other, signature))
        << "bit " << bit;
  }
}

TEST_F(Verification, NonCanonicalSIsRejected) {
  // S + L verifies algebraically; dalek (without legacy_compatibility) refuses S >= L.
  Bytes<32> s_plus_l;
  const Bytes<32> order = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                           0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                           0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    carry += signature[32 + i] + order[i];
    s_plus_l[i] = static_cast<uint8_t>(carry);
    carry >>= 8;
  }
  ASSERT_EQ(carry, 0u);
  auto tampered = signature;
  std::copy(s_plus_l.begin(), s_plus_l.end(), tampered.begin() + 32);
  EXPECT_FALSE(ed25519_verify_streams(keys.signing.public_key(), hash, tampered));
}

TEST_F(Verification, KeyThatDoesNotDecompressIsRejected) {
  Ed25519PublicKey bad{};
  bad.bytes[0] = 2;  // y = 2 is not the y of any curve point
  EXPECT_FALSE(ed25519_is_valid_public_key(bad));
  EXPECT_FALSE(ed25519_verify_streams(bad, hash, signature));
}

// The key check decodes as libsodium's point addition does (which decodes as dalek's decompress),
// on random encodings (about half are not points) and on y values at and above p, which dalek
// accepts.
TEST(Ed25519Points, KeyCheckAgreesWithLibsodiumDecoding) {
  const Bytes<32> identity = test::hex_array<32>("01" + std::string(62, '0'));
  auto decodes = [&](const Ed25519PublicKey& key) {
    Bytes<32> sum;
    return crypto_core_ed25519_add(sum.data(), key.bytes.data(), identity.data()) == 0;
  };
  int valid = 0;
  for (int i = 0; i < 2000; ++i) {
    Ed25519PublicKey key;
    randombytes_buf(key.bytes.data(), key.bytes.size());
    if (i < 64) {  // y = p + i (non-canonical), both signs
      key.bytes.fill(0xff);
      key.bytes[0] = static_cast<uint8_t>(0xed + i % 19);
      key.bytes[31] = i % 2 ? 0xff : 0x7f;
    }
    ASSERT_EQ(ed25519_is_valid_public_key(key), decodes(key)) << to_hex(key.bytes);
    valid += decodes(key) ? 1 : 0;
  }
  EXPECT_GT(valid, 500);
  EXPECT_LT(valid, 1500);
}

// A point of order 8 (libsodium's small-order blocklist).
Ed25519PublicKey order_eight_point() {
  return Ed25519PublicKey{
      test::hex_array<32>("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")};
}

TEST(Ed25519Points, OrderEightPointIsAValidKeyForDalek) {
  const auto t = order_eight_point();
  EXPECT_TRUE(ed25519_is_valid_public_key(t));
  EXPECT_FALSE(crypto_core_ed25519_is_valid_point(t.bytes.data()));  // libsodium's stricter rule
  Bytes<32> sum = t.bytes;
  for (int i = 1; i < 8; ++i)
    ASSERT_EQ(crypto_core_ed25519_add(sum.data(), sum.data(), t.bytes.data()), 0);
  EXPECT_EQ(to_hex(sum), "01" + std::string(62, '0'));  // 8·T is the identity
}

// Signs with the secret scalar of A but claims A' = A + T (T of order 8). dalek's equation
// S·B − k·A' = R − k·T holds iff k ≡ 0 (mod 8): a mixed-order key, accepted by the official
// library.
struct MixedOrderCase {
  Ed25519PublicKey key;
  Bytes<64> hash;
  Ed25519Signature signature;
  unsigned k_mod_8;
};

MixedOrderCase sign_for_mixed_order_key(uint8_t counter) {
  const auto keys = user_keys_from_seed("MIXED9ORDER");
  MixedOrderCase c;
  crypto_core_ed25519_add(c.key.bytes.data(), keys.signing.public_key().bytes.data(),
                          order_eight_point().bytes.data());
  const uint8_t message[2] = {0x42, counter};
  c.hash = sha512(message);
  Bytes<64> r_hash = sha512(c.hash);
  Bytes<32> r, big_r, k, ka, a{};
  crypto_core_ed25519_scalar_reduce(r.data(), r_hash.data());
  crypto_scalarmult_ed25519_base_noclamp(big_r.data(), r.data());
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  const std::string dom =
      std::string("SigEd25519 no Ed25519 collisions") + '\x01' + '\x0b' + "IOTAStreams";
  crypto_hash_sha512_update(&st, reinterpret_cast<const uint8_t*>(dom.data()), dom.size());
  crypto_hash_sha512_update(&st, big_r.data(), 32);
  crypto_hash_sha512_update(&st, c.key.bytes.data(), 32);
  crypto_hash_sha512_update(&st, c.hash.data(), 64);
  Bytes<64> k_hash;
  crypto_hash_sha512_final(&st, k_hash.data());
  crypto_core_ed25519_scalar_reduce(k.data(), k_hash.data());
  Bytes<64> a_wide{};
  std::copy_n(keys.signing.scalar().data(), 32, a_wide.begin());
  crypto_core_ed25519_scalar_reduce(a.data(), a_wide.data());
  crypto_core_ed25519_scalar_mul(ka.data(), k.data(), a.data());
  std::copy(big_r.begin(), big_r.end(), c.signature.begin());
  crypto_core_ed25519_scalar_add(c.signature.data() + 32, r.data(), ka.data());
  c.k_mod_8 = k[0] & 7u;
  return c;
}

TEST(Ed25519Points, MixedOrderKeyVerifiesExactlyWhenDalekWould) {
  int accepted = 0, rejected = 0;
  for (int counter = 0; counter < 64 && (accepted < 2 || rejected < 2); ++counter) {
    const auto c = sign_for_mixed_order_key(static_cast<uint8_t>(counter));
    const bool expected = c.k_mod_8 == 0;
    EXPECT_EQ(ed25519_verify_streams(c.key, c.hash, c.signature), expected)
        << "k mod 8 = " << c.k_mod_8;
    (expected ? accepted : rejected)++;
  }
  EXPECT_GE(accepted, 2);
  EXPECT_GE(rejected, 2);
}

}  // namespace
}  // namespace iota_streams::crypto
