/* The C API of iota-streams-cpp (C99, usable from C and C++).
 *
 * Names follow the official 1.2.0 C binding (bindings/c/include/iota_streams/channels.h) so that code
 * carries over: auth_* for the Author, sub_* for the Subscriber, transport_*, address_*, drop_*.
 * Signatures differ where the official ones were wrong or unsafe:
 *   - sub_receive_msg took `unwrapped_message_t const *` (it could not return the message): here `**`.
 *   - sub_remove_psk took an `author_t *`: here a `subscriber_t *`.
 *   - *_receive_msg_by_sequence_number took the number through a `size_t *`: here a `uint32_t` value.
 *   - auth_send_keyload took the keys by value as an opaque `ke_pks_t`: here arrays and counts.
 *   - public keys and PSK ids are plain value structs (no allocation, nothing to drop), and strings
 *     are written into caller buffers (no drop_str).
 *   - *_remove_psk takes a psk_id_t, not its text.
 *
 * Ownership: every handle returned through a `T **` out-parameter belongs to the caller and is freed
 * with its drop function (auth_drop, sub_drop, transport_drop, drop_address, drop_unwrapped_message,
 * drop_unwrapped_messages, drop_next_msg_ids, drop_user_state); buffer_t and packet_payloads_t filled
 * by the library are freed with drop_buffer / drop_payloads. Views (get_payload, get_indexed_payload)
 * live as long as the message they came from. A transport must outlive the users created on it.
 *
 * Errors: every fallible function returns an err_t; on failure the reason is available from
 * streams_last_error() until the next failing call on the same thread. Out-parameters are written
 * only on success, and a failed call leaves the user's state as it was.
 */
#ifndef IOTA_STREAMS_CHANNELS_H
#define IOTA_STREAMS_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum Err {
  ERR_OK = 0,
  ERR_NULL_ARGUMENT,      /* a required pointer was NULL */
  ERR_BAD_ARGUMENT,       /* malformed text (address, hex), unknown channel type, ... */
  ERR_OPERATION_FAILED,   /* the protocol operation failed: see streams_last_error() */
  ERR_BUFFER_TOO_SMALL,   /* a caller buffer cannot hold the result */
  ERR_WRONG_PASSWORD,     /* import: wrong password or damaged state */
  ERR_NOT_FOUND,          /* no message at that link in the transport */
} err_t;

/* The reason of the last failure on this thread ("" if none). */
const char *streams_last_error(void);

/* Sizes of text forms, terminating NUL included. */
#define STREAMS_ADDRESS_STR_SIZE 106        /* <80 hex>:<24 hex> */
#define STREAMS_CHANNEL_ADDRESS_STR_SIZE 81
#define STREAMS_MSGID_STR_SIZE 25
#define STREAMS_PUBLIC_KEY_STR_SIZE 65
#define STREAMS_PSK_ID_STR_SIZE 33
#define STREAMS_INDEX_STR_SIZE 65

/* Channel types (the official `implementation` byte). */
#define STREAMS_SINGLE_BRANCH 0
#define STREAMS_MULTI_BRANCH 1
#define STREAMS_SINGLE_DEPTH 2

typedef struct PublicKey { uint8_t bytes[32]; } public_key_t;
typedef struct PskId { uint8_t bytes[16]; } psk_id_t;

/* ---- addresses ---- */

typedef struct Address address_t;
err_t address_from_string(address_t **address, char const *text);
void drop_address(address_t const *address);
err_t address_copy(address_t **copy, address_t const *address);
bool address_eq(address_t const *a, address_t const *b);
/* "<channel>:<msgid>"; `out` holds STREAMS_ADDRESS_STR_SIZE bytes or more. */
err_t get_address_str(char *out, size_t out_size, address_t const *address);
err_t get_address_inst_str(char *out, size_t out_size, address_t const *address);
err_t get_address_id_str(char *out, size_t out_size, address_t const *address);
/* Hex of the BLAKE2b-256 index under which the message is stored on the Tangle. */
err_t get_address_index_str(char *out, size_t out_size, address_t const *address);
err_t public_key_to_string(char *out, size_t out_size, public_key_t const *key);
err_t public_key_from_string(public_key_t *key, char const *hex);
err_t pskid_as_str(char *out, size_t out_size, psk_id_t const *id);
err_t pskid_from_str(psk_id_t *id, char const *hex);

/* The links a send returns: the message, and in multi-branch channels its sequence message (else NULL).
 * Both are owned by the caller: drop_links. */
typedef struct MessageLinks {
  address_t const *msg_link;
  address_t const *seq_link;
} message_links_t;
void drop_links(message_links_t links);

/* Bytes the library allocated (exported states, received payloads): drop_buffer. */
typedef struct Buffer {
  uint8_t const *ptr;
  size_t size;
  size_t cap;
} buffer_t;
void drop_buffer(buffer_t buffer);

