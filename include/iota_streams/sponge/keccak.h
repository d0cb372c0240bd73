// Keccak-f[1600], the permutation under the Streams spongos (iota-streams-core-keccak:
// keccak::f1600, 24 rounds, standard FIPS 202 round constants). Our own portable implementation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace iota_streams::sponge {

inline constexpr size_t kKeccakLanes = 25;
inline constexpr size_t kKeccakStateBytes = 200;

// Permutes 25 lanes, lane index x + 5*y (FIPS 202 order).
void keccak_f1600(uint64_t lanes[kKeccakLanes]);

// Permutes a 200-byte state. State byte j is bits 8*(j mod 8)..+7 of lane j/8, little-endian: the
// standard Keccak byte order, which the official code gets from a pointer cast on little-endian
// hosts. The mapping is explicit here, so the result is the same on a big-endian host.
void keccak_f1600(uint8_t state[kKeccakStateBytes]);

}  // namespace iota_streams::sponge
