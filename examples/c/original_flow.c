/* The original proof-of-concept flow through the C API (see original_flow.h). Shared by the host
 * example (flow.c) and the ESP-IDF example (esp-idf/examples/original_flow), so that the code a
 * device runs is the code the host tests run. */
#include "original_flow.h"

#include <stdio.h>
#include <string.h>

#include "iota_streams/channels.h"

static int step_failed(const char* step, streams_err_t err) {
  fprintf(stderr, "FAILED %s: error %d: %s\n", step, (int)err, streams_last_error());
  return 1;
}

#define STEP(name, call)                                        \
  do {                                                          \
    streams_err_t err_ = (call);                                \
    if (err_ != STREAMS_ERR_OK) return step_failed(name, err_); \
  } while (0)

static void print_link(const char* what, streams_address_t const* link) {
  char text[STREAMS_ADDRESS_STR_SIZE];
  if (streams_get_address_str(text, sizeof text, link) == STREAMS_ERR_OK)
    printf("  %s: %s\n", what, text);
}

static int same_bytes(streams_buffer_t buffer, const char* text) {
  return buffer.size == strlen(text) && memcmp(buffer.ptr, text, buffer.size) == 0;
}

/* Reads the next packet with the subscriber and checks its masked payload. */
static int expect_next_masked(streams_subscriber_t* sub, const char* expected) {
  streams_unwrapped_messages_t* messages = NULL;
  streams_err_t fetched = streams_sub_fetch_next_msgs(&messages, sub);
  if (fetched != STREAMS_ERR_OK) {
    streams_drop_unwrapped_messages(messages); /* handed out also when the transport failed */
    return step_failed("fetch next messages", fetched);
  }
  int found = 0;
  for (size_t i = 0; i < streams_get_payloads_count(messages); ++i) {
    streams_unwrapped_message_t const* message = streams_get_indexed_message(messages, i);
    streams_packet_payloads_t payloads = streams_get_payload(message);
    if (streams_get_message_kind(message) == STREAMS_MESSAGE_KEYLOAD) continue;
    printf("  read %s packet, masked payload: %.*s\n",
           streams_get_message_kind(message) == STREAMS_MESSAGE_SIGNED_PACKET ? "signed" : "tagged",
           (int)payloads.masked_payload.size, (const char*)payloads.masked_payload.ptr);
    found = same_bytes(payloads.masked_payload, expected);
  }
  streams_drop_unwrapped_messages(messages);
  if (!found) {
    fprintf(stderr, "FAILED: expected to read \"%s\"\n", expected);
    return 1;
  }
  return 0;
}

