/* The original proof-of-concept flow, through the C API: an Author and a Subscriber over the
 * in-memory bucket transport. Announce, subscribe, keyload, two signed packets with masked payloads
 * read by the subscriber, then the rest of the PoC's TODO: a tagged packet, the subscriber
 * publishing, unsubscribe. Prints each step (stdout); returns 0 when every step succeeded and read
 * back what was sent. */
#ifndef IOTA_STREAMS_EXAMPLES_ORIGINAL_FLOW_H
#define IOTA_STREAMS_EXAMPLES_ORIGINAL_FLOW_H

#ifdef __cplusplus
extern "C" {
#endif

int streams_original_flow(const char* author_seed, const char* subscriber_seed);

#ifdef __cplusplus
}
#endif

#endif
