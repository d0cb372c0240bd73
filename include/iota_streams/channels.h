/* The C API of iota-streams-cpp (C99, usable from C and C++).
 *
 * Every public name is prefixed (streams_*, STREAMS_*), so that the header lives beside lwIP,
 * ESP-IDF and iota.c, which define their own err_t and ERR_OK. The functions are the official 1.2.0
 * C binding's (bindings/c/include/iota_streams/channels.h) with `streams_` in front: streams_auth_*
 * for the Author, streams_sub_* for the Subscriber, streams_transport_*, streams_address_*,
 * streams_drop_*. Code written for the official names includes "iota_streams/channels_compat.h"
 * instead (opt-in; it brings err_t and ERR_OK back, so it cannot share a translation unit with
 * lwIP). Signatures differ where the official ones were wrong or unsafe:
 *   - sub_receive_msg took `unwrapped_message_t const *` (it could not return the message): here
 * `**`.
 *   - sub_remove_psk took an `author_t *`: here a `streams_subscriber_t *`.
 *   - *_receive_msg_by_sequence_number took the number through a `size_t *`: here a `uint32_t`
 * value.
 *   - auth_send_keyload took the keys by value as an opaque `ke_pks_t`: here arrays and counts.
 *   - public keys and PSK ids are plain value structs (no allocation, nothing to drop), and strings
 *     are written into caller buffers (no drop_str).
 *   - *_remove_psk takes a psk id, not its text.
 *
 * Ownership: every handle returned through a `T **` out-parameter belongs to the caller and is
 * freed with its drop function (streams_auth_drop, streams_sub_drop, streams_transport_drop,
 * streams_drop_address, streams_drop_unwrapped_message, streams_drop_unwrapped_messages,
 * streams_drop_next_msg_ids, streams_drop_user_state); streams_buffer_t and
 * streams_packet_payloads_t filled by the library are freed with streams_drop_buffer /
 * streams_drop_payloads. Views (streams_get_payload, streams_get_indexed_payload) live as long as
 * the message they came from. A transport must outlive the users created on it.
 *
 * Errors: every fallible function returns a streams_err_t; streams_err_message(code) is a fixed
 * text for the code, and streams_last_error() the reason of the last failure on this thread (what
 * and where), until the next failing call on the same thread. Out-parameters are written only on
 * success (one exception: the fetches, which hand out what they read before a transport failure).
 * Every library error kind has its own code (STREAMS_ERR_BAD_MAC, STREAMS_ERR_SIGNATURE_MISMATCH,
 * STREAMS_ERR_CAPACITY_EXCEEDED, ...). Each function's comment lists what it returns besides
 * STREAMS_ERR_OK; two groups recur:
 *   RECEIVE errors (reading a message from the transport): STREAMS_ERR_NOT_FOUND,
 * STREAMS_ERR_TRANSPORT, STREAMS_ERR_MESSAGE_NOT_UNIQUE, and what a message can be refused for:
 * STREAM_TOO_SHORT, INPUT_NOT_CONSUMED, BAD_MAC, SIGNATURE_MISMATCH, BAD_PUBLIC_KEY,
 * KEY_CONVERSION, BAD_ONEOF, INVALID_VERSION, INVALID_BIT_RESERVATION, INVALID_FRAME_TYPE,
 * VALUE_OUT_OF_RANGE, LENGTH_MISMATCH, INVALID_ADDRESS, CHANNEL_MISMATCH, UNKNOWN_MESSAGE_TYPE,
 * LINK_NOT_FOUND, NOT_ANNOUNCEMENT, AUTHOR_KEY_NOT_FOUND, SEQ_NUM_NOT_FOUND, CHANNEL_DUPLICATION,
 * CAPACITY_EXCEEDED, INTERNAL (all STREAMS_ERR_-prefixed). A refused message leaves the user's
 * state as it was. SEND errors (building and publishing a message): STREAMS_ERR_NOT_REGISTERED,
 * STREAMS_ERR_LINK_NOT_FOUND, STREAMS_ERR_CAPACITY_EXCEEDED, STREAMS_ERR_SINGLE_DEPTH_OPERATION,
 * STREAMS_ERR_MESSAGE_BUILD, STREAMS_ERR_OUTPUT_NOT_FILLED, STREAMS_ERR_VALUE_OUT_OF_RANGE,
 * STREAMS_ERR_MESSAGE_NOT_UNIQUE, STREAMS_ERR_TRANSPORT, STREAMS_ERR_INTERNAL.
 * STREAMS_ERR_NO_MEMORY: the heap has no room for what the call may need; no call aborts for
 * memory. Every call that allocates first takes that room as a reserve: the most it can allocate,
 * from the limits of config.h (a read: STREAMS_MAX_CANDIDATES messages of
 * STREAMS_MAX_MESSAGE_BYTES) and what the user holds; with ESP-IDF's Kconfig defaults about 96 KiB,
 * in 11 pieces of 9 KiB (on hosts a thread keeps it for its next call), freed when the call
 * returns. Without that room the call returns STREAMS_ERR_NO_MEMORY before doing anything: every
 * state unchanged, nothing published, nothing read. With it the call completes, also when the heap
 * runs out under it (the library's new-handler hands it the reserve). A whole fetch (*_sync_state)
 * with no room for another round hands out what it read and returns STREAMS_ERR_NO_MEMORY; the next
 * fetch goes on after those messages. The new-handler is installed by the first such call,
 * process-wide; a handler the program set before is kept, and runs for allocations outside the
 * library's calls. Threads that share a nearly full heap should not call the library at once
 * (another thread can take a piece of the reserve as it is freed).
 */
