// Receiving: one skeleton (read_at) for every message type. It takes every message found at the
// address, checks each without touching the state (check_candidate: header, then content and its
// signature or MAC), chooses one, and only then is the state changed (apply). A refused message
// leaves the user exactly as it was (the official handlers commit to the link store before their
// last checks, and take an address only when it holds exactly one message).
#include <algorithm>

#include "messages.h"
#include "user_internal.h"

namespace iota_streams::channels {

using message::ContentType;

namespace detail {

std::string message_name(ContentType type) {
  return std::string(message::content_type_name(static_cast<uint8_t>(type)));
}

Error read_failure(const ddml::Status& status, const char* what, const Address& link,
                   ByteSpan bytes) {
  // A refused message keeps a code, a static text and where (the message id, the byte): the whole
  // text is built only if somebody asks for it.
  const uint8_t* msgid = link.msgid.bytes.data();
  const auto offset = static_cast<uint32_t>(status.offset);
  switch (status.code) {
    case Errc::kSignatureMismatch:
      return Error(status.code, STREAMS_TEXT("signature verification failed"), what, msgid,
                   Error::kNoOffset);
    case Errc::kBadMac:
      return Error(status.code, STREAMS_TEXT("MAC check failed"), what, msgid, Error::kNoOffset);
    case Errc::kLinkNotFound: {
#if STREAMS_ERROR_TEXT
      const std::string where = std::string(what) + " at " + link.to_string();
      std::string linked = "?";
      if (status.offset + message::kMsgIdSize <= bytes.size()) {
        linked = to_hex(bytes.subspan(status.offset, message::kMsgIdSize));
      }
      return Error(status.code, "cannot read " + where + ": it links to message " + linked +
                                    ", which this user has not read or has no access to");
#else
      (void)bytes;
      return Error(status.code, "", what, msgid, offset);
#endif
    }
    case Errc::kStreamTooShort:
      return Error(status.code, STREAMS_TEXT("truncated"), what, msgid, offset);
    case Errc::kBadPublicKey:
      return Error(status.code, STREAMS_TEXT("invalid Ed25519 public key"), what, msgid, offset);
    case Errc::kBadOneof:
      return Error(status.code, STREAMS_TEXT("unknown identifier tag"), what, msgid, offset);
    default:
      return Error(status.code, status.what, what, msgid, offset);
  }
}

namespace {

// The sender in the header must be the key the content authenticates (an honest writer always puts
// the same one; the header's copy is not covered by the signature for a reader without the key).
Result<void> require_sender(const message::Header& header, const Identifier& expected,
                            std::string_view what) {
  if (header.sender == expected) return {};
  return STREAMS_ERROR(Errc::kSignatureMismatch,
                       std::string(what) + " at " + header.link.to_string() +
                           ": the header names sender " + header.sender.to_hex() +
                           " but the content is from " + expected.to_hex());
}

std::optional<Address> previous_of(const message::Header& header) {
  if (header.previous_link.empty()) return std::nullopt;
  auto prev = Address::from_bytes(header.previous_link);
  return prev.ok() ? std::optional<Address>(*prev) : std::nullopt;
}

// "announce", "keyload or signed packet or tagged packet", ...
std::string accepted_names(Accept accept) {
  std::string names;
  for (uint8_t code = 0; code < 7; ++code) {
    const auto type = static_cast<ContentType>(code);
    if (!detail::accepts(accept, type)) continue;
    if (!names.empty()) names += " or ";
    names += detail::message_name(type);
  }
  return names;
}

// A reading started from the header, filled by the check of its content.
std::unique_ptr<detail::Reading> reading_of(const Address& link, const message::Preparsed& pre) {
  auto reading = std::make_unique<detail::Reading>();
  reading->link = link;
  reading->type = pre.content_type();
  reading->seq_num = pre.header().seq_num;
  reading->prev_link = previous_of(pre.header());
  return reading;
}

// Several candidates refused: one error that names each, with the code of the most telling one.
Error refused_all(const Address& link, Accept accept, const std::vector<Refusal>& refused,
                  size_t telling) {
  if (refused.size() == 1) return refused.front().reason;
#if !STREAMS_ERROR_TEXT
  return Error(refused[telling].reason.code(), "", nullptr, link.msgid.bytes.data(),
               Error::kNoOffset);
#endif
  std::string text = "no valid " + accepted_names(accept) + " among the " +
                     std::to_string(refused.size()) + " messages at " + link.to_string() + ":";
  for (const auto& refusal : refused) {
    text += " [" + std::to_string(refusal.candidate) + "] " + refusal.reason.message() + ";";
  }
  text.pop_back();
  return Error(refused[telling].reason.code(), std::move(text));
}


// The error paths of the receive skeleton, out of line: inlined, their strings would sit in the
// frames every read keeps on the stack while a signature is verified (the firmware's budget is 8
// KiB).
[[gnu::noinline, gnu::cold]] Error wrong_type(Accept accept, const Address& link,
                                              ContentType found) {
  const Errc code =
      accept == Accept::kAnnounce ? Errc::kNotAnnouncement : Errc::kUnknownMessageType;
  return STREAMS_ERROR_AT(code, link.msgid.bytes.data(),
                          "expected " + accepted_names(accept) + " at " + link.to_string() +
                              ", found " + detail::message_name(found));
}

[[gnu::noinline, gnu::cold]] Error without_previous_link(ContentType type, const Address& link) {
  return STREAMS_ERROR_AT(
      Errc::kInvalidAddress, link.msgid.bytes.data(),
      detail::message_name(type) + " at " + link.to_string() + " has no previous link");
}

[[gnu::noinline, gnu::cold]] Error transport_failed(Error error, const Address& link) {
  return std::move(STREAMS_PREFIXED(error, "reading " + link.to_string()));
}

[[gnu::noinline, gnu::cold]] Error nothing_at(const Address& link) {
  return STREAMS_ERROR_AT(Errc::kLinkNotFoundInTransport, link.msgid.bytes.data(),
                          "no message found at " + link.to_string());
}

[[gnu::noinline, gnu::cold]] Error too_many(size_t found, const Address& link, size_t limit) {
  return Error(
      Errc::kCapacityExceeded,
      std::to_string(found) + " different messages found at " + link.to_string() +
          ", more than the " + std::to_string(limit) +
          " a read takes from one address (UserOptions::max_candidates, STREAMS_MAX_CANDIDATES)");
}

// Smallest bytes first, byte-identical copies once.
[[gnu::noinline]] void order_and_merge(std::vector<MessageBytes>& candidates) {
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
}

// Wipes what a message decrypted in place when the check of its candidate returns.
struct PlaintextWipe {
  message::Preparsed& pre;
  explicit PlaintextWipe(message::Preparsed& p) : pre(p) {}
  PlaintextWipe(const PlaintextWipe&) = delete;
  PlaintextWipe& operator=(const PlaintextWipe&) = delete;
  ~PlaintextWipe() { pre.wipe_plaintext(); }
};

// What fetch steps over: a candidate whose header is the expected one, read no further.
[[gnu::noinline]] std::unique_ptr<detail::Reading> unreadable_at(const Address& link,
                                                                 const Probe& probe) {
  auto unreadable = std::make_unique<detail::Reading>();
  unreadable->link = link;
  unreadable->type = probe.type;
  unreadable->seq_num = probe.seq_num;
  unreadable->prev_link = probe.prev_link;
  unreadable->readable = false;
  return unreadable;
}

Result<void> require_room_for(const UserBase& user, const std::vector<Identifier>& ids) {
  const size_t capacity = user.state().key_store.capacity();
  if (capacity == 0) return {};
  size_t missing = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    bool seen = user.state().key_store.contains(ids[i]);
    for (size_t j = 0; j < i && !seen; ++j) seen = ids[j] == ids[i];
    if (!seen) ++missing;
  }
  if (user.state().key_store.size() + missing > capacity) {
    return STREAMS_ERROR(Errc::kCapacityExceeded,
                         "the key store cannot take " + std::to_string(missing) +
                             " more identities (capacity " + std::to_string(capacity) + ")");
  }
  return {};
}

[[gnu::noinline]] Result<ReadingPtr> check_announce(const UserBase& user, const Address& link,
                                                    message::Preparsed& pre, ByteSpan bytes) {
  if (user.is_registered() && *user.state().announcement != link) {
    return STREAMS_ERROR(
        Errc::kAlreadyRegistered,
        "already registered in the channel announced at " + user.state().announcement->to_string());
  }
  messages::Announce content;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "announce", link, bytes);
  const Identifier author(content.author);
  STREAMS_TRY(require_sender(pre.header(), author, "announce"));
  if (message::channel_author(link.channel) != content.author) {
    return STREAMS_ERROR_AT(Errc::kAppInstMismatch, link.msgid.bytes.data(),
                            "announce at " + link.to_string() + " is signed by " + author.to_hex() +
                                ", not by the key its channel address names");
  }
  STREAMS_TRY(require_room_for(user, {author, Identifier(user.get_public_key())}));
  auto reading = reading_of(link, pre);
  reading->inner = inner;
  reading->key = content.author;
  reading->flags = content.flags;
  return reading;
}

[[gnu::noinline]] Result<ReadingPtr> check_subscribe(const UserBase& user, const Address& link,
                                                     message::Preparsed& pre, ByteSpan bytes) {
  messages::Subscribe content;
  content.store = &user.state().link_store;
  content.exchange.own_secret = &user.state().keys.exchange_secret;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "subscribe", link, bytes);
  const Identifier subscriber(content.subscriber);
  STREAMS_TRY(require_sender(pre.header(), subscriber, "subscribe"));
  if (user.state().key_store.contains(subscriber)) {
    return STREAMS_ERROR(Errc::kAlreadyRegistered,
                         "subscriber " + subscriber.to_hex() + " is already registered");
  }
  STREAMS_TRY(require_room_for(user, {subscriber}));
  auto reading = reading_of(link, pre);
  reading->inner = inner;
  reading->key = content.subscriber;
  return reading;
}

