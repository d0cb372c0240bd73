// Wrapping and unwrapping a whole binary message: header, payload frame and a content described
// once (a type with `template <class Ctx> ddml::Status describe(Ctx&)`), in one DDML context. After
// the content the spongos is committed; its 32-byte inner state is what the link store keeps for
// the message (iota-streams-app/src/message/{prepared,preparsed,wrapped,unwrapped}.rs).
#pragma once

#include <type_traits>

#include "iota_streams/base/error.h"
#include "iota_streams/ddml/sizeof_context.h"
#include "iota_streams/ddml/unwrap_context.h"
#include "iota_streams/ddml/wrap_context.h"
#include "iota_streams/message/content_type.h"
#include "iota_streams/message/header.h"

namespace iota_streams::message {

// One content's description in one DDML context, its type erased: the bodies of measure, wrap and
// unwrap_content around the content (header, payload frame, size check, final commit) exist once in
// an image, not once per message type; only the content's own describe() is per type.
template <class Ctx>
class Described {
 public:
  template <class Content>
  requires(!std::is_same_v<std::remove_cv_t<Content>, Described>) explicit Described(
      Content& content)
      : content_(&content),
        describe_([](void* c, Ctx& ctx) { return static_cast<Content*>(c)->describe(ctx); }) {}
  ddml::Status operator()(Ctx& ctx) const { return describe_(content_, ctx); }

 private:
  void* content_;
  ddml::Status (*describe_)(void*, Ctx&);
};

struct WrapOutcome {
  size_t size = 0;
  sponge::Inner inner{};  // state after the final commit
};

Result<size_t> measure_described(Header& header, Described<ddml::SizeofContext> content);
Result<WrapOutcome> wrap_described(Header& header, Described<ddml::WrapContext> content,
                                   MutableByteSpan out);

// Size in bytes of the message (the size-of pass); the caller provides a buffer of this size to
// wrap().
template <class Content>
Result<size_t> measure(Header& header, Content& content) {
  return measure_described(header, Described<ddml::SizeofContext>(content));
}

// Writes the message into `out`, which must be exactly measure() bytes.
template <class Content>
Result<WrapOutcome> wrap(Header& header, Content& content, MutableByteSpan out) {
  return wrap_described(header, Described<ddml::WrapContext>(content), out);
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
    const ddml::Status status = unwrap_described(Described<ddml::UnwrapContext>(content), inner);
    if (!status.ok()) ctx_.wipe_plaintext();
    return status;
  }
  ddml::Status unwrap_described(Described<ddml::UnwrapContext> content, sponge::Inner& inner);

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

  ddml::UnwrapContext ctx_;
  Header header_;
  Strictness strictness_;
};

}  // namespace iota_streams::message