#ifndef IOTA_STREAMS_CHANNELS_H
#define IOTA_STREAMS_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. The values are stable. 1-15 are raised by the C API itself (and for the library's
 * invalid-argument, output-too-small, wrong-password and not-in-transport kinds); 16 and up are one
 * per error kind of the library (iota_streams::Errc), named after the official 1.2.0 error
 * variants. */
typedef enum streams_err {
  STREAMS_ERR_OK = 0,
  STREAMS_ERR_NULL_ARGUMENT = 1, /* a required pointer was NULL */
  STREAMS_ERR_BAD_ARGUMENT = 2,  /* an argument out of its range (channel type, index, ...) */
  /* 3 was the catch-all ERR_OPERATION_FAILED: every failure now has its own code. */
  STREAMS_ERR_BUFFER_TOO_SMALL = 4, /* a caller buffer cannot hold the result */
  STREAMS_ERR_WRONG_PASSWORD = 5,   /* import: wrong password (the state's MAC does not match) */
  STREAMS_ERR_NOT_FOUND = 6,        /* no message at that link in the transport */
  STREAMS_ERR_NO_MEMORY = 7,        /* an allocation failed */
  STREAMS_ERR_NO_CHANNEL = 8,       /* the user has no channel yet (no announcement sent or read) */

  STREAMS_ERR_STREAM_TOO_SHORT = 16,   /* the message ends before a field */
  STREAMS_ERR_OUTPUT_NOT_FILLED = 17,  /* size-of and wrap disagree (a library bug) */
  STREAMS_ERR_INPUT_NOT_CONSUMED = 18, /* bytes left after the message */
  STREAMS_ERR_BAD_MAC = 19,            /* altered, or encrypted for another key */
  STREAMS_ERR_SIGNATURE_MISMATCH = 20,
  STREAMS_ERR_BAD_PUBLIC_KEY = 21, /* bytes that are not a curve point */
  STREAMS_ERR_KEY_CONVERSION = 22, /* Ed25519 -> X25519 failed */
  STREAMS_ERR_BAD_ONEOF = 23,      /* unknown identifier tag */
  STREAMS_ERR_LINK_NOT_FOUND = 24, /* the linked message is not in the user's link store */
  STREAMS_ERR_INVALID_VERSION = 25,
  STREAMS_ERR_INVALID_BIT_RESERVATION = 26,
  STREAMS_ERR_INVALID_FRAME_TYPE = 27,
  STREAMS_ERR_VALUE_OUT_OF_RANGE = 28,
  STREAMS_ERR_LENGTH_MISMATCH = 29,
  STREAMS_ERR_SPONGOS_NOT_COMMITTED = 30,
  STREAMS_ERR_MALFORMED_ADDRESS = 31, /* address text: not <80 hex>:<24 hex> */
  STREAMS_ERR_INVALID_ADDRESS = 32,   /* a link that is not 52 bytes */
  STREAMS_ERR_BAD_HEX = 33,
  STREAMS_ERR_NOT_REGISTERED = 34, /* the subscriber has no channel or was refused */
  STREAMS_ERR_ALREADY_REGISTERED = 35,
  STREAMS_ERR_CHANNEL_MISMATCH = 36, /* a message of another channel */
  STREAMS_ERR_NOT_ANNOUNCEMENT = 37,
  STREAMS_ERR_UNKNOWN_MESSAGE_TYPE = 38,
  STREAMS_ERR_AUTHOR_KEY_NOT_FOUND = 39,
  STREAMS_ERR_SEQ_NUM_NOT_FOUND = 40,
  STREAMS_ERR_MESSAGE_BUILD = 41,
  STREAMS_ERR_STATE_STORE = 42,
  STREAMS_ERR_PSK_ALREADY_STORED = 43,
  STREAMS_ERR_CHANNEL_DUPLICATION = 44,
  STREAMS_ERR_CHANNEL_CREATION = 45,
  STREAMS_ERR_NO_PREVIOUS_MESSAGE = 46,
  STREAMS_ERR_NOT_SINGLE_DEPTH = 47,
  STREAMS_ERR_SINGLE_DEPTH_OPERATION = 48,
  STREAMS_ERR_CAPACITY_EXCEEDED = 49,  /* a build-time capacity (links, keys, payload) is full */
  STREAMS_ERR_BAD_STATE = 50,          /* exported state: version, flag or format */
  STREAMS_ERR_MESSAGE_NOT_UNIQUE = 51, /* two messages at one link */
  STREAMS_ERR_TRANSPORT = 52,          /* the transport could not complete a request */
  STREAMS_ERR_INTERNAL = 53,
  /* device state (iota_streams/channels/device_state.h): both flash slots are empty, nothing was
   * ever saved. No call of this header returns it; device_state.h's loads report it as
   * STREAMS_DEVICE_STATE_EMPTY. */
  STREAMS_ERR_NO_DEVICE_STATE = 54
} streams_err_t;

