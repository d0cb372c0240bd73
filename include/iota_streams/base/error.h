// Errors as values. The library never throws: every fallible call returns a Result<T> (or Result<>)
// carrying either the value or an Error, which holds a code and a message that names what was wrong
// and where (the field, the address). Tools at the host edge may turn errors into exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "iota_streams/config.h"

namespace iota_streams {

// Error kinds. The names follow the official 1.2.0 error variants where one exists
// (iota-streams-core/src/errors/error_messages.rs), so that users can map them across.
enum class Errc : uint8_t {
  kOk = 0,
  // Codec (DDML, framing)
  kStreamTooShort,         // StreamAllocationExceededIn: the message ends before a field
  kOutputTooSmall,         // StreamAllocationExceededOut: the caller's buffer is too small
  kOutputNotFilled,        // OutputStreamNotFullyConsumed: size-of and wrap disagree
  kInputNotConsumed,       // InputStreamNotFullyConsumed
  kBadMac,                 // BadMac
  kSignatureMismatch,      // SignatureMismatch
  kBadPublicKey,           // PublicKeyGenerationFailure: bytes are not a curve point
  kKeyConversionFailure,   // KeyConversionFailure: Ed25519 -> X25519
  kBadOneof,               // BadOneof: unknown identifier tag
  kLinkNotFound,           // MessageLinkNotFoundInStore
  kInvalidVersion,         // InvalidMsgVersion
  kInvalidBitReservation,  // InvalidBitReservation
  kInvalidFrameType,       // InvalidMsgType (HDF frame type)
  kValueOutOfRange,        // ValueOutOfRange / MaxSizeExceeded
  kLengthMismatch,         // LengthMismatch
  kSpongosNotCommitted,    // SpongosNotCommitted
  // Addresses and text
  kMalformedAddress,  // MalformedAddressString / InvalidChannelAddress / InvalidMsgId
  kInvalidAddress,    // InvalidMessageAddress (a link that is not 52 bytes)
  kBadHex,            // BadHexFormat
  // Channels
  kNotRegistered,           // UserNotRegistered
  kAlreadyRegistered,       // UserAlreadyRegistered
  kAppInstMismatch,         // MessageAppInstMismatch
  kNotAnnouncement,         // NotAnnouncement
  kUnknownMessageType,      // UnknownMsgType
  kAuthorKeyNotFound,       // AuthorSigKeyNotFound / AuthorExchangeKeyNotFound
  kSeqNumRetrievalFailure,  // SeqNumRetrievalFailure
  kMessageBuildFailure,     // MessageBuildFailure
  kStateStoreFailure,       // StateStoreFailure
  kPskAlreadyStored,        // PskAlreadyStored
  kChannelDuplication,      // ChannelDuplication
  kChannelCreationFailure,  // ChannelCreationFailure
  kNoPreviousMessage,       // NoPreviousMessage
  kChannelNotSingleDepth,   // ChannelNotSingleDepth
  kSingleDepthOperation,    // SingleDepthOperationFailure
  kCapacityExceeded,        // a build-time capacity (link store, key store, payload) is full
  kBadState,                // exported state: version, flag, format
  kWrongPassword,           // exported state: MAC mismatch
  kNoDeviceState,           // device state: both flash slots empty (nothing saved yet)
  // Transport
  kLinkNotFoundInTransport,  // MessageLinkNotFoundInBucket / ...InTangle
  kMessageNotUnique,         // MessageNotUnique
  kTransportFailure,         // the transport could not complete a request
  kInvalidArgument,
  kInternal,
};

// Short, stable name of an error kind (for logs and the C API).
std::string_view errc_name(Errc code);

// Static error texts. A device build with STREAMS_ERROR_TEXT=0 (config.h; CMake option
// STREAMS_ERROR_TEXT=OFF) drops the texts written with STREAMS_TEXT and keeps the code and the
// place only.
#if STREAMS_ERROR_TEXT
#define STREAMS_TEXT(literal) literal
#else
#define STREAMS_TEXT(literal) ""
#endif

class Error {
 public:
  static constexpr uint32_t kNoOffset = 0xFFFFFFFFu;
  static constexpr size_t kMsgIdBytes = 12;

  // An error whose text the caller built.
  Error(Errc code, std::string message) : code_(code), has_text_(true) {
    new (&text_) std::string(std::move(message));
  }
  // An error made without the heap: a static text (`what`), what was being read (`subject`, static,
  // or nullptr), the message's id (`msgid`: 12 bytes, or empty) and a byte offset in it (or
  // kNoOffset). The whole text, "<subject> at message <msgid hex>: <what> at byte <offset>:
  // <kind>", is built by message(), when somebody asks for it.
  Error(Errc code, const char* what, const char* subject, const uint8_t* msgid, uint32_t offset);

  Error(const Error& other);
  Error(Error&& other) noexcept;
  Error& operator=(const Error& other);
  Error& operator=(Error&& other) noexcept;
  ~Error();

  Errc code() const { return code_; }
  // The whole text (built on the first call for an error made without it).
  const std::string& message() const;
  // Whether the text exists yet (false for an error made without the heap until message() is
  // called).
  bool has_text() const { return has_text_; }

  // Adds context in front of the message: "while <what>: <message>".
  Error& prefix(std::string_view context);

