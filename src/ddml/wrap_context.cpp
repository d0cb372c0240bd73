#include "iota_streams/ddml/wrap_context.h"

#include <algorithm>

#include "iota_streams/base/secret.h"

namespace iota_streams::ddml {

Status WrapContext::reserve(size_t n, const char* what, MutableByteSpan& region) {
  return next_region(out_, pos_, n, Errc::kOutputTooSmall, what, region);
}

Status WrapContext::write(ByteSpan fixed, const char* what, MutableByteSpan& region) {
  DDML_TRY(reserve(fixed.size(), what, region));
  std::copy(fixed.begin(), fixed.end(), region.begin());
  return Status::success();
}

Status WrapContext::absorb(ByteSpan fixed) {
  MutableByteSpan region;
  DDML_TRY(write(fixed, STREAMS_TEXT("absorb"), region));
  spongos_.absorb(region);
  return Status::success();
}

Status WrapContext::absorb_u32(const uint32_t& v) {
  Bytes<4> be;
  store_be(v, be);
  return absorb(be);
}

Status WrapContext::absorb_u64(const uint64_t& v) {
  Bytes<8> be;
  store_be(v, be);
  return absorb(be);
}

Status WrapContext::absorb_size(const uint64_t& n) {
  uint8_t encoding[kMaxSizeEncoding];
  return absorb(ByteSpan(encoding, encode_size(n, encoding)));
}

Status WrapContext::absorb_bytes(const ByteSpan& bytes) {
  DDML_TRY(absorb_size(bytes.size()));
  return absorb(bytes);
}

Status WrapContext::mask(ByteSpan fixed) {
  MutableByteSpan region;
  DDML_TRY(reserve(fixed.size(), STREAMS_TEXT("mask"), region));
  spongos_.encrypt(fixed, region);
  return Status::success();
}

Status WrapContext::mask_bytes(const ByteSpan& bytes) {
  uint8_t encoding[kMaxSizeEncoding];
  DDML_TRY(
      mask(ByteSpan(encoding, encode_size(bytes.size(), encoding))));  // the size is masked too
  return mask(bytes);
}

Status WrapContext::skip(ByteSpan fixed) {
  MutableByteSpan region;
  return write(fixed, STREAMS_TEXT("skip"), region);
}

Status WrapContext::skip_u64(const uint64_t& v) {
  Bytes<8> be;
  store_be(v, be);
  return skip(be);
}

Status WrapContext::squeeze_mac(size_t n) {
  MutableByteSpan region;
  DDML_TRY(reserve(n, STREAMS_TEXT("squeeze mac"), region));
  spongos_.squeeze(region);
  return Status::success();
}

Status WrapContext::join(const LinkLookup& store, ByteSpan link) {
  sponge::Inner inner;
  if (!store.lookup(link, inner)) return fail(Errc::kLinkNotFound, STREAMS_TEXT("join"), pos_);
  DDML_TRY(skip(link));
  spongos_.join(sponge::Spongos(inner));
  return Status::success();
}

Status WrapContext::ed25519(const SignatureKeys& keys) {
  if (keys.signer == nullptr)
    return fail(Errc::kInternal, STREAMS_TEXT("ed25519 without a signing key"), pos_);
  MutableByteSpan region;
  DDML_TRY(reserve(crypto::kEd25519SignatureSize, STREAMS_TEXT("ed25519 signature"), region));
  spongos_.commit();
  Bytes<crypto::kSignedHashSize> hash;
  spongos_.squeeze(hash);
  const crypto::Ed25519Signature signature = keys.signer->sign_streams(hash);
  std::copy(signature.begin(), signature.end(), region.begin());  // written, not absorbed
  return Status::success();
}

Status WrapContext::x25519(const KeyExchange& exchange, ByteSpan key) {
  if (exchange.recipient == nullptr)
    return fail(Errc::kInternal, STREAMS_TEXT("x25519 without a recipient"), pos_);
  const crypto::X25519Secret ephemeral = crypto::x25519_random_secret();
  const crypto::X25519PublicKey ephemeral_public = crypto::x25519_public(ephemeral);
  DDML_TRY(absorb(ephemeral_public.bytes));
  const crypto::SharedSecret shared = crypto::x25519_shared(ephemeral, *exchange.recipient);
  spongos_.absorb(shared.view());
  spongos_.commit();
  return mask(key);
}

}  // namespace iota_streams::ddml