/* A fixed text for `code` (never NULL; "unknown error code" for a value not listed above). */
const char* streams_err_message(streams_err_t code);

/* The reason of the last failure on this thread ("" if none): the kind and what and where. Kept in
 * a fixed buffer per thread (no heap); a longer text is cut. */
const char* streams_last_error(void);

/* Sizes of text forms, terminating NUL included. */
#define STREAMS_ADDRESS_STR_SIZE 106 /* <80 hex>:<24 hex> */
#define STREAMS_CHANNEL_ADDRESS_STR_SIZE 81
#define STREAMS_MSGID_STR_SIZE 25
#define STREAMS_PUBLIC_KEY_STR_SIZE 65
#define STREAMS_PSK_ID_STR_SIZE 33
#define STREAMS_INDEX_STR_SIZE 65

/* Channel types (the official `implementation` byte). */
#define STREAMS_SINGLE_BRANCH 0
#define STREAMS_MULTI_BRANCH 1
#define STREAMS_SINGLE_DEPTH 2

typedef struct streams_public_key {
  uint8_t bytes[32];
} streams_public_key_t;
typedef struct streams_psk_id {
  uint8_t bytes[16];
} streams_psk_id_t;

/* ---- addresses ---- */

typedef struct streams_address streams_address_t;
/* Returns NULL_ARGUMENT, MALFORMED_ADDRESS, NO_MEMORY. */
streams_err_t streams_address_from_string(streams_address_t** address, char const* text);
void streams_drop_address(streams_address_t const* address);
/* Returns NULL_ARGUMENT, NO_MEMORY. */
streams_err_t streams_address_copy(streams_address_t** copy, streams_address_t const* address);
bool streams_address_eq(streams_address_t const* a, streams_address_t const* b);
/* Text forms. Each returns NULL_ARGUMENT, BUFFER_TOO_SMALL.
 * "<channel>:<msgid>"; `out` holds STREAMS_ADDRESS_STR_SIZE bytes or more. */
streams_err_t streams_get_address_str(char* out, size_t out_size, streams_address_t const* address);
streams_err_t streams_get_address_inst_str(char* out, size_t out_size,
                                           streams_address_t const* address);
streams_err_t streams_get_address_id_str(char* out, size_t out_size,
                                         streams_address_t const* address);
/* Hex of the BLAKE2b-256 index under which the message is stored on the Tangle. */
streams_err_t streams_get_address_index_str(char* out, size_t out_size,
                                            streams_address_t const* address);
streams_err_t streams_public_key_to_string(char* out, size_t out_size,
                                           streams_public_key_t const* key);
streams_err_t streams_pskid_as_str(char* out, size_t out_size, streams_psk_id_t const* id);
/* Parse hex; each returns NULL_ARGUMENT, BAD_HEX (not 64 / 32 hex digits). */
streams_err_t streams_public_key_from_string(streams_public_key_t* key, char const* hex);
streams_err_t streams_pskid_from_str(streams_psk_id_t* id, char const* hex);

/* The links a send returns: the message, and in multi-branch channels its sequence message (else
 * NULL). Both are owned by the caller: streams_drop_links. */
typedef struct streams_message_links {
  streams_address_t const* msg_link;
  streams_address_t const* seq_link;
} streams_message_links_t;
void streams_drop_links(streams_message_links_t links);

/* Bytes the library allocated (exported states, received payloads): streams_drop_buffer. */
typedef struct streams_buffer {
  uint8_t const* ptr;
  size_t size;
  size_t cap;
} streams_buffer_t;
void streams_drop_buffer(streams_buffer_t buffer);

