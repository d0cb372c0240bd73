// DDML wrap context (iota-streams-ddml command/wrap): writes a message into a caller-provided
// buffer, which the size-of pass sized, while driving the spongos. No heap allocation.
#pragma once

#include "iota_streams/ddml/commands.h"
#include "iota_streams/ddml/spongos_commands.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/ddml/types.h"

namespace iota_streams::ddml {

class WrapContext : public SpongosCommands {
 public:
  static constexpr Mode kMode = Mode::kWrap;

  explicit WrapContext(MutableByteSpan out) : out_(out) {}

  size_t offset() const { return pos_; }
  MutableByteSpan written() const { return out_.first(pos_); }

  // absorb: write the encoding and absorb it.
  Status absorb_u8(const uint8_t& v) { return absorb(ByteSpan(&v, 1)); }
  Status absorb_u32(const uint32_t& v);
  Status absorb_u64(const uint64_t& v);
  Status absorb_size(const uint64_t& n);
  Status absorb(ByteSpan fixed);
  Status absorb(const crypto::Ed25519PublicKey& key) { return absorb(key.bytes); }
  Status absorb_bytes(const ByteSpan& bytes);

  // mask: encrypt the encoding with the spongos and write the ciphertext.
  Status mask_u8(const uint8_t& v) { return mask(ByteSpan(&v, 1)); }
  Status mask(ByteSpan fixed);
  Status mask(const crypto::Ed25519PublicKey& key) { return mask(key.bytes); }
  Status mask_bytes(const ByteSpan& bytes);

  // skip: write the encoding in clear; the spongos is untouched (and the field not authenticated).
  Status skip_u8(const uint8_t& v) { return skip(ByteSpan(&v, 1)); }
  Status skip_u64(const uint64_t& v);
  Status skip(ByteSpan fixed);

  Status squeeze_mac(size_t n);
  // Looks the link up first (nothing is written when it is unknown), writes it, joins its state.
  Status join(const LinkLookup& store, ByteSpan link);
  Status ed25519(const SignatureKeys& keys);
  Status x25519(const KeyExchange& exchange, ByteSpan key);
  Status drop(size_t) { return fail(Errc::kInternal, STREAMS_TEXT("drop while wrapping"), pos_); }

 private:
  Status reserve(size_t n, const char* what, MutableByteSpan& region);
  // `fixed` written in clear into the next region.
  Status write(ByteSpan fixed, const char* what, MutableByteSpan& region);

  MutableByteSpan out_;
  size_t pos_ = 0;
};

}  // namespace iota_streams::ddml