[[gnu::noinline]] Result<ReadingPtr> check_unsubscribe(const UserBase& user, const Address& link,
                                                       message::Preparsed& pre, ByteSpan bytes) {
  messages::Unsubscribe content;
  content.store = &user.state().link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "unsubscribe", link, bytes);
  const Identifier subscriber(content.subscriber);
  STREAMS_TRY(require_sender(pre.header(), subscriber, "unsubscribe"));
  if (!user.state().key_store.contains(subscriber)) {
    return STREAMS_ERROR_AT(Errc::kNotRegistered, link.msgid.bytes.data(),
                            "unsubscribe at " + link.to_string() + ": subscriber " +
                                subscriber.to_hex() + " is not registered");
  }
  auto reading = reading_of(link, pre);
  reading->inner = inner;
  reading->key = content.subscriber;
  return reading;
}

[[gnu::noinline]] Result<ReadingPtr> check_keyload(const UserBase& user, const Address& link,
                                                   message::Preparsed& pre, ByteSpan bytes) {
  if (!user.state().author_public_key)
    return STREAMS_ERROR(Errc::kAuthorKeyNotFound, "the channel author's key is unknown");
  // Only the author's keyloads verify for a recipient; a reader without the key cannot check
  // anything else, so it also refuses a keyload whose (address-bound) header names someone else.
  STREAMS_TRY(require_sender(pre.header(), Identifier(*user.state().author_public_key), "keyload"));
  messages::Keyload content;
  content.store = &user.state().link_store;
  content.author = &*user.state().author_public_key;
  content.own_psks = &user.state().key_store;
  content.own_public_key = &user.get_public_key();
  content.own_exchange_secret = &user.state().keys.exchange_secret;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "keyload", link, bytes);
  // The recipients are authenticated only for a reader who got the key: only then are they learned
  // (the official reader also adds those of keyloads it cannot open).
  if (content.key_found) STREAMS_TRY(require_room_for(user, content.recipient_ids));
  auto reading = reading_of(link, pre);
  reading->inner = inner;
  reading->authenticated = content.key_found;
  if (content.key_found) reading->recipients = std::move(content.recipient_ids);
  return reading;
}

