// Pre-shared keys (iota-streams-core/src/psk.rs): a 32-byte PSK and its 16-byte id.
#pragma once

#include <string>
#include <string_view>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/secret.h"

namespace iota_streams::crypto {

inline constexpr size_t kPskSize = 32;
inline constexpr size_t kPskIdSize = 16;

using Psk = Secret<kPskSize>;
struct PskId {
  Bytes<kPskIdSize> bytes{};
  bool operator==(const PskId&) const = default;
  auto operator<=>(const PskId&) const = default;
};

// psk = Prng(spongos{absorb(seed); commit; squeeze 32}).gen("PSK", 32): what store_psk(seed) uses.
Psk psk_from_seed(ByteSpan seed);
// pskid = Prng(spongos{absorb(psk); commit; squeeze 32}).gen("PSKID", 16).
PskId pskid_from_psk(const Psk& psk);
inline PskId pskid_from_seed(ByteSpan seed) { return pskid_from_psk(psk_from_seed(seed)); }
// Shorter than 16 bytes: the bytes zero-padded; otherwise spongos{absorb("PSKID"); absorb(id);
// commit; squeeze 16}.
PskId pskid_from_str(std::string_view id);

}  // namespace iota_streams::crypto
