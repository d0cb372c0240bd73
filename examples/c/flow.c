/* The original flow in C on a host: `flow [AUTHOR_SEED SUBSCRIBER_SEED]`; exits non-zero at the
 * first step that fails. The flow itself is in original_flow.c (the ESP-IDF example runs the same
 * file). */
#include "original_flow.h"

int main(int argc, char** argv) {
  const char* author_seed = argc > 2 ? argv[1] : "C API AUTHOR SEED";
  const char* subscriber_seed = argc > 2 ? argv[2] : "C API SUBSCRIBER SEED";
  return streams_original_flow(author_seed, subscriber_seed);
}
