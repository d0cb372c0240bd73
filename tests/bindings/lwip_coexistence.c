/* The public C headers in one translation unit with lwIP's error declarations, as an ESP-IDF app
 * sees them when esp_http_client.h (or any network header) comes first. lwIP 2.x (lwip/err.h,
 * ESP-IDF's esp-lwip) has an enum of ERR_* and `typedef s8_t err_t`; lwIP 1.4 had ERR_* as macros
 * (-DLWIP_ERR_AS_MACROS). Compiled, never linked, by the CTests c_header_lwip_*: as C99 and C11
 * with -pedantic, and as C++20, all with -Wall -Wextra -Werror. */
#include <stdint.h>

typedef int8_t s8_t;
#ifdef LWIP_ERR_AS_MACROS
#define ERR_OK 0
#define ERR_MEM -1
#define ERR_ARG -14
#else
typedef enum {
  ERR_OK = 0,
  ERR_MEM = -1,
  ERR_BUF = -2,
  ERR_TIMEOUT = -3,
  ERR_RTE = -4,
  ERR_INPROGRESS = -5,
  ERR_VAL = -6,
  ERR_WOULDBLOCK = -7,
  ERR_USE = -8,
  ERR_ALREADY = -9,
  ERR_ISCONN = -10,
  ERR_CONN = -11,
  ERR_IF = -12,
  ERR_ABRT = -13,
  ERR_RST = -14,
  ERR_CLSD = -15,
  ERR_ARG = -16
} err_enum_t;
#endif
typedef s8_t err_t;

#include "iota_streams/channels.h"
#include "iota_streams_esp.h"

#ifdef __cplusplus
extern "C" {
#endif
int lwip_and_streams_together(err_t lwip_result, streams_transport_t* transport);
#ifdef __cplusplus
}
#endif

/* Both error types in one function: each keeps its own names and values. */
int lwip_and_streams_together(err_t lwip_result, streams_transport_t* transport) {
  streams_author_t* author = NULL;
  streams_err_t streams_result = STREAMS_ERR_OK;
  if (lwip_result != ERR_OK) return (int)ERR_MEM;
  streams_result = streams_auth_new(&author, "SEED", STREAMS_SINGLE_BRANCH, transport);
  if (streams_result != STREAMS_ERR_OK) return (int)streams_result;
  streams_auth_drop(author);
  return streams_err_message(STREAMS_ERR_NO_MEMORY)[0] != '\0' ? (int)STREAMS_ERR_OK : (int)ERR_ARG;
}
