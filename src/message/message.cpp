#include "iota_streams/message/message.h"

#include "iota_streams/message/content_type.h"

#include <cstdint>

namespace iota_streams::message {

std::string_view content_type_name(uint8_t code) {
  switch (code) {
    case 0:
      return "announce";
    case 1:
      return "keyload";
    case 2:
      return "sequence";
    case 3:
      return "signed packet";
    case 4:
      return "tagged packet";
    case 5:
      return "subscribe";
    case 6:
      return "unsubscribe";
    default:
      return "unknown";
  }
}

Result<void> check_unauthenticated_fields(const Header& header) {
  // Spelled only when a check fails (and only in builds with error texts).
  [[maybe_unused]] const auto where = [&] {
    return std::string(content_type_name(header.content_type)) + " at " + header.link.to_string();
  };
  if (header.encoding != kEncodingUtf8) {
    return STREAMS_ERROR(Errc::kValueOutOfRange, "header of " + where() + " has encoding " +
                                                     std::to_string(header.encoding) +
                                                     "; the official writer uses 0");
  }
  if (header.payload_length != 1) {
    return STREAMS_ERROR(Errc::kValueOutOfRange, "header of " + where() + " has payload length " +
                                                     std::to_string(header.payload_length) +
                                                     "; the official writer uses 1");
  }
  if (header.payload_frame_count != 0) {
    return STREAMS_ERROR(Errc::kValueOutOfRange, "header of " + where() + " has frame count " +
                                                     std::to_string(header.payload_frame_count) +
                                                     "; the official writer uses 0");
  }
  MsgId previous{};
  if (!header.previous_link.empty()) {
    STREAMS_ASSIGN_OR_RETURN(const Address prev, Address::from_bytes(header.previous_link));
    if (prev.channel != header.link.channel) {
      return STREAMS_ERROR(
          Errc::kAppInstMismatch,
          "header of " + where() + " links to another channel: " + prev.to_string());
    }
    previous = prev.msgid;
  }
  const MsgId implied = header.seq_num > UINT32_MAX
                            ? MsgId{}
                            : gen_msgid(header.link.channel, header.sender.bytes(), previous, 0,
                                        static_cast<uint32_t>(header.seq_num));
  if (header.seq_num > UINT32_MAX || implied != header.link.msgid) {
    return STREAMS_ERROR(Errc::kInvalidAddress,
                         "header of " + where() + ": sender " + header.sender.to_hex() +
                             ", link and sequence number " + std::to_string(header.seq_num) +
                             " do not give this message id");
  }
  return {};
}

Result<size_t> measure_described(Header& header, Described<ddml::SizeofContext> content) {
  ddml::SizeofContext ctx;
  PayloadFrame frame;
  ddml::Status status = header.describe(ctx);
  if (status.ok()) status = frame.describe(ctx);
  if (status.ok()) status = content(ctx);
  if (!status.ok()) return ddml::to_error(status);
  return ctx.size();
}

Result<WrapOutcome> wrap_described(Header& header, Described<ddml::WrapContext> content,
                                   MutableByteSpan out) {
  ddml::WrapContext ctx(out);
  PayloadFrame frame;
  ddml::Status status = header.describe(ctx);
  if (status.ok()) status = frame.describe(ctx);
  if (status.ok()) status = content(ctx);
  if (!status.ok()) return ddml::to_error(status);
  if (ctx.offset() != out.size()) {
    return STREAMS_ERROR(Errc::kOutputNotFilled, "wrap wrote " + std::to_string(ctx.offset()) +
                                                     " of " + std::to_string(out.size()) +
                                                     " bytes");
  }
  WrapOutcome outcome;
  outcome.size = ctx.offset();
  ctx.spongos().commit();
  (void)ctx.spongos().to_inner(outcome.inner);
  return outcome;
}

ddml::Status Preparsed::unwrap_described(Described<ddml::UnwrapContext> content,
                                         sponge::Inner& inner) {
  PayloadFrame frame;
  DDML_TRY(ddml::checked_field(
      ctx_, Errc::kValueOutOfRange,
      STREAMS_TEXT("payload frame (the official writer uses type 0x0e, number 1)"),
      [&] { return frame.describe(ctx_); },
      [&] {
        return strictness_ == Strictness::kLenient ||
               (frame.frame_type == kFinalPcfFrameType && frame.frame_num == 1);
      }));
  DDML_TRY(content(ctx_));
  ctx_.spongos().commit();
  (void)ctx_.spongos().to_inner(inner);
  return ddml::Status::success();
}

Result<Preparsed> Preparsed::parse(MutableByteSpan bytes, const Address& link,
                                   Strictness strictness) {
  Preparsed preparsed(bytes, strictness);
  preparsed.header_.link = link;
  ddml::Status status = preparsed.header_.describe(preparsed.ctx_);
  if (!status.ok()) {  // no heap: the text is built if asked for
    return Error(status.code, status.what, "header", link.msgid.bytes.data(),
                 static_cast<uint32_t>(status.offset));
  }
  if (strictness == Strictness::kStrict)
    STREAMS_TRY(check_unauthenticated_fields(preparsed.header_));
  return preparsed;
}

}  // namespace iota_streams::message