int streams_original_flow(const char* author_seed, const char* subscriber_seed) {
  streams_transport_t* transport = streams_transport_new();
  streams_author_t* author = NULL;
  streams_subscriber_t* sub = NULL;
  streams_address_t *announcement = NULL, *subscription = NULL, *unsubscription = NULL;
  streams_message_links_t keyload = {0}, first = {0}, second = {0}, tagged = {0}, reply = {0};
  streams_packet_payloads_t payloads = {{0}, {0}};
  int status = 1;

  printf("Creating author and subscriber\n");
  if (streams_auth_new(&author, author_seed, STREAMS_SINGLE_BRANCH, transport) != STREAMS_ERR_OK)
    goto failed;
  if (streams_sub_new(&sub, subscriber_seed, transport) != STREAMS_ERR_OK) goto failed;
  char channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE];
  if (streams_auth_channel_address(channel, sizeof channel, author) != STREAMS_ERR_OK) goto failed;
  printf("  channel: %s\n", channel);

  printf("Sending announcement\n");
  if (streams_auth_send_announce(&announcement, author) != STREAMS_ERR_OK) goto failed;
  print_link("announcement", announcement);
  if (streams_sub_receive_announce(sub, announcement) != STREAMS_ERR_OK) goto failed;

  printf("Subscribing (wrapped unsubscribe key)\n");
  if (streams_sub_send_subscribe(&subscription, sub, announcement) != STREAMS_ERR_OK) goto failed;
  print_link("subscription", subscription);
  if (streams_auth_receive_subscribe(author, subscription) != STREAMS_ERR_OK) goto failed;

  printf("Sending keyload (wrapped session key)\n");
  streams_public_key_t subscriber_key;
  if (streams_sub_get_public_key(&subscriber_key, sub) != STREAMS_ERR_OK) goto failed;
  if (streams_auth_send_keyload(&keyload, author, announcement, NULL, 0, &subscriber_key, 1) !=
      STREAMS_ERR_OK)
    goto failed;
  print_link("keyload", keyload.msg_link);
  uint8_t access = 0;
  if (streams_sub_receive_keyload(&access, sub, keyload.msg_link) != STREAMS_ERR_OK || !access)
    goto failed;
  printf("  subscriber has the session key\n");

  printf("Sending two signed packets\n");
  const char *p1 = "public 1", *m1 = "first masked payload";
  const char *p2 = "public 2", *m2 = "second masked payload";
  if (streams_auth_send_signed_packet(&first, author, keyload, (const uint8_t*)p1, strlen(p1),
                                      (const uint8_t*)m1, strlen(m1)) != STREAMS_ERR_OK)
    goto failed;
  print_link("signed packet 1", first.msg_link);
  if (streams_auth_send_signed_packet(&second, author, first, (const uint8_t*)p2, strlen(p2),
                                      (const uint8_t*)m2, strlen(m2)) != STREAMS_ERR_OK)
    goto failed;
  print_link("signed packet 2", second.msg_link);

  printf("Subscriber receiving the signed packets\n");
  if (streams_sub_receive_signed_packet(&payloads, sub, first.msg_link) != STREAMS_ERR_OK)
    goto failed;
  if (!same_bytes(payloads.masked_payload, m1)) goto mismatch;
  printf("  read: %s\n", m1);
  streams_drop_payloads(payloads);
  payloads = (streams_packet_payloads_t){{0}, {0}};
  if (streams_sub_receive_signed_packet(&payloads, sub, second.msg_link) != STREAMS_ERR_OK)
    goto failed;
  if (!same_bytes(payloads.masked_payload, m2)) goto mismatch;
  printf("  read: %s\n", m2);

  printf("Sending a tagged packet\n");
  const char* m3 = "tagged masked payload";
  if (streams_auth_send_tagged_packet(&tagged, author, second, (const uint8_t*)"tag", 3,
                                      (const uint8_t*)m3, strlen(m3)) != STREAMS_ERR_OK)
    goto failed;
  print_link("tagged packet", tagged.msg_link);
  if (expect_next_masked(sub, m3) != 0) goto done;

  printf("Subscriber publishing a signed packet\n");
  const char* m4 = "from the subscriber";
  if (streams_sub_send_signed_packet(&reply, sub, tagged, (const uint8_t*)"sub", 3,
                                     (const uint8_t*)m4, strlen(m4)) != STREAMS_ERR_OK)
    goto failed;
  print_link("subscriber's packet", reply.msg_link);
  streams_unwrapped_messages_t* read = NULL;
  if (streams_auth_fetch_next_msgs(&read, author) != STREAMS_ERR_OK) {
    streams_drop_unwrapped_messages(read); /* handed out also when the transport failed */
    goto failed;
  }
  int author_read = streams_get_payloads_count(read) == 1 &&
                    same_bytes(streams_get_indexed_payload(read, 0).masked_payload, m4);
  streams_drop_unwrapped_messages(read);
  if (!author_read) goto mismatch;
  printf("  author read: %s\n", m4);

  printf("Unsubscribing\n");
  if (streams_sub_send_unsubscribe(&unsubscription, sub, reply.msg_link) != STREAMS_ERR_OK)
    goto failed;
  print_link("unsubscription", unsubscription);
  if (streams_auth_receive_unsubscribe(author, unsubscription) != STREAMS_ERR_OK) goto failed;

  printf("FLOW COMPLETED\n");
  status = 0;
  goto done;

mismatch:
  fprintf(stderr, "FAILED: a payload read back differs from the one sent\n");
  goto done;
failed:
  fprintf(stderr, "FAILED: %s\n", streams_last_error());
done:
  streams_drop_payloads(payloads);
  streams_drop_links(keyload);
  streams_drop_links(first);
  streams_drop_links(second);
  streams_drop_links(tagged);
  streams_drop_links(reply);
  streams_drop_address(announcement);
  streams_drop_address(subscription);
  streams_drop_address(unsubscription);
  streams_sub_drop(sub);
  streams_auth_drop(author);
  streams_transport_drop(transport);
  return status;
}
