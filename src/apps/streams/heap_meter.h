// Counts the bytes the program has on the heap (global operator new/delete of this executable), so
// that the demo can report the memory its flow used.
#pragma once

#include <cstddef>

namespace iota_streams::apps::heap_meter {

size_t in_use();
size_t peak();
void reset_peak();  // peak := in use

}  // namespace iota_streams::apps::heap_meter