typedef struct streams_packet_payloads {
  streams_buffer_t public_payload;
  streams_buffer_t masked_payload;
} streams_packet_payloads_t;
void streams_drop_payloads(streams_packet_payloads_t payloads);

/* ---- transports ---- */

typedef struct streams_transport streams_transport_t;
/* The in-memory bucket (as in the original proof of concept); NULL if out of memory. */
streams_transport_t* streams_transport_new(void);
void streams_transport_drop(streams_transport_t* transport);
#ifdef IOTA_STREAMS_CHANNELS_CLIENT
/* A Chrysalis node's HTTP API with local PoW (hosts: libcurl; target streams_c_client).
 * Returns NULL_ARGUMENT, BAD_ARGUMENT (not a node URL), TRANSPORT (the node did not answer),
 * NO_MEMORY. */
streams_err_t streams_transport_client_new_from_url(streams_transport_t** transport,
                                                    char const* url);
#endif

/* ---- read messages ---- */

typedef enum streams_message_kind {
  STREAMS_MESSAGE_KEYLOAD = 0,
  STREAMS_MESSAGE_SIGNED_PACKET = 1,
  STREAMS_MESSAGE_TAGGED_PACKET = 2,
  STREAMS_MESSAGE_UNREADABLE =
      3 /* in the channel, but this user cannot open it (left out of a keyload) */
} streams_message_kind_t;

typedef struct streams_unwrapped_message streams_unwrapped_message_t;
typedef struct streams_unwrapped_messages streams_unwrapped_messages_t;
void streams_drop_unwrapped_message(streams_unwrapped_message_t const* message);
void streams_drop_unwrapped_messages(streams_unwrapped_messages_t const* messages);
streams_message_kind_t streams_get_message_kind(streams_unwrapped_message_t const* message);
/* The message's address (a new handle: streams_drop_address). Returns NULL_ARGUMENT, NO_MEMORY. */
streams_err_t streams_get_message_link(streams_address_t** link,
                                       streams_unwrapped_message_t const* message);
/* The signer of a signed packet; false for other kinds. */
bool streams_get_message_publisher(streams_public_key_t* publisher,
                                   streams_unwrapped_message_t const* message);
/* Views into the message (not to be dropped). */
streams_packet_payloads_t streams_get_payload(streams_unwrapped_message_t const* message);
size_t streams_get_payloads_count(streams_unwrapped_messages_t const* messages);
streams_packet_payloads_t streams_get_indexed_payload(streams_unwrapped_messages_t const* messages,
                                                      size_t index);
streams_unwrapped_message_t const* streams_get_indexed_message(
    streams_unwrapped_messages_t const* messages, size_t index);

/* What a fetch (*_fetch_next_msgs, *_sync_state) found besides the messages it hands out. Three
 * outcomes can be told apart: nothing new (no messages, refused_count 0, transport_failed false);
 * messages found at the next addresses and refused (junk, forgeries, replays; the cursors stay
 * there and streams_last_error() is not touched); and a transport that failed (transport_failed
 * true, transport_error its code, streams_last_error() why; the messages read before the failure
 * are handed out and the cursors moved past them). */
typedef struct streams_fetch_report {
  size_t refused_count; /* messages refused at the addresses read */
  bool transport_failed;
  streams_err_t
      transport_error; /* STREAMS_ERR_OK unless transport_failed (then TRANSPORT or the like) */
} streams_fetch_report_t;

/* Where each known publisher's next message will be (gen_next_msg_ids) and the cursors
 * (fetch_state). */
typedef struct streams_next_msg_ids streams_next_msg_ids_t;
void streams_drop_next_msg_ids(streams_next_msg_ids_t const* ids);
size_t streams_get_next_msg_ids_count(streams_next_msg_ids_t const* ids);
/* The identifier (public key hex, or PSK id hex) and the address of entry `index`; either output
 * may be NULL. Returns NULL_ARGUMENT, BAD_ARGUMENT (index past the end), BUFFER_TOO_SMALL,
 * NO_MEMORY. */
streams_err_t streams_get_next_msg_id(char* identifier, size_t identifier_size,
                                      streams_address_t** link, streams_next_msg_ids_t const* ids,
                                      size_t index);

typedef struct streams_user_state streams_user_state_t;
void streams_drop_user_state(streams_user_state_t const* state);
size_t streams_get_user_state_count(streams_user_state_t const* state);
/* As streams_get_next_msg_id, plus the sequence number. */
streams_err_t streams_get_user_state_entry(char* identifier, size_t identifier_size,
                                           streams_address_t** link, uint32_t* seq_no,
                                           streams_user_state_t const* state, size_t index);

