// Receiving: every handler reads and checks the whole message first and changes the user's state only
// once everything passed, so a bad message leaves the user exactly as it was (the official handlers
// commit to the link store before their last checks).
#include "messages.h"
#include "user_internal.h"

namespace iota_streams::channels {

using message::ContentType;

namespace detail {

std::string message_name(ContentType type) { return std::string(message::content_type_name(static_cast<uint8_t>(type))); }

Error read_failure(const ddml::Status& status, const char* what, const Address& link, ByteSpan bytes) {
  // A refused message keeps a code, a static text and where (the message id, the byte): the whole
  // text is built only if somebody asks for it.
  const uint8_t* msgid = link.msgid.bytes.data();
  const auto offset = static_cast<uint32_t>(status.offset);
  switch (status.code) {
    case Errc::kSignatureMismatch:
      return Error(status.code, STREAMS_TEXT("signature verification failed"), what, msgid, Error::kNoOffset);
    case Errc::kBadMac: return Error(status.code, STREAMS_TEXT("MAC check failed"), what, msgid, Error::kNoOffset);
    case Errc::kLinkNotFound: {
      const std::string where = std::string(what) + " at " + link.to_string();
      std::string linked = "?";
      if (status.offset + message::kMsgIdSize <= bytes.size()) {
        linked = to_hex(bytes.subspan(status.offset, message::kMsgIdSize));
      }
      return Error(status.code, "cannot read " + where + ": it links to message " + linked +
                                    ", which this user has not read or has no access to");
    }
    case Errc::kStreamTooShort: return Error(status.code, STREAMS_TEXT("truncated"), what, msgid, offset);
    case Errc::kBadPublicKey:
      return Error(status.code, STREAMS_TEXT("invalid Ed25519 public key"), what, msgid, offset);
    case Errc::kBadOneof: return Error(status.code, STREAMS_TEXT("unknown identifier tag"), what, msgid, offset);
    default: return Error(status.code, status.what, what, msgid, offset);
  }
}

// What handle_message needs to know of a message before reading it. Out of line: the parsed header and
// its spongos are large, and need not stay on the stack while the message is read.
struct Outline {
  ContentType type;
  std::optional<Address> prev_link;
};

}  // namespace detail

using detail::Outline;

namespace {

// The sender in the header must be the key the content authenticates (an honest writer always puts
// the same one; the header's copy is not covered by the signature for a reader without the key).
Result<void> require_sender(const message::Header& header, const Identifier& expected, std::string_view what) {
  if (header.sender == expected) return {};
  return Error(Errc::kSignatureMismatch, std::string(what) + " at " + header.link.to_string() +
                                             ": the header names sender " + header.sender.to_hex() +
                                             " but the content is from " + expected.to_hex());
}

std::optional<Address> previous_of(const message::Header& header);

[[gnu::noinline]] Result<Outline> outline_of(const Address& link, const MessageBytes& bytes) {
  MessageBytes header_copy = bytes;
  STREAMS_ASSIGN_OR_RETURN(auto pre, message::Preparsed::parse(header_copy, link));
  return Outline{pre.content_type(), previous_of(pre.header())};
}

std::optional<Address> previous_of(const message::Header& header) {
  if (header.previous_link.empty()) return std::nullopt;
  auto prev = Address::from_bytes(header.previous_link);
  return prev.ok() ? std::optional<Address>(*prev) : std::nullopt;
}

}  // namespace

Result<message::Preparsed> User::open_message(const Address& link, MessageBytes& bytes, ContentType expected) const {
  auto preparsed = message::Preparsed::parse(bytes, link, message::Strictness::kStrict);
  if (!preparsed.ok()) return std::move(preparsed).error();
  const std::string what = detail::message_name(expected);
  if (preparsed->content_type() != expected) {
    const Errc code = expected == ContentType::kAnnounce ? Errc::kNotAnnouncement : Errc::kUnknownMessageType;
    return Error(code, "expected " + what + " at " + link.to_string() + ", found " +
                           detail::message_name(preparsed->content_type()));
  }
  if (expected != ContentType::kAnnounce) STREAMS_TRY(require_in_channel(link, what));
  if (expected != ContentType::kAnnounce && !previous_of(preparsed->header())) {
    return Error(Errc::kInvalidAddress, what + " at " + link.to_string() + " has no previous link");
  }
  return preparsed;
}

Result<void> User::require_room_for(const std::vector<Identifier>& ids) const {
  const size_t capacity = state_.key_store.capacity();
  if (capacity == 0) return {};
  size_t missing = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    bool seen = state_.key_store.contains(ids[i]);
    for (size_t j = 0; j < i && !seen; ++j) seen = ids[j] == ids[i];
    if (!seen) ++missing;
  }
  if (state_.key_store.size() + missing > capacity) {
    return Error(Errc::kCapacityExceeded, "the key store cannot take " + std::to_string(missing) +
                                              " more identities (capacity " + std::to_string(capacity) + ")");
  }
  return {};
}

