/* The example's device state: an author whose state lives in the "streams_state" flash partition
 * (partitions.csv: two 4 KiB slots), sealed with a 32-byte device key kept in NVS (encrypted there
 * when the project enables NVS encryption). First boot: the author announces its channel, saves its
 * state and restarts the chip. Every later boot: the author comes back from flash, publishes one
 * signed packet linked to its announcement, and saves again; the sequence number of the state it
 * restored is printed, one higher on each boot. */
#include "device_state_example.h"

#include <stdio.h>
#include <string.h>

#include "esp_partition.h"
#include "esp_random.h"
#include "esp_system.h"
#include "iota_streams/channels.h"
#include "iota_streams/device_state.h"
#include "nvs.h"
#include "nvs_flash.h"

#define SLOT_SIZE 4096 /* one flash sector per slot: a slot is erased alone */

static int flash_read(void* context, unsigned slot, size_t offset, uint8_t* out, size_t size) {
  return esp_partition_read((const esp_partition_t*)context, slot * SLOT_SIZE + offset, out,
                            size) == ESP_OK
             ? 0
             : -1;
}

static int flash_erase(void* context, unsigned slot) {
  return esp_partition_erase_range((const esp_partition_t*)context, slot * SLOT_SIZE, SLOT_SIZE) ==
                 ESP_OK
             ? 0
             : -1;
}

static int flash_write(void* context, unsigned slot, size_t offset, const uint8_t* data,
                       size_t size) {
  return esp_partition_write((const esp_partition_t*)context, slot * SLOT_SIZE + offset, data,
                             size) == ESP_OK
             ? 0
             : -1;
}

/* The device key: made once from the hardware RNG and kept in NVS. */
static int device_key(uint8_t key[STREAMS_DEVICE_KEY_SIZE]) {
  esp_err_t status = nvs_flash_init();
  if (status == ESP_ERR_NVS_NO_FREE_PAGES || status == ESP_ERR_NVS_NEW_VERSION_FOUND) {
    nvs_flash_erase();
    status = nvs_flash_init();
  }
  nvs_handle_t nvs;
  if (status != ESP_OK || nvs_open("iota_streams", NVS_READWRITE, &nvs) != ESP_OK) return -1;
  size_t size = STREAMS_DEVICE_KEY_SIZE;
  status = nvs_get_blob(nvs, "device_key", key, &size);
  if (status == ESP_ERR_NVS_NOT_FOUND) {
    esp_fill_random(key, STREAMS_DEVICE_KEY_SIZE);
    status = nvs_set_blob(nvs, "device_key", key, STREAMS_DEVICE_KEY_SIZE);
    if (status == ESP_OK) status = nvs_commit(nvs);
  } else if (status == ESP_OK && size != STREAMS_DEVICE_KEY_SIZE) {
    status = ESP_FAIL;
  }
  nvs_close(nvs);
  return status == ESP_OK ? 0 : -1;
}

static int fail(const char* what, streams_device_state_result_t result) {
  printf("device state: %s failed: %s (%s)\n", what, streams_device_state_result_name(result),
         streams_device_state_last_error());
  return -1;
}

int device_state_example(void) {
  const esp_partition_t* partition =
      esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, "streams_state");
  uint8_t key[STREAMS_DEVICE_KEY_SIZE];
  if (partition == NULL || partition->size < STREAMS_DEVICE_STATE_SLOTS * SLOT_SIZE ||
      device_key(key) != 0) {
    printf("device state: no streams_state partition or no device key\n");
    return -1;
  }
  const streams_flash_t flash = {(void*)partition, SLOT_SIZE, flash_read, flash_erase, flash_write};
  streams_device_state_t* store = NULL;
  streams_device_state_result_t result = streams_device_state_open(&store, &flash, key);
  memset(key, 0, sizeof key);
  if (result != STREAMS_DEVICE_STATE_OK) return fail("open", result);

  streams_transport_t* transport = streams_transport_new();
  streams_author_t* author = NULL;
  int status = -1;
  result = streams_device_state_load_author(&author, store, transport);
  if (result == STREAMS_DEVICE_STATE_EMPTY) {
    /* First boot: a new channel. */
    char seed[65];
    uint8_t bytes[32];
    esp_fill_random(bytes, sizeof bytes);
    for (int i = 0; i < 32; ++i) sprintf(seed + 2 * i, "%02x", bytes[i]);
    streams_address_t* announcement = NULL;
    if (streams_auth_new(&author, seed, STREAMS_SINGLE_BRANCH, transport) != STREAMS_ERR_OK ||
        streams_auth_send_announce(&announcement, author) != STREAMS_ERR_OK) {
      printf("device state: the new author could not announce: %s\n", streams_last_error());
      goto done;
    }
    streams_drop_address(announcement);
    result = streams_device_state_save_author(store, author);
    if (result != STREAMS_DEVICE_STATE_OK) {
      fail("save", result);
      goto done;
    }
    printf("device state: new channel announced, state #%u saved; restarting\n",
           (unsigned)streams_device_state_sequence(store));
    status = 1; /* the caller restarts the chip */
    goto done;
  }
  if (result != STREAMS_DEVICE_STATE_OK) {
    fail("restore", result);
    goto done;
  }
  char channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE];
  streams_auth_channel_address(channel, sizeof channel, author);
  printf("device state: author of channel %s restored from state #%u\n", channel,
         (unsigned)streams_device_state_sequence(store));
  streams_address_t* announcement = NULL;
  streams_message_links_t sent = {NULL, NULL};
  const uint8_t payload[] = "published after a reboot";
  if (streams_auth_announcement_link(&announcement, author) == STREAMS_ERR_OK) {
    const streams_message_links_t link_to = {announcement, NULL};
    if (streams_auth_send_signed_packet(&sent, author, link_to, payload, sizeof payload - 1,
                                        payload, sizeof payload - 1) == STREAMS_ERR_OK) {
      streams_drop_links(sent);
      status = 0;
    }
    streams_drop_address(announcement);
  }
  if (status != 0)
    printf("device state: the restored author could not publish: %s\n", streams_last_error());
  result = streams_device_state_save_author(store, author);
  if (result != STREAMS_DEVICE_STATE_OK)
    status = fail("save", result);
  else
    printf("device state: state #%u saved\n", (unsigned)streams_device_state_sequence(store));

done:
  if (author) streams_auth_drop(author);
  streams_transport_drop(transport);
  streams_device_state_close(store);
  return status;
}