[[gnu::noinline]] Result<ReadingPtr> check_signed_packet(const UserBase& user, const Address& link,
                                                         message::Preparsed& pre, ByteSpan bytes) {
  if (user.is_single_depth() && !user.state().anchor)
    return STREAMS_ERROR(Errc::kNotRegistered, "no single-depth anchor");
  messages::SignedPacket content;
  content.store = &user.state().link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "signed packet", link, bytes);
  STREAMS_TRY(require_sender(pre.header(), Identifier(content.publisher), "signed packet"));
  auto reading = reading_of(link, pre);
  reading->inner = inner;
  reading->key = content.publisher;
  reading->public_payload.assign(content.public_payload.begin(), content.public_payload.end());
  reading->masked_payload.assign(content.masked_payload.begin(), content.masked_payload.end());
  return reading;
}

[[gnu::noinline]] Result<ReadingPtr> check_tagged_packet(const UserBase& user, const Address& link,
                                                         message::Preparsed& pre, ByteSpan bytes) {
  if (user.is_single_depth() && !user.state().anchor)
    return STREAMS_ERROR(Errc::kNotRegistered, "no single-depth anchor");
  messages::TaggedPacket content;
  content.store = &user.state().link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "tagged packet", link, bytes);
  auto reading = reading_of(link, pre);
  reading->inner = inner;
  reading->public_payload.assign(content.public_payload.begin(), content.public_payload.end());
  reading->masked_payload.assign(content.masked_payload.begin(), content.masked_payload.end());
  return reading;
}

