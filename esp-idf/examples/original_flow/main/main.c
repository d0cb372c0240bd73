/* The seed proof of concept's main/main.c, redone on the C API: seeds from the hardware RNG, then
 * the original flow (author and subscriber over the in-memory bucket), printed step by step; then
 * an author kept in flash across reboots (device_state.c): the first boot saves it and restarts the
 * chip, every later boot restores it, publishes and saves again. */
#include <stdio.h>

#include "device_state_example.h"
#include "esp_random.h"
#include "esp_system.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "iota_streams_esp.h"
#include "original_flow.h"

static void random_seed(char out[65]) {
  uint8_t bytes[32];
  esp_fill_random(bytes, sizeof bytes);
  for (int i = 0; i < 32; ++i) sprintf(out + 2 * i, "%02x", bytes[i]);
}

void app_main(void) {
  iota_streams_esp_install();
  char author_seed[65], subscriber_seed[65];
  random_seed(author_seed);
  random_seed(subscriber_seed);
  printf("iota-streams-cpp original flow, free heap %u bytes\n",
         (unsigned)esp_get_free_heap_size());
  const int status = streams_original_flow(author_seed, subscriber_seed);
  printf("%s; stack high-water mark: %u bytes unused\n",
         status == 0 ? "flow completed" : "flow FAILED",
         (unsigned)uxTaskGetStackHighWaterMark(NULL));
  if (device_state_example() == 1) {
    vTaskDelay(pdMS_TO_TICKS(1000));
    esp_restart(); /* the next boot restores the author from flash */
  }
}