typedef struct PacketPayloads {
  buffer_t public_payload;
  buffer_t masked_payload;
} packet_payloads_t;
void drop_payloads(packet_payloads_t payloads);

/* ---- transports ---- */

typedef struct Transport transport_t;
/* The in-memory bucket (as in the original proof of concept). */
transport_t *transport_new(void);
void transport_drop(transport_t *transport);
#ifdef IOTA_STREAMS_CHANNELS_CLIENT
/* A Chrysalis node's HTTP API with local PoW (hosts: libcurl; target streams_c_client). */
err_t transport_client_new_from_url(transport_t **transport, char const *url);
#endif

/* ---- read messages ---- */

typedef enum MessageKind {
  MESSAGE_KEYLOAD = 0,
  MESSAGE_SIGNED_PACKET = 1,
  MESSAGE_TAGGED_PACKET = 2,
  MESSAGE_UNREADABLE = 3,   /* in the channel, but this user cannot open it (left out of a keyload) */
} message_kind_t;

typedef struct UnwrappedMessage unwrapped_message_t;
typedef struct UnwrappedMessages unwrapped_messages_t;
void drop_unwrapped_message(unwrapped_message_t const *message);
void drop_unwrapped_messages(unwrapped_messages_t const *messages);
message_kind_t get_message_kind(unwrapped_message_t const *message);
/* The message's address (a new handle: drop_address). */
err_t get_message_link(address_t **link, unwrapped_message_t const *message);
/* The signer of a signed packet; false for other kinds. */
bool get_message_publisher(public_key_t *publisher, unwrapped_message_t const *message);
/* Views into the message (not to be dropped). */
packet_payloads_t get_payload(unwrapped_message_t const *message);
size_t get_payloads_count(unwrapped_messages_t const *messages);
packet_payloads_t get_indexed_payload(unwrapped_messages_t const *messages, size_t index);
unwrapped_message_t const *get_indexed_message(unwrapped_messages_t const *messages, size_t index);

/* Where each known publisher's next message will be (gen_next_msg_ids) and the cursors (fetch_state). */
typedef struct NextMsgIds next_msg_ids_t;
void drop_next_msg_ids(next_msg_ids_t const *ids);
size_t get_next_msg_ids_count(next_msg_ids_t const *ids);
/* The identifier (public key hex, or PSK id hex) and the address of entry `index`. */
err_t get_next_msg_id(char *identifier, size_t identifier_size, address_t **link, next_msg_ids_t const *ids,
                      size_t index);

typedef struct UserState user_state_t;
void drop_user_state(user_state_t const *state);
size_t get_user_state_count(user_state_t const *state);
err_t get_user_state_entry(char *identifier, size_t identifier_size, address_t **link, uint32_t *seq_no,
                           user_state_t const *state, size_t index);

/* ---- Author ---- */

typedef struct Author author_t;
err_t auth_new(author_t **author, char const *seed, uint8_t implementation, transport_t *transport);
err_t auth_recover(author_t **author, char const *seed, address_t const *announcement, uint8_t implementation,
                   transport_t *transport);
void auth_drop(author_t *author);
err_t auth_import(author_t **author, buffer_t buffer, char const *password, transport_t *transport);
err_t auth_export(buffer_t *buffer, author_t const *author, char const *password);
err_t auth_channel_address(char *out, size_t out_size, author_t const *author);
err_t auth_announcement_link(address_t **link, author_t const *author);
err_t auth_is_multi_branching(uint8_t *flag, author_t const *author);
err_t auth_get_public_key(public_key_t *key, author_t const *author);
err_t auth_send_announce(address_t **link, author_t *author);
err_t auth_send_keyload_for_everyone(message_links_t *links, author_t *author, address_t const *link_to);
err_t auth_send_keyload(message_links_t *links, author_t *author, address_t const *link_to,
                        psk_id_t const *psk_ids, size_t psk_id_count, public_key_t const *keys, size_t key_count);
err_t auth_receive_subscribe(author_t *author, address_t const *link);
err_t auth_receive_unsubscribe(author_t *author, address_t const *link);
err_t auth_store_new_subscriber(author_t *author, public_key_t const *key);
err_t auth_remove_subscriber(author_t *author, public_key_t const *key);
err_t auth_send_tagged_packet(message_links_t *links, author_t *author, message_links_t link_to,
                              uint8_t const *public_payload, size_t public_size, uint8_t const *masked_payload,
                              size_t masked_size);
err_t auth_send_signed_packet(message_links_t *links, author_t *author, message_links_t link_to,
                              uint8_t const *public_payload, size_t public_size, uint8_t const *masked_payload,
                              size_t masked_size);
