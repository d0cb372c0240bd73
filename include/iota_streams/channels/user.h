// The Channels user: the state and behaviour shared by Author and Subscriber (api/user.rs and
// api/tangle/user.rs of the official library), with the official names. Users normally hold an
// Author or a Subscriber (author.h, subscriber.h): each is a UserBase (the calls of both roles,
// declared here with their contracts) plus the calls of its role. User holds both roles' calls in
// one object, for tools that replay either role and for tests.
//
// Ownership: a user owns its state (UserState, copied or moved with it) and keeps a reference to
// its transport, which must outlive it (set_transport changes it). Every call that returns a
// Result either succeeds or returns an Error that says what was wrong and where; a receive that
// fails leaves the user exactly as it was. Where the official reader would accept a message that an
// honest official writer can never produce (tampered unauthenticated fields), this reader refuses
// it (README).
//
// How the calls work is private to the library (src/channels/user_internal.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/base/error.h"
#include "iota_streams/channels/key_store.h"
#include "iota_streams/channels/link_store.h"
#include "iota_streams/channels/transport.h"
#include "iota_streams/channels/types.h"
#include "iota_streams/config.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/crypto/psk.h"
#include "iota_streams/message/message.h"

namespace iota_streams::channels {

// Capacities of one user; the defaults come from config.h.
struct UserOptions {
  size_t max_links = STREAMS_MAX_LINKS;                  // link-store entries; 0: unbounded
  size_t max_identities = STREAMS_MAX_IDENTITIES;        // key-store identities; 0: unbounded
  size_t max_message_bytes = STREAMS_MAX_MESSAGE_BYTES;  // a message built larger is refused
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

class UserBase;

namespace detail {
// What a user holds. Only the library changes it (src/channels/user_internal.h).
struct UserCore {
  UserState state;
  Transport* transport;
  UserOptions options;
  // True while the pending messages were prepared by this object and no send of them was tried:
  // they cannot be on the transport yet, so publish_pending sends without looking first.
  bool pending_untried = false;
  ReadReport last_read;
};
class CoreAccess;  // the library's access to a user's core (user_internal.h)
}  // namespace detail

// The calls of every user, Author and Subscriber alike.
class UserBase {
 public:
  // --- Attributes
  const crypto::Ed25519PublicKey& get_public_key() const {
    return core_.state.keys.signing.public_key();
  }
  // The channel this user is registered in (created or read its announce); nullopt before.
  std::optional<message::ChannelAddress> channel_address() const;
  const std::optional<Address>& announcement_link() const { return core_.state.announcement; }
  const std::optional<crypto::Ed25519PublicKey>& author_public_key() const {
    return core_.state.author_public_key;
  }
  bool is_registered() const { return core_.state.announcement.has_value(); }
  bool is_multi_branching() const { return (core_.state.flags & 1) != 0; }
  bool is_single_depth() const { return core_.state.flags == 2; }
  uint8_t flags() const { return core_.state.flags; }
  // Everything this user knows (what an export carries); valid until the next non-const call.
  const UserState& state() const { return core_.state; }
  const UserOptions& options() const { return core_.options; }
  Transport& transport() const { return *core_.transport; }
  // The transport every later call reads and publishes through; kept by reference.
  void set_transport(Transport& transport) { core_.transport = &transport; }

  // Forgets the pre-shared key `id` (kNotRegistered when it is not stored).
  Result<void> remove_psk(const crypto::PskId& id);

  // --- Sending: what every send_* and prepare_* of Author and Subscriber shares
  // Each send_* prepares its message and publishes it (the two phases below without a save
  // between); each returns the address(es) written. When publishing fails the message stays
  // pending (the error says so), already counted in this state: publish_pending() delivers those
  // same bytes, never a rebuild, and until then every send_* and prepare_* is refused
  // (kMessageBuildFailure). The pending message's address is in pending_messages(). Callers that
  // keep their state on disk use the two phases instead, and save in between.
  //
  // Exactly-once sending in two phases: prepare, save, publish. prepare_* builds the message (and
  // its sequence message), commits it to this state as a send would, and records it as pending;
  // nothing is published (prepare_announce reads the announce address). Refused
  // (kMessageBuildFailure) while a message is pending. The caller then saves the state
  // (export_state; written and synced) and calls publish_pending(). A crash, a lost answer or a
  // failed publish leaves a saved state whose pending message the next publish_pending() delivers
  // unchanged.
  bool has_pending() const { return !core_.state.pending.empty(); }
  const std::vector<PendingMessage>& pending_messages() const { return core_.state.pending; }
  // Delivers every pending message, in order: one already at its address byte-identical counts as
  // published (the answer to an earlier send was lost); otherwise its bytes are sent again.
  // Confirmed messages leave the pending list; on a transport error the error is returned and the
  // rest stay pending. Nothing pending: success, no request. (A message prepared in this process
  // and never attempted is sent without looking first.)
  Result<void> publish_pending();

  // --- Receiving one message at a known address
  // Each receive takes every message at the address and reads the valid one (types.h, Refusal):
  // junk, replays and copies posted there by others are refused. Two different valid messages (a
  // sender that forked its state) are read as the smallest in bytes, and reported
  // (last_read().forked, `forked` in the result). Fails, with the state unchanged, when none is
  // valid (the reason names each candidate and why it was refused), when the address holds more
  // than UserOptions::max_candidates messages, or when the transport fails. Payloads returned are
  // the caller's.
  Result<SignedPayloads> receive_signed_packet(const Address& link);
  Result<TaggedPayloads> receive_tagged_packet(const Address& link);
  // Reads a sequence message; returns the address of the message it announces (not read).
  Result<Address> receive_sequence(const Address& link);
  // Any keyload, packet or sequence (followed to its message).
  Result<UnwrappedMessage> receive_msg(const Address& link);
  // Single-depth: the author's message number `msg_num` after this user's anchor; moves no cursor.
  // kChannelNotSingleDepth in other channels, kNotRegistered before the announce is read.
  Result<UnwrappedMessage> receive_msg_by_sequence_number(const Address& anchor_link,
                                                          uint32_t msg_num);
  // What the last receive (or the last address a fetch read) found besides the message it read.
  const ReadReport& last_read() const { return core_.last_read; }