Result<void> User::handle_announcement(const Address& link, MessageBytes& bytes) {
  STREAMS_ASSIGN_OR_RETURN(auto pre, open_message(link, bytes, ContentType::kAnnounce));
  if (is_registered() && *state_.announcement != link) {
    return Error(Errc::kAlreadyRegistered, "already registered in the channel announced at " +
                                               state_.announcement->to_string());
  }
  messages::Announce content;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "announce", link, bytes);
  const Identifier author(content.author);
  STREAMS_TRY(require_sender(pre.header(), author, "announce"));
  if (message::channel_author(link.channel) != content.author) {
    return Error(Errc::kAppInstMismatch, "announce at " + link.to_string() + " is signed by " + author.to_hex() +
                                             ", not by the key its channel address names");
  }
  STREAMS_TRY(require_room_for({author, Identifier(get_public_key())}));
  const Cursor start{link.msgid, 0, kFirstSeqNo};
  // Both inserts can only fail for room (checked) or an invalid key (the content verified it).
  STREAMS_TRY(state_.key_store.insert_cursor(author, start));
  STREAMS_TRY(state_.key_store.insert_cursor(Identifier(get_public_key()), start));
  state_.link_store.update(link.msgid, inner, MsgInfo::kAnnounce);
  state_.anchor = Anchor{link, kFirstSeqNo};
  state_.announcement = link;
  state_.author_public_key = content.author;
  state_.flags = content.flags;
  return {};
}

Result<void> User::handle_subscribe(const Address& link, MessageBytes& bytes) {
  STREAMS_ASSIGN_OR_RETURN(auto pre, open_message(link, bytes, ContentType::kSubscribe));
  messages::Subscribe content;
  content.store = &state_.link_store;
  content.exchange.own_secret = &state_.keys.exchange_secret;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "subscribe", link, bytes);
  const Identifier subscriber(content.subscriber);
  STREAMS_TRY(require_sender(pre.header(), subscriber, "subscribe"));
  if (state_.key_store.contains(subscriber)) {
    return Error(Errc::kAlreadyRegistered, "subscriber " + subscriber.to_hex() + " is already registered");
  }
  STREAMS_TRY(require_room_for({subscriber}));
  state_.link_store.update(link.msgid, inner, MsgInfo::kSubscribe);
  return store_new_subscriber(content.subscriber);
}

Result<void> User::handle_unsubscribe(const Address& link, MessageBytes& bytes) {
  STREAMS_ASSIGN_OR_RETURN(auto pre, open_message(link, bytes, ContentType::kUnsubscribe));
  messages::Unsubscribe content;
  content.store = &state_.link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "unsubscribe", link, bytes);
  const Identifier subscriber(content.subscriber);
  STREAMS_TRY(require_sender(pre.header(), subscriber, "unsubscribe"));
  if (!state_.key_store.contains(subscriber)) {
    return Error(Errc::kNotRegistered, "unsubscribe at " + link.to_string() + ": subscriber " + subscriber.to_hex() +
                                           " is not registered");
  }
  state_.link_store.update(link.msgid, inner, MsgInfo::kUnsubscribe);
  state_.key_store.remove(subscriber);
  return {};
}

[[gnu::noinline]] Result<bool> User::handle_keyload(const Address& link, MessageBytes& bytes) {
  STREAMS_ASSIGN_OR_RETURN(auto pre, open_message(link, bytes, ContentType::kKeyload));
  if (!state_.author_public_key) return Error(Errc::kAuthorKeyNotFound, "the channel author's key is unknown");
  // Only the author's keyloads verify for a recipient; a reader without the key cannot check anything
  // else, so it also refuses a keyload whose (address-bound) header names someone else.
  STREAMS_TRY(require_sender(pre.header(), Identifier(*state_.author_public_key), "keyload"));
  messages::Keyload content;
  content.store = &state_.link_store;
  content.author = &*state_.author_public_key;
  content.own_psks = &state_.key_store;
  content.own_public_key = &get_public_key();
  content.own_exchange_secret = &state_.keys.exchange_secret;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "keyload", link, bytes);
  if (content.key_found) {
    // The recipients are authenticated only for a reader who got the key: only then are they learned
    // (the official reader also adds those of keyloads it cannot open).
    STREAMS_TRY(require_room_for(content.recipient_ids));
    for (const auto& id : content.recipient_ids) {
      if (state_.key_store.contains(id)) continue;
      STREAMS_TRY(state_.key_store.insert_cursor(id, Cursor{state_.announcement->msgid, 0, kFirstSeqNo}));
    }
    state_.link_store.update(link.msgid, inner, MsgInfo::kKeyload);
  }
  advance_cursors_after(link, ContentType::kKeyload, pre.header().seq_num);
  return content.key_found;
}

