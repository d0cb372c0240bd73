#include "iota_streams/message/address.h"

#include <algorithm>

#include "iota_streams/sponge/spongos.h"

namespace iota_streams::message {

Bytes<kAddressSize> Address::to_bytes() const {
  Bytes<kAddressSize> out;
  std::copy(channel.bytes.begin(), channel.bytes.end(), out.begin());
  std::copy(msgid.bytes.begin(), msgid.bytes.end(), out.begin() + kChannelAddressSize);
  return out;
}

Result<Address> Address::from_bytes(ByteSpan bytes) {
  if (bytes.size() != kAddressSize) {
    return STREAMS_ERROR(Errc::kInvalidAddress, "a link must be " + std::to_string(kAddressSize) +
                                                    " bytes, got " + std::to_string(bytes.size()));
  }
  Address address;
  std::copy_n(bytes.begin(), kChannelAddressSize, address.channel.bytes.begin());
  std::copy_n(bytes.begin() + kChannelAddressSize, kMsgIdSize, address.msgid.bytes.begin());
  return address;
}

std::string Address::to_string() const { return channel.to_hex() + ":" + msgid.to_hex(); }

Result<Address> Address::parse(std::string_view text) {
  std::string quoted(1, '"');
  quoted.append(text.substr(0, 120));
  quoted.append(text.size() > 120 ? "...\"" : "\"");
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return STREAMS_ERROR(Errc::kMalformedAddress,
                         "address " + quoted + " has no ':' between channel and message id");
  }
  const std::string_view channel_hex = text.substr(0, colon);
  const std::string_view msgid_hex = text.substr(colon + 1);
  Address address;
  if (channel_hex.size() != 2 * kChannelAddressSize) {
    return STREAMS_ERROR(Errc::kMalformedAddress,
                         "address " + quoted + ": the channel part must be " +
                             std::to_string(2 * kChannelAddressSize) + " hex digits, got " +
                             std::to_string(channel_hex.size()));
  }
  if (!from_hex(channel_hex, address.channel.bytes)) {
    return STREAMS_ERROR(Errc::kBadHex, "address " + quoted + ": the channel part is not hex");
  }
  if (msgid_hex.size() != 2 * kMsgIdSize) {
    return STREAMS_ERROR(Errc::kMalformedAddress,
                         "address " + quoted + ": the message id must be " +
                             std::to_string(2 * kMsgIdSize) + " hex digits, got " +
                             std::to_string(msgid_hex.size()));
  }
  if (!from_hex(msgid_hex, address.msgid.bytes)) {
    return STREAMS_ERROR(Errc::kBadHex, "address " + quoted + ": the message id is not hex");
  }
  return address;
}

ChannelAddress make_channel_address(const crypto::Ed25519PublicKey& author, uint64_t index) {
  ChannelAddress channel;
  std::copy(author.bytes.begin(), author.bytes.end(), channel.bytes.begin());
  store_be(index, MutableByteSpan(channel.bytes).subspan(crypto::kEd25519PublicKeySize));
  return channel;
}

crypto::Ed25519PublicKey channel_author(const ChannelAddress& channel) {
  crypto::Ed25519PublicKey key;
  std::copy_n(channel.bytes.begin(), key.bytes.size(), key.bytes.begin());
  return key;
}

MsgId gen_msgid(const ChannelAddress& channel, ByteSpan id_bytes, const MsgId& link,
                uint32_t branch_no, uint32_t seq_no) {
  Bytes<8> numbers;
  store_be(branch_no, MutableByteSpan(numbers).first(4));
  store_be(seq_no, MutableByteSpan(numbers).last(4));
  sponge::Spongos s;
  s.absorb(channel.bytes);
  s.absorb(id_bytes);
  s.absorb(link.bytes);
  s.absorb(numbers);
  s.commit();
  MsgId id;
  s.squeeze(id.bytes);
  return id;
}

}  // namespace iota_streams::message
