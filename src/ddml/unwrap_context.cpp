#include "iota_streams/ddml/unwrap_context.h"

#include <algorithm>

#include "iota_streams/base/secret.h"

namespace iota_streams::ddml {

Status UnwrapContext::take(size_t n, const char* what, MutableByteSpan& region) {
  return next_region(in_, pos_, n, Errc::kStreamTooShort, what, region);
}

Status UnwrapContext::read(MutableByteSpan fixed, const char* what) {
  MutableByteSpan region;
  DDML_TRY(take(fixed.size(), what, region));
  std::copy(region.begin(), region.end(), fixed.begin());
  return Status::success();
}

Status UnwrapContext::absorb(MutableByteSpan fixed) {
  DDML_TRY(read(fixed, STREAMS_TEXT("absorb")));
  spongos_.absorb(fixed);
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
  return checked_field(
      *this, Errc::kBadPublicKey, STREAMS_TEXT("absorb ed25519 key"),
      [&] { return absorb(key.bytes); }, [&] { return crypto::ed25519_is_valid_public_key(key); });
}

Status UnwrapContext::read_bytes(bool masked, ByteSpan& bytes) {
  const char* what = masked ? STREAMS_TEXT("mask bytes") : STREAMS_TEXT("absorb bytes");
  uint64_t n = 0;
  DDML_TRY(checked_field(
      *this, Errc::kStreamTooShort, what, [&] { return read_size(masked, n); },
      [&] { return n <= remaining(); }));
  MutableByteSpan region;
  DDML_TRY(take(static_cast<size_t>(n), what, region));
  if (!masked) {
    spongos_.absorb(region);
  } else if (!region.empty()) {
    // In place: the plaintext replaces the ciphertext in the buffer (wipe_plaintext clears it).
    spongos_.decrypt(region, region);
    const size_t begin = pos_ - region.size();
    if (plain_begin_ == plain_end_ || begin < plain_begin_) plain_begin_ = begin;
    plain_end_ = std::max(plain_end_, pos_);
  }
  bytes = region;
  return Status::success();
}

Status UnwrapContext::absorb_bytes(ByteSpan& bytes) { return read_bytes(false, bytes); }

Status UnwrapContext::mask(MutableByteSpan fixed) {
  MutableByteSpan region;
  DDML_TRY(take(fixed.size(), STREAMS_TEXT("mask"), region));
  spongos_.decrypt(region, fixed);
  return Status::success();
}

Status UnwrapContext::mask_u8(uint8_t& v) { return mask(MutableByteSpan(&v, 1)); }

Status UnwrapContext::mask(crypto::Ed25519PublicKey& key) {
  return checked_field(
      *this, Errc::kBadPublicKey, STREAMS_TEXT("mask ed25519 key"), [&] { return mask(key.bytes); },
      [&] { return crypto::ed25519_is_valid_public_key(key); });
}

Status UnwrapContext::mask_bytes(ByteSpan& bytes) { return read_bytes(true, bytes); }

void UnwrapContext::wipe_plaintext() {
  if (plain_end_ > plain_begin_) secure_wipe(in_.data() + plain_begin_, plain_end_ - plain_begin_);
  plain_begin_ = plain_end_ = 0;
}

Status UnwrapContext::skip(MutableByteSpan fixed) { return read(fixed, STREAMS_TEXT("skip")); }

Status UnwrapContext::skip_u8(uint8_t& v) { return skip(MutableByteSpan(&v, 1)); }

Status UnwrapContext::skip_u64(uint64_t& v) {
  Bytes<8> be;
  DDML_TRY(skip(be));
  v = load_be(be);
  return Status::success();
}

Status UnwrapContext::squeeze_mac(size_t n) {
  MutableByteSpan region;
  return checked_field(
      *this, Errc::kBadMac, STREAMS_TEXT("mac"),
      [&] { return take(n, STREAMS_TEXT("mac"), region); },
      [&] { return spongos_.squeeze_eq(region); });  // constant time; only the verdict is known
}

Status UnwrapContext::join(const LinkLookup& store, MutableByteSpan link) {
  sponge::Inner inner;
  DDML_TRY(checked_field(
      *this, Errc::kLinkNotFound, STREAMS_TEXT("join"), [&] { return skip(link); },
      [&] { return store.lookup(link, inner); }));
  spongos_.join(sponge::Spongos(inner));
  return Status::success();
}

Status UnwrapContext::ed25519(const SignatureKeys& keys) {
  if (keys.verifier == nullptr)
    return fail(Errc::kInternal, STREAMS_TEXT("ed25519 without a verifying key"), pos_);
  spongos_.commit();
  Bytes<crypto::kSignedHashSize> hash;
  spongos_.squeeze(hash);
  crypto::Ed25519Signature signature;
  return checked_field(
      *this, Errc::kSignatureMismatch, STREAMS_TEXT("ed25519 signature"),
      [&] { return skip(signature); },
      [&] { return crypto::ed25519_verify_streams(*keys.verifier, hash, signature); });
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
