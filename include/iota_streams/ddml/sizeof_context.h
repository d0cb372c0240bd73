// DDML size-of context (iota-streams-ddml command/sizeof): counts the bytes a wrap would write.
#pragma once

#include "iota_streams/crypto/ed25519.h"
#include "iota_streams/ddml/commands.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/ddml/types.h"

namespace iota_streams::ddml {

class SizeofContext {
 public:
  static constexpr Mode kMode = Mode::kSizeof;

  size_t size() const { return size_; }
  size_t offset() const { return size_; }  // bytes counted so far: where the next field would start

  Status absorb_u8(const uint8_t&) { return add(1); }
  Status absorb_u32(const uint32_t&) { return add(4); }
  Status absorb_u64(const uint64_t&) { return add(8); }
  Status absorb_size(const uint64_t& n) { return add(sizeof_size(n)); }
  Status absorb(ByteSpan fixed) { return add(fixed.size()); }
  Status absorb(const crypto::Ed25519PublicKey&) { return add(crypto::kEd25519PublicKeySize); }
  Status absorb_bytes(const ByteSpan& bytes) {
    return add(sizeof_size(bytes.size()) + bytes.size());
  }

  Status mask_u8(const uint8_t&) { return add(1); }
  Status mask(ByteSpan fixed) { return add(fixed.size()); }
  Status mask(const crypto::Ed25519PublicKey&) { return add(crypto::kEd25519PublicKeySize); }
  Status mask_bytes(const ByteSpan& bytes) { return add(sizeof_size(bytes.size()) + bytes.size()); }

  Status skip_u8(const uint8_t&) { return add(1); }
  Status skip_u64(const uint64_t&) { return add(8); }
  Status skip(ByteSpan fixed) { return add(fixed.size()); }

  Status absorb_external(ByteSpan) { return Status::success(); }
  Status absorb_external_u8(uint8_t) { return Status::success(); }
  Status squeeze_external(MutableByteSpan) { return Status::success(); }
  Status commit() { return Status::success(); }
  Status squeeze_mac(size_t n) { return add(n); }
  Status join(const LinkLookup&, ByteSpan link) { return add(link.size()); }
  Status ed25519(const SignatureKeys&) { return add(crypto::kEd25519SignatureSize); }
  Status x25519(const KeyExchange&, ByteSpan key) {
    return add(crypto::kX25519KeySize + key.size());
  }
  Status drop(size_t n) { return add(n); }

  template <class Body>
  Status fork(Body&& body) {
    return body();
  }

 private:
  Status add(size_t n) {
    size_ += n;
    return Status::success();
  }
  size_t size_ = 0;
};

}  // namespace iota_streams::ddml
