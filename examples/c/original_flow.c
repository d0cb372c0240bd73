/* The original proof-of-concept flow through the C API (see original_flow.h). Shared by the host
 * example (flow.c) and the ESP-IDF example (esp-idf/examples/original_flow), so that the code a device
 * runs is the code the host tests run. */
#include "original_flow.h"

#include <stdio.h>
#include <string.h>

#include "iota_streams/channels.h"

static int step_failed(const char *step, err_t err) {
  fprintf(stderr, "FAILED %s: error %d: %s\n", step, (int)err, streams_last_error());
  return 1;
}

#define STEP(name, call)                       \
  do {                                         \
    err_t err_ = (call);                       \
    if (err_ != ERR_OK) return step_failed(name, err_); \
  } while (0)

static void print_link(const char *what, address_t const *link) {
  char text[STREAMS_ADDRESS_STR_SIZE];
  if (get_address_str(text, sizeof text, link) == ERR_OK) printf("  %s: %s\n", what, text);
}

static int same_bytes(buffer_t buffer, const char *text) {
  return buffer.size == strlen(text) && memcmp(buffer.ptr, text, buffer.size) == 0;
}

/* Reads the next packet with the subscriber and checks its masked payload. */
static int expect_next_masked(subscriber_t *sub, const char *expected) {
  unwrapped_messages_t *messages = NULL;
  STEP("fetch next messages", sub_fetch_next_msgs(&messages, sub));
  int found = 0;
  for (size_t i = 0; i < get_payloads_count(messages); ++i) {
    unwrapped_message_t const *message = get_indexed_message(messages, i);
    packet_payloads_t payloads = get_payload(message);
    if (get_message_kind(message) == MESSAGE_KEYLOAD) continue;
    printf("  read %s packet, masked payload: %.*s\n",
           get_message_kind(message) == MESSAGE_SIGNED_PACKET ? "signed" : "tagged",
           (int)payloads.masked_payload.size, (const char *)payloads.masked_payload.ptr);
    found = same_bytes(payloads.masked_payload, expected);
  }
  drop_unwrapped_messages(messages);
  if (!found) {
    fprintf(stderr, "FAILED: expected to read \"%s\"\n", expected);
    return 1;
  }
  return 0;
}

int streams_original_flow(const char *author_seed, const char *subscriber_seed) {
  transport_t *transport = transport_new();
  author_t *author = NULL;
  subscriber_t *sub = NULL;
  address_t *announcement = NULL, *subscription = NULL, *unsubscription = NULL;
  message_links_t keyload = {0}, first = {0}, second = {0}, tagged = {0}, reply = {0};
  packet_payloads_t payloads = {{0}, {0}};
  int status = 1;

  printf("Creating author and subscriber\n");
  if (auth_new(&author, author_seed, STREAMS_SINGLE_BRANCH, transport) != ERR_OK) goto failed;
  if (sub_new(&sub, subscriber_seed, transport) != ERR_OK) goto failed;
  char channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE];
  if (auth_channel_address(channel, sizeof channel, author) != ERR_OK) goto failed;
  printf("  channel: %s\n", channel);

  printf("Sending announcement\n");
  if (auth_send_announce(&announcement, author) != ERR_OK) goto failed;
  print_link("announcement", announcement);
  if (sub_receive_announce(sub, announcement) != ERR_OK) goto failed;

  printf("Subscribing (wrapped unsubscribe key)\n");
  if (sub_send_subscribe(&subscription, sub, announcement) != ERR_OK) goto failed;
  print_link("subscription", subscription);
  if (auth_receive_subscribe(author, subscription) != ERR_OK) goto failed;

  printf("Sending keyload (wrapped session key)\n");
  public_key_t subscriber_key;
  if (sub_get_public_key(&subscriber_key, sub) != ERR_OK) goto failed;
  if (auth_send_keyload(&keyload, author, announcement, NULL, 0, &subscriber_key, 1) != ERR_OK) goto failed;
  print_link("keyload", keyload.msg_link);
  uint8_t access = 0;
  if (sub_receive_keyload(&access, sub, keyload.msg_link) != ERR_OK || !access) goto failed;
  printf("  subscriber has the session key\n");

  printf("Sending two signed packets\n");
  const char *p1 = "public 1", *m1 = "first masked payload";
  const char *p2 = "public 2", *m2 = "second masked payload";
  if (auth_send_signed_packet(&first, author, keyload, (const uint8_t *)p1, strlen(p1), (const uint8_t *)m1,
                              strlen(m1)) != ERR_OK) goto failed;
  print_link("signed packet 1", first.msg_link);
  if (auth_send_signed_packet(&second, author, first, (const uint8_t *)p2, strlen(p2), (const uint8_t *)m2,
                              strlen(m2)) != ERR_OK) goto failed;
  print_link("signed packet 2", second.msg_link);

  printf("Subscriber receiving the signed packets\n");
  if (sub_receive_signed_packet(&payloads, sub, first.msg_link) != ERR_OK) goto failed;
  if (!same_bytes(payloads.masked_payload, m1)) goto mismatch;
  printf("  read: %s\n", m1);
  drop_payloads(payloads);
  payloads = (packet_payloads_t){{0}, {0}};
  if (sub_receive_signed_packet(&payloads, sub, second.msg_link) != ERR_OK) goto failed;
  if (!same_bytes(payloads.masked_payload, m2)) goto mismatch;
  printf("  read: %s\n", m2);

  printf("Sending a tagged packet\n");
  const char *m3 = "tagged masked payload";
  if (auth_send_tagged_packet(&tagged, author, second, (const uint8_t *)"tag", 3, (const uint8_t *)m3,
                              strlen(m3)) != ERR_OK) goto failed;
  print_link("tagged packet", tagged.msg_link);
  if (expect_next_masked(sub, m3) != 0) goto done;

  printf("Subscriber publishing a signed packet\n");
  const char *m4 = "from the subscriber";
  if (sub_send_signed_packet(&reply, sub, tagged, (const uint8_t *)"sub", 3, (const uint8_t *)m4, strlen(m4)) != ERR_OK)
    goto failed;
  print_link("subscriber's packet", reply.msg_link);
  unwrapped_messages_t *read = NULL;
  if (auth_fetch_next_msgs(&read, author) != ERR_OK) goto failed;
  int author_read = get_payloads_count(read) == 1 && same_bytes(get_indexed_payload(read, 0).masked_payload, m4);
  drop_unwrapped_messages(read);
  if (!author_read) goto mismatch;
  printf("  author read: %s\n", m4);

  printf("Unsubscribing\n");
  if (sub_send_unsubscribe(&unsubscription, sub, reply.msg_link) != ERR_OK) goto failed;
  print_link("unsubscription", unsubscription);
  if (auth_receive_unsubscribe(author, unsubscription) != ERR_OK) goto failed;

  printf("FLOW COMPLETED\n");
  status = 0;
  goto done;

mismatch:
  fprintf(stderr, "FAILED: a payload read back differs from the one sent\n");
  goto done;
failed:
  fprintf(stderr, "FAILED: %s\n", streams_last_error());
done:
  drop_payloads(payloads);
  drop_links(keyload);
  drop_links(first);
  drop_links(second);
  drop_links(tagged);
  drop_links(reply);
  drop_address(announcement);
  drop_address(subscription);
  drop_address(unsubscription);
  sub_drop(sub);
  auth_drop(author);
  transport_drop(transport);
  return status;
}

