#include "iota_streams/crypto/password.h"

#include <sodium.h>

#include "sodium_init.h"

namespace iota_streams::crypto {
namespace {

constexpr uint32_t kMaxOpslimit = 16;
constexpr uint32_t kMaxMemlimitKib = 1024 * 1024;  // 1 GiB

}  // namespace

Result<Secret<32>> key_from_password(std::string_view password,
                                     const Bytes<kPasswordSaltSize>& salt,
                                     const PasswordCost& cost) {
  detail::ensure_sodium();
  const unsigned long long ops = cost.opslimit;
  const size_t mem = static_cast<size_t>(cost.memlimit_kib) * 1024;
  if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || ops > kMaxOpslimit ||
      mem < crypto_pwhash_argon2id_MEMLIMIT_MIN || cost.memlimit_kib > kMaxMemlimitKib) {
    return Error(Errc::kBadState, "password cost out of range: opslimit " +
                                      std::to_string(cost.opslimit) + ", memlimit " +
                                      std::to_string(cost.memlimit_kib) + " KiB");
  }
  Secret<32> key;
  if (crypto_pwhash(key.data(), key.size(), password.data(), password.size(), salt.data(), ops, mem,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error(Errc::kCapacityExceeded, "not enough memory to derive the state key (" +
                                              std::to_string(cost.memlimit_kib) + " KiB)");
  }
  return key;
}

}  // namespace iota_streams::crypto
