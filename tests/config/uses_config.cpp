// A program that includes the library's configuration and nothing else: it links only against a
// library built with the same option values (config.h). link_check.cmake builds it twice.
#include "iota_streams/config.h"

int main() { return STREAMS_MAX_MESSAGE_BYTES > 0 ? 0 : 1; }
