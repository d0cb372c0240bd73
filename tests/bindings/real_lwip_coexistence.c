/* The public C headers after lwIP's own lwip/err.h (Debian's liblwip-dev, lwIP 2.1.3: its ERR_OK
 * enum and `typedef s8_t err_t`, the same as ESP-IDF's esp-lwip). Compiled, never linked, by the
 * CTests c_header_real_lwip_*. lwIP's unix port needs the POSIX limits (-D_DEFAULT_SOURCE) for
 * ssize_t. */
#include "lwip/err.h"

#include "iota_streams/channels.h"
#include "iota_streams_esp.h"

#ifdef __cplusplus
extern "C" {
#endif
int lwip_err_beside_streams_err(err_t lwip_result);
#ifdef __cplusplus
}
#endif

int lwip_err_beside_streams_err(err_t lwip_result) {
  const streams_err_t streams_result =
      lwip_result == ERR_OK ? STREAMS_ERR_OK : STREAMS_ERR_TRANSPORT;
  return streams_result == STREAMS_ERR_OK ? (int)ERR_OK : (int)ERR_CONN;
}