err_t auth_receive_tagged_packet(packet_payloads_t *payloads, author_t *author, address_t const *link);
err_t auth_receive_signed_packet(packet_payloads_t *payloads, author_t *author, address_t const *link);
err_t auth_receive_sequence(address_t **link, author_t *author, address_t const *sequence_link);
err_t auth_gen_next_msg_ids(next_msg_ids_t **ids, author_t *author);
err_t auth_receive_msg(unwrapped_message_t **message, author_t *author, address_t const *link);
err_t auth_receive_msg_by_sequence_number(unwrapped_message_t **message, author_t *author,
                                          address_t const *anchor_link, uint32_t msg_num);
err_t auth_fetch_next_msgs(unwrapped_messages_t **messages, author_t *author);
err_t auth_fetch_prev_msg(unwrapped_message_t **message, author_t *author, address_t const *link);
err_t auth_fetch_prev_msgs(unwrapped_messages_t **messages, author_t *author, address_t const *link,
                           size_t num_msgs);
err_t auth_sync_state(unwrapped_messages_t **messages, author_t *author);
err_t auth_fetch_state(user_state_t **state, author_t *author);
err_t auth_reset_state(author_t *author);
err_t auth_store_psk(psk_id_t *id, author_t *author, char const *psk_seed);
err_t auth_remove_psk(author_t *author, psk_id_t const *id);

/* ---- Subscriber ---- */

typedef struct Subscriber subscriber_t;
err_t sub_new(subscriber_t **subscriber, char const *seed, transport_t *transport);
err_t sub_import(subscriber_t **subscriber, buffer_t buffer, char const *password, transport_t *transport);
err_t sub_export(buffer_t *buffer, subscriber_t const *subscriber, char const *password);
void sub_drop(subscriber_t *subscriber);
err_t sub_channel_address(char *out, size_t out_size, subscriber_t const *subscriber);
err_t sub_announcement_link(address_t **link, subscriber_t const *subscriber);
err_t sub_is_multi_branching(uint8_t *flag, subscriber_t const *subscriber);
err_t sub_get_public_key(public_key_t *key, subscriber_t const *subscriber);
err_t sub_author_public_key(public_key_t *key, subscriber_t const *subscriber);
uint8_t sub_is_registered(subscriber_t const *subscriber);
void sub_unregister(subscriber_t *subscriber);
err_t sub_receive_announce(subscriber_t *subscriber, address_t const *link);
err_t sub_send_subscribe(address_t **link, subscriber_t *subscriber, address_t const *announcement_link);
err_t sub_send_unsubscribe(address_t **link, subscriber_t *subscriber, address_t const *subscription_link);
/* `access` is 1 when the keyload gave this subscriber the session key. */
err_t sub_receive_keyload(uint8_t *access, subscriber_t *subscriber, address_t const *link);
err_t sub_send_tagged_packet(message_links_t *links, subscriber_t *subscriber, message_links_t link_to,
                             uint8_t const *public_payload, size_t public_size, uint8_t const *masked_payload,
                             size_t masked_size);
err_t sub_send_signed_packet(message_links_t *links, subscriber_t *subscriber, message_links_t link_to,
                             uint8_t const *public_payload, size_t public_size, uint8_t const *masked_payload,
                             size_t masked_size);
err_t sub_receive_tagged_packet(packet_payloads_t *payloads, subscriber_t *subscriber, address_t const *link);
err_t sub_receive_signed_packet(packet_payloads_t *payloads, subscriber_t *subscriber, address_t const *link);
err_t sub_receive_sequence(address_t **link, subscriber_t *subscriber, address_t const *sequence_link);
err_t sub_gen_next_msg_ids(next_msg_ids_t **ids, subscriber_t *subscriber);
err_t sub_receive_msg(unwrapped_message_t **message, subscriber_t *subscriber, address_t const *link);
err_t sub_receive_msg_by_sequence_number(unwrapped_message_t **message, subscriber_t *subscriber,
                                         address_t const *anchor_link, uint32_t msg_num);
err_t sub_fetch_next_msgs(unwrapped_messages_t **messages, subscriber_t *subscriber);
err_t sub_fetch_prev_msg(unwrapped_message_t **message, subscriber_t *subscriber, address_t const *link);
err_t sub_fetch_prev_msgs(unwrapped_messages_t **messages, subscriber_t *subscriber, address_t const *link,
                          size_t num_msgs);
err_t sub_sync_state(unwrapped_messages_t **messages, subscriber_t *subscriber);
err_t sub_fetch_state(user_state_t **state, subscriber_t *subscriber);
err_t sub_reset_state(subscriber_t *subscriber);
err_t sub_store_psk(psk_id_t *id, subscriber_t *subscriber, char const *psk_seed);
err_t sub_remove_psk(subscriber_t *subscriber, psk_id_t const *id);

#ifdef __cplusplus
}
#endif

#endif /* IOTA_STREAMS_CHANNELS_H */
