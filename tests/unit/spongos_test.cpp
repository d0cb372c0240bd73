// Spongos exactly as the 1.2.0 code does it; answers from the real 1.2.0 source
// (vectors/streams-core.json).
#include <gtest/gtest.h>

#include <numeric>

#include "iota_streams/sponge/keccak.h"
#include "iota_streams/sponge/spongos.h"
#include "support/vectors.h"

namespace iota_streams::sponge {
namespace {

std::vector<uint8_t> counting(size_t n) {
  std::vector<uint8_t> data(n);
  for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i);
  return data;
}

TEST(Spongos, HashDataMatchesOfficialSource) {
  const auto vectors = test::load_vectors("streams-core.json")["hash_data"];
  ASSERT_EQ(vectors.size(), 7u);  // 0, 1, 3, 167, 168, 169, 336: empty input and the rate edges
  for (const auto& v : vectors) {
    const size_t n = v["length"];
    Bytes<64> out;
    hash_data(counting(n), out);
    EXPECT_EQ(to_hex(out), v["output"].get<std::string>()) << "length " << n;
  }
}

TEST(Spongos, EmptyHashIsAllZerosBecauseCommitDoesNothingAtPositionZero) {
  Spongos s;
  s.commit();
  EXPECT_TRUE(s.is_committed());
  Bytes<64> out;
  s.squeeze(out);
  EXPECT_EQ(out, Bytes<64>{});
}

TEST(Spongos, AbsorbEndingOnRateBoundaryCommitsOnce) {
  // After exactly 168 bytes the permutation already ran; the explicit commit must not permute
  // again.
  Spongos a;
  a.absorb(counting(168));
  EXPECT_EQ(a.pos(), 0u);
  Spongos b = a;
  b.commit();
  EXPECT_TRUE(std::equal(a.state().begin(), a.state().end(), b.state().begin()));
}

TEST(Spongos, SqueezeThenCommitZeroesTheUnusedRateAndPermutes) {
  Spongos s;
  s.absorb(as_bytes("squeeze then commit"));
  s.commit();
  Bytes<10> first;
  s.squeeze(first);
  EXPECT_EQ(s.pos(), 10u);
  // Expected: S[0..10) keep their values (squeezing does not change the state), S[10..168) := 0,
  // permute.
  std::array<uint8_t, kWidth> expected;
  std::copy(s.state().begin(), s.state().end(), expected.begin());
  EXPECT_TRUE(std::equal(first.begin(), first.end(), expected.begin()));
  std::fill(expected.begin() + 10, expected.begin() + kRate, 0);
  keccak_f1600(expected.data());
  s.commit();
  EXPECT_EQ(s.pos(), 0u);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), s.state().begin()));
}

TEST(Spongos, EncryptMacAndJoinMatchOfficialSource) {
  const auto v = test::load_vectors("streams-core.json")["encrypt_mac_join"];
  Spongos s;
  s.absorb(as_bytes("key material"));
  s.commit();
  std::vector<uint8_t> plaintext(200), ciphertext(200);
  for (size_t i = 0; i < plaintext.size(); ++i) plaintext[i] = static_cast<uint8_t>((7 * i) % 256);
  Spongos decryptor = s;
  s.encrypt(plaintext, ciphertext);
  s.commit();
  Bytes<32> mac;
  s.squeeze(mac);
  EXPECT_EQ(to_hex(ciphertext), v["ct"].get<std::string>());
  EXPECT_EQ(to_hex(mac), v["mac"].get<std::string>());

  std::vector<uint8_t> recovered(200);
  decryptor.decrypt(ciphertext, recovered);
  EXPECT_EQ(recovered, plaintext);
  decryptor.commit();
  EXPECT_TRUE(decryptor.squeeze_eq(mac));

  Spongos a;
  a.absorb(as_bytes("message A"));
  a.commit();
  Inner inner_a;
  ASSERT_TRUE(a.to_inner(inner_a));
  EXPECT_EQ(to_hex(inner_a.view()), v["inner_A"].get<std::string>());
  Spongos b;
  b.absorb(as_bytes("xyz"));
  b.join(Spongos(inner_a));
  b.commit();
  Bytes<32> joined;
  b.squeeze(joined);
  EXPECT_EQ(to_hex(joined), v["join_squeeze"].get<std::string>());
}

TEST(Spongos, InPlaceEncryptDecryptRoundTrips) {
  Spongos enc, dec;
  enc.absorb(as_bytes("k"));
  dec.absorb(as_bytes("k"));
  auto data = counting(400);
  const auto original = data;
  enc.encrypt(data, data);
  EXPECT_NE(data, original);
  dec.decrypt(data, data);
  EXPECT_EQ(data, original);
}

TEST(Spongos, SqueezeEqAdvancesEvenOnMismatchAndReportsIt) {
  Spongos s;
  s.absorb(as_bytes("x"));
  s.commit();
  Spongos t = s;
  Bytes<32> good;
  s.squeeze(good);
  Bytes<32> bad = good;
  bad[31] ^= 1;
  EXPECT_FALSE(t.squeeze_eq(bad));
  EXPECT_EQ(t.pos(), 32u);
}

TEST(Spongos, ToInnerRequiresCommittedState) {
  Spongos s;
  s.absorb(as_bytes("abc"));
  Inner inner{};
  inner.data()[0] = 0x55;
  EXPECT_FALSE(s.to_inner(inner));
  EXPECT_EQ(inner.data()[0], 0x55);  // untouched
  s.commit();
  EXPECT_TRUE(s.to_inner(inner));
}

TEST(Spongos, ForkEvolvesIndependently) {
  Spongos s;
  s.absorb(as_bytes("base"));
  Spongos fork = s;
  fork.absorb(as_bytes("more"));
  Bytes<16> from_s, from_fork;
  s.commit();
  fork.commit();
  s.squeeze(from_s);
  fork.squeeze(from_fork);
  EXPECT_NE(from_s, from_fork);
}

}  // namespace
}  // namespace iota_streams::sponge