/* ---- Author ---- */

typedef struct streams_author streams_author_t;
/* Returns NULL_ARGUMENT, BAD_ARGUMENT (channel type not 0-2), NO_MEMORY. */
streams_err_t streams_auth_new(streams_author_t** author, char const* seed, uint8_t implementation,
                               streams_transport_t* transport);
/* Returns NULL_ARGUMENT, BAD_ARGUMENT, NO_MEMORY, CHANNEL_CREATION (the announcement is not this
 * seed's), and the RECEIVE errors. */
streams_err_t streams_auth_recover(streams_author_t** author, char const* seed,
                                   streams_address_t const* announcement, uint8_t implementation,
                                   streams_transport_t* transport);
void streams_auth_drop(streams_author_t* author);
/* Import: NULL_ARGUMENT, WRONG_PASSWORD, BAD_STATE, STREAM_TOO_SHORT, INPUT_NOT_CONSUMED,
 * CAPACITY_EXCEEDED, VALUE_OUT_OF_RANGE, BAD_PUBLIC_KEY, NO_MEMORY. Export: NULL_ARGUMENT,
 * NO_MEMORY. */
streams_err_t streams_auth_import(streams_author_t** author, streams_buffer_t buffer,
                                  char const* password, streams_transport_t* transport);
streams_err_t streams_auth_export(streams_buffer_t* buffer, streams_author_t const* author,
                                  char const* password);
/* Returns NULL_ARGUMENT, NO_CHANNEL, BUFFER_TOO_SMALL. */
streams_err_t streams_auth_channel_address(char* out, size_t out_size,
                                           streams_author_t const* author);
/* Returns NULL_ARGUMENT, NO_CHANNEL, NO_MEMORY. */
streams_err_t streams_auth_announcement_link(streams_address_t** link,
                                             streams_author_t const* author);
/* Each returns NULL_ARGUMENT. */
streams_err_t streams_auth_is_multi_branching(uint8_t* flag, streams_author_t const* author);
streams_err_t streams_auth_get_public_key(streams_public_key_t* key,
                                          streams_author_t const* author);
/* Sends: NULL_ARGUMENT, NO_MEMORY, the SEND errors (send_keyload also BAD_ARGUMENT for an unknown
 * recipient, CHANNEL_DUPLICATION for one named twice). */
streams_err_t streams_auth_send_announce(streams_address_t** link, streams_author_t* author);
streams_err_t streams_auth_send_keyload_for_everyone(streams_message_links_t* links,
                                                     streams_author_t* author,
                                                     streams_address_t const* link_to);
streams_err_t streams_auth_send_keyload(streams_message_links_t* links, streams_author_t* author,
                                        streams_address_t const* link_to,
                                        streams_psk_id_t const* psk_ids, size_t psk_id_count,
                                        streams_public_key_t const* keys, size_t key_count);
/* Returns NULL_ARGUMENT and the RECEIVE errors. */
streams_err_t streams_auth_receive_subscribe(streams_author_t* author,
                                             streams_address_t const* link);
streams_err_t streams_auth_receive_unsubscribe(streams_author_t* author,
                                               streams_address_t const* link);
/* Returns NULL_ARGUMENT, NOT_REGISTERED (no channel yet; remove: not a subscriber),
 * ALREADY_REGISTERED, BAD_PUBLIC_KEY, CAPACITY_EXCEEDED. */
streams_err_t streams_auth_store_new_subscriber(streams_author_t* author,
                                                streams_public_key_t const* key);
streams_err_t streams_auth_remove_subscriber(streams_author_t* author,
                                             streams_public_key_t const* key);
/* Sends: NULL_ARGUMENT (also a NULL payload with a non-zero size), NO_MEMORY, the SEND errors. */
streams_err_t streams_auth_send_tagged_packet(streams_message_links_t* links,
                                              streams_author_t* author,
                                              streams_message_links_t link_to,
                                              uint8_t const* public_payload, size_t public_size,
                                              uint8_t const* masked_payload, size_t masked_size);
streams_err_t streams_auth_send_signed_packet(streams_message_links_t* links,
                                              streams_author_t* author,
                                              streams_message_links_t link_to,
                                              uint8_t const* public_payload, size_t public_size,
                                              uint8_t const* masked_payload, size_t masked_size);