 private:
  // The parts of an error made without the heap; as large as a std::string, whose place it takes.
  struct Parts {
    const char* what;
    const char* subject;
    uint32_t offset;
    uint8_t msgid[kMsgIdBytes];
  };
  void destroy();
  void copy_from(const Error& other);
  void move_from(Error&& other);

  Errc code_;
  mutable bool has_text_;
  bool has_msgid_ = false;
  union {
    mutable std::string text_;
    Parts parts_;
  };
};

// Either a value or an Error. Minimal on purpose: C++20 has no std::expected, and the library is
// built without exceptions, so accessing the wrong alternative is a programming error (it aborts).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : ok_(true) { new (&value_) T(std::move(value)); }  // NOLINT: implicit on purpose
  Result(Error error) : ok_(false) { new (&error_) Error(std::move(error)); }  // NOLINT
  Result(const Result& other) : ok_(other.ok_) {
    if (ok_)
      new (&value_) T(other.value_);
    else
      new (&error_) Error(other.error_);
  }
  Result(Result&& other) noexcept : ok_(other.ok_) {
    if (ok_)
      new (&value_) T(std::move(other.value_));
    else
      new (&error_) Error(std::move(other.error_));
  }
  Result& operator=(Result other) noexcept {
    destroy();
    ok_ = other.ok_;
    if (ok_)
      new (&value_) T(std::move(other.value_));
    else
      new (&error_) Error(std::move(other.error_));
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }

  T& value() & {
    check(true);
    return value_;
  }
  const T& value() const& {
    check(true);
    return value_;
  }
  T&& value() && {
    check(true);
    return std::move(value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    check(false);
    return error_;
  }
  Error&& error() && {
    check(false);
    return std::move(error_);
  }

 private:
  void check(bool want_value) const {
    if (ok_ != want_value) __builtin_trap();
  }
  void destroy() {
    if (ok_)
      value_.~T();
    else
      error_.~Error();
  }

  bool ok_;
  union {
    T value_;
    Error error_;
  };
};

// Result without a value: success, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    if (!error_) __builtin_trap();
    return *error_;
  }
  Error&& error() && {
    if (!error_) __builtin_trap();
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

inline Result<void> ok_result() { return {}; }

}  // namespace iota_streams

namespace iota_streams::detail {
// Never defined: named in sizeof only, so that both builds check STREAMS_ERROR_AT's `msgid` the
// same way (a name that exists, converting to const uint8_t* as Error's constructor needs).
const uint8_t* error_msgid_arg(const uint8_t* msgid);
}  // namespace iota_streams::detail

// An error whose text is put together at the call site ("... at " + link.to_string() + ...).
// With STREAMS_ERROR_TEXT=0 the text expression is not evaluated: the error keeps its code
// and, for STREAMS_ERROR_AT, the 12-byte id of the message it is about (`msgid`: const uint8_t*),
// and is made without the heap. Both builds compile every argument (the unused one inside sizeof),
// so a wrong name fails on the host too, not only in the device build. The checks are the same
// either way; only the words go.
#if STREAMS_ERROR_TEXT
#define STREAMS_ERROR(code, ...) ::iota_streams::Error((code), (__VA_ARGS__))
// The text names the message already; msgid is checked, not stored.
#define STREAMS_ERROR_AT(code, msgid, ...)                                    \
  (static_cast<void>(sizeof(::iota_streams::detail::error_msgid_arg(msgid))), \
   ::iota_streams::Error((code), (__VA_ARGS__)))
// Puts a built context in front of an error's text (Error::prefix); nothing without texts.
#define STREAMS_PREFIXED(error, ...) ((error).prefix(__VA_ARGS__))
#else
// sizeof: the text is named (its parts count as used) but never evaluated.
#define STREAMS_ERROR(code, ...)           \
  (static_cast<void>(sizeof(__VA_ARGS__)), \
   ::iota_streams::Error((code), "", nullptr, nullptr, ::iota_streams::Error::kNoOffset))
#define STREAMS_ERROR_AT(code, msgid, ...) \
  (static_cast<void>(sizeof(__VA_ARGS__)), \
   ::iota_streams::Error((code), "", nullptr, (msgid), ::iota_streams::Error::kNoOffset))
#define STREAMS_PREFIXED(error, ...) (static_cast<void>(sizeof(__VA_ARGS__)), (error))
#endif

// Propagates a failed Result<...> (or anything with ok() and error()) to the caller.
#define STREAMS_TRY(expr) STREAMS_TRY_IMPL_(expr, STREAMS_CONCAT_(streams_try_, __COUNTER__))
#define STREAMS_TRY_IMPL_(expr, name)               \
  do {                                              \
    auto name = (expr);                             \
    if (!name.ok()) return std::move(name).error(); \
  } while (0)

// Binds the value of a successful Result to `lhs`, or propagates the error.
#define STREAMS_ASSIGN_OR_RETURN(lhs, expr) \
  STREAMS_ASSIGN_OR_RETURN_IMPL_(STREAMS_CONCAT_(streams_r_, __COUNTER__), lhs, expr)
#define STREAMS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).error();        \
  lhs = std::move(tmp).value()
#define STREAMS_CONCAT_(a, b) STREAMS_CONCAT2_(a, b)
#define STREAMS_CONCAT2_(a, b) a##b
