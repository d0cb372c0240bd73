// Spongos: the duplex sponge over Keccak-f[1600] that Streams uses for hashing, encryption, MACs
// and key derivation, exactly as iota-streams-core/src/sponge/spongos.rs does it at tag 1.2.0
// (which differs from the older PDF: absorb XORs, commit zero-fills and permutes only when pos !=
// 0, join squeezes the 32-byte capacity). No allocation; the state is wiped on destruction.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/secret.h"

namespace iota_streams::sponge {

inline constexpr size_t kRate = 168;     // outer part, bytes
inline constexpr size_t kCapacity = 32;  // inner part, bytes
inline constexpr size_t kWidth = 200;

// The 32 capacity bytes of a committed spongos: what the link store keeps per message, and the key
// to every masked field after it. A secret: wiped wherever it goes, compared in constant time.
using Inner = Secret<kCapacity>;

class Spongos {
 public:
  Spongos();                             // all-zero state, pos 0 (Spongos::init)
  explicit Spongos(const Inner& inner);  // outer = 0, inner = given, pos 0 (From<Inner>)
  Spongos(const Spongos&) = default;     // a copy is a fork
  Spongos& operator=(const Spongos&) = default;
  ~Spongos();

  // XOR-absorbs `data` into the outer part, permuting whenever the rate fills.
  void absorb(ByteSpan data);
  // Copies state bytes out (the state is not modified), permuting whenever the rate fills.
  void squeeze(MutableByteSpan out);
  // Compares `expected` with the next squeezed bytes without stopping at the first difference; the
  // state advances by expected.size() either way. True iff all bytes matched.
  // The MAC check: constant time (equal_ct on each rate-sized chunk).
  bool squeeze_eq(ByteSpan expected);
  // out[i] = S[pos] ^ in[i]; S[pos] = out[i]. `in` and `out` may be the same memory, must be the
  // same size.
  void encrypt(ByteSpan in, MutableByteSpan out);
  // out[i] = S[pos] ^ in[i]; S[pos] = in[i] (the ciphertext goes into the state).
  void decrypt(ByteSpan in, MutableByteSpan out);
  // If pos != 0: zero S[pos..168), permute, pos = 0. Otherwise nothing (not even a permutation).
  void commit();
  // Absorbs 32 bytes derived from `joinee` (which is committed, outer-cleared, permuted and
  // squeezed).
  void join(Spongos joinee);
  // The inner 32 bytes; false (and `out` untouched) when the state is not committed.
  bool to_inner(Inner& out) const;

  bool is_committed() const { return pos_ == 0; }
  size_t pos() const { return pos_; }
  std::span<const uint8_t, kWidth> state() const { return state_; }

 private:
  void update(size_t n);
  size_t chunk(size_t remaining) const;

  std::array<uint8_t, kWidth> state_;
  size_t pos_ = 0;
};

// Spongos hash: init; absorb(data); commit; squeeze(out.size()) (spongos.rs hash_data).
void hash_data(ByteSpan data, MutableByteSpan out);

}  // namespace iota_streams::sponge