// A sequence and the message it announces, read as one: nothing in a sequence is authenticated, so
// it counts only when a message whose header says what the sequence says is there. When that
// message cannot be read (left out of a keyload, or no valid one), the sequence still moves the
// cursor and the message is returned as unreadable (the official Unreadable).
[[gnu::noinline]] Result<ReadingPtr> check_sequence(const UserBase& user, const Address& link,
                                                    message::Preparsed& pre, ByteSpan bytes,
                                                    Probe& probe) {
  messages::Sequence content;
  content.store = &user.state().link_store;
  sponge::Inner inner;
  const auto status = pre.unwrap_content(content, inner);
  if (!status.ok()) return detail::read_failure(status, "sequence", link, bytes);
  // A sequence carries no signature or MAC: what an honest writer always writes is checked instead.
  STREAMS_TRY(require_sender(pre.header(), content.publisher, "sequence"));
  if (previous_of(pre.header())->msgid != content.link) {
    return STREAMS_ERROR_AT(
        Errc::kInvalidAddress, link.msgid.bytes.data(),
        "sequence at " + link.to_string() + " joins another message than its header's link");
  }
  if (content.seq_num > UINT32_MAX) {
    return STREAMS_ERROR_AT(Errc::kValueOutOfRange, link.msgid.bytes.data(),
                            "sequence at " + link.to_string() + " names message number " +
                                std::to_string(content.seq_num));
  }
  // The announced address follows from the sender, link and number the sequence names; a header
  // parsed strictly at that address has exactly these (check_unauthenticated_fields).
  const Address referenced = link_from(user, content.publisher.bytes(), content.ref_link,
                                       static_cast<uint32_t>(content.seq_num));
  Attempt announced = read_at(user, referenced, Accept::kAnnounced);
  if (announced.transport_failed) {
    probe.transport_failed = true;
    return STREAMS_PREFIXED(std::move(*announced.error),
                            "the message announced by the sequence at " + link.to_string());
  }
  auto reading = reading_of(link, pre);
  reading->inner = inner;
  reading->sequence = PendingSequence{link, inner, content.publisher, referenced, content.seq_num};
  if (announced.reading) {
    reading->announced = std::move(announced.reading);
  } else if (announced.unreadable) {
    reading->announced = std::move(announced.unreadable);
  } else if (announced.other_type) {
    return STREAMS_ERROR_AT(Errc::kUnknownMessageType, link.msgid.bytes.data(),
                            "the sequence at " + link.to_string() + " announces a " +
                                detail::message_name(*announced.other_type) +
                                ", not a packet or keyload");
  } else {
    return STREAMS_PREFIXED(std::move(*announced.error),
                            "the message announced by the sequence at " + link.to_string());
  }
  reading->authenticated = reading->announced->readable && reading->announced->authenticated;
  reading->forked = reading->announced->forked;
  return reading;
}