[[gnu::noinline]] Result<SignedPayloads> User::handle_signed_packet(const Address& link, MessageBytes& bytes) {
  STREAMS_ASSIGN_OR_RETURN(auto pre, open_message(link, bytes, ContentType::kSignedPacket));
  if (is_single_depth() && !state_.anchor) return Error(Errc::kNotRegistered, "no single-depth anchor");
  messages::SignedPacket content;
  content.store = &state_.link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "signed packet", link, bytes);
  STREAMS_TRY(require_sender(pre.header(), Identifier(content.publisher), "signed packet"));
  SignedPayloads out{content.publisher,
                     {content.public_payload.begin(), content.public_payload.end()},
                     {content.masked_payload.begin(), content.masked_payload.end()}};
  state_.link_store.update(link.msgid, inner, MsgInfo::kSignedPacket);
  advance_cursors_after(link, ContentType::kSignedPacket, pre.header().seq_num);
  return out;
}

[[gnu::noinline]] Result<TaggedPayloads> User::handle_tagged_packet(const Address& link, MessageBytes& bytes) {
  STREAMS_ASSIGN_OR_RETURN(auto pre, open_message(link, bytes, ContentType::kTaggedPacket));
  if (is_single_depth() && !state_.anchor) return Error(Errc::kNotRegistered, "no single-depth anchor");
  messages::TaggedPacket content;
  content.store = &state_.link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "tagged packet", link, bytes);
  TaggedPayloads out{{content.public_payload.begin(), content.public_payload.end()},
                     {content.masked_payload.begin(), content.masked_payload.end()}};
  state_.link_store.update(link.msgid, inner, MsgInfo::kTaggedPacket);
  advance_cursors_after(link, ContentType::kTaggedPacket, pre.header().seq_num);
  return out;
}

// Single-branch: every cursor moves to the message just read (store_state_for_all). Single-depth:
// packets count from the anchor, and a keyload becomes the new anchor. Multi-branch: sequence
// messages move the cursors instead.
void User::advance_cursors_after(const Address& link, ContentType type, uint64_t seq_num) {
  if (is_multi_branching()) return;
  const uint32_t next = static_cast<uint32_t>(seq_num) + 1;  // seq_num < 2^32: checked with the address
  if (type == ContentType::kKeyload) {
    store_state_for_all(link, next);
    if (is_single_depth()) state_.anchor = Anchor{link, next};
    return;
  }
  store_state_for_all(is_single_depth() ? state_.anchor->link : link, next);
}

Result<User::PendingSequence> User::read_sequence(const Address& link, MessageBytes& bytes) {
  STREAMS_ASSIGN_OR_RETURN(auto pre, open_message(link, bytes, ContentType::kSequence));
  messages::Sequence content;
  content.store = &state_.link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "sequence", link, bytes);
  // A sequence carries no signature or MAC: what an honest writer always writes is checked instead.
  STREAMS_TRY(require_sender(pre.header(), content.publisher, "sequence"));
  if (previous_of(pre.header())->msgid != content.link) {
    return Error(Errc::kInvalidAddress, "sequence at " + link.to_string() + " joins another message than its header's link");
  }
  if (content.seq_num > UINT32_MAX) {
    return Error(Errc::kValueOutOfRange, "sequence at " + link.to_string() + " names message number " +
                                             std::to_string(content.seq_num));
  }
  const Address referenced =
      link_from(content.publisher.bytes(), content.ref_link, static_cast<uint32_t>(content.seq_num));
  return PendingSequence{link, inner, content.publisher, referenced, content.seq_num};
}

// The message a sequence announces; it must exist and its header must say what the sequence says,
// because nothing else in the sequence is authenticated.
Result<MessageBytes> User::fetch_sequenced(const PendingSequence& sequence) {
  auto bytes = transport_->recv_message(sequence.referenced);
  if (!bytes.ok()) {
    return std::move(bytes).error().prefix("the message announced by the sequence at " + sequence.link.to_string());
  }
  MessageBytes copy = *bytes;  // the header parse leaves the bytes as they are, but keep them pristine
  auto pre = message::Preparsed::parse(copy, sequence.referenced, message::Strictness::kStrict);
  if (!pre.ok()) return std::move(pre).error();
  if (pre->header().sender != sequence.publisher || pre->header().seq_num != sequence.seq_num) {
    return Error(Errc::kInvalidAddress, "the message at " + sequence.referenced.to_string() +
                                            " does not match the sequence at " + sequence.link.to_string());
  }
  // Checked before the sequence is committed, so that a sequence naming anything else changes nothing.
  const ContentType type = pre->content_type();
  if (type != ContentType::kSignedPacket && type != ContentType::kTaggedPacket && type != ContentType::kKeyload) {
    return Error(Errc::kUnknownMessageType, "the sequence at " + sequence.link.to_string() + " announces a " +
                                                detail::message_name(type) + ", not a packet or keyload");
  }
  return std::move(bytes).value();
}

