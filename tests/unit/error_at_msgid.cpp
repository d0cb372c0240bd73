// Compiled (never linked) by the CTests error_at_msgid_*: STREAMS_ERROR_AT compiles its `msgid`
// argument in both builds, so a wrong name or type there fails on the host, not only in the device
// build (STREAMS_ERROR_TEXT=0). GOOD: the right call, which must compile; WRONG_NAME: a name that
// does not exist; WRONG_TYPE: the id's array instead of its bytes.
#include <array>
#include <cstdint>
#include <string>

#include "iota_streams/base/error.h"

namespace {

struct Link {
  std::array<uint8_t, iota_streams::Error::kMsgIdBytes> msgid;
};

}  // namespace

iota_streams::Error error_at(const Link& link);
iota_streams::Error error_at(const Link& link) {
#if defined(GOOD)
  return STREAMS_ERROR_AT(iota_streams::Errc::kBadMac, link.msgid.data(),
                          std::string("refused: ") + "bad MAC");
#elif defined(WRONG_NAME)
  return STREAMS_ERROR_AT(iota_streams::Errc::kBadMac, link.no_such_msgid.data(),
                          std::string("refused: ") + "bad MAC");
#elif defined(WRONG_TYPE)
  return STREAMS_ERROR_AT(iota_streams::Errc::kBadMac, link.msgid,
                          std::string("refused: ") + "bad MAC");
#else
#error "define GOOD, WRONG_NAME or WRONG_TYPE"
#endif
}
