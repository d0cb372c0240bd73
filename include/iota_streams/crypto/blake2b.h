// BLAKE2b-256 (RFC 7693, digest length 32, unkeyed): the Tangle index of a message (iota-crypto
// Blake2b256).
#pragma once

#include "iota_streams/base/bytes.h"

namespace iota_streams::crypto {

inline constexpr size_t kBlake2b256Size = 32;

Bytes<kBlake2b256Size> blake2b_256(ByteSpan data);
Bytes<kBlake2b256Size> blake2b_256(ByteSpan first, ByteSpan second);

}  // namespace iota_streams::crypto
