#include "iota_streams/base/error.h"

namespace iota_streams {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::kOk: return "ok";
    case Errc::kStreamTooShort: return "stream too short";
    case Errc::kOutputTooSmall: return "output buffer too small";
    case Errc::kOutputNotFilled: return "output not filled";
    case Errc::kInputNotConsumed: return "input not consumed";
    case Errc::kBadMac: return "bad MAC";
    case Errc::kSignatureMismatch: return "signature mismatch";
    case Errc::kBadPublicKey: return "bad public key";
    case Errc::kKeyConversionFailure: return "key conversion failure";
    case Errc::kBadOneof: return "bad oneof";
    case Errc::kLinkNotFound: return "link not found in store";
    case Errc::kInvalidVersion: return "invalid version";
    case Errc::kInvalidBitReservation: return "invalid bit reservation";
    case Errc::kInvalidFrameType: return "invalid frame type";
    case Errc::kValueOutOfRange: return "value out of range";
    case Errc::kLengthMismatch: return "length mismatch";
    case Errc::kSpongosNotCommitted: return "spongos not committed";
    case Errc::kMalformedAddress: return "malformed address";
    case Errc::kInvalidAddress: return "invalid address";
    case Errc::kBadHex: return "bad hex";
    case Errc::kNotRegistered: return "not registered";
    case Errc::kAlreadyRegistered: return "already registered";
    case Errc::kAppInstMismatch: return "channel mismatch";
    case Errc::kNotAnnouncement: return "not an announcement";
    case Errc::kUnknownMessageType: return "unknown message type";
    case Errc::kAuthorKeyNotFound: return "author key not found";
    case Errc::kSeqNumRetrievalFailure: return "sequence number not found";
    case Errc::kMessageBuildFailure: return "message build failure";
    case Errc::kStateStoreFailure: return "state store failure";
    case Errc::kPskAlreadyStored: return "psk already stored";
    case Errc::kChannelDuplication: return "channel duplication";
    case Errc::kChannelCreationFailure: return "channel creation failure";
    case Errc::kNoPreviousMessage: return "no previous message";
    case Errc::kChannelNotSingleDepth: return "channel not single-depth";
    case Errc::kSingleDepthOperation: return "operation not allowed in single-depth";
    case Errc::kCapacityExceeded: return "capacity exceeded";
    case Errc::kBadState: return "bad state";
    case Errc::kWrongPassword: return "wrong password";
    case Errc::kLinkNotFoundInTransport: return "link not found in transport";
    case Errc::kMessageNotUnique: return "message not unique";
    case Errc::kTransportFailure: return "transport failure";
    case Errc::kInvalidArgument: return "invalid argument";
    case Errc::kInternal: return "internal error";
  }
  return "unknown error";
}

Error& Error::prefix(std::string_view context) {
  std::string text(context);
  text += ": ";
  text += message_;
  message_ = std::move(text);
  return *this;
}

}  // namespace iota_streams