// One candidate, checked without changing the state: the header first (it fails for junk, at the
// cost of one parse), then the content with its signature or MAC.
[[gnu::noinline]] Result<ReadingPtr> check_candidate(const UserBase& user, const Address& link,
                                                     MessageBytes& bytes, Accept accept,
                                                     Probe& probe) {
  auto pre = message::Preparsed::parse(bytes, link, message::Strictness::kStrict);
  if (!pre.ok()) return std::move(pre).error();
  const ContentType type = pre->content_type();
  probe.stage = Probe::kParsed;
  probe.type = type;
  probe.seq_num = pre->header().seq_num;
  probe.prev_link = previous_of(pre->header());
  if (!detail::accepts(accept, type)) return wrong_type(accept, link, type);
  if (type != ContentType::kAnnounce) {
    STREAMS_TRY(require_in_channel(user, link, detail::message_name(type)));
    if (!probe.prev_link) return without_previous_link(type, link);
  }
  probe.stage = Probe::kHeaderMatched;
  // A reading holds copies of its payloads, and a message refused after its content was unwrapped
  // (a sender that is not the header's, a subscriber already known) holds nothing: whichever way
  // the check ends, no plaintext is left in the candidate's bytes.
  const PlaintextWipe wipe{*pre};
  switch (type) {
    case ContentType::kAnnounce:
      return check_announce(user, link, *pre, bytes);
    case ContentType::kSubscribe:
      return check_subscribe(user, link, *pre, bytes);
    case ContentType::kUnsubscribe:
      return check_unsubscribe(user, link, *pre, bytes);
    case ContentType::kKeyload:
      return check_keyload(user, link, *pre, bytes);
    case ContentType::kSignedPacket:
      return check_signed_packet(user, link, *pre, bytes);
    case ContentType::kTaggedPacket:
      return check_tagged_packet(user, link, *pre, bytes);
    case ContentType::kSequence:
      return check_sequence(user, link, *pre, bytes, probe);
  }
  return STREAMS_ERROR_AT(Errc::kUnknownMessageType, link.msgid.bytes.data(),
                          "unknown message type at " + link.to_string());
}

}  // namespace

// The receive skeleton: every message at `link`, each checked (check_candidate) without changing
// the state; the caller applies the one chosen.
//
// Byte-identical copies count once. Candidates are tried in lexicographic order of their bytes, and
// the first valid one is chosen: two different valid messages at one address can only come from a
// sender that forked its own state, and every reader must then read the same one, whatever order
// its node returns them in (nodes promise none) and whenever it reads (a later copy cannot displace
// the first one read by others, since only valid messages compete and a third party cannot make
// one). The smallest bytes are a rule each reader applies alone, with nothing to agree on; arrival
// order is not (readers see different nodes), nor is "the one I can read" (readers hold different
// keys). A keyload this reader can open outranks one it cannot check, and a sequence whose message
// it can read one whose message it cannot.
[[gnu::noinline]] Attempt read_at(const UserBase& user, const Address& link, Accept accept) {
  Attempt attempt;
  attempt.report.link = link;
  auto received = user.transport().recv_messages(link);
  if (!received.ok()) {
    attempt.transport_failed = true;
    attempt.error = transport_failed(std::move(received).error(), link);
    return attempt;
  }
  std::vector<MessageBytes>& candidates = *received;
  if (candidates.empty()) {
    attempt.error = nothing_at(link);
    return attempt;
  }
  if (candidates.size() > 1) order_and_merge(candidates);
  // Counted once copies are merged: a sender that publishes the same bytes again (a retried send)
  // adds nothing to read. The transport bounds what it fetches in the first place.
  if (core(user).options.max_candidates != 0 &&
      candidates.size() > core(user).options.max_candidates) {
    attempt.report.found = candidates.size();
    attempt.error = too_many(candidates.size(), link, core(user).options.max_candidates);
    attempt.report.refused.push_back({link, Refusal::kWholeAddress, *attempt.error});
    return attempt;
  }
  attempt.report.found = candidates.size();
  size_t telling = 0;  // the refusal whose candidate got furthest
  Probe::Stage furthest = Probe::kUnparsed;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Probe probe;
    auto checked = check_candidate(user, link, candidates[i], accept, probe);
    if (probe.transport_failed) {
      attempt.reading.reset();
      attempt.transport_failed = true;
      attempt.error = std::move(checked).error();
      return attempt;
    }
    if (!checked.ok()) {
      if (probe.stage == Probe::kHeaderMatched && !attempt.unreadable) {
        attempt.unreadable = unreadable_at(link, probe);
        attempt.unreadable_code = checked.error().code();
        attempt.unreadable_candidate = i;
      }
      if (probe.stage == Probe::kParsed && !attempt.other_type) attempt.other_type = probe.type;
      if (attempt.report.refused.empty() || probe.stage > furthest) {
        telling = attempt.report.refused.size();
        furthest = probe.stage;
      }
      attempt.report.refused.push_back(Refusal{link, i, std::move(checked).error()});
      continue;
    }
    ReadingPtr reading = std::move(checked).value();
    if (!attempt.reading) {
      attempt.reading = std::move(reading);
    } else if (reading->authenticated && attempt.reading->authenticated) {
      attempt.report.forked = true;  // the one read stays: its bytes are smaller
    } else if (reading->authenticated) {
      attempt.reading = std::move(reading);
    }
  }
  if (attempt.reading) {
    attempt.reading->forked = attempt.reading->forked || attempt.report.forked;
  } else {
    attempt.error = refused_all(link, accept, attempt.report.refused, telling);
  }
  return attempt;
}

