// The Channels user: the state and behaviour shared by Author and Subscriber (api/user.rs and
// api/tangle/user.rs of the official library), with the official names. Users normally hold an
// Author or a Subscriber (author.h, subscriber.h), which expose the part of this API that fits
// their role.
//
// Every receive either succeeds or returns an Error that says what was wrong and where, and leaves
// the user exactly as it was. Where the official reader would accept a message that an honest
// official writer can never produce (tampered unauthenticated fields), this reader refuses it
// (README).
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "iota_streams/base/error.h"
#include "iota_streams/channels/key_store.h"
#include "iota_streams/channels/link_store.h"
#include "iota_streams/channels/transport.h"
#include "iota_streams/channels/types.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/crypto/psk.h"
#include "iota_streams/message/message.h"

#ifndef STREAMS_MAX_LINKS
#define STREAMS_MAX_LINKS 0  // link-store entries; 0: unbounded
#endif
#ifndef STREAMS_MAX_IDENTITIES
#define STREAMS_MAX_IDENTITIES 0  // key-store identities; 0: unbounded
#endif
#ifndef STREAMS_MAX_CANDIDATES
// Messages a read takes from one address (anyone can post at any address; past it the read fails):
// small on devices, whose memory a flood at one address must not exhaust, larger on hosts.
#if defined(ESP_PLATFORM) || (defined(__arm__) && !defined(__linux__))
#define STREAMS_MAX_CANDIDATES 16
#else
#define STREAMS_MAX_CANDIDATES 256
#endif
#endif
#ifndef STREAMS_MAX_MESSAGE_BYTES
#define STREAMS_MAX_MESSAGE_BYTES \
  32449  // the largest Streams message a Chrysalis indexation payload always holds
#endif

namespace iota_streams::channels {

namespace detail {
struct Outgoing;
struct PendingSequence;
struct Reading;
struct Attempt;
struct Probe;
enum class Accept : uint8_t;
}  // namespace detail

struct UserOptions {
  size_t max_links = STREAMS_MAX_LINKS;
  size_t max_identities = STREAMS_MAX_IDENTITIES;
  size_t max_message_bytes = STREAMS_MAX_MESSAGE_BYTES;
  size_t max_candidates = STREAMS_MAX_CANDIDATES;  // messages read at one address; 0: unbounded
};

// The single-depth anchor: the message packets link to, and the sequence number after it.
struct Anchor {
  Address link;
  uint32_t seq_no = kFirstSeqNo;
  bool operator==(const Anchor&) const = default;
};

// A message this user built and already counts as sent (link store, cursors) but has not yet seen
// reach the transport: its address and its exact bytes, which are what gets published, never a
// rebuild.
struct PendingMessage {
  Address link;
  MessageBytes bytes;
  bool operator==(const PendingMessage&) const = default;
};

// Everything a user knows; what an export carries.
struct UserState {
  explicit UserState(crypto::UserKeys user_keys) : keys(std::move(user_keys)) {}

  crypto::UserKeys keys;
  uint8_t flags = 0;  // the announce flags byte: bit 0 multi-branch; 2 single-depth
  KeyStore key_store;
  LinkStore link_store;
  std::optional<crypto::Ed25519PublicKey> author_public_key;
  std::optional<Address> announcement;  // appinst: set once registered in a channel
  bool use_psk = false;                 // a subscriber publishing under its PSK identity
  std::optional<Anchor> anchor;
  std::string message_encoding = "utf-8";   // carried by the official export
  uint64_t uniform_payload_length = 32000;  // carried by the official export (PAYLOAD_LENGTH)
  // Exactly-once sends (our format only): messages prepared and not yet known to be published, in
  // publishing order (a packet or keyload, then its sequence). None can be built while one is
  // pending.
  std::vector<PendingMessage> pending;
  // The last subscription sent: subscribing again to the same announce publishes these same bytes
  // (a subscription holds a random key, so a rebuild would put a second message at its address).
  std::optional<PendingMessage> subscription;

  bool operator==(const UserState& other) const;
};

class User {
 public:
  // Keys from the seed (any UTF-8 string); the channel type matters for authors only (subscribers
  // take it from the announce).
  User(std::string_view seed, ChannelType type, Transport& transport,
       const UserOptions& options = {});
  User(UserState state, Transport& transport, const UserOptions& options = {});

  // --- Attributes
  const crypto::Ed25519PublicKey& get_public_key() const {
    return state_.keys.signing.public_key();
  }
  std::optional<message::ChannelAddress> channel_address() const;
  const std::optional<Address>& announcement_link() const { return state_.announcement; }
  const std::optional<crypto::Ed25519PublicKey>& author_public_key() const {
    return state_.author_public_key;
  }
  bool is_registered() const { return state_.announcement.has_value(); }
  bool is_multi_branching() const { return (state_.flags & 1) != 0; }
  bool is_single_depth() const { return state_.flags == 2; }
  uint8_t flags() const { return state_.flags; }
  const UserState& state() const { return state_; }
  Transport& transport() const { return *transport_; }
  void set_transport(Transport& transport) { transport_ = &transport; }

