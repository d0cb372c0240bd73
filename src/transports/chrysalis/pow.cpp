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

// The bit-sliced Curl: kLanes instances side by side, trit t of lane k held in bit k of (low,
// high): -1 = (1, 0), 0 = (1, 1), 1 = (0, 1). The truth table becomes five word operations per
// cell. A Word is one uint64_t on devices; on x86-64 Linux hosts it is four (GCC vector extension),
// and the transform is cloned for AVX2, picked at load time (4x the nonces per second of one
// uint64_t on AVX2 CPUs, about 2x with SSE2 pairs), while the binary stays portable.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__)
typedef uint64_t Word __attribute__((vector_size(32)));
#define STREAMS_POW_CLONES __attribute__((target_clones("avx2", "default")))
#else
using Word = uint64_t;
#define STREAMS_POW_CLONES
#endif
constexpr size_t kWordLanes = sizeof(Word) / sizeof(uint64_t);
constexpr size_t kLanes = 64 * kWordLanes;

// The 64 lanes held in element `at` of a word. Read and written by value: clang, unlike GCC, gives
// no reference to an element of a vector type.
template <class W>
uint64_t lanes_at(const W& word, size_t at) {
  if constexpr (kWordLanes == 1) {
    (void)at;
    return word;
  } else {
    return word[at];
  }
}
template <class W>
void set_lanes_at(W& word, size_t at, uint64_t lanes) {
  if constexpr (kWordLanes == 1) {
    (void)at;
    word = lanes;
  } else {
    word[at] = lanes;
  }
}

struct SlicedState {
  Word low[kStateTrits];
  Word high[kStateTrits];
};

// Sets trit `at` of every lane to `t`.
void set_all_lanes(SlicedState& s, size_t at, Trit t) {
  const Word ones = ~Word{};
  s.low[at] = t != 1 ? ones : Word{};
  s.high[at] = t != -1 ? ones : Word{};
}

STREAMS_POW_CLONES void sliced_transform(SlicedState& s) {
  static thread_local SlicedState scratch;  // kept off the stack of small devices (11.6 KB there)
  SlicedState* from = &s;
  SlicedState* to = &scratch;
  for (size_t round = 0; round < kRounds; ++round) {
    size_t index = 0;
    for (size_t i = 0; i < kStateTrits; ++i) {
      const size_t next = next_index(index);
      const Word alpha = from->low[index];
      const Word beta = from->high[index];
      const Word gamma = from->high[next];
      const Word delta = (alpha | ~gamma) & (from->low[next] ^ beta);
      to->low[i] = ~delta;
      to->high[i] = (alpha ^ gamma) | delta;
      index = next;
    }
    std::swap(from,
              to);  // the two states take turns instead of copying one into the other every round
  }
  if (from != &s) s = *from;
}

// The first lane whose last `zeros` hash trits are all 0 (both bits set), or kLanes when none is.
size_t first_lane_with_zeros(const SlicedState& s, unsigned zeros) {
  for (size_t word = 0; word < kWordLanes; ++word) {
    uint64_t lanes = ~uint64_t{0};
    for (unsigned z = 0; z < zeros && lanes != 0; ++z) {
      const size_t at = kHashTrits - 1 - z;
      lanes &= lanes_at(s.low[at], word) & lanes_at(s.high[at], word);
    }
    if (lanes != 0) return 64 * word + static_cast<size_t>(__builtin_ctzll(lanes));
  }
  return kLanes;
}

// Loads the digest into every lane and nonce base + k into lane k. Batches start at multiples of
// kLanes, which divides 256, so the lanes of a batch differ only in the nonce's first byte: its 6
// trits are set lane by lane, the other 42 are shared.
static_assert(256 % kLanes == 0);
void load_batch(SlicedState& s, std::span<const Trit, kDigestTrits> digest, uint64_t base) {
  for (size_t t = 0; t < kDigestTrits; ++t) set_all_lanes(s, t, digest[t]);
  uint8_t nonce_le[8];
  nonce_bytes(base, nonce_le);
  Trit shared[kNonceTrits];
  b1t6_encode(ByteSpan(nonce_le, 8), shared);
  for (size_t t = 6; t < kNonceTrits; ++t) set_all_lanes(s, kDigestTrits + t, shared[t]);
  for (size_t t = kDigestTrits + kNonceTrits; t < kStateTrits; ++t) set_all_lanes(s, t, 0);

  uint64_t low[6][kWordLanes] = {};
  uint64_t high[6][kWordLanes] = {};
  for (size_t lane = 0; lane < kLanes; ++lane) {
    const uint8_t first = static_cast<uint8_t>(nonce_le[0] + lane);
    Trit trits[6];
    b1t6_encode(ByteSpan(&first, 1), trits);
    const uint64_t bit = uint64_t{1} << (lane % 64);
    for (size_t t = 0; t < 6; ++t) {
      if (trits[t] != 1) low[t][lane / 64] |= bit;
      if (trits[t] != -1) high[t][lane / 64] |= bit;
    }
  }
  for (size_t t = 0; t < 6; ++t) {
    for (size_t word = 0; word < kWordLanes; ++word) {
      set_lanes_at(s.low[kDigestTrits + t], word, low[t][word]);
      set_lanes_at(s.high[kDigestTrits + t], word, high[t][word]);
    }
  }
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

std::optional<uint64_t> search_nonce(const Bytes<32>& digest, unsigned zeros,
                                     uint64_t max_attempts) {
  if (zeros == 0) return uint64_t{0};
  Trit digest_trits[kDigestTrits];
  b1t6_encode(digest, digest_trits);
  static thread_local SlicedState state;
  for (uint64_t base = 0; max_attempts == 0 || base < max_attempts; base += kLanes) {
    load_batch(state, digest_trits, base);
    sliced_transform(state);
    const size_t lane = first_lane_with_zeros(state, zeros);
    if (lane == kLanes) continue;
    // A batch may run past max_attempts; a nonce found there was not allowed to be tried.
    if (max_attempts != 0 && base + lane >= max_attempts) return std::nullopt;
    return base + lane;
  }
  return std::nullopt;
}

}  // namespace iota_streams::transports::chrysalis::pow
