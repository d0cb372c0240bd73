#include "iota_streams/base/secret.h"

#include <sodium.h>

namespace iota_streams {

void secure_wipe(void* data, size_t size) { sodium_memzero(data, size); }

bool equal_ct(ByteSpan a, ByteSpan b) {
  if (a.size() != b.size()) return false;  // sizes are public
  uint32_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<uint32_t>(a[i] ^ b[i]);
#if defined(__GNUC__)
  // The optimizer may not reason about the value from here on (no early exit, no branch on it).
  __asm__ volatile("" : "+r"(diff));
#endif
  // 1 iff diff == 0, by arithmetic: (0 - 1) >> 8 sets bit 0; any diff in 1..255 leaves it clear.
  return ((diff - 1u) >> 8) & 1u;
}

}  // namespace iota_streams
