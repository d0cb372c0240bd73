// The Chrysalis message layout and TIP-12 PoW against @iota/iota.js 1.8.6
// (tests/vectors/chrysalis), and every malformed layout a node must refuse.
#include "iota_streams/transports/chrysalis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "iota_streams/crypto/blake2b.h"
#include "pow.h"
#include "support/vectors.h"

namespace iota_streams::transports::chrysalis {
namespace {

using test::hex_bytes;
using test::load_vectors;

std::vector<uint8_t> sample_message(size_t parents = 2, size_t index_size = 16,
                                    size_t data_size = 100, uint64_t nonce = 0) {
  std::vector<MessageId> ids(parents);
  for (size_t i = 0; i < parents; ++i) ids[i].fill(static_cast<uint8_t>(0x10 * (parents - i)));
  std::vector<uint8_t> index(index_size, 'i');
  std::vector<uint8_t> data(data_size, 'd');
  std::vector<uint8_t> out(message_size(parents, index_size, data_size));
  const auto written = write_message(network_id("streams-local"), ids, index, data, nonce, out);
  EXPECT_TRUE(written.ok()) << written.error().message();
  return out;
}

TEST(Chrysalis, NetworkIdsMatchIotaJs) {
  const auto vectors = load_vectors("chrysalis/chrysalis.json");
  for (const auto& n : vectors["networks"]) {
    EXPECT_EQ(std::to_string(network_id(n["name"].get<std::string>())), n["id"].get<std::string>())
        << n["name"];
  }
}

TEST(Chrysalis, MessagesSerializeParseAndHashAsIotaJs) {
  const auto vectors = load_vectors("chrysalis/chrysalis.json");
  ASSERT_FALSE(vectors["messages"].empty());
  for (const auto& m : vectors["messages"]) {
    std::vector<MessageId> parents;
    for (const auto& p : m["parents"]) parents.push_back(test::hex_array<32>(p.get<std::string>()));
    const auto index = hex_bytes(m["index"]);
    const auto data = hex_bytes(m["data"]);
    const uint64_t nonce = std::stoull(m["nonce"].get<std::string>());
    const auto expected = hex_bytes(m["bytes"]);

    std::vector<uint8_t> out(message_size(parents.size(), index.size(), data.size()));
    const auto written = write_message(network_id(m["network"].get<std::string>()), parents, index,
                                       data, nonce, out);
    ASSERT_TRUE(written.ok()) << written.error().message();
    EXPECT_EQ(out, expected);
    EXPECT_EQ(to_hex(message_id(out)), m["id"].get<std::string>());
    EXPECT_DOUBLE_EQ(pow_score(out), m["score"].get<double>());

    const auto view = parse_message(expected);
    ASSERT_TRUE(view.ok()) << view.error().message();
    EXPECT_EQ(view->parent_count, parents.size());
    EXPECT_EQ(std::vector<uint8_t>(view->index.begin(), view->index.end()), index);
    EXPECT_EQ(std::vector<uint8_t>(view->data.begin(), view->data.end()), data);
    EXPECT_EQ(view->nonce, nonce);
    EXPECT_EQ(view->payload_type, kIndexationPayloadType);
  }
}

TEST(Chrysalis, ScoresOfSearchedNoncesMatchIotaJs) {
  const auto vectors = load_vectors("chrysalis/chrysalis.json");
  for (const auto& p : vectors["pow"]) {
    const auto bytes = hex_bytes(p["bytes"]);
    EXPECT_DOUBLE_EQ(pow_score(bytes), p["score"].get<double>());
    const auto digest = crypto::blake2b_256(ByteSpan(bytes).first(bytes.size() - 8));
    EXPECT_EQ(pow::trailing_zeros(digest, std::stoull(p["nonce"].get<std::string>())),
              p["trailing_zeros"].get<unsigned>());
  }
}

TEST(Chrysalis, CurlAndB1t6MatchIotaJs) {
  const auto vectors = load_vectors("chrysalis/chrysalis.json");
  for (const auto& c : vectors["curl"]) {
    std::array<pow::Trit, pow::kHashTrits> input{}, hash{}, expected{};
    for (size_t i = 0; i < pow::kHashTrits; ++i) {
      input[i] = c["input"][i].get<int8_t>();
      expected[i] = c["hash"][i].get<int8_t>();
    }
    pow::curl_p81(input, hash);
    EXPECT_EQ(hash, expected);
  }
  const auto bytes = hex_bytes(vectors["b1t6"]["bytes"]);
  std::vector<pow::Trit> trits(bytes.size() * 6);
  pow::b1t6_encode(bytes, trits);
  std::vector<pow::Trit> expected;
  for (const auto& t : vectors["b1t6"]["trits"]) expected.push_back(t.get<int8_t>());
  EXPECT_EQ(trits, expected);
}

TEST(Chrysalis, PowReachesTheTargetAndTheSlicedSearchAgreesWithTheScalarCurl) {
  for (const double target : {1.0, 20.0, 500.0}) {
    auto message = sample_message(3, 64, 400);
    const auto nonce = do_pow(message, target);
    ASSERT_TRUE(nonce.ok()) << nonce.error().message();
    EXPECT_GE(pow_score(message), target);
    const auto view = parse_message(message);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->nonce, *nonce);
    // The search returns the first nonce that qualifies: every smaller one scores below the target.
    const auto digest = crypto::blake2b_256(ByteSpan(message).first(message.size() - 8));
    const unsigned zeros = pow::target_zeros(message.size(), target);
    EXPECT_GE(pow::trailing_zeros(digest, *nonce), zeros);
    for (uint64_t smaller = 0; smaller < *nonce && smaller < 2000; ++smaller) {
      ASSERT_LT(pow::trailing_zeros(digest, smaller), zeros) << "nonce " << smaller;
    }
  }
}

// Every lane of the bit-sliced search (and every word of it, where a word holds several uint64_t)
// against the scalar Curl: the first nonce with z trailing zeros, for z up to 6 (first hits around
// nonce 3^z, so batches after the first are covered too).
TEST(Chrysalis, SlicedSearchFindsTheSameFirstNonceAsTheScalarCurl) {
  for (uint8_t seed = 1; seed <= 3; ++seed) {
    Bytes<32> digest;
    for (size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<uint8_t>(seed * 37 + i * 11);
    for (unsigned zeros = 1; zeros <= 6; ++zeros) {
      uint64_t expected = 0;
      while (pow::trailing_zeros(digest, expected) < zeros) ++expected;
      const auto found = pow::search_nonce(digest, zeros, 0);
      ASSERT_TRUE(found.has_value());
      EXPECT_EQ(*found, expected) << "seed " << int(seed) << ", " << zeros << " zeros";
      // max_attempts counts nonces exactly, even inside a batch (0 means no limit).
      if (expected > 0) {
        EXPECT_FALSE(pow::search_nonce(digest, zeros, expected).has_value());
      }
      EXPECT_EQ(pow::search_nonce(digest, zeros, expected + 1), expected);
    }
  }
}

TEST(Chrysalis, AnAlteredNonceLowersTheScore) {
  auto message = sample_message();
  ASSERT_TRUE(do_pow(message, 1000).ok());
  const double good = pow_score(message);
  message[message.size() - 8] ^= 1;
  EXPECT_LT(pow_score(message), good);
}

TEST(Chrysalis, PowGivesUpWhenAskedTo) {
  auto message = sample_message();
  const auto nonce = do_pow(message, 1e30, 128);
  ASSERT_FALSE(nonce.ok());
  EXPECT_NE(nonce.error().message().find("gave up"), std::string::npos);
}

TEST(Chrysalis, TargetZeros) {
  EXPECT_EQ(pow::target_zeros(100, 0), 0u);
  EXPECT_EQ(pow::target_zeros(100, 0.01), 0u);  // 3^0 / 100 = 0.01
  EXPECT_EQ(pow::target_zeros(100, 0.0101), 1u);
  EXPECT_EQ(pow::target_zeros(1, 81), 4u);
  EXPECT_EQ(pow::target_zeros(1, 82), 5u);
}

TEST(Chrysalis, WriteSortsAndDeduplicatesParents) {
  MessageId a, b;
  a.fill(0xbb);
  b.fill(0xaa);
  const std::vector<MessageId> parents{a, b, a};
  const uint8_t index[] = {1};
  std::vector<uint8_t> out(message_size(2, 1, 0));
  ASSERT_TRUE(write_message(1, parents, index, {}, 0, out).ok());
  const auto view = parse_message(out);
  ASSERT_TRUE(view.ok()) << view.error().message();
  EXPECT_EQ(view->parent_count, 2u);
  EXPECT_EQ(view->parents[0], b);
  EXPECT_EQ(view->parents[1], a);
}

TEST(Chrysalis, WriteRefusesWhatANodeWouldRefuse) {
  MessageId parent{};
  const std::vector<MessageId> one{parent};
  std::vector<uint8_t> big(40000);
  std::vector<uint8_t> out(50000);
  const uint8_t index[65] = {};
  EXPECT_FALSE(write_message(1, {}, ByteSpan(index, 1), {}, 0, out).ok());
  EXPECT_FALSE(write_message(1, one, ByteSpan(index, 0), {}, 0, out).ok());
  EXPECT_FALSE(write_message(1, one, ByteSpan(index, 65), {}, 0, out).ok());
  const auto oversized = write_message(1, one, ByteSpan(index, 1), big, 0, out);
  ASSERT_FALSE(oversized.ok());
  EXPECT_NE(oversized.error().message().find("32768"), std::string::npos);
  EXPECT_FALSE(
      write_message(1, one, ByteSpan(index, 1), {}, 0, MutableByteSpan(out).first(10)).ok());
}

void expect_refused(const std::vector<uint8_t>& message, const std::string& reason) {
  const auto view = parse_message(message);
  ASSERT_FALSE(view.ok()) << "accepted: " << reason;
  EXPECT_NE(view.error().message().find(reason), std::string::npos)
      << "'" << view.error().message() << "' does not say '" << reason << "'";
}

TEST(Chrysalis, ParseRefusesEveryTruncation) {
  const auto message = sample_message();
  for (size_t size = 0; size < message.size(); ++size) {
    const std::vector<uint8_t> truncated(message.begin(),
                                         message.begin() + static_cast<ptrdiff_t>(size));
    ASSERT_FALSE(parse_message(truncated).ok()) << "accepted a message cut to " << size << " bytes";
  }
}

TEST(Chrysalis, ParseRefusesMalformedLayouts) {
  const auto message = sample_message(2);
  constexpr size_t kParentCountAt = 8;
  constexpr size_t kFirstParentAt = 9;

  auto no_parents = message;
  no_parents[kParentCountAt] = 0;
  expect_refused(no_parents, "0 parents");
  auto nine = message;
  nine[kParentCountAt] = 9;
  expect_refused(nine, "9 parents");

  auto unsorted = sample_message(2);
  std::swap_ranges(unsorted.begin() + kFirstParentAt, unsorted.begin() + kFirstParentAt + 32,
                   unsorted.begin() + kFirstParentAt + 32);
  expect_refused(unsorted, "sorted");
  auto duplicate = message;
  std::copy(duplicate.begin() + kFirstParentAt, duplicate.begin() + kFirstParentAt + 32,
            duplicate.begin() + kFirstParentAt + 32);
  expect_refused(duplicate, "unique");

  const size_t payload_at = kFirstParentAt + 64;
  const size_t index_length_at = payload_at + 4 + 4;
  auto empty_index = message;
  empty_index[index_length_at] = 0;
  expect_refused(empty_index, "index length 0");
  auto long_index = message;
  long_index[index_length_at] = 65;
  expect_refused(long_index, "index length 65");

  auto payload_too_long = message;
  payload_too_long[payload_at] += 1;
  expect_refused(payload_too_long, "longer than its fields");  // it takes the nonce's first byte
  auto payload_too_short = message;
  payload_too_short[payload_at] -= 1;
  expect_refused(payload_too_short, "truncated in data");

  auto trailing = message;
  trailing.push_back(0);
  expect_refused(trailing, "after the nonce");

  std::vector<uint8_t> oversized(kMaxMessageSize + 1, 0);
  expect_refused(oversized, "32768");
}

TEST(Chrysalis, ParseNeverCrashesOnRandomBytes) {
  std::mt19937 random(7);
  const auto message = sample_message();
  for (int trial = 0; trial < 2000; ++trial) {
    auto mutated = message;
    mutated[random() % mutated.size()] = static_cast<uint8_t>(random());
    (void)parse_message(mutated);
  }
}

}  // namespace
}  // namespace iota_streams::transports::chrysalis
