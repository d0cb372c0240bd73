#include "iota_streams/sponge/keccak.h"

#include "iota_streams/base/secret.h"

namespace iota_streams::sponge {
namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// rho rotation offsets and pi destinations, walked along the single 24-step cycle of pi
// starting at lane 1 (the usual compact formulation of the FIPS 202 steps).
constexpr uint8_t kRhoOffsets[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                     27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr uint8_t kPiLanes[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                  15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

constexpr uint64_t rotl(uint64_t x, unsigned n) { return (x << n) | (x >> ((64 - n) & 63)); }

// The loops below have constant trip counts and are fully unrolled by the compiler (the pragmas
// make that explicit), so every index is a constant and the state lives in registers where
// possible.
inline void theta(uint64_t a[25]) {
  uint64_t c[5];
#pragma GCC unroll 5
  for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
  for (int x = 0; x < 5; ++x) {
    const uint64_t d = c[x == 0 ? 4 : x - 1] ^ rotl(c[x == 4 ? 0 : x + 1], 1);
#pragma GCC unroll 5
    for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
  }
}

inline void rho_pi(uint64_t a[25]) {
  uint64_t carried = a[1];
#pragma GCC unroll 24
  for (int i = 0; i < 24; ++i) {
    const uint64_t next = a[kPiLanes[i]];
    a[kPiLanes[i]] = rotl(carried, kRhoOffsets[i]);
    carried = next;
  }
}

inline void chi(uint64_t a[25]) {
#pragma GCC unroll 5
  for (int y = 0; y < 25; y += 5) {
    const uint64_t r0 = a[y], r1 = a[y + 1], r2 = a[y + 2], r3 = a[y + 3], r4 = a[y + 4];
    a[y] = r0 ^ (~r1 & r2);
    a[y + 1] = r1 ^ (~r2 & r3);
    a[y + 2] = r2 ^ (~r3 & r4);
    a[y + 3] = r3 ^ (~r4 & r0);
    a[y + 4] = r4 ^ (~r0 & r1);
  }
}

}  // namespace

void keccak_f1600(uint64_t lanes[kKeccakLanes]) {
  for (uint64_t rc : kRoundConstants) {
    theta(lanes);
    rho_pi(lanes);
    chi(lanes);
    lanes[0] ^= rc;  // iota
  }
}

void keccak_f1600(uint8_t state[kKeccakStateBytes]) {
  uint64_t lanes[kKeccakLanes];
  for (size_t i = 0; i < kKeccakLanes; ++i) {
    uint64_t lane = 0;
    for (int b = 7; b >= 0; --b) lane = (lane << 8) | state[8 * i + b];
    lanes[i] = lane;
  }
  keccak_f1600(lanes);
  for (size_t i = 0; i < kKeccakLanes; ++i) {
    for (int b = 0; b < 8; ++b) state[8 * i + b] = static_cast<uint8_t>(lanes[i] >> (8 * b));
  }
  secure_wipe(lanes, sizeof lanes);  // the lanes hold keyed state
}

}  // namespace iota_streams::sponge
