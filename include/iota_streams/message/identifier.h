// Identifier (iota-streams-app/src/identifier.rs): who sent a message or holds a key, either an
// Ed25519 public key or a PSK id. Its DDML form: mask u8 oneof (0 | 1), then mask the 32 or 16
// bytes.
#pragma once

#include <string>

#include "iota_streams/base/text.h"
#include "iota_streams/crypto/ed25519.h"
#include "iota_streams/crypto/psk.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/ddml/types.h"

namespace iota_streams::message {

class Identifier {
 public:
  enum class Kind : uint8_t { kEdPubKey = 0, kPskId = 1 };

  Identifier() = default;
  Identifier(const crypto::Ed25519PublicKey& key) : kind_(Kind::kEdPubKey), key_(key) {}  // NOLINT
  Identifier(const crypto::PskId& id) : kind_(Kind::kPskId), psk_id_(id) {}               // NOLINT

  Kind kind() const { return kind_; }
  bool is_psk() const { return kind_ == Kind::kPskId; }
  const crypto::Ed25519PublicKey& public_key() const { return key_; }
  const crypto::PskId& psk_id() const { return psk_id_; }
  // The raw 32 or 16 bytes, without the tag (Identifier::to_bytes).
  ByteSpan bytes() const { return is_psk() ? ByteSpan(psk_id_.bytes) : ByteSpan(key_.bytes); }
  std::string to_hex() const { return iota_streams::to_hex(bytes()); }

  bool operator==(const Identifier& other) const {
    return kind_ == other.kind_ && (is_psk() ? psk_id_ == other.psk_id_ : key_ == other.key_);
  }
  bool operator<(const Identifier& other) const {
    if (kind_ != other.kind_) return kind_ < other.kind_;
    return is_psk() ? psk_id_ < other.psk_id_ : key_ < other.key_;
  }

  // The one DDML description of an identifier, for every context.
  template <class Ctx>
  ddml::Status describe(Ctx& ctx) {
    uint8_t oneof = static_cast<uint8_t>(kind_);
    DDML_TRY(ddml::checked_field(
        ctx, Errc::kBadOneof, STREAMS_TEXT("identifier tag"), [&] { return ctx.mask_u8(oneof); },
        [&] { return oneof <= 1; }));
    kind_ = static_cast<Kind>(oneof);
    return is_psk() ? ctx.mask(psk_id_.bytes) : ctx.mask(key_);
  }

 private:
  Kind kind_ = Kind::kEdPubKey;
  crypto::Ed25519PublicKey key_;
  crypto::PskId psk_id_;
};

}  // namespace iota_streams::message
