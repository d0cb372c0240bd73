#include "field25519.h"

#include <array>

namespace iota_streams::crypto::detail {
namespace {

// 8 little-endian 32-bit limbs; values are kept below 2^256 and fully reduced only on output.
using Fe = std::array<uint32_t, 8>;

constexpr Fe kP = {0xffffffed, 0xffffffff, 0xffffffff, 0xffffffff,
                   0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff};

bool at_least_p(const Fe& a) {
  for (size_t i = 8; i-- > 0;) {
    if (a[i] != kP[i]) return a[i] > kP[i];
  }
  return true;
}

void subtract_p(Fe& a) {
  int64_t borrow = 0;
  for (size_t i = 0; i < 8; ++i) {
    int64_t t = static_cast<int64_t>(a[i]) - kP[i] - borrow;
    borrow = t < 0;
    a[i] = static_cast<uint32_t>(t);
  }
}

Fe canonical(Fe a) {
  while (at_least_p(a)) subtract_p(a);  // at most twice, as a < 2^256 = 2p + 38
  return a;
}

// Folds a carry above 2^256 back in: 2^256 ≡ 38 (mod p).
void fold(Fe& a, uint64_t carry) {
  while (carry != 0) {
    uint64_t t = carry * 38;
    for (size_t i = 0; i < 8 && t != 0; ++i) {
      t += a[i];
      a[i] = static_cast<uint32_t>(t);
      t >>= 32;
    }
    carry = t;
  }
}

Fe add(const Fe& a, const Fe& b) {
  Fe r;
  uint64_t carry = 0;
  for (size_t i = 0; i < 8; ++i) {
    carry += static_cast<uint64_t>(a[i]) + b[i];
    r[i] = static_cast<uint32_t>(carry);
    carry >>= 32;
  }
  fold(r, carry);
  return r;
}

Fe sub(const Fe& a, const Fe& b) {  // a + (2p - b), which stays positive for b < 2^256
  Fe two_p, neg_b;
  uint64_t carry = 0;
  for (size_t i = 0; i < 8; ++i) {
    carry += static_cast<uint64_t>(kP[i]) * 2;
    two_p[i] = static_cast<uint32_t>(carry);
    carry >>= 32;
  }
  Fe reduced_b = canonical(b);
  int64_t borrow = 0;
  for (size_t i = 0; i < 8; ++i) {
    int64_t t = static_cast<int64_t>(two_p[i]) - reduced_b[i] - borrow;
    borrow = t < 0;
    neg_b[i] = static_cast<uint32_t>(t);
  }
  return add(a, neg_b);
}

Fe mul(const Fe& a, const Fe& b) {
  std::array<uint32_t, 16> wide{};
  for (size_t i = 0; i < 8; ++i) {
    uint64_t carry = 0;
    for (size_t j = 0; j < 8; ++j) {
      uint64_t t = static_cast<uint64_t>(a[i]) * b[j] + wide[i + j] + carry;
      wide[i + j] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    wide[i + 8] = static_cast<uint32_t>(carry);
  }
  Fe r;
  uint64_t carry = 0;
  for (size_t i = 0; i < 8; ++i) {
    carry += static_cast<uint64_t>(wide[i]) + static_cast<uint64_t>(wide[i + 8]) * 38;
    r[i] = static_cast<uint32_t>(carry);
    carry >>= 32;
  }
  fold(r, carry);
  return r;
}

Fe square_times(Fe a, int n) {
  while (n-- > 0) a = mul(a, a);
  return a;
}

// a^(p-2) = a^(2^255 - 21): Fermat inverse by the usual addition chain (254 squarings, 11
// multiplications); 0 maps to 0, as dalek's invert does.
Fe invert(const Fe& a) {
  const Fe a2 = mul(a, a);
  const Fe a9 = mul(square_times(a2, 2), a);
  const Fe a11 = mul(a9, a2);
  const Fe x5 = mul(mul(a11, a11), a9);  // a^(2^5 - 1)
  const Fe x10 = mul(square_times(x5, 5), x5);
  const Fe x20 = mul(square_times(x10, 10), x10);
  const Fe x40 = mul(square_times(x20, 20), x20);
  const Fe x50 = mul(square_times(x40, 10), x10);
  const Fe x100 = mul(square_times(x50, 50), x50);
  const Fe x200 = mul(square_times(x100, 100), x100);
  const Fe x250 = mul(square_times(x200, 50), x50);  // a^(2^250 - 1)
  return mul(square_times(x250, 5), a11);            // a^(2^255 - 32 + 11)
}

}  // namespace

Bytes<32> montgomery_u_from_edwards_y(const Bytes<32>& edwards) {
  Fe y{};
  for (size_t i = 0; i < 32; ++i) y[i / 4] |= static_cast<uint32_t>(edwards[i]) << (8 * (i % 4));
  y[7] &= 0x7fffffff;  // bit 255 is the sign of x
  const Fe one = {1};
  const Fe u = canonical(mul(add(one, y), invert(canonical(sub(one, y)))));
  Bytes<32> out;
  for (size_t i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(u[i / 4] >> (8 * (i % 4)));
  return out;
}

}  // namespace iota_streams::crypto::detail