void User::commit_sequence(const PendingSequence& sequence, bool store_cursor) {
  state_.link_store.update(sequence.link.msgid, sequence.inner, MsgInfo::kSequence);
  if (store_cursor) store_state(sequence.publisher, sequence.link);  // unknown publishers: nothing to move
}

// Out of line, like the handlers below: inlined, their locals would all share one large frame on
// every read (the firmware's stack budget is 8 KiB).
[[gnu::noinline]] Result<Address> User::follow_sequence(const Address& link, MessageBytes& bytes, bool store) {
  STREAMS_ASSIGN_OR_RETURN(auto sequence, read_sequence(link, bytes));
  STREAMS_ASSIGN_OR_RETURN(bytes, fetch_sequenced(sequence));
  commit_sequence(sequence, store);
  return sequence.referenced;
}

// A keyload or packet, or a sequence followed to the one it announces. Every check that can fail
// comes before the first change to the state, so a refused message changes nothing; what a sequence
// announces but this user cannot read is returned as unreadable (the official Unreadable), after the
// sequence moved the cursor.
Result<UnwrappedMessage> User::handle_message(const Address& link, MessageBytes bytes, bool store) {
  STREAMS_ASSIGN_OR_RETURN(const Outline outline, outline_of(link, bytes));
  UnwrappedMessage out;
  if (outline.type != ContentType::kSequence) {
    STREAMS_TRY(read_content(link, outline, bytes, out));
    return out;
  }
  STREAMS_ASSIGN_OR_RETURN(const Address referenced, follow_sequence(link, bytes, store));
  STREAMS_ASSIGN_OR_RETURN(const Outline announced, outline_of(referenced, bytes));  // parsed strictly before
  (void)read_content(referenced, announced, bytes, out);  // a failure leaves `out` unreadable
  return out;
}

// Fills `out` with what the message holds, only once it has been read: on an error `out` names the
// message and nothing else (kind kUnreadable).
Result<void> User::read_content(const Address& link, const Outline& outline, MessageBytes& bytes,
                                UnwrappedMessage& out) {
  out.link = link;
  out.prev_link = outline.prev_link;
  switch (outline.type) {
    case ContentType::kSignedPacket: {
      STREAMS_ASSIGN_OR_RETURN(auto read, handle_signed_packet(link, bytes));
      out.kind = UnwrappedMessage::Kind::kSignedPacket;
      out.publisher = read.publisher;
      out.public_payload = std::move(read.public_payload);
      out.masked_payload = std::move(read.masked_payload);
      return {};
    }
    case ContentType::kTaggedPacket: {
      STREAMS_ASSIGN_OR_RETURN(auto read, handle_tagged_packet(link, bytes));
      out.kind = UnwrappedMessage::Kind::kTaggedPacket;
      out.public_payload = std::move(read.public_payload);
      out.masked_payload = std::move(read.masked_payload);
      return {};
    }
    case ContentType::kKeyload: {
      STREAMS_ASSIGN_OR_RETURN(out.has_access, handle_keyload(link, bytes));
      out.kind = UnwrappedMessage::Kind::kKeyload;
      return {};
    }
    default:
      return Error(Errc::kUnknownMessageType, "receive_msg reads keyloads, packets and sequences; the message at " +
                                                  link.to_string() + " is a " + detail::message_name(outline.type));
  }
}

Result<void> User::receive_announcement(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_announcement(link, bytes);
}

Result<void> User::receive_subscribe(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_subscribe(link, bytes);
}

Result<void> User::receive_unsubscribe(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_unsubscribe(link, bytes);
}

Result<bool> User::receive_keyload(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_keyload(link, bytes);
}

Result<SignedPayloads> User::receive_signed_packet(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_signed_packet(link, bytes);
}

Result<TaggedPayloads> User::receive_tagged_packet(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_tagged_packet(link, bytes);
}

Result<Address> User::receive_sequence(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  STREAMS_ASSIGN_OR_RETURN(auto sequence, read_sequence(link, bytes));
  STREAMS_TRY(fetch_sequenced(sequence));
  commit_sequence(sequence, true);
  return sequence.referenced;
}

Result<UnwrappedMessage> User::receive_msg(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto bytes, transport_->recv_message(link));
  return handle_message(link, std::move(bytes), true);
}

}  // namespace iota_streams::channels
