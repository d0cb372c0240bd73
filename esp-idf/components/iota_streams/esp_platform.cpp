// Platform hooks on ESP-IDF: the hardware RNG, esp_timer, ESP_LOG.
#include <esp_log.h>
#include <esp_random.h>
#include <esp_timer.h>

#include "iota_streams/base/platform.h"
#include "iota_streams_esp.h"

namespace {

void random_bytes(uint8_t* out, size_t size) { esp_fill_random(out, size); }
uint64_t now_us() { return static_cast<uint64_t>(esp_timer_get_time()); }
void log_line(const char* line) { ESP_LOGI("iota_streams", "%s", line); }

}  // namespace

extern "C" void iota_streams_esp_install(void) {
  iota_streams::platform::install({random_bytes, now_us, log_line});
}