Result<ReadingPtr> receive(UserBase& user, const Address& link, Accept accept, bool store) {
  Attempt attempt = read_at(user, link, accept);
  core(user).last_read = std::move(attempt.report);
  if (!attempt.reading) return std::move(*attempt.error);
  apply(user, *attempt.reading, store);
  return std::move(attempt.reading);
}

// Commits a message checked by check_candidate: nothing here can fail.
void apply(UserBase& user, const Reading& reading, bool store) {
  UserCore& c = core(user);
  const Address& link = reading.link;
  switch (reading.type) {
    case ContentType::kAnnounce: {
      const Cursor start{link.msgid, 0, kFirstSeqNo};
      // Both inserts can only fail for room or an invalid key, both checked.
      (void)c.state.key_store.insert_cursor(Identifier(reading.key), start);
      (void)c.state.key_store.insert_cursor(Identifier(user.get_public_key()), start);
      c.state.link_store.update(link.msgid, reading.inner, MsgInfo::kAnnounce);
      c.state.anchor = Anchor{link, kFirstSeqNo};
      c.state.announcement = link;
      c.state.author_public_key = reading.key;
      c.state.flags = reading.flags;
      return;
    }
    case ContentType::kSubscribe:
      c.state.link_store.update(link.msgid, reading.inner, MsgInfo::kSubscribe);
      (void)store_new_subscriber(user, reading.key);  // not registered: checked
      return;
    case ContentType::kUnsubscribe:
      c.state.link_store.update(link.msgid, reading.inner, MsgInfo::kUnsubscribe);
      c.state.key_store.remove(Identifier(reading.key));
      return;
    case ContentType::kKeyload:
      if (reading.authenticated) {
        for (const auto& id : reading.recipients) {
          if (c.state.key_store.contains(id)) continue;
          // Room was checked with the keyload.
          (void)c.state.key_store.insert_cursor(
              id, Cursor{c.state.announcement->msgid, 0, kFirstSeqNo});
        }
        c.state.link_store.update(link.msgid, reading.inner, MsgInfo::kKeyload);
      }
      advance_cursors_after(user, link, ContentType::kKeyload, reading.seq_num);
      return;
    case ContentType::kSignedPacket:
    case ContentType::kTaggedPacket:
      c.state.link_store.update(link.msgid, reading.inner,
                                reading.type == ContentType::kSignedPacket
                                    ? MsgInfo::kSignedPacket
                                    : MsgInfo::kTaggedPacket);
      advance_cursors_after(user, link, reading.type, reading.seq_num);
      return;
    case ContentType::kSequence:
      commit_sequence(user, *reading.sequence, store);
      if (reading.announced->readable) apply(user, *reading.announced, store);
      return;
  }
}

