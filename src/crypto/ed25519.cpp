#include "iota_streams/crypto/ed25519.h"
#include "iota_streams/base/text.h"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include "sodium_init.h"

namespace iota_streams::crypto {
namespace {

using Scalar = Bytes<32>;
using Point = Bytes<32>;

constexpr std::string_view kDomPrefix = "SigEd25519 no Ed25519 collisions";
constexpr Point kIdentity = {1};  // encoding of (0, 1)

// The group order L, little-endian.
constexpr Scalar kOrder = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                           0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                           0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

class Sha512 {
 public:
  Sha512() { crypto_hash_sha512_init(&state_); }
  ~Sha512() { sodium_memzero(&state_, sizeof state_); }
  Sha512& add(ByteSpan data) {
    crypto_hash_sha512_update(&state_, data.data(), data.size());
    return *this;
  }
  // dom2(1, context) of RFC 8032: the prefix string, phflag 1, the context length and the context.
  Sha512& add_dom(std::string_view context) {
    const uint8_t flags[2] = {1, static_cast<uint8_t>(context.size())};
    return add(as_bytes(kDomPrefix)).add(flags).add(as_bytes(context));
  }
  // The digest reduced modulo L.
  Scalar finish_reduced() {
    Bytes<64> digest;
    crypto_hash_sha512_final(&state_, digest.data());
    Scalar out;
    crypto_core_ed25519_scalar_reduce(out.data(), digest.data());
    sodium_memzero(digest.data(), digest.size());
    return out;
  }

