// The binary message frame (iota-streams-app/src/message/{hdf,pcf,version}.rs): a header (HDF), one
// payload frame (PCF), then the content, all in one DDML context from a fresh spongos.
//
// HDF, in wire order: absorb u8 encoding; absorb u8 version (must be 0); skip 2 bytes (content type
// in the high nibble, 2 reserved bits, 10-bit payload length); absorb external u8 (content_type <<
// 4); absorb u8 frame type (must be 4); skip 3 bytes (2 reserved bits, 22-bit frame count); absorb
// external the message's own address (52 bytes); absorb bytes previous link; skip u64 sequence
// number; the sender identifier (masked). PCF: absorb u8 frame type (0x0e), skip 3 bytes frame
// number (1).
//
// Not authenticated (skipped): payload length, frame count, sequence number, PCF frame number.
#pragma once

#include "iota_streams/ddml/status.h"
#include "iota_streams/message/address.h"
#include "iota_streams/message/identifier.h"

namespace iota_streams::message {

inline constexpr uint8_t kEncodingUtf8 = 0;          // version.rs UTF8
inline constexpr uint8_t kStreamsVersion = 0;        // STREAMS_1_VER
inline constexpr uint8_t kHdfFrameType = 4;          // HDF_ID
inline constexpr uint8_t kFinalPcfFrameType = 0x0e;  // FINAL_PCF_ID
inline constexpr uint16_t kMaxPayloadLength = 0x3ff;
inline constexpr uint32_t kMaxFrameCount = 0x3fffff;

struct Header {
  uint8_t encoding = kEncodingUtf8;
  uint8_t version = kStreamsVersion;
  uint8_t content_type = 0;
  uint16_t payload_length = 1;  // Channels always writes 1 (user.rs with_payload_length(1))
  uint8_t frame_type = kHdfFrameType;
  uint32_t payload_frame_count = 0;
  Address link;            // this message's own address: absorbed, never written
  ByteSpan previous_link;  // 52 bytes (appinst || msgid), or empty for an announce
  uint64_t seq_num = 0;
  Identifier sender;

  template <class Ctx>
  ddml::Status describe(Ctx& ctx);
};

struct PayloadFrame {
  uint8_t frame_type = kFinalPcfFrameType;
  uint32_t frame_num = 1;

  template <class Ctx>
  ddml::Status describe(Ctx& ctx);
};

// Rules that every message written by the official library satisfies in the fields the protocol
// does not authenticate (or that a reader without the key cannot check), so that a receiver can
// refuse a message whose bytes were altered: encoding 0, payload length 1, frame count 0, a
// previous link that is empty or a 52-byte address in the same channel, and a message id equal to
// gen_msgid(sender, previous msgid (zeros if none), branch 0, seq_num) — which pins the sequence
// number to the address (user.rs prepare_*, wrap_sequence).
Result<void> check_unauthenticated_fields(const Header& header);

template <class Ctx>
ddml::Status Header::describe(Ctx& ctx) {
  if (content_type > 0x0f || payload_length > kMaxPayloadLength ||
      payload_frame_count > kMaxFrameCount) {
    return ddml::fail(Errc::kValueOutOfRange, STREAMS_TEXT("header field"), ctx.offset());
  }
  DDML_TRY(ctx.absorb_u8(encoding));
  DDML_TRY(ddml::checked_field(
      ctx, Errc::kInvalidVersion, STREAMS_TEXT("header version"),
      [&] { return ctx.absorb_u8(version); }, [&] { return version == kStreamsVersion; }));

  Bytes<2> type_and_length = {static_cast<uint8_t>(content_type << 4 | payload_length >> 8),
                              static_cast<uint8_t>(payload_length)};
  DDML_TRY(ddml::checked_field(
      ctx, Errc::kInvalidBitReservation, STREAMS_TEXT("header content type"),
      [&] { return ctx.skip(type_and_length); }, [&] { return (type_and_length[0] & 0x0c) == 0; }));
  content_type = type_and_length[0] >> 4;
  payload_length = static_cast<uint16_t>((type_and_length[0] & 3) << 8 | type_and_length[1]);
  DDML_TRY(
      ctx.absorb_external_u8(static_cast<uint8_t>(content_type << 4)));  // authenticates the type

  DDML_TRY(ddml::checked_field(
      ctx, Errc::kInvalidFrameType, STREAMS_TEXT("header frame type"),
      [&] { return ctx.absorb_u8(frame_type); }, [&] { return frame_type == kHdfFrameType; }));
  Bytes<3> count = {static_cast<uint8_t>(payload_frame_count >> 16),
                    static_cast<uint8_t>(payload_frame_count >> 8),
                    static_cast<uint8_t>(payload_frame_count)};
  DDML_TRY(ddml::checked_field(
      ctx, Errc::kInvalidBitReservation, STREAMS_TEXT("header frame count"),
      [&] { return ctx.skip(count); }, [&] { return (count[0] & 0xc0) == 0; }));
  payload_frame_count = static_cast<uint32_t>(load_be(count));

  DDML_TRY(ctx.absorb_external(link.channel.bytes));  // binds the message to its own address
  DDML_TRY(ctx.absorb_external(link.msgid.bytes));
  DDML_TRY(ctx.absorb_bytes(previous_link));
  DDML_TRY(ctx.skip_u64(seq_num));
  return sender.describe(ctx);
}

template <class Ctx>
ddml::Status PayloadFrame::describe(Ctx& ctx) {
  DDML_TRY(ctx.absorb_u8(frame_type));  // not checked on receive (pcf.rs)
  if (frame_num > kMaxFrameCount)
    return ddml::fail(Errc::kValueOutOfRange, STREAMS_TEXT("frame number"), ctx.offset());
  Bytes<3> num = {static_cast<uint8_t>(frame_num >> 16), static_cast<uint8_t>(frame_num >> 8),
                  static_cast<uint8_t>(frame_num)};
  DDML_TRY(ddml::checked_field(
      ctx, Errc::kValueOutOfRange, STREAMS_TEXT("frame number"), [&] { return ctx.skip(num); },
      [&] { return num[0] < 0x40; }));
  frame_num = static_cast<uint32_t>(load_be(num));
  return ddml::Status::success();
}

}  // namespace iota_streams::message
