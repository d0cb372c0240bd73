#include "iota_streams/base/secret.h"

#include <sodium.h>

namespace iota_streams {

void secure_wipe(void* data, size_t size) { sodium_memzero(data, size); }

}  // namespace iota_streams
