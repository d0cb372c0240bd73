/* An out-of-tree C program built against an installed iota-streams (tests/install/run.sh): the C
 * API over the in-memory transport, and the node transport of the client library created (not
 * used). */
#include <stdio.h>
#include <string.h>

/* The official binding's names: since the prefixed C API they come from the opt-in compat header.
 */
#if defined(__has_include)
#if __has_include("iota_streams/channels_compat.h")
#include "iota_streams/channels_compat.h"
#else
#include "iota_streams/channels.h"
#endif
#else
#include "iota_streams/channels.h"
#endif

static int failed(const char* what) {
  fprintf(stderr, "FAILED %s: %s\n", what, streams_last_error());
  return 1;
}

int main(void) {
  transport_t* transport = transport_new();
  author_t* author = NULL;
  subscriber_t* sub = NULL;
  address_t* announcement = NULL;
  transport_t* node = NULL;
  char author_channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE],
      sub_channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE];
  int status = 1;

  if (auth_new(&author, "install test author seed", STREAMS_SINGLE_BRANCH, transport) != ERR_OK) {
    status = failed("auth_new");
  } else if (auth_send_announce(&announcement, author) != ERR_OK) {
    status = failed("auth_send_announce");
  } else if (sub_new(&sub, "install test subscriber seed", transport) != ERR_OK) {
    status = failed("sub_new");
  } else if (sub_receive_announce(sub, announcement) != ERR_OK) {
    status = failed("sub_receive_announce");
  } else if (auth_channel_address(author_channel, sizeof author_channel, author) != ERR_OK ||
             sub_channel_address(sub_channel, sizeof sub_channel, sub) != ERR_OK) {
    status = failed("channel_address");
  } else if (strcmp(author_channel, sub_channel) != 0) {
    fprintf(stderr, "FAILED: the subscriber joined %s, not %s\n", sub_channel, author_channel);
  } else if (transport_client_new_from_url(&node, "http://127.0.0.1:9") != ERR_OK) {
    status = failed("transport_client_new_from_url");
  } else {
    printf("C CONSUMER OK: channel %s\n", author_channel);
    status = 0;
  }
  if (node) transport_drop(node);
  if (announcement) drop_address(announcement);
  if (sub) sub_drop(sub);
  if (author) auth_drop(author);
  transport_drop(transport);
  return status;
}
