/* Device state for the C API: an Author's or a Subscriber's state kept in two flash slots, sealed
 * with a 32-byte device key, so that it survives a power cut at any moment (C99; the C++ side is
 * iota_streams/channels/device_state.h, which describes the format).
 *
 * The caller implements the flash as three callbacks over two slots of `slot_size` bytes each
 * (streams_flash_t). ESP-IDF: a data partition of 2 x slot_size bytes, esp_partition_read /
 * esp_partition_erase_range / esp_partition_write, slot_size a multiple of the 4 KiB sector; the
 * key from NVS encryption or an eFuse key block.
 *
 * Handles: streams_device_state_open() gives a store that the caller frees with
 * streams_device_state_close(). The users it loads are the C API's author/subscriber handles
 * (iota_streams/channels.h), freed with their own drop functions.
 *
 * Errors: every function returns a streams_device_state_result_t; on failure the reason is
 * available from streams_device_state_last_error() until the next failing call on the same thread.
 * Out-parameters are written only on success.
 */
#ifndef IOTA_STREAMS_DEVICE_STATE_H
#define IOTA_STREAMS_DEVICE_STATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum streams_device_state_result {
  STREAMS_DEVICE_STATE_OK = 0,
  STREAMS_DEVICE_STATE_NULL_ARGUMENT, /* a required pointer or callback was NULL */
  STREAMS_DEVICE_STATE_EMPTY,         /* load: both slots are empty (nothing was ever saved) */
  STREAMS_DEVICE_STATE_DAMAGED, /* load: no slot holds a state this key opens (wrong key, damage) */
  STREAMS_DEVICE_STATE_WRONG_ROLE, /* load: the newest state is the other role's */
  STREAMS_DEVICE_STATE_TOO_LARGE, /* save: the sealed state does not fit a slot (nothing written) */
  STREAMS_DEVICE_STATE_FLASH_FAILED, /* a flash callback failed, or a slot read back other bytes */
  STREAMS_DEVICE_STATE_NO_MEMORY,    /* an allocation failed */
  STREAMS_DEVICE_STATE_FAILED,       /* anything else: see streams_device_state_last_error() */
} streams_device_state_result_t;

#define STREAMS_DEVICE_KEY_SIZE 32
#define STREAMS_DEVICE_STATE_SLOTS 2

/* Each callback returns 0 on success, anything else on failure. `slot` is 0 or 1. Erasing sets the
 * whole slot to 0xFF; writes land only in erased bytes. */
typedef struct streams_flash {
  void* context;
  size_t slot_size;
  int (*read)(void* context, unsigned slot, size_t offset, uint8_t* out, size_t size);
  int (*erase)(void* context, unsigned slot);
  int (*write)(void* context, unsigned slot, size_t offset, uint8_t const* data, size_t size);
} streams_flash_t;

typedef struct streams_device_state streams_device_state_t;

/* The C API's user handles (iota_streams/channels.h). */
struct streams_author;
struct streams_subscriber;
struct streams_transport;

/* Short, stable name of a result ("ok", "empty", ...); never NULL. */
const char* streams_device_state_result_name(streams_device_state_result_t result);
/* The reason of the last failure on this thread ("" if none). */
const char* streams_device_state_last_error(void);

/* A store over `flash` (copied; its context must outlive the store) with the device key (copied,
 * wiped on close). Reads nothing yet. Returns OK, NULL_ARGUMENT, NO_MEMORY. */
streams_device_state_result_t streams_device_state_open(streams_device_state_t** store,
                                                        streams_flash_t const* flash,
                                                        uint8_t const key[STREAMS_DEVICE_KEY_SIZE]);
void streams_device_state_close(streams_device_state_t* store);

/* Seals the user's state under the next sequence number and writes the slot that does not hold the
 * newest valid state; a power cut during the call leaves the previous state readable. Returns OK,
 * NULL_ARGUMENT, TOO_LARGE, FLASH_FAILED, NO_MEMORY, FAILED. */
streams_device_state_result_t streams_device_state_save_author(streams_device_state_t* store,
                                                               struct streams_author const* author);
streams_device_state_result_t streams_device_state_save_subscriber(
    streams_device_state_t* store, struct streams_subscriber const* subscriber);

/* The newest valid saved state as a new user on `transport` (free it with auth_drop / sub_drop).
 * Returns OK, NULL_ARGUMENT, EMPTY, DAMAGED, WRONG_ROLE, FLASH_FAILED, NO_MEMORY, FAILED. */
streams_device_state_result_t streams_device_state_load_author(struct streams_author** author,
                                                               streams_device_state_t* store,
                                                               struct streams_transport* transport);
streams_device_state_result_t streams_device_state_load_subscriber(
    struct streams_subscriber** subscriber, streams_device_state_t* store,
    struct streams_transport* transport);

/* The sequence number of the newest valid state on flash (0: none), known after a load or a save.
 */
uint32_t streams_device_state_sequence(streams_device_state_t const* store);

#ifdef __cplusplus
}
#endif

#endif /* IOTA_STREAMS_DEVICE_STATE_H */