 private:
  crypto_hash_sha512_state state_;
};

bool is_canonical_scalar(ByteSpan s) {
  for (size_t i = 32; i-- > 0;) {
    if (s[i] != kOrder[i]) return s[i] < kOrder[i];
  }
  return false;  // equal to L
}

bool is_zero(ByteSpan s) {
  return std::all_of(s.begin(), s.end(), [](uint8_t b) { return b == 0; });
}

// s·B; the identity for s = 0 (where libsodium reports an error).
Point base_mul(const Scalar& s) {
  Point out;
  if (crypto_scalarmult_ed25519_base_noclamp(out.data(), s.data()) != 0) return kIdentity;
  return out;
}

Point add(const Point& p, const Point& q) {
  Point out;
  if (crypto_core_ed25519_add(out.data(), p.data(), q.data()) != 0)
    __builtin_trap();  // both decoded before
  return out;
}

Point sub(const Point& p, const Point& q) {
  Point out;
  if (crypto_core_ed25519_sub(out.data(), p.data(), q.data()) != 0) __builtin_trap();
  return out;
}

// s·P for a point of the prime-order subgroup; the identity where libsodium reports one.
Point mul_prime_order(const Scalar& s, const Point& p) {
  Point out;
  if (crypto_scalarmult_ed25519_noclamp(out.data(), s.data(), p.data()) != 0) return kIdentity;
  return out;
}

// s·P for a point of small order (dividing 8): only s mod 8 matters.
Point mul_small_order(const Scalar& s, const Point& p) {
  Point out = kIdentity;
  for (unsigned i = 0; i < (s[0] & 7u); ++i) out = add(out, p);
  return out;
}

// k·A for any point A that decompresses. libsodium's scalar multiplication only takes canonical
// points of the prime-order subgroup; dalek takes any point. So A (re-encoded canonically) is split
// as A = P + T with P = (8⁻¹ mod L)·(8·A) in the prime-order subgroup and T = A − P of order
// dividing 8.
Point mul_any_point(const Scalar& k, const Ed25519PublicKey& key) {
  Point product;  // the common case: libsodium checks the point itself and refuses the others
  if (crypto_scalarmult_ed25519_noclamp(product.data(), k.data(), key.bytes.data()) == 0)
    return product;
  const Point a = add(key.bytes, kIdentity);  // canonical encoding of the same point
  Point eight_a = add(a, a);
  eight_a = add(eight_a, eight_a);
  eight_a = add(eight_a, eight_a);
  Point prime_part = kIdentity;
  if (eight_a != kIdentity) {
    Scalar eight = {8}, inverse_of_eight;
    crypto_core_ed25519_scalar_invert(inverse_of_eight.data(), eight.data());
    prime_part = mul_prime_order(inverse_of_eight, eight_a);
  }
  const Point torsion = sub(a, prime_part);
  const Point prime_product = prime_part == kIdentity ? kIdentity : mul_prime_order(k, prime_part);
  return add(prime_product, mul_small_order(k, torsion));
}

}  // namespace

Ed25519Keypair Ed25519Keypair::from_seed(const Secret<kEd25519SeedSize>& seed) {
  detail::ensure_sodium();
  Ed25519Keypair kp;
  kp.seed_ = seed;
  Secret<64> expanded;
  crypto_hash_sha512(expanded.data(), seed.data(), seed.size());
  expanded.data()[0] &= 248;  // RFC 8032 clamping (ed25519-dalek ExpandedSecretKey::from)
  expanded.data()[31] &= 63;
  expanded.data()[31] |= 64;
  std::copy_n(expanded.data(), 32, kp.scalar_.data());
  std::copy_n(expanded.data() + 32, 32, kp.prefix_.data());
  Secret<64> libsodium_sk;
  // The public key is a·B; libsodium's seed keypair computes exactly that from the same seed.
  crypto_sign_seed_keypair(kp.public_key_.bytes.data(), libsodium_sk.data(), seed.data());
  return kp;
}

Ed25519Signature Ed25519Keypair::sign_prehashed(SignedHash prehash,
                                                std::string_view context) const {
  detail::ensure_sodium();
  // r = SHA-512(dom || prefix || PH) mod L; R = r·B.
  Secret<32> r;
  {
    Scalar digest = Sha512().add_dom(context).add(prefix_.view()).add(prehash).finish_reduced();
    std::copy(digest.begin(), digest.end(), r.data());
    sodium_memzero(digest.data(), digest.size());
  }
  Scalar r_scalar;
  std::copy_n(r.data(), 32, r_scalar.begin());
  const Point big_r = base_mul(r_scalar);
  sodium_memzero(r_scalar.data(), r_scalar.size());
  // k = SHA-512(dom || R || A || PH) mod L; S = r + k·a mod L.
  const Scalar k =
      Sha512().add_dom(context).add(big_r).add(public_key_.bytes).add(prehash).finish_reduced();
  Bytes<64> wide{};
  std::copy_n(scalar_.data(), 32, wide.begin());
  Secret<32> a_reduced;  // reduce first so that every scalar operand is below L
  crypto_core_ed25519_scalar_reduce(a_reduced.data(), wide.data());
  sodium_memzero(wide.data(), wide.size());
  Secret<32> ka;
  crypto_core_ed25519_scalar_mul(ka.data(), k.data(), a_reduced.data());
  Ed25519Signature signature;
  std::copy(big_r.begin(), big_r.end(), signature.begin());
  crypto_core_ed25519_scalar_add(signature.data() + 32, r.data(), ka.data());
  return signature;
}

#if defined(STREAMS_SODIUM_INTERNALS)
// libsodium's own double-scalar multiplication, the one crypto_sign_verify uses, from its private
// header (crypto_core/ed25519/ref10, declared in include/sodium/private/ed25519_ref10.h). Not
// public API, so it needs a libsodium linked statically (hosts link libsodium.a; the firmware and
// ESP-IDF compile it from source); STREAMS_SODIUM_INTERNALS says it is there. The point types stay
// opaque here: 4 (p3) and 3 (p2) field elements of 40 bytes in every libsodium configuration (10 x
// int32 or 5 x uint64 limbs).
extern "C" {
struct alignas(8) ge25519_p3 {
  unsigned char opaque[160];
};
struct alignas(8) ge25519_p2 {
  unsigned char opaque[120];
};
int ge25519_frombytes(ge25519_p3* h, const unsigned char* s);
int ge25519_frombytes_negate_vartime(ge25519_p3* h, const unsigned char* s);
void ge25519_double_scalarmult_vartime(ge25519_p2* r, const unsigned char* a, const ge25519_p3* A,
                                       const unsigned char* b);
void ge25519_tobytes(unsigned char* s, const ge25519_p2* h);
}

namespace {

// [S]B - [k]A in one pass (dalek's vartime_double_scalar_mul_basepoint with -A), any decodable A;
// nullopt when libsodium cannot decode A (the general path below decides those). Versus two
// separate scalar multiplications: about half the instructions, and a 2.3 KB frame instead of
// ge25519_scalarmult's 4 KB.
std::optional<Point> s_b_minus_k_a(const Scalar& s, const Scalar& k, const Ed25519PublicKey& key) {
  ge25519_p3 minus_a;
  if (ge25519_frombytes_negate_vartime(&minus_a, key.bytes.data()) != 0) return std::nullopt;
  ge25519_p2 r;
  ge25519_double_scalarmult_vartime(&r, k.data(), &minus_a, s.data());
  Point out;
  ge25519_tobytes(out.data(), &r);
  return out;
}

}  // namespace
#endif

bool ed25519_is_valid_public_key(const Ed25519PublicKey& key) {
  detail::ensure_sodium();
#if defined(STREAMS_SODIUM_INTERNALS)
  // The decoding that crypto_core_ed25519_add does below, without the second decoding, the addition
  // and the encoding (a third of the cost): every received message checks a key or two.
  ge25519_p3 point;
  return ge25519_frombytes(&point, key.bytes.data()) == 0;
#else
  Point sum;  // libsodium's addition decodes both operands exactly as dalek's decompress does
  return crypto_core_ed25519_add(sum.data(), key.bytes.data(), kIdentity.data()) == 0;
#endif
}

namespace {

// k = H(dom2(context) || R || A || prehash) mod L, in a frame of its own: the SHA-512 state (208
// bytes) is gone before the scalar multiplication, the deepest frame of a device's receive path.
[[gnu::noinline]] Scalar challenge(std::string_view context, ByteSpan r_bytes,
                                   const Ed25519PublicKey& key, SignedHash prehash) {
  return Sha512().add_dom(context).add(r_bytes).add(key.bytes).add(prehash).finish_reduced();
}

}  // namespace

bool ed25519_verify_prehashed(const Ed25519PublicKey& key, SignedHash prehash,
                              std::string_view context, const Ed25519Signature& signature) {
  detail::ensure_sodium();
  const ByteSpan r_bytes(signature.data(), 32);
  Scalar s;
  std::copy_n(signature.begin() + 32, 32, s.begin());
  if (!is_canonical_scalar(s)) return false;  // also covers the ed25519 crate's top-bits check
  const Scalar k = challenge(context, r_bytes, key, prehash);
#if defined(STREAMS_SODIUM_INTERNALS)
  // Decoding A there is the key check too.
  if (const auto expected = s_b_minus_k_a(s, k, key)) {
    return std::equal(expected->begin(), expected->end(), r_bytes.begin());
  }
#endif
  if (!ed25519_is_valid_public_key(key)) return false;
  const Point s_b = is_zero(s) ? kIdentity : base_mul(s);
  const Point expected_r = sub(s_b, mul_any_point(k, key));
  return std::equal(expected_r.begin(), expected_r.end(), r_bytes.begin());
}

}  // namespace iota_streams::crypto