  // --- Channel membership
  // Author only: creates the channel (appinst = own key || u64 index) without announcing it.
  Result<void> create_channel(uint64_t channel_index = 0);
  void unregister();  // forgets the channel and its author; keeps the stores
  Result<void> store_new_subscriber(const crypto::Ed25519PublicKey& subscriber);
  Result<void> remove_subscriber(const crypto::Ed25519PublicKey& subscriber);
  // use_psk: a subscriber then publishes tagged packets and sequences under the PSK id (one PSK
  // only).
  Result<void> store_psk(const crypto::PskId& id, const crypto::Psk& psk, bool use_psk);
  Result<void> remove_psk(const crypto::PskId& id);

  // --- Sending (each returns the address(es) written)
  // Each send_* prepares its message and publishes it (the two phases below without a save
  // between). When publishing fails the message stays pending (the error says so), already counted
  // in this state: publish_pending() delivers those same bytes, never a rebuild, and until then
  // every send_* and prepare_* is refused (kMessageBuildFailure). The pending message's address is
  // in pending_messages(). Callers that keep their state on disk use the two phases instead, and
  // save in between.
  Result<Address> send_announce();
  Result<Address> send_subscribe(const Address& announcement);
  Result<Address> send_unsubscribe(const Address& subscription);
  Result<MessageLinks> send_keyload(const Address& link_to,
                                    const std::vector<Identifier>& recipients);
  Result<MessageLinks> send_keyload_for_everyone(const Address& link_to);
  Result<MessageLinks> send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);
  Result<MessageLinks> send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                          ByteSpan masked_payload);

  // --- Exactly-once sending in two phases: prepare, save, publish
  // prepare_* builds the message (and its sequence message), commits it to this state as a send
  // would, and records it as pending; nothing is published (prepare_announce reads the announce
  // address). Refused (kMessageBuildFailure) while a message is pending. The caller then saves the
  // state (export_state; written and synced) and calls publish_pending(). A crash, a lost answer or
  // a failed publish leaves a saved state whose pending message the next publish_pending() delivers
  // unchanged. prepare_subscribe to the announce of the last subscription re-queues that same
  // subscription.
  Result<Address> prepare_announce();
  Result<Address> prepare_subscribe(const Address& announcement);
  Result<Address> prepare_unsubscribe(const Address& subscription);
  Result<MessageLinks> prepare_keyload(const Address& link_to,
                                       const std::vector<Identifier>& recipients);
  Result<MessageLinks> prepare_keyload_for_everyone(const Address& link_to);
  Result<MessageLinks> prepare_signed_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);
  Result<MessageLinks> prepare_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                             ByteSpan masked_payload);
  bool has_pending() const { return !state_.pending.empty(); }
  const std::vector<PendingMessage>& pending_messages() const { return state_.pending; }
  // Delivers every pending message, in order: one already at its address byte-identical counts as
  // published (the answer to an earlier send was lost); otherwise its bytes are sent again.
  // Confirmed messages leave the pending list; on a transport error the error is returned and the
  // rest stay pending. Nothing pending: success, no request. (A message prepared in this process
  // and never attempted is sent without looking first.)
  Result<void> publish_pending();

  // --- Receiving one message at a known address
  // Each takes every message at the address and reads the valid one (types.h, Refusal): junk,
  // replays and copies posted there by others are refused. Two different valid messages (a sender
  // that forked its state) are read as the smallest in bytes, and reported (last_read().forked,
  // `forked` in the result). Fails, with the state unchanged, when none is valid (the reason names
  // each candidate and why it was refused), when the address holds more than
  // UserOptions::max_candidates messages, or when the transport fails.
  Result<void> receive_announcement(const Address& link);
  Result<void> receive_subscribe(const Address& link);
  Result<void> receive_unsubscribe(const Address& link);
  Result<bool> receive_keyload(const Address& link);  // true iff this user got the session key
  Result<SignedPayloads> receive_signed_packet(const Address& link);
  Result<TaggedPayloads> receive_tagged_packet(const Address& link);
  // Reads a sequence message; returns the address of the message it announces.
  Result<Address> receive_sequence(const Address& link);
  // Any keyload, packet or sequence (followed to its message).
  Result<UnwrappedMessage> receive_msg(const Address& link);
  // Single-depth: the author's message number `msg_num` after this user's anchor.
  Result<UnwrappedMessage> receive_msg_by_sequence_number(const Address& anchor_link,
                                                          uint32_t msg_num);
  // What the last receive (or the last address a fetch read) found besides the message it read.
  const ReadReport& last_read() const { return last_read_; }

  // --- Walking the channel
  // The next message of every known publisher, once; messages this user cannot read come back as
  // kUnreadable and are stepped over, so a reader left out of a keyload does not stall. The result
  // tells "nothing new" from refused messages and from a transport failure (FetchResult).
  FetchResult fetch_next_msgs();
  // fetch_next_msgs until nothing new: every message published so far. Stops at a transport
  // failure.
  FetchResult fetch_all_next_msgs();
  FetchResult sync_state() { return fetch_all_next_msgs(); }
  Result<UnwrappedMessage> fetch_prev_msg(const Address& link);
  // Up to `max` predecessors of `link`, oldest first (`link` itself excluded).
  Result<std::vector<UnwrappedMessage>> fetch_prev_msgs(const Address& link, size_t max);
  std::vector<IdentityCursor> gen_next_msg_ids(bool branching) const;

  // --- Cursors
  Result<std::vector<IdentityCursor>> fetch_state() const;
  Result<void> reset_state();
  void store_state(const Identifier& id, const Address& link);
  void store_state_for_all(const Address& link, uint32_t seq_no);

  // --- Export / import of the whole state (state.h holds the formats)
  void replace_state(UserState state) {
    state_ = std::move(state);
    pending_untried_ = false;
  }

 protected:
  using Outgoing = detail::Outgoing;
  using PendingSequence = detail::PendingSequence;

  Result<Identifier> publishing_identifier() const;
  Result<uint32_t> own_seq_no() const;
  Result<void> require_registered() const;
  Result<void> require_in_channel(const Address& link, std::string_view what) const;
  Address link_from(ByteSpan id_bytes, const MsgId& link, uint32_t seq_no) const;

  Result<MessageLinks> prepare_sequenced(Outgoing message, const MsgId& ref_link, MsgInfo info);
  // Commits a built message to the link store and appends it to the pending list.
  void commit_pending(Outgoing message, MsgInfo info);
  Result<void> require_nothing_pending() const;
  // Runs prepare, then publish_pending (the plain send_* calls).
  template <class T, class Prepare>
  Result<T> send_now(Prepare&& prepare);

  // Receiving (user_receive.cpp): one skeleton for every message type. read_at takes the candidates
  // at an address and checks each without changing the state; apply commits the one chosen.
  using Reading = detail::Reading;
  using ReadingPtr =
      std::unique_ptr<detail::Reading>;  // on the heap: the firmware's stack is small
  using Attempt = detail::Attempt;
  using Accept = detail::Accept;
  Attempt read_at(const Address& link, Accept accept) const;
  Result<ReadingPtr> check_candidate(const Address& link, MessageBytes& bytes, Accept accept,
                                     detail::Probe& probe) const;
  Result<ReadingPtr> check_announce(const Address& link, message::Preparsed& pre,
                                    ByteSpan bytes) const;
  Result<ReadingPtr> check_subscribe(const Address& link, message::Preparsed& pre,
                                     ByteSpan bytes) const;
  Result<ReadingPtr> check_unsubscribe(const Address& link, message::Preparsed& pre,
                                       ByteSpan bytes) const;
  Result<ReadingPtr> check_keyload(const Address& link, message::Preparsed& pre,
                                   ByteSpan bytes) const;
  Result<ReadingPtr> check_signed_packet(const Address& link, message::Preparsed& pre,
                                         ByteSpan bytes) const;
  Result<ReadingPtr> check_tagged_packet(const Address& link, message::Preparsed& pre,
                                         ByteSpan bytes) const;
  Result<ReadingPtr> check_sequence(const Address& link, message::Preparsed& pre, ByteSpan bytes,
                                    detail::Probe& probe) const;
  Result<void> require_room_for(const std::vector<Identifier>& ids) const;
  // Whether a valid announce of this author is at `link` (send_announce refuses only then).
  Result<bool> valid_announce_at(const Address& link) const;
  // Reads the valid message at `link` (one of `accept`) and commits it; `store`: a sequence moves
  // its publisher's cursor.
  Result<ReadingPtr> receive(const Address& link, Accept accept, bool store);
  void apply(const Reading& reading, bool store);
  void commit_sequence(const PendingSequence& sequence, bool store_cursor);
  void advance_cursors_after(const Address& link, message::ContentType type, uint64_t seq_num);
  bool step_over_unreadable(const Reading& unreadable);

  UserState state_;
  Transport* transport_;
  UserOptions options_;
  // True while the pending messages were prepared by this object and no send of them was tried:
  // they cannot be on the transport yet, so publish_pending sends without looking first.
  bool pending_untried_ = false;
  ReadReport last_read_;
};

}  // namespace iota_streams::channels
