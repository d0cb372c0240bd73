/* Code carried over from the official C binding compiles against channels_compat.h unchanged (CTest
 * c_header_compat_names, compiled with -std=c99 -pedantic -Wall -Wextra -Werror, never linked). The
 * same header after lwIP's err_t must clash (CTest c_header_compat_clashes_with_lwip, -DWITH_LWIP):
 * that is why the prefixed names exist, and it shows the coexistence tests can fail. */
#ifdef WITH_LWIP
#include <stdint.h>
typedef int8_t s8_t;
typedef enum { ERR_OK = 0, ERR_MEM = -1 } err_enum_t;
typedef s8_t err_t;
#endif
#include "iota_streams/channels_compat.h"

#include <stddef.h>

int official_names(transport_t* transport);

int official_names(transport_t* transport) {
  author_t* author = NULL;
  address_t* announcement = NULL;
  message_links_t keyload = {NULL, NULL};
  err_t err = auth_new(&author, "OFFICIAL NAMES", STREAMS_MULTI_BRANCH, transport);
  if (err != ERR_OK) return (int)err;
  if ((err = auth_send_announce(&announcement, author)) == ERR_OK) {
    err = auth_send_keyload_for_everyone(&keyload, author, announcement);
  }
  if (err == ERR_NOT_FOUND || err == ERR_BAD_MAC || err == ERR_NO_MEMORY) err = ERR_BAD_ARGUMENT;
  drop_links(keyload);
  drop_address(announcement);
  auth_drop(author);
  return get_message_kind(NULL) == MESSAGE_UNREADABLE ? (int)err : -1;
}
