// Channel-level value types: channel types, link-store tags, and what sending and receiving return.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/base/error.h"
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

// What the link store remembers about each message (api/tangle/msginfo.rs; codes used in exported
// state).
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
    kKeyload,  // a keyload (whether or not this user could open it)
    kSignedPacket,
    kTaggedPacket,
    kUnreadable,  // found, but this user has no access to it
  };
  Address link;
  std::optional<Address> prev_link;
  Kind kind = Kind::kUnreadable;
  std::optional<crypto::Ed25519PublicKey> publisher;  // signed packets
  std::vector<uint8_t> public_payload;
  std::vector<uint8_t> masked_payload;
  bool has_access = false;  // keyloads: whether this user got the session key
  // Several different valid messages were found at this address: their sender forked its own state
  // (ReadReport). Every reader reads the same one of them, the smallest in bytes.
  bool forked = false;
};

std::string_view kind_name(UnwrappedMessage::Kind kind);

// A signed packet as receive_signed_packet returns it.
struct SignedPayloads {
  crypto::Ed25519PublicKey publisher;
  std::vector<uint8_t> public_payload;
  std::vector<uint8_t> masked_payload;
  bool forked = false;  // as UnwrappedMessage::forked
};

struct TaggedPayloads {
  std::vector<uint8_t> public_payload;
  std::vector<uint8_t> masked_payload;
  bool forked = false;  // as UnwrappedMessage::forked
};

// Anyone can post anything at any address of a node, so a read takes every message found at the
// address (byte-identical copies count once), orders them by their bytes, and refuses those that do
// not parse, whose header is not exactly the one the address implies, or that fail authentication.
//
// One message found at an address and not read, and why.
struct Refusal {
  static constexpr size_t kWholeAddress =
      SIZE_MAX;  // `candidate` when the address as a whole was refused
  Address link;
  size_t candidate = 0;  // position among the distinct messages found there, smallest bytes first
  Error reason;
};

// What the last receive found at its address besides the message it read (User::last_read).
struct ReadReport {
  Address link;
  size_t found = 0;              // distinct messages at the address
  std::vector<Refusal> refused;  // every candidate not read, with its reason
  // Several different valid messages: only their sender can write them (it forked its own state,
  // e.g. restored an old backup and published again). The smallest in bytes was read.
  bool forked = false;
};

// What fetch_next_msgs, fetch_all_next_msgs and sync_state return. Three outcomes can be told
// apart: nothing new (no messages, no refusals, no transport error), messages refused at the next
// addresses
// (`refused`, each with its reason; the cursors stay there), and a transport that failed
// (`transport_error`; the messages read before it are in `messages`, and the cursors moved past
// them).
struct FetchResult {
  std::vector<UnwrappedMessage> messages;
  std::vector<Refusal> refused;
  std::optional<Error> transport_error;
  bool stopped = false;  // a whole fetch stopped before the end by its caller (fetch_all_next_msgs)

  bool ok() const { return !transport_error.has_value(); }
  bool nothing_new() const { return messages.empty() && refused.empty() && ok(); }
};

// One entry of fetch_state / gen_next_msg_ids: an identity and its cursor (with the full address).
struct IdentityCursor {
  Identifier id;
  Address link;
  uint32_t branch_no = 0;
  uint32_t seq_no = 0;
};

}  // namespace iota_streams::channels