/* Exactly-once sends, in two phases: prepare, save, publish. A streams_auth_prepare_* call builds
 * the message (and its sequence message), counts it as sent in the author's state and keeps its
 * bytes as pending; nothing is published. The device then saves the state (streams_auth_export, or
 * the device state of device_state.h; written and synced) and calls streams_auth_publish_pending.
 * After a crash, a lost answer or a failed publish, the saved state's pending message is delivered
 * unchanged by the next streams_auth_publish_pending (a copy already at its address counts as
 * published), never rebuilt. While a message is pending every send and prepare is refused with
 * MESSAGE_BUILD. (The streams_auth_send_* functions are the two phases without a save between: a
 * send that failed to publish leaves its message pending too.) Prepares: as the sends of the same
 * names (links are written on success; nothing reaches the transport, so no TRANSPORT error). */
streams_err_t streams_auth_prepare_announce(streams_address_t** link, streams_author_t* author);
streams_err_t streams_auth_prepare_keyload_for_everyone(streams_message_links_t* links,
                                                        streams_author_t* author,
                                                        streams_address_t const* link_to);
streams_err_t streams_auth_prepare_keyload(streams_message_links_t* links, streams_author_t* author,
                                           streams_address_t const* link_to,
                                           streams_psk_id_t const* psk_ids, size_t psk_id_count,
                                           streams_public_key_t const* keys, size_t key_count);
streams_err_t streams_auth_prepare_tagged_packet(streams_message_links_t* links,
                                                 streams_author_t* author,
                                                 streams_message_links_t link_to,
                                                 uint8_t const* public_payload, size_t public_size,
                                                 uint8_t const* masked_payload, size_t masked_size);
streams_err_t streams_auth_prepare_signed_packet(streams_message_links_t* links,
                                                 streams_author_t* author,
                                                 streams_message_links_t link_to,
                                                 uint8_t const* public_payload, size_t public_size,
                                                 uint8_t const* masked_payload, size_t masked_size);
/* *pending is true while a prepared (or failed) message waits for streams_auth_publish_pending.
 * Returns NULL_ARGUMENT. */
streams_err_t streams_auth_has_pending(bool* pending, streams_author_t const* author);
/* Delivers every pending message in order; confirmed ones leave the pending list. Nothing pending:
 * STREAMS_ERR_OK without a request. Returns NULL_ARGUMENT, TRANSPORT (or the kind the transport
 * gave; streams_last_error() names the address; what was not delivered stays pending). */
streams_err_t streams_auth_publish_pending(streams_author_t* author);
/* Receives: NULL_ARGUMENT, NO_MEMORY, the RECEIVE errors. */
streams_err_t streams_auth_receive_tagged_packet(streams_packet_payloads_t* payloads,
                                                 streams_author_t* author,
                                                 streams_address_t const* link);
streams_err_t streams_auth_receive_signed_packet(streams_packet_payloads_t* payloads,
                                                 streams_author_t* author,
                                                 streams_address_t const* link);
streams_err_t streams_auth_receive_sequence(streams_address_t** link, streams_author_t* author,
                                            streams_address_t const* sequence_link);
/* Returns NULL_ARGUMENT, NO_MEMORY. */
streams_err_t streams_auth_gen_next_msg_ids(streams_next_msg_ids_t** ids, streams_author_t* author);
/* Receives: NULL_ARGUMENT, NO_MEMORY, the RECEIVE errors (by sequence number also
 * SEQ_NUM_NOT_FOUND). */
streams_err_t streams_auth_receive_msg(streams_unwrapped_message_t** message,
                                       streams_author_t* author, streams_address_t const* link);
streams_err_t streams_auth_receive_msg_by_sequence_number(streams_unwrapped_message_t** message,
                                                          streams_author_t* author,
                                                          streams_address_t const* anchor_link,
                                                          uint32_t msg_num);
/* Fetch what is new: the next message of every known publisher, once (a message refused at a cursor
 * ends its publisher's run; nothing is returned for it). *messages is written (to be dropped) on
 * STREAMS_ERR_OK and also when the transport failed: the return is then the transport's error
 * (TRANSPORT, or the kind the transport gave), streams_last_error() says why, and *messages holds
 * what was read before the failure. Returns NULL_ARGUMENT, NO_MEMORY (nothing handed out), the
 * transport's error. The _report forms also fill *report (streams_fetch_report_t) whenever they
 * write *messages. */
streams_err_t streams_auth_fetch_next_msgs(streams_unwrapped_messages_t** messages,
                                           streams_author_t* author);
streams_err_t streams_auth_fetch_next_msgs_report(streams_unwrapped_messages_t** messages,
                                                  streams_fetch_report_t* report,
                                                  streams_author_t* author);
/* Returns NULL_ARGUMENT, NO_MEMORY, NO_PREVIOUS_MESSAGE, the RECEIVE errors. fetch_prev_msgs
 * reserves room for num_msgs messages of STREAMS_MAX_MESSAGE_BYTES: a count larger than the heap
 * can hold is NO_MEMORY, however few messages there are. */
