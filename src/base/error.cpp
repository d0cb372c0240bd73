#include "iota_streams/base/error.h"

#include <cstring>
#include <string>

namespace iota_streams {

// The values this library was built with, in the name every translation unit that includes its
// headers refers to (config.h): a program built with other values fails to link.
const int STREAMS_CONFIG_SYMBOL = 1;

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::kOk:
      return "ok";
    case Errc::kStreamTooShort:
      return "stream too short";
    case Errc::kOutputTooSmall:
      return "output buffer too small";
    case Errc::kOutputNotFilled:
      return "output not filled";
    case Errc::kInputNotConsumed:
      return "input not consumed";
    case Errc::kBadMac:
      return "bad MAC";
    case Errc::kSignatureMismatch:
      return "signature mismatch";
    case Errc::kBadPublicKey:
      return "bad public key";
    case Errc::kKeyConversionFailure:
      return "key conversion failure";
    case Errc::kBadOneof:
      return "bad oneof";
    case Errc::kLinkNotFound:
      return "link not found in store";
    case Errc::kInvalidVersion:
      return "invalid version";
    case Errc::kInvalidBitReservation:
      return "invalid bit reservation";
    case Errc::kInvalidFrameType:
      return "invalid frame type";
    case Errc::kValueOutOfRange:
      return "value out of range";
    case Errc::kLengthMismatch:
      return "length mismatch";
    case Errc::kSpongosNotCommitted:
      return "spongos not committed";
    case Errc::kMalformedAddress:
      return "malformed address";
    case Errc::kInvalidAddress:
      return "invalid address";
    case Errc::kBadHex:
      return "bad hex";
    case Errc::kNotRegistered:
      return "not registered";
    case Errc::kAlreadyRegistered:
      return "already registered";
    case Errc::kAppInstMismatch:
      return "channel mismatch";
    case Errc::kNotAnnouncement:
      return "not an announcement";
    case Errc::kUnknownMessageType:
      return "unknown message type";
    case Errc::kAuthorKeyNotFound:
      return "author key not found";
    case Errc::kSeqNumRetrievalFailure:
      return "sequence number not found";
    case Errc::kMessageBuildFailure:
      return "message build failure";
    case Errc::kStateStoreFailure:
      return "state store failure";
    case Errc::kPskAlreadyStored:
      return "psk already stored";
    case Errc::kChannelDuplication:
      return "channel duplication";
    case Errc::kChannelCreationFailure:
      return "channel creation failure";
    case Errc::kNoPreviousMessage:
      return "no previous message";
    case Errc::kChannelNotSingleDepth:
      return "channel not single-depth";
    case Errc::kSingleDepthOperation:
      return "operation not allowed in single-depth";
    case Errc::kCapacityExceeded:
      return "capacity exceeded";
    case Errc::kBadState:
      return "bad state";
    case Errc::kWrongPassword:
      return "wrong password";
    case Errc::kLinkNotFoundInTransport:
      return "link not found in transport";
    case Errc::kMessageNotUnique:
      return "message not unique";
    case Errc::kTransportFailure:
      return "transport failure";
    case Errc::kInvalidArgument:
      return "invalid argument";
    case Errc::kInternal:
      return "internal error";
  }
  return "unknown error";
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
