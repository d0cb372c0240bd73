// TIP-12 proof of work internals: Curl-P-81, the b1t6 byte-to-trit encoding, and the nonce search.
// Private to the Chrysalis layer (chrysalis.h has the public face); the tests reach it for KATs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "iota_streams/base/bytes.h"

namespace iota_streams::transports::chrysalis::pow {

inline constexpr size_t kHashTrits = 243;
inline constexpr size_t kStateTrits = 3 * kHashTrits;
inline constexpr size_t kRounds = 81;

using Trit = int8_t;  // -1, 0, 1

// b1t6: each byte, read as a signed 8-bit value, becomes 6 balanced trits, least significant first.
void b1t6_encode(ByteSpan bytes, std::span<Trit> out);

// Curl-P-81 of exactly one 243-trit block (absorb, then squeeze 243 trits), one trit at a time.
void curl_p81(std::span<const Trit, kHashTrits> input, std::span<Trit, kHashTrits> hash);

// Trailing zero trits of Curl-P-81(b1t6(digest) | b1t6(nonce as 8 bytes LE) | 0 0 0).
unsigned trailing_zeros(const Bytes<32>& digest, uint64_t nonce);

// The fewest trailing zeros whose score 3^zeros / message_size reaches min_score.
unsigned target_zeros(size_t message_size, double min_score);

// The first nonce (from 0 up, 64 or 256 at a time through a bit-sliced Curl) whose hash has at
// least `zeros` trailing zero trits; nullopt after max_attempts nonces (0: no limit).
std::optional<uint64_t> search_nonce(const Bytes<32>& digest, unsigned zeros,
                                     uint64_t max_attempts);

}  // namespace iota_streams::transports::chrysalis::pow
