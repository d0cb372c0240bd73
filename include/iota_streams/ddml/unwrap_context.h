// DDML unwrap context (iota-streams-ddml command/unwrap): reads a message from a caller-owned
// buffer. Masked fields are decrypted in place and byte fields are returned as views into the
// buffer, so no copy and no allocation is made. Nothing outside the context changes until the
// caller commits.
#pragma once

#include "iota_streams/ddml/commands.h"
#include "iota_streams/ddml/spongos_commands.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/ddml/types.h"

namespace iota_streams::ddml {

class UnwrapContext : public SpongosCommands {
 public:
  static constexpr Mode kMode = Mode::kUnwrap;

  explicit UnwrapContext(MutableByteSpan in) : in_(in) {}

  size_t offset() const { return pos_; }
  size_t remaining() const { return in_.size() - pos_; }

  Status absorb_u8(uint8_t& v);
  Status absorb_u32(uint32_t& v);
  Status absorb_u64(uint64_t& v);
  // Like the official reader: any byte count, non-minimal encodings accepted (they still
  // authenticate).
  Status absorb_size(uint64_t& n);
  Status absorb(MutableByteSpan fixed);
  // Reads, absorbs, then requires the key to decompress (PublicKeyGenerationFailure).
  Status absorb(crypto::Ed25519PublicKey& key);
  Status absorb_bytes(ByteSpan& bytes);

  Status mask_u8(uint8_t& v);
  Status mask(MutableByteSpan fixed);
  Status mask(crypto::Ed25519PublicKey& key);
  Status mask_bytes(ByteSpan& bytes);

  Status skip_u8(uint8_t& v);
  Status skip_u64(uint64_t& v);
  Status skip(MutableByteSpan fixed);

  // Compares the next n stream bytes with n squeezed bytes (no early exit): BadMac on a difference.
  Status squeeze_mac(size_t n);
  Status join(const LinkLookup& store, MutableByteSpan link);
  Status ed25519(const SignatureKeys& keys);
  Status x25519(const KeyExchange& exchange, MutableByteSpan key);
  // Skips n stream bytes without touching the spongos (unwrap::Context::drop).
  Status drop(size_t n);

  // The bytes of the buffer that mask_bytes decrypted in place (one span from the first to the last
  // of them; empty when none was).
  ByteSpan plaintext() const {
    return ByteSpan(in_).subspan(plain_begin_, plain_end_ - plain_begin_);
  }
  // Overwrites those bytes (secure_wipe): for a refused message, or once what was read is copied.
  void wipe_plaintext();

 private:
  Status take(size_t n, const char* what, MutableByteSpan& region);
  // The next fixed.size() bytes copied into `fixed`.
  Status read(MutableByteSpan fixed, const char* what);
  Status read_size(bool masked, uint64_t& n);
  Status read_bytes(bool masked, ByteSpan& bytes);

  MutableByteSpan in_;
  size_t pos_ = 0;
  size_t plain_begin_ = 0;  // plaintext(): [plain_begin_, plain_end_)
  size_t plain_end_ = 0;
};

}  // namespace iota_streams::ddml