// Single-branch: every cursor moves to the message just read (store_state_for_all). Single-depth:
// packets count from the anchor, and a keyload becomes the new anchor. Multi-branch: sequence
// messages move the cursors instead.
void advance_cursors_after(UserBase& user, const Address& link, ContentType type,
                           uint64_t seq_num) {
  UserCore& c = core(user);
  if (user.is_multi_branching()) return;
  const uint32_t next =
      static_cast<uint32_t>(seq_num) + 1;  // seq_num < 2^32: checked with the address
  if (type == ContentType::kKeyload) {
    user.store_state_for_all(link, next);
    if (user.is_single_depth()) c.state.anchor = Anchor{link, next};
    return;
  }
  user.store_state_for_all(user.is_single_depth() ? c.state.anchor->link : link, next);
}

void commit_sequence(UserBase& user, const PendingSequence& sequence, bool store_cursor) {
  UserCore& c = core(user);
  c.state.link_store.update(sequence.link.msgid, sequence.inner, MsgInfo::kSequence);
  if (store_cursor)
    user.store_state(sequence.publisher, sequence.link);  // unknown publishers: nothing to move
}

Result<bool> valid_announce_at(const UserBase& user, const Address& link) {
  Attempt attempt = read_at(user, link, Accept::kAnnounce);
  if (attempt.transport_failed) return std::move(*attempt.error);
  return attempt.reading != nullptr && attempt.reading->key == user.get_public_key();
}

// What a keyload, packet or sequence read gives the caller.
UnwrappedMessage unwrapped_of(const Reading& reading) {
  const detail::Reading& message = reading.announced ? *reading.announced : reading;
  UnwrappedMessage out;
  out.link = message.link;
  out.prev_link = message.prev_link;
  out.forked = reading.forked;
  if (!message.readable) return out;  // kUnreadable
  switch (message.type) {
    case ContentType::kSignedPacket:
      out.kind = UnwrappedMessage::Kind::kSignedPacket;
      out.publisher = message.key;
      break;
    case ContentType::kTaggedPacket:
      out.kind = UnwrappedMessage::Kind::kTaggedPacket;
      break;
    case ContentType::kKeyload:
      out.kind = UnwrappedMessage::Kind::kKeyload;
      out.has_access = message.authenticated;
      return out;
    default:
      return out;
  }
  out.public_payload = message.public_payload;
  out.masked_payload = message.masked_payload;
  return out;
}

}  // namespace detail

using detail::Accept;

Result<void> UserBase::receive_announcement(const Address& link) {
  STREAMS_TRY(detail::receive(*this, link, Accept::kAnnounce, true));
  return {};
}

Result<void> UserBase::receive_subscribe(const Address& link) {
  STREAMS_TRY(detail::receive(*this, link, Accept::kSubscribe, true));
  return {};
}

Result<void> UserBase::receive_unsubscribe(const Address& link) {
  STREAMS_TRY(detail::receive(*this, link, Accept::kUnsubscribe, true));
  return {};
}

Result<bool> UserBase::receive_keyload(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto read, detail::receive(*this, link, Accept::kKeyload, true));
  return read->authenticated;
}

Result<SignedPayloads> UserBase::receive_signed_packet(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto read, detail::receive(*this, link, Accept::kSignedPacket, true));
  return SignedPayloads{read->key, std::move(read->public_payload), std::move(read->masked_payload),
                        read->forked};
}

Result<TaggedPayloads> UserBase::receive_tagged_packet(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto read, detail::receive(*this, link, Accept::kTaggedPacket, true));
  return TaggedPayloads{std::move(read->public_payload), std::move(read->masked_payload),
                        read->forked};
}

// The sequence alone: its message was checked (it must be there) but is not read.
Result<Address> UserBase::receive_sequence(const Address& link) {
  detail::Attempt attempt = detail::read_at(*this, link, Accept::kSequence);
  core_.last_read = std::move(attempt.report);
  if (!attempt.reading) return std::move(*attempt.error);
  detail::commit_sequence(*this, *attempt.reading->sequence, true);
  return attempt.reading->sequence->referenced;
}

Result<UnwrappedMessage> UserBase::receive_msg(const Address& link) {
  STREAMS_ASSIGN_OR_RETURN(auto read, detail::receive(*this, link, Accept::kAnyMessage, true));
  return detail::unwrapped_of(*read);
}

}  // namespace iota_streams::channels