streams_err_t streams_auth_fetch_prev_msg(streams_unwrapped_message_t** message,
                                          streams_author_t* author, streams_address_t const* link);
streams_err_t streams_auth_fetch_prev_msgs(streams_unwrapped_messages_t** messages,
                                           streams_author_t* author, streams_address_t const* link,
                                           size_t num_msgs);
/* fetch_next_msgs until nothing new (or the transport fails): as streams_auth_fetch_next_msgs.
 * With no room for another round, it stops: *messages holds what was read, the return is
 * STREAMS_ERR_NO_MEMORY, and the next call goes on after them. */
streams_err_t streams_auth_sync_state(streams_unwrapped_messages_t** messages,
                                      streams_author_t* author);
streams_err_t streams_auth_sync_state_report(streams_unwrapped_messages_t** messages,
                                             streams_fetch_report_t* report,
                                             streams_author_t* author);
/* Returns NULL_ARGUMENT, NO_MEMORY, NOT_REGISTERED (no channel yet). */
streams_err_t streams_auth_fetch_state(streams_user_state_t** state, streams_author_t* author);
/* Returns NULL_ARGUMENT, NOT_REGISTERED (no channel yet). */
streams_err_t streams_auth_reset_state(streams_author_t* author);
/* Returns NULL_ARGUMENT, NOT_REGISTERED (no channel yet; remove: not stored), PSK_ALREADY_STORED,
 * STATE_STORE (a subscriber holds one PSK), CAPACITY_EXCEEDED. */
streams_err_t streams_auth_store_psk(streams_psk_id_t* id, streams_author_t* author,
                                     char const* psk_seed);
streams_err_t streams_auth_remove_psk(streams_author_t* author, streams_psk_id_t const* id);

/* ---- Subscriber ---- */

typedef struct streams_subscriber streams_subscriber_t;
/* Returns NULL_ARGUMENT, NO_MEMORY. */
streams_err_t streams_sub_new(streams_subscriber_t** subscriber, char const* seed,
                              streams_transport_t* transport);
/* As streams_auth_import / streams_auth_export. */
streams_err_t streams_sub_import(streams_subscriber_t** subscriber, streams_buffer_t buffer,
                                 char const* password, streams_transport_t* transport);
streams_err_t streams_sub_export(streams_buffer_t* buffer, streams_subscriber_t const* subscriber,
                                 char const* password);
void streams_sub_drop(streams_subscriber_t* subscriber);
/* Returns NULL_ARGUMENT, NO_CHANNEL, BUFFER_TOO_SMALL. */
streams_err_t streams_sub_channel_address(char* out, size_t out_size,
                                          streams_subscriber_t const* subscriber);
/* Returns NULL_ARGUMENT, NO_CHANNEL, NO_MEMORY. */
streams_err_t streams_sub_announcement_link(streams_address_t** link,
                                            streams_subscriber_t const* subscriber);
/* Returns NULL_ARGUMENT. */
streams_err_t streams_sub_is_multi_branching(uint8_t* flag, streams_subscriber_t const* subscriber);
streams_err_t streams_sub_get_public_key(streams_public_key_t* key,
                                         streams_subscriber_t const* subscriber);
/* Returns NULL_ARGUMENT, NO_CHANNEL (the announcement has not been read). */
streams_err_t streams_sub_author_public_key(streams_public_key_t* key,
                                            streams_subscriber_t const* subscriber);
uint8_t streams_sub_is_registered(streams_subscriber_t const* subscriber);
void streams_sub_unregister(streams_subscriber_t* subscriber);
/* Returns NULL_ARGUMENT, ALREADY_REGISTERED, the RECEIVE errors. */
streams_err_t streams_sub_receive_announce(streams_subscriber_t* subscriber,
                                           streams_address_t const* link);
/* Sends: NULL_ARGUMENT, NO_MEMORY, the SEND errors. */
streams_err_t streams_sub_send_subscribe(streams_address_t** link, streams_subscriber_t* subscriber,
                                         streams_address_t const* announcement_link);
streams_err_t streams_sub_send_unsubscribe(streams_address_t** link,
                                           streams_subscriber_t* subscriber,
                                           streams_address_t const* subscription_link);
/* `access` is 1 when the keyload gave this subscriber the session key.
 * Returns NULL_ARGUMENT and the RECEIVE errors. */
streams_err_t streams_sub_receive_keyload(uint8_t* access, streams_subscriber_t* subscriber,
                                          streams_address_t const* link);
