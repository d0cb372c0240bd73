// Channel-level value types: channel types, link-store tags, and what sending and receiving return.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/crypto/ed25519.h"
#include "iota_streams/message/address.h"
#include "iota_streams/message/identifier.h"

namespace iota_streams::channels {

using message::Address;
using message::Cursor;
using message::Identifier;
using message::MsgId;

// ChannelType and the announce flags byte (api/user.rs User::gen).
enum class ChannelType : uint8_t { kSingleBranch = 0, kMultiBranch = 1, kSingleDepth = 2 };

std::string_view channel_type_name(ChannelType type);
// "single-branch", "multi-branch", "single-depth" (also "0", "1", "2").
std::optional<ChannelType> parse_channel_type(std::string_view text);

// What the link store remembers about each message (api/tangle/msginfo.rs; codes used in exported state).
enum class MsgInfo : uint8_t {
  kAnnounce = 0,
  kKeyload = 1,
  kSignedPacket = 2,
  kTaggedPacket = 3,
  kSubscribe = 4,
  kUnsubscribe = 5,
  kSequence = 6,
};

// Reserved cursor numbers (api/user.rs): 0 announce and subscribe, 1 sequence; a publisher's first
// message uses 2.
inline constexpr uint32_t kAnnounceSeqNo = 0;
inline constexpr uint32_t kSubscribeSeqNo = 0;
inline constexpr uint32_t kSequenceSeqNo = 1;
inline constexpr uint32_t kFirstSeqNo = 2;

// What a sequenced send returns: the message, and in a multi-branch channel its sequence message.
struct MessageLinks {
  Address msg_link;
  std::optional<Address> seq_link;
};

// A message read from a channel (UnwrappedMessage / MessageContent of the official API).
struct UnwrappedMessage {
  enum class Kind {
    kKeyload,       // a keyload (whether or not this user could open it)
    kSignedPacket,
    kTaggedPacket,
    kUnreadable,    // found, but this user has no access to it
  };
  Address link;
  std::optional<Address> prev_link;
  Kind kind = Kind::kUnreadable;
  std::optional<crypto::Ed25519PublicKey> publisher;  // signed packets
  std::vector<uint8_t> public_payload;
  std::vector<uint8_t> masked_payload;
  bool has_access = false;  // keyloads: whether this user got the session key
};

std::string_view kind_name(UnwrappedMessage::Kind kind);

// A signed packet as receive_signed_packet returns it.
struct SignedPayloads {
  crypto::Ed25519PublicKey publisher;
  std::vector<uint8_t> public_payload;
  std::vector<uint8_t> masked_payload;
};

struct TaggedPayloads {
  std::vector<uint8_t> public_payload;
  std::vector<uint8_t> masked_payload;
};

// One entry of fetch_state / gen_next_msg_ids: an identity and its cursor (with the full address).
struct IdentityCursor {
  Identifier id;
  Address link;
  uint32_t branch_no = 0;
  uint32_t seq_no = 0;
};

}  // namespace iota_streams::channels
