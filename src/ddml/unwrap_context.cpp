#include "iota_streams/ddml/unwrap_context.h"

#include <algorithm>

namespace iota_streams::ddml {

Status UnwrapContext::take(size_t n, const char* what, MutableByteSpan& region) {
  if (remaining() < n) return fail(Errc::kStreamTooShort, what, pos_);
  region = in_.subspan(pos_, n);
  pos_ += n;
  return Status::success();
}

Status UnwrapContext::absorb(MutableByteSpan fixed) {
  MutableByteSpan region;
  DDML_TRY(take(fixed.size(), STREAMS_TEXT("absorb"), region));
  spongos_.absorb(region);
  std::copy(region.begin(), region.end(), fixed.begin());
  return Status::success();
}

Status UnwrapContext::absorb_u8(uint8_t& v) { return absorb(MutableByteSpan(&v, 1)); }

Status UnwrapContext::absorb_u32(uint32_t& v) {
  Bytes<4> be;
  DDML_TRY(absorb(be));
  v = static_cast<uint32_t>(load_be(be));
  return Status::success();
}

Status UnwrapContext::absorb_u64(uint64_t& v) {
  Bytes<8> be;
  DDML_TRY(absorb(be));
  v = load_be(be);
  return Status::success();
}

Status UnwrapContext::read_size(bool masked, uint64_t& n) {
  // types/size.rs: d, then d bytes, m = (m << 8) | byte; nothing validated. A 64-bit value keeps
  // the low 8 bytes, as the native official build does.
  uint8_t d = 0;
  DDML_TRY(masked ? mask_u8(d) : absorb_u8(d));
  uint64_t value = 0;
  for (uint8_t i = 0; i < d; ++i) {
    uint8_t byte = 0;
    DDML_TRY(masked ? mask_u8(byte) : absorb_u8(byte));
    value = (value << 8) | byte;
  }
  n = value;
  return Status::success();
}

Status UnwrapContext::absorb_size(uint64_t& n) { return read_size(false, n); }

Status UnwrapContext::absorb(crypto::Ed25519PublicKey& key) {
  const size_t start = pos_;
  DDML_TRY(absorb(key.bytes));
  if (!crypto::ed25519_is_valid_public_key(key))
    return fail(Errc::kBadPublicKey, STREAMS_TEXT("absorb ed25519 key"), start);
  return Status::success();
}

Status UnwrapContext::absorb_bytes(ByteSpan& bytes) {
  const size_t start = pos_;
  uint64_t n = 0;
  DDML_TRY(absorb_size(n));
  if (n > remaining()) return fail(Errc::kStreamTooShort, STREAMS_TEXT("absorb bytes"), start);
  MutableByteSpan region;
  DDML_TRY(take(static_cast<size_t>(n), STREAMS_TEXT("absorb bytes"), region));
  spongos_.absorb(region);
  bytes = region;
  return Status::success();
}

Status UnwrapContext::mask(MutableByteSpan fixed) {
  MutableByteSpan region;
  DDML_TRY(take(fixed.size(), STREAMS_TEXT("mask"), region));
  spongos_.decrypt(region, fixed);
  return Status::success();
}

Status UnwrapContext::mask_u8(uint8_t& v) { return mask(MutableByteSpan(&v, 1)); }

Status UnwrapContext::mask(crypto::Ed25519PublicKey& key) {
  const size_t start = pos_;
  DDML_TRY(mask(key.bytes));
  if (!crypto::ed25519_is_valid_public_key(key))
    return fail(Errc::kBadPublicKey, STREAMS_TEXT("mask ed25519 key"), start);
  return Status::success();
}

Status UnwrapContext::mask_bytes(ByteSpan& bytes) {
  const size_t start = pos_;
  uint64_t n = 0;
  DDML_TRY(read_size(true, n));
  if (n > remaining()) return fail(Errc::kStreamTooShort, STREAMS_TEXT("mask bytes"), start);
  MutableByteSpan region;
  DDML_TRY(take(static_cast<size_t>(n), STREAMS_TEXT("mask bytes"), region));
  spongos_.decrypt(region,
                   region);  // in place: the plaintext replaces the ciphertext in the buffer
  bytes = region;
  return Status::success();
}

Status UnwrapContext::skip(MutableByteSpan fixed) {
  MutableByteSpan region;
  DDML_TRY(take(fixed.size(), STREAMS_TEXT("skip"), region));
  std::copy(region.begin(), region.end(), fixed.begin());
  return Status::success();
}

Status UnwrapContext::skip_u8(uint8_t& v) { return skip(MutableByteSpan(&v, 1)); }

Status UnwrapContext::skip_u64(uint64_t& v) {
  Bytes<8> be;
  DDML_TRY(skip(be));
  v = load_be(be);
  return Status::success();
}

Status UnwrapContext::squeeze_mac(size_t n) {
  const size_t start = pos_;
  MutableByteSpan region;
  DDML_TRY(take(n, STREAMS_TEXT("mac"), region));
  if (!spongos_.squeeze_eq(region)) return fail(Errc::kBadMac, STREAMS_TEXT("mac"), start);
  return Status::success();
}

Status UnwrapContext::join(const LinkLookup& store, MutableByteSpan link) {
  const size_t start = pos_;
  DDML_TRY(skip(link));
  sponge::Inner inner;
  if (!store.lookup(link, inner)) return fail(Errc::kLinkNotFound, STREAMS_TEXT("join"), start);
  spongos_.join(sponge::Spongos(inner));
  return Status::success();
}

Status UnwrapContext::ed25519(const SignatureKeys& keys) {
  if (keys.verifier == nullptr)
    return fail(Errc::kInternal, STREAMS_TEXT("ed25519 without a verifying key"), pos_);
  spongos_.commit();
  Bytes<crypto::kSignedHashSize> hash;
  spongos_.squeeze(hash);
  const size_t start = pos_;
  crypto::Ed25519Signature signature;
  DDML_TRY(skip(signature));
  if (!crypto::ed25519_verify_streams(*keys.verifier, hash, signature)) {
    return fail(Errc::kSignatureMismatch, STREAMS_TEXT("ed25519 signature"), start);
  }
  return Status::success();
}

Status UnwrapContext::x25519(const KeyExchange& exchange, MutableByteSpan key) {
  if (exchange.own_secret == nullptr)
    return fail(Errc::kInternal, STREAMS_TEXT("x25519 without a secret"), pos_);
  crypto::X25519PublicKey ephemeral_public;
  DDML_TRY(absorb(ephemeral_public.bytes));
  const crypto::SharedSecret shared = crypto::x25519_shared(*exchange.own_secret, ephemeral_public);
  spongos_.absorb(shared.view());
  spongos_.commit();
  return mask(key);
}

Status UnwrapContext::drop(size_t n) {
  MutableByteSpan region;
  return take(n, STREAMS_TEXT("drop"), region);
}

}  // namespace iota_streams::ddml
