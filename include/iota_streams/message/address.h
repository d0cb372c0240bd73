// Tangle addressing (iota-streams-app/src/transport/tangle/mod.rs): a channel address (AppInst, 40
// bytes = author Ed25519 key || channel index u64 big-endian), a 12-byte message id, the 52-byte
// address, its text form "<80 hex>:<24 hex>", message-id generation and the BLAKE2b-256 index.
#pragma once

#include <string>
#include <string_view>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/error.h"
#include "iota_streams/base/text.h"
#include "iota_streams/crypto/blake2b.h"
#include "iota_streams/crypto/ed25519.h"

namespace iota_streams::message {

inline constexpr size_t kChannelAddressSize = 40;  // APPINST_SIZE
inline constexpr size_t kMsgIdSize = 12;           // MSGID_SIZE
inline constexpr size_t kAddressSize = kChannelAddressSize + kMsgIdSize;
inline constexpr size_t kAddressTextSize = 2 * kChannelAddressSize + 1 + 2 * kMsgIdSize;  // 105
inline constexpr size_t kIndexSize = crypto::kBlake2b256Size;

struct ChannelAddress {
  Bytes<kChannelAddressSize> bytes{};
  bool operator==(const ChannelAddress&) const = default;
  std::string to_hex() const { return iota_streams::to_hex(bytes); }
};

struct MsgId {
  Bytes<kMsgIdSize> bytes{};
  bool operator==(const MsgId&) const = default;
  auto operator<=>(const MsgId&) const = default;
  std::string to_hex() const { return iota_streams::to_hex(bytes); }
};

struct Address {
  ChannelAddress channel;
  MsgId msgid;

  bool operator==(const Address&) const = default;

  Bytes<kAddressSize> to_bytes() const;
  // Exactly 52 bytes, else InvalidAddress (TangleAddress::try_from_bytes).
  static Result<Address> from_bytes(ByteSpan bytes);

  // "<channel hex>:<msgid hex>", lower case.
  std::string to_string() const;
  // Either case; exactly one ':' separating 80 and 24 hex digits. Errors name what is wrong.
  static Result<Address> parse(std::string_view text);

  // BLAKE2b-256(appinst || msgid): where the message is indexed on the Tangle.
  Bytes<kIndexSize> index() const { return crypto::blake2b_256(channel.bytes, msgid.bytes); }
};

// AppInst::new(pk, idx) = pk || u64be(idx). Author::new uses index 0.
ChannelAddress make_channel_address(const crypto::Ed25519PublicKey& author, uint64_t index = 0);
crypto::Ed25519PublicKey channel_author(const ChannelAddress& channel);

// Position of a publisher in a channel (iota-streams-app/src/message/link.rs Cursor).
struct Cursor {
  MsgId link;
  uint32_t branch_no = 0;
  uint32_t seq_no = 0;

  bool operator==(const Cursor&) const = default;
  uint64_t seq_num() const { return (static_cast<uint64_t>(branch_no) << 32) | seq_no; }
};

// gen_msgid: spongos{absorb(appinst); absorb(id); absorb(link); absorb(u32be branch); absorb(u32be
// seq); commit; squeeze 12}.
MsgId gen_msgid(const ChannelAddress& channel, ByteSpan id_bytes, const MsgId& link,
                uint32_t branch_no, uint32_t seq_no);
inline MsgId gen_msgid(const ChannelAddress& channel, ByteSpan id_bytes, const Cursor& cursor) {
  return gen_msgid(channel, id_bytes, cursor.link, cursor.branch_no, cursor.seq_no);
}

}  // namespace iota_streams::message
