// Wrapping and unwrapping a whole binary message: header, payload frame and a content described
// once (a type with `template <class Ctx> ddml::Status describe(Ctx&)`), in one DDML context. After
// the content the spongos is committed; its 32-byte inner state is what the link store keeps for
// the message (iota-streams-app/src/message/{prepared,preparsed,wrapped,unwrapped}.rs).
#pragma once

#include "iota_streams/base/error.h"
#include "iota_streams/ddml/sizeof_context.h"
#include "iota_streams/ddml/unwrap_context.h"
#include "iota_streams/ddml/wrap_context.h"
#include "iota_streams/message/content_type.h"
#include "iota_streams/message/header.h"

namespace iota_streams::message {

// Size in bytes of the message (the size-of pass); the caller provides a buffer of this size to
// wrap().
template <class Content>
Result<size_t> measure(Header& header, Content& content) {
  ddml::SizeofContext ctx;
  PayloadFrame frame;
  ddml::Status status = header.describe(ctx);
  if (status.ok()) status = frame.describe(ctx);
  if (status.ok()) status = content.describe(ctx);
  if (!status.ok()) return ddml::to_error(status);
  return ctx.size();
}

struct WrapOutcome {
  size_t size = 0;
  sponge::Inner inner{};  // state after the final commit
};

// Writes the message into `out`, which must be exactly measure() bytes.
template <class Content>
Result<WrapOutcome> wrap(Header& header, Content& content, MutableByteSpan out) {
  ddml::WrapContext ctx(out);
  PayloadFrame frame;
  ddml::Status status = header.describe(ctx);
  if (status.ok()) status = frame.describe(ctx);
  if (status.ok()) status = content.describe(ctx);
  if (!status.ok()) return ddml::to_error(status);
  if (ctx.offset() != out.size()) {
    return Error(Errc::kOutputNotFilled, "wrap wrote " + std::to_string(ctx.offset()) + " of " +
                                             std::to_string(out.size()) + " bytes");
  }
  WrapOutcome outcome;
  outcome.size = ctx.offset();
  ctx.spongos().commit();
  (void)ctx.spongos().to_inner(outcome.inner);
  return outcome;
}

// A message whose header has been read (BinaryMessage::parse_header): the header fields, and the
// live context positioned at the payload frame. The bytes are the caller's; masked fields are
// decrypted in place when the content is unwrapped.
enum class Strictness {
  kStrict,   // also refuse messages whose unauthenticated fields break the official writer's rules
  kLenient,  // accept what the official reader accepts (for inspection tools)
};

class Preparsed {
 public:
  // `link` is the address the message was fetched from: it is absorbed, so a message moved to
  // another address fails its signature or MAC.
  static Result<Preparsed> parse(MutableByteSpan bytes, const Address& link,
                                 Strictness strictness = Strictness::kStrict);

  const Header& header() const { return header_; }
  ContentType content_type() const { return static_cast<ContentType>(header_.content_type); }
  size_t header_size() const { return ctx_.offset(); }

  // Reads the payload frame and the content; trailing bytes are ignored (preparsed.rs). On success
  // `inner` is the state after the final commit; on failure the status says what and where, and
  // whatever was decrypted in place is wiped: a message refused for its signature or MAC leaves no
  // plaintext in the caller's buffer.
  template <class Content>
  ddml::Status unwrap_content(Content& content, sponge::Inner& inner) {
    const ddml::Status status = read_content(content, inner);
    if (!status.ok()) ctx_.wipe_plaintext();
    return status;
  }

  template <class Content>
  Result<sponge::Inner> unwrap(Content& content) {
    sponge::Inner inner;
    const ddml::Status status = unwrap_content(content, inner);
    if (!status.ok()) return ddml::to_error(status);
    return inner;
  }

  // The masked bytes decrypted in place in the caller's buffer, and their wipe: for a caller that
  // refuses a message after it unwrapped, or that has copied what it needs.
  ByteSpan plaintext() const { return ctx_.plaintext(); }
  void wipe_plaintext() { ctx_.wipe_plaintext(); }

 private:
  Preparsed(MutableByteSpan bytes, Strictness strictness) : ctx_(bytes), strictness_(strictness) {}

  template <class Content>
  ddml::Status read_content(Content& content, sponge::Inner& inner) {
    PayloadFrame frame;
    DDML_TRY(ddml::checked_field(
        ctx_, Errc::kValueOutOfRange,
        "payload frame (the official writer uses type 0x0e, number 1)",
        [&] { return frame.describe(ctx_); },
        [&] {
          return strictness_ == Strictness::kLenient ||
                 (frame.frame_type == kFinalPcfFrameType && frame.frame_num == 1);
        }));
    DDML_TRY(content.describe(ctx_));
    ctx_.spongos().commit();
    (void)ctx_.spongos().to_inner(inner);
    return ddml::Status::success();
  }

  ddml::UnwrapContext ctx_;
  Header header_;
  Strictness strictness_;
};

}  // namespace iota_streams::message
