#include "iota_streams/base/error.h"

#include <cstring>
#include <string>

namespace iota_streams {

// The values this library was built with, in the name every translation unit that includes its
// headers refers to (config.h): a program built with other values fails to link.
const int STREAMS_CONFIG_SYMBOL = 1;

std::string_view errc_name(Errc code) {
  // Every name in the order of Errc, each ended by a NUL: one table of text and no table of
  // pointers (smaller code on a device; a name is looked up only when an error is spelled).
  static constexpr char kNames[] =
      "ok\0"                                     // kOk
      "stream too short\0"                       // kStreamTooShort
      "output buffer too small\0"                // kOutputTooSmall
      "output not filled\0"                      // kOutputNotFilled
      "input not consumed\0"                     // kInputNotConsumed
      "bad MAC\0"                                // kBadMac
      "signature mismatch\0"                     // kSignatureMismatch
      "bad public key\0"                         // kBadPublicKey
      "key conversion failure\0"                 // kKeyConversionFailure
      "bad oneof\0"                              // kBadOneof
      "link not found in store\0"                // kLinkNotFound
      "invalid version\0"                        // kInvalidVersion
      "invalid bit reservation\0"                // kInvalidBitReservation
      "invalid frame type\0"                     // kInvalidFrameType
      "value out of range\0"                     // kValueOutOfRange
      "length mismatch\0"                        // kLengthMismatch
      "spongos not committed\0"                  // kSpongosNotCommitted
      "malformed address\0"                      // kMalformedAddress
      "invalid address\0"                        // kInvalidAddress
      "bad hex\0"                                // kBadHex
      "not registered\0"                         // kNotRegistered
      "already registered\0"                     // kAlreadyRegistered
      "channel mismatch\0"                       // kAppInstMismatch
      "not an announcement\0"                    // kNotAnnouncement
      "unknown message type\0"                   // kUnknownMessageType
      "author key not found\0"                   // kAuthorKeyNotFound
      "sequence number not found\0"              // kSeqNumRetrievalFailure
      "message build failure\0"                  // kMessageBuildFailure
      "state store failure\0"                    // kStateStoreFailure
      "psk already stored\0"                     // kPskAlreadyStored
      "channel duplication\0"                    // kChannelDuplication
      "channel creation failure\0"               // kChannelCreationFailure
      "no previous message\0"                    // kNoPreviousMessage
      "channel not single-depth\0"               // kChannelNotSingleDepth
      "operation not allowed in single-depth\0"  // kSingleDepthOperation
      "capacity exceeded\0"                      // kCapacityExceeded
      "bad state\0"                              // kBadState
      "wrong password\0"                         // kWrongPassword
      "no device state saved\0"                  // kNoDeviceState
      "link not found in transport\0"            // kLinkNotFoundInTransport
      "message not unique\0"                     // kMessageNotUnique
      "transport failure\0"                      // kTransportFailure
      "invalid argument\0"                       // kInvalidArgument
      "internal error\0";                        // kInternal
  const char* name = kNames;
  for (unsigned i = static_cast<unsigned>(code); i > 0; --i) {
    name += std::char_traits<char>::length(name) + 1;
    if (name >= kNames + sizeof kNames - 1) return "unknown error";
  }
  return name;
}

Error::Error(Errc code, const char* what, const char* subject, const uint8_t* msgid,
             uint32_t offset)
    : code_(code), has_text_(false), has_msgid_(msgid != nullptr) {
  parts_.what = what ? what : "";
  parts_.subject = subject;
  parts_.offset = offset;
  if (msgid) std::memcpy(parts_.msgid, msgid, kMsgIdBytes);
}

Error::Error(const Error& other) : code_(other.code_), has_text_(false) { copy_from(other); }
Error::Error(Error&& other) noexcept : code_(other.code_), has_text_(false) {
  move_from(std::move(other));
}

Error& Error::operator=(const Error& other) {
  if (this != &other) {
    destroy();
    code_ = other.code_;
    copy_from(other);
  }
  return *this;
}

Error& Error::operator=(Error&& other) noexcept {
  if (this != &other) {
    destroy();
    code_ = other.code_;
    move_from(std::move(other));
  }
  return *this;
}

Error::~Error() { destroy(); }

void Error::destroy() {
  if (has_text_) text_.~basic_string();
  has_text_ = false;
}

void Error::copy_from(const Error& other) {
  has_msgid_ = other.has_msgid_;
  if (other.has_text_) {
    new (&text_) std::string(other.text_);
  } else {
    parts_ = other.parts_;
  }
  has_text_ = other.has_text_;
}

void Error::move_from(Error&& other) {
  has_msgid_ = other.has_msgid_;
  if (other.has_text_) {
    new (&text_) std::string(std::move(other.text_));
  } else {
    parts_ = other.parts_;
  }
  has_text_ = other.has_text_;
}

const std::string& Error::message() const {
  if (has_text_) return text_;
  const Parts parts = parts_;
  static constexpr char kDigits[] = "0123456789abcdef";
  // "<subject> at message <msgid>: <what> at byte <offset>: <kind>", leaving out the parts it
  // lacks.
  std::string text;
  if (parts.subject) text += parts.subject;
  if (has_msgid_) {
    text += parts.subject ? " at message " : "message ";
    for (uint8_t b : parts.msgid) {
      text += kDigits[b >> 4];
      text += kDigits[b & 15];
    }
  }
  std::string at(parts.what);
  if (parts.offset != kNoOffset) {
    at += at.empty() ? "at byte " : " at byte ";
    at += std::to_string(parts.offset);
  }
  if (!at.empty()) {
    if (!text.empty()) text += ": ";
    text += at;
  }
  if (!text.empty()) text += ": ";
  text += errc_name(code_);
  new (const_cast<std::string*>(&text_)) std::string(std::move(text));
  has_text_ = true;
  return text_;
}

Error& Error::prefix(std::string_view context) {
  std::string text(context);
  text += ": ";
  text += message();
  text_ = std::move(text);
  return *this;
}

}  // namespace iota_streams
