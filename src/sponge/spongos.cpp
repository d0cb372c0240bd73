#include "iota_streams/sponge/spongos.h"

#include <algorithm>

#include "iota_streams/base/secret.h"
#include "iota_streams/sponge/keccak.h"

namespace iota_streams::sponge {

Spongos::Spongos() : state_{} {}

Spongos::Spongos(const Inner& inner) : state_{} {
  std::copy_n(inner.data(), kCapacity, state_.begin() + kRate);
}

Spongos::~Spongos() { secure_wipe(state_.data(), state_.size()); }

size_t Spongos::chunk(size_t remaining) const { return std::min(kRate - pos_, remaining); }

void Spongos::update(size_t n) {
  pos_ += n;
  if (pos_ == kRate) commit();  // reaching the rate commits at once; pos is never left at 168
}

void Spongos::commit() {
  if (pos_ == 0) return;  // 1.2.0: no permutation when nothing was touched since the last one
  std::fill(state_.begin() + static_cast<std::ptrdiff_t>(pos_), state_.begin() + kRate, 0);
  keccak_f1600(state_.data());
  pos_ = 0;
}

void Spongos::absorb(ByteSpan data) {
  while (!data.empty()) {
    size_t n = chunk(data.size());
    for (size_t i = 0; i < n; ++i) state_[pos_ + i] ^= data[i];
    data = data.subspan(n);
    update(n);
  }
}

void Spongos::squeeze(MutableByteSpan out) {
  while (!out.empty()) {
    size_t n = chunk(out.size());
    std::copy_n(state_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
    out = out.subspan(n);
    update(n);
  }
}

bool Spongos::squeeze_eq(ByteSpan expected) {
  unsigned equal = 1;
  while (!expected.empty()) {
    size_t n = chunk(expected.size());
    // Every chunk is compared, whatever the earlier ones gave (no short circuit).
    equal &= static_cast<unsigned>(equal_ct(ByteSpan(state_).subspan(pos_, n), expected.first(n)));
    expected = expected.subspan(n);
    update(n);
  }
  return equal != 0;
}

void Spongos::encrypt(ByteSpan in, MutableByteSpan out) {
  size_t done = 0;
  while (done < in.size()) {
    size_t n = chunk(in.size() - done);
    for (size_t i = 0; i < n; ++i) {
      uint8_t c = static_cast<uint8_t>(state_[pos_ + i] ^ in[done + i]);
      state_[pos_ + i] = c;
      out[done + i] = c;
    }
    done += n;
    update(n);
  }
}

void Spongos::decrypt(ByteSpan in, MutableByteSpan out) {
  size_t done = 0;
  while (done < in.size()) {
    size_t n = chunk(in.size() - done);
    for (size_t i = 0; i < n; ++i) {
      uint8_t c = in[done + i];  // read first: `in` and `out` may alias
      out[done + i] = static_cast<uint8_t>(state_[pos_ + i] ^ c);
      state_[pos_ + i] = c;
    }
    done += n;
    update(n);
  }
}

void Spongos::join(Spongos joinee) {
  // spongos.rs join: commit the joinee, clear its whole outer part, permute, squeeze the capacity
  // size.
  joinee.commit();
  std::fill(joinee.state_.begin(), joinee.state_.begin() + kRate, 0);
  keccak_f1600(joinee.state_.data());
  joinee.pos_ = 0;
  Bytes<kCapacity> derived;
  joinee.squeeze(derived);
  absorb(derived);  // no commit of this spongos afterwards (1.2.0)
  secure_wipe(derived.data(), derived.size());
}

bool Spongos::to_inner(Inner& out) const {
  if (pos_ != 0) return false;
  std::copy(state_.begin() + kRate, state_.end(), out.data());
  return true;
}

void hash_data(ByteSpan data, MutableByteSpan out) {
  Spongos s;
  s.absorb(data);
  s.commit();
  s.squeeze(out);
}

}  // namespace iota_streams::sponge
