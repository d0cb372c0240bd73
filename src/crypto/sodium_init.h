// Internal: libsodium must be initialised once before use (it picks implementations and seeds its
// RNG).
#pragma once

namespace iota_streams::crypto::detail {

void ensure_sodium();

}  // namespace iota_streams::crypto::detail
