// Keccak-f[1600] against published answers: the permutation of the zero state, and SHA3/SHAKE
// (FIPS 202) built on our permutation, checked against hashlib's answers in vectors/sha3.json.
#include <gtest/gtest.h>

#include <algorithm>

#include "iota_streams/sponge/keccak.h"
#include "support/vectors.h"

namespace iota_streams::sponge {
namespace {

// FIPS 202 sponge with pad10*1 and a domain suffix, only for testing the permutation.
std::vector<uint8_t> fips202(ByteSpan message, size_t rate, uint8_t suffix, size_t out_size) {
  uint8_t state[kKeccakStateBytes] = {};
  size_t pos = 0;
  for (uint8_t byte : message) {
    state[pos++] ^= byte;
    if (pos == rate) {
      keccak_f1600(state);
      pos = 0;
    }
  }
  state[pos] ^= suffix;
  state[rate - 1] ^= 0x80;
  keccak_f1600(state);
  std::vector<uint8_t> out;
  pos = 0;
  while (out.size() < out_size) {
    if (pos == rate) {
      keccak_f1600(state);
      pos = 0;
    }
    out.push_back(state[pos++]);
  }
  return out;
}

TEST(Keccak, ZeroStatePermutationMatchesKnownLane) {
  uint64_t lanes[kKeccakLanes] = {};
  keccak_f1600(lanes);
  EXPECT_EQ(lanes[0], 0xF1258F7940E1DDE7ULL);  // the well-known first lane of Keccak-f[1600](0)
  EXPECT_EQ(lanes[1], 0x84D5CCF933C0478AULL);
}

TEST(Keccak, ZeroStateBytesMatchDigest) {
  const auto v = test::load_vectors("streams-core.json")["keccak_zero_state"];
  uint8_t state[kKeccakStateBytes] = {};
  keccak_f1600(state);
  EXPECT_EQ(to_hex(ByteSpan(state, 32)), v["outer_0_32"].get<std::string>());
  EXPECT_EQ(to_hex(ByteSpan(state + 168, 32)), v["inner"].get<std::string>());
}

TEST(Keccak, ByteAndLaneFormsAgreeLittleEndian) {
  uint8_t state[kKeccakStateBytes];
  uint64_t lanes[kKeccakLanes];
  for (size_t i = 0; i < kKeccakStateBytes; ++i) state[i] = static_cast<uint8_t>(i * 31 + 7);
  for (size_t i = 0; i < kKeccakLanes; ++i) {
    lanes[i] = 0;
    for (int b = 7; b >= 0; --b) lanes[i] = (lanes[i] << 8) | state[8 * i + b];
  }
  keccak_f1600(state);
  keccak_f1600(lanes);
  for (size_t i = 0; i < kKeccakLanes; ++i) {
    for (int b = 0; b < 8; ++b)
      ASSERT_EQ(state[8 * i + b], static_cast<uint8_t>(lanes[i] >> (8 * b)));
  }
}

TEST(Keccak, Sha3AndShakeMatchFips202) {
  const auto file = test::load_vectors("sha3.json");
  ASSERT_GE(file["vectors"].size(), 10u);
  for (const auto& v : file["vectors"]) {
    const auto message = test::hex_bytes(v["message"]);
    SCOPED_TRACE("message of " + std::to_string(message.size()) + " bytes");
    EXPECT_EQ(to_hex(fips202(message, 136, 0x06, 32)), v["sha3_256"].get<std::string>());
    EXPECT_EQ(to_hex(fips202(message, 72, 0x06, 64)), v["sha3_512"].get<std::string>());
    EXPECT_EQ(to_hex(fips202(message, 168, 0x1f, 64)), v["shake128_64"].get<std::string>());
    EXPECT_EQ(to_hex(fips202(message, 136, 0x1f, 200)), v["shake256_200"].get<std::string>());
  }
}

}  // namespace
}  // namespace iota_streams::sponge
