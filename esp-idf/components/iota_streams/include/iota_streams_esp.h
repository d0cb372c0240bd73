/* ESP-IDF glue for iota-streams-cpp: call iota_streams_esp_install() once before any other library
 * function. It routes the library's randomness to esp_fill_random (the hardware RNG), its clock to
 * esp_timer and its log lines to ESP_LOG. streams_transport_esp_node_new() creates the Chrysalis
 * node transport over esp_http_client. */
#ifndef IOTA_STREAMS_ESP_H
#define IOTA_STREAMS_ESP_H

#include "iota_streams/channels.h"

#ifdef __cplusplus
extern "C" {
#endif

void iota_streams_esp_install(void);
/* Returns STREAMS_ERR_NULL_ARGUMENT, STREAMS_ERR_BAD_ARGUMENT (not a node URL),
 * STREAMS_ERR_TRANSPORT (the node did not answer), STREAMS_ERR_NO_MEMORY. */
streams_err_t streams_transport_esp_node_new(streams_transport_t** transport, char const* url);

#ifdef __cplusplus
}
#endif

#endif
