// Sending: each message is described once (messages.h), measured, wrapped into a buffer of exactly
// that size, committed to the state and recorded as pending, then published (api/tangle/user.rs
// send_message*, which publishes first and commits after). The pending record makes a send
// exactly-once: the state that counts the message as sent also holds its bytes, so a send that
// failed, crashed or lost its answer is completed with the same bytes (never a second, different
// message at the address, never a key stream used twice) before anything new is built.
#include <algorithm>

#include "iota_streams/base/platform.h"
#include "messages.h"
#include "user_internal.h"

namespace iota_streams::channels {
namespace {

using message::ContentType;

message::Header make_header(ContentType type, const Address& link,
                            const std::optional<Address>& previous,
                            Bytes<message::kAddressSize>& previous_storage, uint64_t seq_num,
                            const Identifier& sender) {
  message::Header header;
  header.content_type = static_cast<uint8_t>(type);
  header.link = link;
  if (previous) {
    previous_storage = previous->to_bytes();
    header.previous_link = previous_storage;
  }
  header.seq_num = seq_num;
  header.sender = sender;
  return header;
}

template <size_t N>
Secret<N> random_secret() {
  Secret<N> secret;
  platform::random_bytes(secret.data(), N);
  return secret;
}

}  // namespace

namespace detail {
namespace {

// Measures, checks the size limit and wraps one message. One body for every message type (the
// content's type erased); the message's name is spelled only when the build fails.
[[gnu::noinline]] Result<Outgoing> build_described(message::Header& header,
                                                   message::Described<ddml::SizeofContext> size_of,
                                                   message::Described<ddml::WrapContext> wrap_with,
                                                   size_t max_bytes) {
  [[maybe_unused]] const auto what = [&] {
    return detail::message_name(static_cast<ContentType>(header.content_type));
  };
  auto size = message::measure_described(header, size_of);
  if (!size.ok()) return STREAMS_PREFIXED(std::move(size).error(), "cannot build " + what());
  if (*size > max_bytes) {
    return STREAMS_ERROR(Errc::kValueOutOfRange,
                         what() + " of " + std::to_string(*size) + " bytes exceeds the limit of " +
                             std::to_string(max_bytes) + " bytes (STREAMS_MAX_MESSAGE_BYTES)");
  }
  Outgoing out;
  out.link = header.link;
  out.bytes.resize(*size);
  auto wrapped = message::wrap_described(header, wrap_with, out.bytes);
  if (!wrapped.ok()) {
    if (wrapped.error().code() == Errc::kLinkNotFound) {
      return STREAMS_ERROR(Errc::kLinkNotFound,
                           "cannot build " + what() +
                               ": the message it links to is not in this "
                               "user's link store (not written or read by it)");
    }
    return STREAMS_PREFIXED(std::move(wrapped).error(), "cannot build " + what());
  }
  out.inner = wrapped->inner;
  return out;
}

template <class Content>
Result<Outgoing> build(message::Header& header, Content& content, size_t max_bytes) {
  return build_described(header, message::Described<ddml::SizeofContext>(content),
                         message::Described<ddml::WrapContext>(content), max_bytes);
}

// Commits a built message to the link store and appends it to the pending list.
void commit_pending(UserBase& user, Outgoing message, MsgInfo info) {
  UserCore& c = core(user);
  c.state.link_store.update(message.link.msgid, message.inner, info);
  c.state.pending.push_back(PendingMessage{message.link, std::move(message.bytes)});
  c.pending_untried = true;
}

Result<void> require_nothing_pending(const UserBase& user) {
  if (!user.has_pending()) return {};
  return STREAMS_ERROR(Errc::kMessageBuildFailure,
                       "a message is pending at " +
                           user.pending_messages().front().link.to_string() +
                           ": publish_pending() must deliver it before a new one is built");
}

Result<MessageLinks> prepare_sequenced(UserBase& user, Outgoing message, const MsgId& ref_link,
                                       MsgInfo info);

// Runs prepare, then publish_pending (the plain send_* calls).
template <class T, class Prepare>
Result<T> send_now(UserBase& user, Prepare&& prepare) {
  STREAMS_ASSIGN_OR_RETURN(T links, prepare());
  STREAMS_TRY(user.publish_pending());
  return links;
}

}  // namespace
}  // namespace detail

Result<void> UserBase::publish_pending() {
  const bool look_first = !core_.pending_untried;
  core_.pending_untried = false;
  std::vector<PendingMessage>& pending = core_.state.pending;
  while (!pending.empty()) {
    const PendingMessage& next = pending.front();
    bool found = false;
    if (look_first) {
      auto there = core_.transport->recv_messages(next.link);
      if (!there.ok()) {
        return STREAMS_PREFIXED(std::move(there).error(),
                                "looking for the pending message at " + next.link.to_string());
      }
      found = std::find(there->begin(), there->end(), next.bytes) != there->end();
    }
    if (!found) {
      auto sent = core_.transport->send_message(next.link, next.bytes);
      if (!sent.ok()) {
        return STREAMS_PREFIXED(std::move(sent).error(),
                                "sending " + next.link.to_string() +
                                    " (it stays pending: publish_pending() sends the same bytes)");
      }
    }
    pending.erase(pending.begin());
  }
  return {};
}

Result<Address> UserBase::send_announce() {
  return detail::send_now<Address>(*this, [&] { return prepare_announce(); });
}
Result<Address> UserBase::send_subscribe(const Address& announcement) {
  return detail::send_now<Address>(*this, [&] { return prepare_subscribe(announcement); });
}
Result<Address> UserBase::send_unsubscribe(const Address& subscription) {
  return detail::send_now<Address>(*this, [&] { return prepare_unsubscribe(subscription); });
}
Result<MessageLinks> UserBase::send_keyload(const Address& link_to,
                                            const std::vector<Identifier>& recipients) {
  return detail::send_now<MessageLinks>(*this,
                                        [&] { return prepare_keyload(link_to, recipients); });
}
Result<MessageLinks> UserBase::send_keyload_for_everyone(const Address& link_to) {
  return detail::send_now<MessageLinks>(*this,
                                        [&] { return prepare_keyload_for_everyone(link_to); });
}
Result<MessageLinks> UserBase::send_signed_packet(const Address& link_to, ByteSpan public_payload,
                                                  ByteSpan masked_payload) {
  return detail::send_now<MessageLinks>(
      *this, [&] { return prepare_signed_packet(link_to, public_payload, masked_payload); });
}
Result<MessageLinks> UserBase::send_tagged_packet(const Address& link_to, ByteSpan public_payload,
                                                  ByteSpan masked_payload) {
  return detail::send_now<MessageLinks>(
      *this, [&] { return prepare_tagged_packet(link_to, public_payload, masked_payload); });
}

Result<Address> UserBase::prepare_announce() {
  STREAMS_TRY(detail::require_nothing_pending(*this));
  STREAMS_TRY(detail::require_registered(*this));
  const Address link = *core_.state.announcement;
  Bytes<message::kAddressSize> none;
  auto header = make_header(ContentType::kAnnounce, link, std::nullopt, none, kAnnounceSeqNo,
                            get_public_key());
  messages::Announce content{get_public_key(), core_.state.flags, &core_.state.keys.signing};
  STREAMS_ASSIGN_OR_RETURN(auto out,
                           detail::build(header, content, core_.options.max_message_bytes));
  // Anyone can post junk at the announce address: only a valid announce of this author stops it.
  STREAMS_ASSIGN_OR_RETURN(const bool announced, detail::valid_announce_at(*this, link));
  if (announced) {
    return STREAMS_ERROR_AT(Errc::kChannelDuplication, link.msgid.bytes.data(),
                            "this channel is already announced at " + link.to_string());
  }
  detail::commit_pending(*this, std::move(out), MsgInfo::kAnnounce);
  return link;
}

Result<Address> UserBase::prepare_subscribe(const Address& announcement) {
  STREAMS_TRY(detail::require_nothing_pending(*this));
  STREAMS_TRY(detail::require_in_channel(*this, announcement, "subscribe link"));
  if (!core_.state.author_public_key)
    return STREAMS_ERROR(Errc::kAuthorKeyNotFound, "the channel author's key is unknown");
  const crypto::X25519PublicKey* author_key =
      core_.state.key_store.exchange_key(Identifier(*core_.state.author_public_key));
  if (author_key == nullptr)
    return STREAMS_ERROR(Errc::kAuthorKeyNotFound, "the channel author's exchange key is unknown");

  const Address link =
      detail::link_from(*this, get_public_key().bytes, announcement.msgid, kSubscribeSeqNo);
  if (core_.state.subscription && core_.state.subscription->link == link) {
    // Subscribed before: the same bytes again, delivered only if they are not there yet.
    core_.state.pending.push_back(*core_.state.subscription);
    core_.pending_untried = false;
    return link;
  }
  if (core_.state.link_store.contains(link.msgid)) {
    return Error(
        Errc::kMessageBuildFailure,
        "already subscribed at " + link.to_string() +
            ", and this state does not hold that subscription's bytes (an official-format import): "
            "a new subscription there would be a second, different message at one address");
  }
  Bytes<message::kAddressSize> prev;
  auto header = make_header(ContentType::kSubscribe, link, announcement, prev, kSubscribeSeqNo,
                            get_public_key());
  messages::Subscribe content{
      &core_.state.link_store, announcement.msgid,    random_secret<messages::kSessionKeySize>(),
      get_public_key(),        {author_key, nullptr}, &core_.state.keys.signing};
  STREAMS_ASSIGN_OR_RETURN(auto out,
                           detail::build(header, content, core_.options.max_message_bytes));
  core_.state.subscription = PendingMessage{out.link, out.bytes};
  detail::commit_pending(*this, std::move(out), MsgInfo::kSubscribe);
  return link;
}

Result<Address> UserBase::prepare_unsubscribe(const Address& subscription) {
  STREAMS_TRY(detail::require_nothing_pending(*this));
  STREAMS_TRY(detail::require_in_channel(*this, subscription, "unsubscribe link"));
  STREAMS_ASSIGN_OR_RETURN(const uint32_t seq, detail::own_seq_no(*this));
  const Address link = detail::link_from(*this, get_public_key().bytes, subscription.msgid, seq);
  Bytes<message::kAddressSize> prev;
  auto header =
      make_header(ContentType::kUnsubscribe, link, subscription, prev, seq, get_public_key());
  messages::Unsubscribe content{&core_.state.link_store, subscription.msgid, get_public_key(),
                                &core_.state.keys.signing};
  STREAMS_ASSIGN_OR_RETURN(auto out,
                           detail::build(header, content, core_.options.max_message_bytes));
  detail::commit_pending(*this, std::move(out), MsgInfo::kUnsubscribe);
  return link;
}

namespace {

// KeyMap::filter: Ed25519 identities the store knows, PSK identities it holds a key for, in the
// caller's order; unknown identities are dropped.
std::vector<messages::KeyloadRecipient> known_recipients(const KeyStore& store,
                                                         const std::vector<Identifier>& ids) {
  std::vector<messages::KeyloadRecipient> out;
  for (const auto& id : ids) {
    if (id.is_psk()) {
      if (const crypto::Psk* psk = store.psk(id)) out.push_back({id, {}, psk});
    } else if (const crypto::X25519PublicKey* key = store.exchange_key(id)) {
      out.push_back({id, *key, nullptr});
    }
  }
  return out;
}

}  // namespace

Result<MessageLinks> UserBase::prepare_keyload(const Address& link_to,
                                               const std::vector<Identifier>& recipients) {
  STREAMS_TRY(detail::require_nothing_pending(*this));
  STREAMS_TRY(detail::require_in_channel(*this, link_to, "keyload link"));
  STREAMS_ASSIGN_OR_RETURN(const uint32_t seq, detail::own_seq_no(*this));
  const Address link = detail::link_from(*this, get_public_key().bytes, link_to.msgid, seq);
  Bytes<message::kAddressSize> prev;
  auto header = make_header(ContentType::kKeyload, link, link_to, prev, seq, get_public_key());
  messages::Keyload content;
  content.store = &core_.state.link_store;
  content.link = link_to.msgid;
  platform::random_bytes(content.nonce.data(), content.nonce.size());
  content.key = random_secret<messages::kSessionKeySize>();
  content.signer = &core_.state.keys.signing;
  content.recipients = known_recipients(core_.state.key_store, recipients);
  STREAMS_ASSIGN_OR_RETURN(auto out,
                           detail::build(header, content, core_.options.max_message_bytes));
  return detail::prepare_sequenced(*this, std::move(out), link_to.msgid, MsgInfo::kKeyload);
}

Result<MessageLinks> UserBase::prepare_keyload_for_everyone(const Address& link_to) {
  // KeyMap::keys: every Ed25519 identity (the author's own included), then every PSK held.
  std::vector<Identifier> everyone;
  for (const auto* entry : core_.state.key_store.entries()) {
    if (!entry->id.is_psk() || entry->psk) everyone.push_back(entry->id);
  }
  return prepare_keyload(link_to, everyone);
}

Result<MessageLinks> UserBase::prepare_signed_packet(const Address& link_to,
                                                     ByteSpan public_payload,
                                                     ByteSpan masked_payload) {
  STREAMS_TRY(detail::require_nothing_pending(*this));
  STREAMS_TRY(detail::require_in_channel(*this, link_to, "signed packet link"));
  if (core_.state.use_psk) {
    return STREAMS_ERROR(Errc::kMessageBuildFailure,
                         "a user publishing under a PSK cannot sign packets");
  }
  STREAMS_ASSIGN_OR_RETURN(const uint32_t seq, detail::own_seq_no(*this));
  const Address link = detail::link_from(*this, get_public_key().bytes, link_to.msgid, seq);
  Bytes<message::kAddressSize> prev;
  auto header = make_header(ContentType::kSignedPacket, link, link_to, prev, seq, get_public_key());
  messages::SignedPacket content{&core_.state.link_store, link_to.msgid,
                                 get_public_key(),        public_payload,
                                 masked_payload,          &core_.state.keys.signing};
  STREAMS_ASSIGN_OR_RETURN(auto out,
                           detail::build(header, content, core_.options.max_message_bytes));
  return detail::prepare_sequenced(*this, std::move(out), link_to.msgid, MsgInfo::kSignedPacket);
}

Result<MessageLinks> UserBase::prepare_tagged_packet(const Address& link_to,
                                                     ByteSpan public_payload,
                                                     ByteSpan masked_payload) {
  STREAMS_TRY(detail::require_nothing_pending(*this));
  STREAMS_TRY(detail::require_in_channel(*this, link_to, "tagged packet link"));
  STREAMS_ASSIGN_OR_RETURN(const Identifier id, detail::publishing_identifier(*this));
  STREAMS_ASSIGN_OR_RETURN(const uint32_t seq, detail::own_seq_no(*this));
  const Address link = detail::link_from(*this, id.bytes(), link_to.msgid, seq);
  Bytes<message::kAddressSize> prev;
  auto header = make_header(ContentType::kTaggedPacket, link, link_to, prev, seq, id);
  messages::TaggedPacket content{&core_.state.link_store, link_to.msgid, public_payload,
                                 masked_payload};
  STREAMS_ASSIGN_OR_RETURN(auto out,
                           detail::build(header, content, core_.options.max_message_bytes));
  return detail::prepare_sequenced(*this, std::move(out), link_to.msgid, MsgInfo::kTaggedPacket);
}

namespace detail {
namespace {

// Commits a keyload or packet as pending, then what its channel type asks for (user.rs
// wrap_sequence, commit_sequence, commit_sequence_to_all): in a multi-branch channel a sequence
// message in the publisher's chain, pending after it; otherwise cursor updates.
Result<MessageLinks> prepare_sequenced(UserBase& user, Outgoing message, const MsgId& ref_link,
                                       MsgInfo info) {
  UserCore& c = core(user);
  STREAMS_ASSIGN_OR_RETURN(const Identifier id, publishing_identifier(user));
  const Cursor* found = c.state.key_store.cursor(id);
  if (found == nullptr) {  // WrappedSequence::None: nothing to chain
    const Address link = message.link;
    commit_pending(user, std::move(message), info);
    return MessageLinks{link, std::nullopt};
  }
  const Cursor cursor = *found;
  STREAMS_ASSIGN_OR_RETURN(const uint32_t own_seq, own_seq_no(user));
  const bool own_identity = id == Identifier(user.get_public_key());

  std::optional<Outgoing> sequence;
  if (user.is_multi_branching()) {
    // Built before anything is committed, so that a failure leaves the state unchanged.
    const Address seq_link = link_from(user, id.bytes(), cursor.link, kSequenceSeqNo);
    const Address chain_prev{c.state.announcement->channel, cursor.link};
    Bytes<message::kAddressSize> prev;
    auto header = make_header(message::ContentType::kSequence, seq_link, chain_prev, prev,
                              kSequenceSeqNo, id);
    // The official writer puts the PSK identity's cursor number here, which stays behind the
    // packet's number after the first PSK packet; the packet's own number keeps readers on the
    // right address.
    const uint64_t seq_num = own_identity ? cursor.seq_num() : own_seq;
    messages::Sequence content{&c.state.link_store, cursor.link, id, seq_num, ref_link};
    STREAMS_ASSIGN_OR_RETURN(sequence, build(header, content, c.options.max_message_bytes));
  }

  const Address link = message.link;
  commit_pending(user, std::move(message), info);
  if (sequence) {
    const Address seq_link = sequence->link;
    commit_pending(user, std::move(*sequence), MsgInfo::kSequence);
    Cursor* chain = c.state.key_store.cursor(id);
    chain->link = seq_link.msgid;
    chain->seq_no += 1;
    if (!own_identity) c.state.key_store.cursor(Identifier(user.get_public_key()))->seq_no += 1;
    return MessageLinks{link, seq_link};
  }
  if (user.is_single_depth()) {
    user.store_state_for_all(Address{c.state.announcement->channel, cursor.link},
                             cursor.seq_no + 1);
  } else {
    // The message just sent. (The official writer recomputes this address with its Ed25519 key even
    // for a packet published under a PSK, which names a message that does not exist.)
    user.store_state_for_all(link, cursor.seq_no + 1);
  }
  return MessageLinks{link, std::nullopt};
}

}  // namespace
}  // namespace detail
}  // namespace iota_streams::channels
