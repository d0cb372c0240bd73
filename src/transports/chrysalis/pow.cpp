#include "pow.h"

#include <algorithm>
#include <utility>

namespace iota_streams::transports::chrysalis::pow {
namespace {

constexpr size_t kDigestTrits = 32 * 6;
constexpr size_t kNonceTrits = 8 * 6;

// Curl's cell order: cell i of a round reads the previous state at `index` and at the next index.
constexpr size_t next_index(size_t index) { return index < 365 ? index + 364 : index - 365; }

Trit truth_table(Trit a, Trit b) {
  static constexpr Trit kTable[11] = {1, 0, -1, 2, 1, -1, 0, 2, -1, 1, 0};
  return kTable[a + 4 * b + 5];
}

void transform(Trit* state) {
  Trit copy[kStateTrits];
  for (size_t round = 0; round < kRounds; ++round) {
    std::copy(state, state + kStateTrits, copy);
    size_t index = 0;
    for (size_t i = 0; i < kStateTrits; ++i) {
      const size_t next = next_index(index);
      state[i] = truth_table(copy[index], copy[next]);
      index = next;
    }
  }
}

void nonce_bytes(uint64_t nonce, uint8_t* out) {
  for (size_t i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(nonce >> (8 * i));
}

// The bit-sliced Curl: 64 instances side by side, trit t of lane k held in bit k of (low, high):
// -1 = (1, 0), 0 = (1, 1), 1 = (0, 1). The truth table becomes five word operations per cell.
struct SlicedState {
  uint64_t low[kStateTrits];
  uint64_t high[kStateTrits];
};

void set_trit(SlicedState& s, size_t at, uint64_t lanes, Trit t) {
  if (t != 1) s.low[at] |= lanes; else s.low[at] &= ~lanes;
  if (t != -1) s.high[at] |= lanes; else s.high[at] &= ~lanes;
}

void sliced_transform(SlicedState& s) {
  static thread_local SlicedState scratch;  // 11.6 KB: kept off the stack of small devices
  SlicedState* from = &s;
  SlicedState* to = &scratch;
  for (size_t round = 0; round < kRounds; ++round) {
    size_t index = 0;
    for (size_t i = 0; i < kStateTrits; ++i) {
      const size_t next = next_index(index);
      const uint64_t alpha = from->low[index];
      const uint64_t beta = from->high[index];
      const uint64_t gamma = from->high[next];
      const uint64_t delta = (alpha | ~gamma) & (from->low[next] ^ beta);
      to->low[i] = ~delta;
      to->high[i] = (alpha ^ gamma) | delta;
      index = next;
    }
    std::swap(from, to);  // the two states take turns instead of copying one into the other every round
  }
  if (from != &s) s = *from;
}

// Lanes whose last `zeros` hash trits are all 0 (both bits set).
uint64_t lanes_with_zeros(const SlicedState& s, unsigned zeros) {
  uint64_t lanes = ~uint64_t{0};
  for (unsigned z = 0; z < zeros && lanes != 0; ++z) {
    const size_t at = kHashTrits - 1 - z;
    lanes &= s.low[at] & s.high[at];
  }
  return lanes;
}

}  // namespace

void b1t6_encode(ByteSpan bytes, std::span<Trit> out) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    int value = static_cast<int8_t>(bytes[i]);
    for (size_t t = 0; t < 6; ++t) {
      int digit = ((value % 3) + 3) % 3;  // 0, 1, 2
      if (digit == 2) digit = -1;
      out[6 * i + t] = static_cast<Trit>(digit);
      value = (value - digit) / 3;
    }
  }
}

void curl_p81(std::span<const Trit, kHashTrits> input, std::span<Trit, kHashTrits> hash) {
  Trit state[kStateTrits] = {};
  std::copy(input.begin(), input.end(), state);
  transform(state);
  std::copy(state, state + kHashTrits, hash.begin());
}

unsigned trailing_zeros(const Bytes<32>& digest, uint64_t nonce) {
  Trit input[kHashTrits] = {};
  uint8_t nonce_le[8];
  nonce_bytes(nonce, nonce_le);
  b1t6_encode(digest, std::span<Trit>(input, kDigestTrits));
  b1t6_encode(ByteSpan(nonce_le, 8), std::span<Trit>(input + kDigestTrits, kNonceTrits));
  Trit hash[kHashTrits];
  curl_p81(input, hash);
  unsigned zeros = 0;
  while (zeros < kHashTrits && hash[kHashTrits - 1 - zeros] == 0) ++zeros;
  return zeros;
}

unsigned target_zeros(size_t message_size, double min_score) {
  const double needed = min_score * static_cast<double>(message_size);
  unsigned zeros = 0;
  for (double reached = 1; reached < needed && zeros < kHashTrits; reached *= 3) ++zeros;
  return zeros;
}

std::optional<uint64_t> search_nonce(const Bytes<32>& digest, unsigned zeros, uint64_t max_attempts) {
  if (zeros == 0) return uint64_t{0};
  Trit digest_trits[kDigestTrits];
  b1t6_encode(digest, digest_trits);
  static thread_local SlicedState state;
  for (uint64_t base = 0;; base += 64) {
    if (max_attempts != 0 && base >= max_attempts) return std::nullopt;
    std::fill(std::begin(state.low), std::end(state.low), ~uint64_t{0});  // every trit 0
    std::fill(std::begin(state.high), std::end(state.high), ~uint64_t{0});
    for (size_t t = 0; t < kDigestTrits; ++t) set_trit(state, t, ~uint64_t{0}, digest_trits[t]);
    for (uint64_t lane = 0; lane < 64; ++lane) {
      uint8_t nonce_le[8];
      nonce_bytes(base + lane, nonce_le);
      Trit nonce_trits[kNonceTrits];
      b1t6_encode(ByteSpan(nonce_le, 8), nonce_trits);
      for (size_t t = 0; t < kNonceTrits; ++t) set_trit(state, kDigestTrits + t, uint64_t{1} << lane, nonce_trits[t]);
    }
    sliced_transform(state);
    const uint64_t found = lanes_with_zeros(state, zeros);
    if (found != 0) return base + static_cast<uint64_t>(__builtin_ctzll(found));
  }
}

}  // namespace iota_streams::transports::chrysalis::pow