/* As the Author's functions of the same names. */
streams_err_t streams_sub_send_tagged_packet(streams_message_links_t* links,
                                             streams_subscriber_t* subscriber,
                                             streams_message_links_t link_to,
                                             uint8_t const* public_payload, size_t public_size,
                                             uint8_t const* masked_payload, size_t masked_size);
streams_err_t streams_sub_send_signed_packet(streams_message_links_t* links,
                                             streams_subscriber_t* subscriber,
                                             streams_message_links_t link_to,
                                             uint8_t const* public_payload, size_t public_size,
                                             uint8_t const* masked_payload, size_t masked_size);
/* Exactly-once sends, as the Author's (streams_auth_prepare_*): prepare, save (streams_sub_export
 * or the device state), streams_sub_publish_pending. Preparing a subscription to the announce of
 * the last one re-queues that same subscription (its bytes hold a random key: a rebuild would be a
 * second message). */
streams_err_t streams_sub_prepare_subscribe(streams_address_t** link,
                                            streams_subscriber_t* subscriber,
                                            streams_address_t const* announcement_link);
streams_err_t streams_sub_prepare_unsubscribe(streams_address_t** link,
                                              streams_subscriber_t* subscriber,
                                              streams_address_t const* subscription_link);
streams_err_t streams_sub_prepare_tagged_packet(streams_message_links_t* links,
                                                streams_subscriber_t* subscriber,
                                                streams_message_links_t link_to,
                                                uint8_t const* public_payload, size_t public_size,
                                                uint8_t const* masked_payload, size_t masked_size);
streams_err_t streams_sub_prepare_signed_packet(streams_message_links_t* links,
                                                streams_subscriber_t* subscriber,
                                                streams_message_links_t link_to,
                                                uint8_t const* public_payload, size_t public_size,
                                                uint8_t const* masked_payload, size_t masked_size);
streams_err_t streams_sub_has_pending(bool* pending, streams_subscriber_t const* subscriber);
streams_err_t streams_sub_publish_pending(streams_subscriber_t* subscriber);
streams_err_t streams_sub_receive_tagged_packet(streams_packet_payloads_t* payloads,
                                                streams_subscriber_t* subscriber,
                                                streams_address_t const* link);
streams_err_t streams_sub_receive_signed_packet(streams_packet_payloads_t* payloads,
                                                streams_subscriber_t* subscriber,
                                                streams_address_t const* link);
streams_err_t streams_sub_receive_sequence(streams_address_t** link,
                                           streams_subscriber_t* subscriber,
                                           streams_address_t const* sequence_link);
streams_err_t streams_sub_gen_next_msg_ids(streams_next_msg_ids_t** ids,
                                           streams_subscriber_t* subscriber);
streams_err_t streams_sub_receive_msg(streams_unwrapped_message_t** message,
                                      streams_subscriber_t* subscriber,
                                      streams_address_t const* link);
streams_err_t streams_sub_receive_msg_by_sequence_number(streams_unwrapped_message_t** message,
                                                         streams_subscriber_t* subscriber,
                                                         streams_address_t const* anchor_link,
                                                         uint32_t msg_num);
/* As the Author's: *messages is handed out also when the transport failed (the return is its
 * error). */
streams_err_t streams_sub_fetch_next_msgs(streams_unwrapped_messages_t** messages,
                                          streams_subscriber_t* subscriber);
streams_err_t streams_sub_fetch_next_msgs_report(streams_unwrapped_messages_t** messages,
                                                 streams_fetch_report_t* report,
                                                 streams_subscriber_t* subscriber);
streams_err_t streams_sub_fetch_prev_msg(streams_unwrapped_message_t** message,
                                         streams_subscriber_t* subscriber,
                                         streams_address_t const* link);
streams_err_t streams_sub_fetch_prev_msgs(streams_unwrapped_messages_t** messages,
                                          streams_subscriber_t* subscriber,
                                          streams_address_t const* link, size_t num_msgs);
streams_err_t streams_sub_sync_state(streams_unwrapped_messages_t** messages,
                                     streams_subscriber_t* subscriber);
streams_err_t streams_sub_sync_state_report(streams_unwrapped_messages_t** messages,
                                            streams_fetch_report_t* report,
                                            streams_subscriber_t* subscriber);
streams_err_t streams_sub_fetch_state(streams_user_state_t** state,
                                      streams_subscriber_t* subscriber);
streams_err_t streams_sub_reset_state(streams_subscriber_t* subscriber);
streams_err_t streams_sub_store_psk(streams_psk_id_t* id, streams_subscriber_t* subscriber,
                                    char const* psk_seed);
streams_err_t streams_sub_remove_psk(streams_subscriber_t* subscriber, streams_psk_id_t const* id);

#ifdef __cplusplus
}
#endif

#endif /* IOTA_STREAMS_CHANNELS_H */
