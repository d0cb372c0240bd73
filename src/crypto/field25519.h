// Internal: arithmetic modulo p = 2^255 - 19 on public values, for the conversion of an Edwards
// public key to its Montgomery u as dalek does it (libsodium's refuses points outside the
// prime-order subgroup). Not constant time: only public keys pass through here.
#pragma once

#include "iota_streams/base/bytes.h"

namespace iota_streams::crypto::detail {

// u = (1 + y) / (1 - y) mod p for the y encoded in `edwards` (bit 255 ignored, y taken mod p),
// with 1/0 := 0, encoded canonically little-endian.
Bytes<32> montgomery_u_from_edwards_y(const Bytes<32>& edwards);

}  // namespace iota_streams::crypto::detail
