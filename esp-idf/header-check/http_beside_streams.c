/* ESP-IDF's HTTP client header (which brings lwIP's err_t and ERR_OK) and the C API in one
 * translation unit: what made esp_http.cpp fail before the C names were prefixed
 * (scripts/check-esp-idf-headers.sh). */
#include "esp_http_client.h"
#include "iota_streams_esp.h"

int http_and_streams(void);
int http_and_streams(void) {
  err_t lwip = ERR_OK;
  streams_err_t streams = STREAMS_ERR_OK;
  esp_http_client_config_t config = {0};
  config.url = "http://localhost";
  return (int)lwip + (int)streams + (config.url != 0);
}
