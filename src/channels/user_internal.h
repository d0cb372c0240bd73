// How a user works, private to the library: the handlers behind the public calls of UserBase, User,
// Author and Subscriber (include/iota_streams/channels/), as functions over a user's core
// (UserCore: its state, transport, options and last read report). The public classes only
// forward to these. Files: user.cpp (membership, PSKs, cursors), user_send.cpp (building and
// publishing), user_receive.cpp (the receive skeleton and the check of each message type),
// user_fetch.cpp (walking a channel).
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

// ---- Membership, PSKs and the checks every handler shares (user.cpp)
Result<void> require_registered(const UserBase& user);
// The link must be in this user's channel (kAppInstMismatch names `what` and both channels).
Result<void> require_in_channel(const UserBase& user, const Address& link, std::string_view what);
// The address of the message `id_bytes` publishes after `link` with number `seq_no`.
Address link_from(const UserBase& user, ByteSpan id_bytes, const MsgId& link, uint32_t seq_no);
Result<uint32_t> own_seq_no(const UserBase& user);
// The identity this user publishes under: its key, or its PSK id.
Result<Identifier> publishing_identifier(const UserBase& user);
Result<void> create_channel(UserBase& user, uint64_t channel_index);
void unregister(UserBase& user);
Result<void> store_new_subscriber(UserBase& user, const crypto::Ed25519PublicKey& subscriber);
Result<void> remove_subscriber(UserBase& user, const crypto::Ed25519PublicKey& subscriber);
Result<void> store_psk(UserBase& user, const crypto::PskId& id, const crypto::Psk& psk,
                       bool use_psk);
// The official store_psk(psk_seed) of both roles: the PSK from the seed, stored; returns its id.
Result<crypto::PskId> store_psk_from_seed(UserBase& user, std::string_view psk_seed, bool use_psk);

// ---- Building and publishing (user_send.cpp). Each prepare_* commits its message to the state and
// records it as pending; each send_* is its prepare_* followed by publish_pending.
Result<Address> prepare_announce(UserBase& user);
Result<Address> prepare_subscribe(UserBase& user, const Address& announcement);
Result<Address> prepare_unsubscribe(UserBase& user, const Address& subscription);
Result<MessageLinks> prepare_keyload(UserBase& user, const Address& link_to,
                                     const std::vector<Identifier>& recipients);
Result<MessageLinks> prepare_keyload_for_everyone(UserBase& user, const Address& link_to);
Result<MessageLinks> prepare_signed_packet(UserBase& user, const Address& link_to,
                                           ByteSpan public_payload, ByteSpan masked_payload);
Result<MessageLinks> prepare_tagged_packet(UserBase& user, const Address& link_to,
                                           ByteSpan public_payload, ByteSpan masked_payload);
Result<Address> send_announce(UserBase& user);
Result<Address> send_subscribe(UserBase& user, const Address& announcement);
Result<Address> send_unsubscribe(UserBase& user, const Address& subscription);
Result<MessageLinks> send_keyload(UserBase& user, const Address& link_to,
                                  const std::vector<Identifier>& recipients);
Result<MessageLinks> send_keyload_for_everyone(UserBase& user, const Address& link_to);
Result<MessageLinks> send_signed_packet(UserBase& user, const Address& link_to,
                                        ByteSpan public_payload, ByteSpan masked_payload);
Result<MessageLinks> send_tagged_packet(UserBase& user, const Address& link_to,
                                        ByteSpan public_payload, ByteSpan masked_payload);

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
Result<void> receive_announcement(UserBase& user, const Address& link);
Result<void> receive_subscribe(UserBase& user, const Address& link);
Result<void> receive_unsubscribe(UserBase& user, const Address& link);
Result<bool> receive_keyload(UserBase& user, const Address& link);

}  // namespace detail
}  // namespace iota_streams::channels
