// A key from a password for protecting exported states: Argon2id (libsodium crypto_pwhash), with
// the salt and cost stored next to the data so that they can change without breaking old files.
#pragma once

#include <string_view>

#include "iota_streams/base/error.h"
#include "iota_streams/base/bytes.h"
#include "iota_streams/base/secret.h"

namespace iota_streams::crypto {

inline constexpr size_t kPasswordSaltSize = 16;

struct PasswordCost {
  uint32_t opslimit = 2;
  uint32_t memlimit_kib = 8 * 1024;  // 8 MiB on hosts; firmware builds choose less
};

// Fails (kBadState) when the cost is outside what libsodium accepts or above a sane ceiling, so
// that a tampered file cannot ask for gigabytes.
Result<Secret<32>> key_from_password(std::string_view password,
                                     const Bytes<kPasswordSaltSize>& salt,
                                     const PasswordCost& cost);

}  // namespace iota_streams::crypto