  // --- Walking the channel
  // The next message of every known publisher, once; messages this user cannot read come back as
  // kUnreadable and are stepped over, so a reader left out of a keyload does not stall. The result
  // tells "nothing new" from refused messages and from a transport failure (FetchResult).
  FetchResult fetch_next_msgs();
  // fetch_next_msgs until nothing new: every message published so far. Stops at a transport
  // failure. Before each round after the first, `may_continue` (when given) may stop it: the
  // result then has what was read and `stopped` set, and the cursors are past exactly that (the
  // C API stops when the heap has no room for another round).
  using RoundGate = bool (*)(const FetchResult& so_far, void* context);
  FetchResult fetch_all_next_msgs(RoundGate may_continue = nullptr, void* context = nullptr);
  FetchResult sync_state() { return fetch_all_next_msgs(); }
  // The message before `link` (its previous link), read without moving any cursor.
  Result<UnwrappedMessage> fetch_prev_msg(const Address& link);
  // Up to `max` predecessors of `link`, oldest first (`link` itself excluded); moves no cursor.
  Result<std::vector<UnwrappedMessage>> fetch_prev_msgs(const Address& link, size_t max);
  // The addresses the next messages of every known publisher are expected at (sequence messages
  // when `branching`); empty before registration.
  std::vector<IdentityCursor> gen_next_msg_ids(bool branching) const;

  // --- Cursors
  // Every known identity and its cursor; kNotRegistered before registration.
  Result<std::vector<IdentityCursor>> fetch_state() const;
  // Every cursor back at the announce; PSK secrets are lost and the link store emptied, as the
  // official reset_state does. kNotRegistered before registration.
  Result<void> reset_state();
  // Moves `id`'s cursor to `link`, one message on (nothing when `id` is unknown).
  void store_state(const Identifier& id, const Address& link);
  // Moves every cursor to `link` and `seq_no`, when `seq_no` is above this user's own (cursors
  // never move backwards).
  void store_state_for_all(const Address& link, uint32_t seq_no);

 protected:
  // Keys from the seed (any UTF-8 string); the channel type matters for authors only (subscribers
  // take it from the announce).
  UserBase(std::string_view seed, ChannelType type, Transport& transport,
           const UserOptions& options);
  UserBase(UserState state, Transport& transport, const UserOptions& options);

  // --- The calls of one role or the other. Author and Subscriber make those of their role public,
  // with their contracts (author.h, subscriber.h); User makes them all public.
  Result<void> create_channel(uint64_t channel_index = 0);
  void unregister();
  Result<void> store_new_subscriber(const crypto::Ed25519PublicKey& subscriber);
  Result<void> remove_subscriber(const crypto::Ed25519PublicKey& subscriber);
  // use_psk: a subscriber then publishes tagged packets and sequences under the PSK id (one PSK
  // only).
  Result<void> store_psk(const crypto::PskId& id, const crypto::Psk& psk, bool use_psk);
  // The official store_psk(psk_seed): the PSK from the seed string; returns its id.
  Result<crypto::PskId> store_psk(std::string_view psk_seed, bool use_psk);

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

  Result<void> receive_announcement(const Address& link);
  Result<void> receive_subscribe(const Address& link);
  Result<void> receive_unsubscribe(const Address& link);
  Result<bool> receive_keyload(const Address& link);

 private:
  friend class detail::CoreAccess;
  detail::UserCore core_;
};

// Both roles in one object: every call of Author (author.h) and of Subscriber (subscriber.h), with
// the contracts written there; for tools that replay either role, and for tests.
class User : public UserBase {
 public:
  User(std::string_view seed, ChannelType type, Transport& transport,
       const UserOptions& options = {})
      : UserBase(seed, type, transport, options) {}
  User(UserState state, Transport& transport, const UserOptions& options = {})
      : UserBase(std::move(state), transport, options) {}

  using UserBase::create_channel;  // Author: creates the channel (Author's constructor does)
  using UserBase::prepare_announce;
  using UserBase::prepare_keyload;
  using UserBase::prepare_keyload_for_everyone;
  using UserBase::prepare_signed_packet;
  using UserBase::prepare_subscribe;
  using UserBase::prepare_tagged_packet;
  using UserBase::prepare_unsubscribe;
  using UserBase::receive_announcement;
  using UserBase::receive_keyload;
  using UserBase::receive_subscribe;
  using UserBase::receive_unsubscribe;
  using UserBase::remove_subscriber;
  using UserBase::send_announce;
  using UserBase::send_keyload;
  using UserBase::send_keyload_for_everyone;
  using UserBase::send_signed_packet;
  using UserBase::send_subscribe;
  using UserBase::send_tagged_packet;
  using UserBase::send_unsubscribe;
  using UserBase::store_new_subscriber;
  using UserBase::store_psk;
  using UserBase::unregister;

  // Replaces the whole state (an import); the transport and options stay.
  void replace_state(UserState state);
};

}  // namespace iota_streams::channels
