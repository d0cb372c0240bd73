// How a user works, private to the library: the pieces behind the public calls of UserBase
// (include/iota_streams/channels/user.h), as functions over a user (its core, UserCore: state,
// transport, options, last read report, reached through CoreAccess). The receive skeleton, the
// checks the calls share and the records a read passes around live here, not in the public
// headers; the check of each message type is local to user_receive.cpp. Files: user.cpp
// (membership, PSKs, cursors), user_send.cpp (building and publishing), user_receive.cpp
// (receiving), user_fetch.cpp (walking a channel).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/channels/user.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/message/message.h"

namespace iota_streams::channels {

namespace detail {

// The one door to a user's core (UserBase befriends this class).
class CoreAccess {
 public:
  static UserCore& of(UserBase& user) { return user.core_; }
  static const UserCore& of(const UserBase& user) { return user.core_; }
};
inline UserCore& core(UserBase& user) { return CoreAccess::of(user); }
inline const UserCore& core(const UserBase& user) { return CoreAccess::of(user); }

// A message built and ready to publish, with the state to commit once it is sent.
struct Outgoing {
  Address link;
  MessageBytes bytes;
  sponge::Inner inner{};
  std::optional<Address> sequence_link;
};

// A sequence message read and checked, not yet committed.
struct PendingSequence {
  Address link;
  sponge::Inner inner{};
  Identifier publisher;  // the header's sender, equal to the body's identifier
  Address referenced;    // the message it announces
  uint64_t seq_num = 0;
};

// The content types a read takes at an address (a bit per message::ContentType code).
enum class Accept : uint8_t {
  kAnnounce = 1 << 0,
  kKeyload = 1 << 1,
  kSequence = 1 << 2,
  kSignedPacket = 1 << 3,
  kTaggedPacket = 1 << 4,
  kSubscribe = 1 << 5,
  kUnsubscribe = 1 << 6,
  kAnnounced = kKeyload | kSignedPacket | kTaggedPacket,  // what a sequence may announce
  kAnyMessage = kAnnounced | kSequence,                   // receive_msg, fetch
};

inline bool accepts(Accept set, message::ContentType type) {
  return static_cast<uint8_t>(type) < 8 &&
         (static_cast<uint8_t>(set) & (1u << static_cast<uint8_t>(type))) != 0;
}

// One message read and checked against the state, not yet applied to it (apply).
struct Reading {
  Reading() = default;
  Reading(const Reading&) = delete;
  Reading& operator=(const Reading&) = delete;
  // A reading not chosen (a fork, a keyload outranked) takes its plaintext with it.
  ~Reading() { secure_wipe(masked_payload.data(), masked_payload.size()); }

  Address link;
  message::ContentType type = message::ContentType::kAnnounce;
  uint64_t seq_num = 0;
  std::optional<Address> prev_link;
  sponge::Inner inner{};
  // False: a message whose header is the expected one but that this user cannot read (a packet
  // joined to a keyload it could not open; behind a sequence, any failure): stepped over, never
  // applied.
  bool readable = true;
  // False: a keyload this user cannot open, of which nothing past the header could be checked.
  bool authenticated = true;
  bool forked = false;
  crypto::Ed25519PublicKey
      key;            // announce: the author; subscribe, unsubscribe, signed packet: the sender
  uint8_t flags = 0;  // announce
  std::vector<Identifier> recipients;   // keyload opened by this user
  std::vector<uint8_t> public_payload;  // packets
  std::vector<uint8_t> masked_payload;
  std::optional<PendingSequence> sequence;  // a sequence: itself; `announced`: the message it names
  std::unique_ptr<Reading> announced;
};

// What read_at found at one address: the message chosen, or why none (`error`, with the transport's
// failures told apart), and the report of every candidate.
struct Attempt {
  std::unique_ptr<Reading> reading;
  std::optional<Error> error;
  bool transport_failed = false;
  // No candidate readable, but one whose header is the expected one failed for want of what it
  // joins (kLinkNotFound): what fetch steps over.
  std::unique_ptr<Reading> unreadable;
  Errc unreadable_code = Errc::kOk;
  size_t unreadable_candidate = 0;
  // The content type of a candidate whose header parsed but whose type was not accepted.
  std::optional<message::ContentType> other_type;
  ReadReport report;
};

// How far one candidate got before it was refused (check_candidate in user_receive.cpp).
struct Probe {
  enum Stage : uint8_t { kUnparsed, kParsed, kHeaderMatched } stage = kUnparsed;
  message::ContentType type = message::ContentType::kAnnounce;  // from kParsed on
  uint64_t seq_num = 0;
  std::optional<Address> prev_link;
  bool transport_failed = false;  // reading what the candidate names (a sequence's message) failed
};

// What a keyload, packet or sequence (its message) read gives the caller.
UnwrappedMessage unwrapped_of(const Reading& reading);

// "signed packet", "keyload", ...
std::string message_name(message::ContentType type);

// An unwrap failure as a sentence that names the message and its address, e.g.
// "signature verification failed for signed packet at <address>".
// Why a message was refused; `what` names it (static text). No heap unless the message is asked
// for.
Error read_failure(const ddml::Status& status, const char* what, const Address& link,
                   ByteSpan bytes);

using ReadingPtr = std::unique_ptr<Reading>;  // on the heap: the firmware's stack is small

// ---- The checks every handler shares (user.cpp)
Result<void> require_registered(const UserBase& user);
// The link must be in this user's channel (kAppInstMismatch names `what` and both channels).
Result<void> require_in_channel(const UserBase& user, const Address& link, std::string_view what);
// The address of the message `id_bytes` publishes after `link` with number `seq_no`.
Address link_from(const UserBase& user, ByteSpan id_bytes, const MsgId& link, uint32_t seq_no);
Result<uint32_t> own_seq_no(const UserBase& user);
// The identity this user publishes under: its key, or its PSK id.
Result<Identifier> publishing_identifier(const UserBase& user);
// Registers a subscriber (the sequence number 1, as the official insert_subscriber does).
Result<void> store_new_subscriber(UserBase& user, const crypto::Ed25519PublicKey& subscriber);

// ---- Receiving (user_receive.cpp): one skeleton for every message type. read_at takes the
// candidates at an address and checks each without changing the state; apply commits the one
// chosen.
Attempt read_at(const UserBase& user, const Address& link, Accept accept);
// Reads the valid message at `link` (one of `accept`) and commits it; `store`: a sequence moves
// its publisher's cursor.
Result<ReadingPtr> receive(UserBase& user, const Address& link, Accept accept, bool store);
// Commits a message read_at chose: nothing here can fail.
void apply(UserBase& user, const Reading& reading, bool store);
void commit_sequence(UserBase& user, const PendingSequence& sequence, bool store_cursor);
void advance_cursors_after(UserBase& user, const Address& link, message::ContentType type,
                           uint64_t seq_num);
// Whether a valid announce of this author is at `link` (send_announce refuses only then).
Result<bool> valid_announce_at(const UserBase& user, const Address& link);

}  // namespace detail
}  // namespace iota_streams::channels
