#include "sodium_init.h"

#include <sodium.h>

namespace iota_streams::crypto::detail {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;  // 1 when already initialised
  if (!ready) __builtin_trap();                  // no usable crypto: nothing safe can continue
}

}  // namespace iota_streams::crypto::detail
