#include "iota_streams/channels/user.h"

#include "user_internal.h"

namespace iota_streams::channels {

std::string_view channel_type_name(ChannelType type) {
  switch (type) {
    case ChannelType::kSingleBranch:
      return "single-branch";
    case ChannelType::kMultiBranch:
      return "multi-branch";
    case ChannelType::kSingleDepth:
      return "single-depth";
  }
  return "unknown";
}

std::optional<ChannelType> parse_channel_type(std::string_view text) {
  if (text == "single-branch" || text == "0") return ChannelType::kSingleBranch;
  if (text == "multi-branch" || text == "1") return ChannelType::kMultiBranch;
  if (text == "single-depth" || text == "2") return ChannelType::kSingleDepth;
  return std::nullopt;
}

std::string_view kind_name(UnwrappedMessage::Kind kind) {
  switch (kind) {
    case UnwrappedMessage::Kind::kKeyload:
      return "keyload";
    case UnwrappedMessage::Kind::kSignedPacket:
      return "signed";
    case UnwrappedMessage::Kind::kTaggedPacket:
      return "tagged";
    case UnwrappedMessage::Kind::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

bool UserState::operator==(const UserState& other) const {
  return keys.signing.seed() == other.keys.signing.seed() && flags == other.flags &&
         key_store == other.key_store && link_store == other.link_store &&
         author_public_key == other.author_public_key && announcement == other.announcement &&
         use_psk == other.use_psk && anchor == other.anchor &&
         message_encoding == other.message_encoding &&
         uniform_payload_length == other.uniform_payload_length && pending == other.pending &&
         subscription == other.subscription;
}

namespace {

UserState fresh_state(std::string_view seed, ChannelType type, const UserOptions& options) {
  UserState state(crypto::user_keys_from_seed(seed));
  state.flags = static_cast<uint8_t>(type);
  state.key_store = KeyStore(options.max_identities);
  state.link_store = LinkStore(options.max_links);
  return state;
}

}  // namespace

UserBase::UserBase(std::string_view seed, ChannelType type, Transport& transport,
                   const UserOptions& options)
    : core_{fresh_state(seed, type, options), &transport, options, false, {}} {}

UserBase::UserBase(UserState state, Transport& transport, const UserOptions& options)
    : core_{std::move(state), &transport, options, false, {}} {}

std::optional<message::ChannelAddress> UserBase::channel_address() const {
  if (!core_.state.announcement) return std::nullopt;
  return core_.state.announcement->channel;
}

namespace detail {

Result<void> require_registered(const UserBase& user) {
  if (!user.is_registered()) {
    return STREAMS_ERROR(Errc::kNotRegistered,
                         "this user is not registered in a channel (no announce created or read)");
  }
  return {};
}

Result<void> require_in_channel(const UserBase& user, const Address& link, std::string_view what) {
  STREAMS_TRY(require_registered(user));
  const Address& announcement = *user.state().announcement;
  if (link.channel != announcement.channel) {
    return STREAMS_ERROR_AT(Errc::kAppInstMismatch, link.msgid.bytes.data(),
                            std::string(what) + " " + link.to_string() +
                                " belongs to another channel than " +
                                announcement.channel.to_hex());
  }
  return {};
}

Address link_from(const UserBase& user, ByteSpan id_bytes, const MsgId& link, uint32_t seq_no) {
  const auto& channel = user.state().announcement->channel;
  return Address{channel, message::gen_msgid(channel, id_bytes, link, 0, seq_no)};
}

Result<uint32_t> own_seq_no(const UserBase& user) {
  const Cursor* cursor = user.state().key_store.cursor(Identifier(user.get_public_key()));
  if (cursor == nullptr) {
    return STREAMS_ERROR(Errc::kSeqNumRetrievalFailure,
                         "this user has no cursor of its own (not registered in the channel)");
  }
  return cursor->seq_no;
}

Result<Identifier> publishing_identifier(const UserBase& user) {
  if (!user.state().use_psk) return Identifier(user.get_public_key());
  auto id = user.state().key_store.next_psk_id();
  if (!id)
    return STREAMS_ERROR(Errc::kMessageBuildFailure,
                         "this user publishes under a PSK but holds none");
  return *id;
}

Result<void> store_new_subscriber(UserBase& user, const crypto::Ed25519PublicKey& subscriber) {
  STREAMS_TRY(require_registered(user));
  UserState& state = core(user).state;
  const Identifier id(subscriber);
  if (state.key_store.contains(id)) {
    return STREAMS_ERROR(Errc::kAlreadyRegistered, "subscriber " + id.to_hex() +
                                                       " is already registered in channel " +
                                                       state.announcement->channel.to_hex());
  }
  // insert_subscriber uses the sequence number 1 (SEQ_MESSAGE_NUM), other inserts 2 (api/user.rs).
  return state.key_store.insert_cursor(id, Cursor{state.announcement->msgid, 0, kSequenceSeqNo});
}

}  // namespace detail

Result<void> UserBase::create_channel(uint64_t channel_index) {
  UserState& state = core_.state;
  if (is_registered()) {
    return STREAMS_ERROR(Errc::kChannelCreationFailure,
                         "a channel already exists: " + state.announcement->channel.to_hex());
  }
  const auto& key = get_public_key();
  const auto channel = message::make_channel_address(key, channel_index);
  const Address announce{channel,
                         message::gen_msgid(channel, key.bytes, MsgId{}, 0, kAnnounceSeqNo)};
  STREAMS_TRY(
      state.key_store.insert_cursor(Identifier(key), Cursor{announce.msgid, 0, kFirstSeqNo}));
  state.author_public_key = key;
  state.anchor = Anchor{announce, kFirstSeqNo};
  state.announcement = announce;
  return {};
}

void UserBase::unregister() {
  core_.state.announcement.reset();
  core_.state.author_public_key.reset();
}

Result<void> UserBase::store_new_subscriber(const crypto::Ed25519PublicKey& subscriber) {
  return detail::store_new_subscriber(*this, subscriber);
}

Result<void> UserBase::remove_subscriber(const crypto::Ed25519PublicKey& subscriber) {
  const Identifier id(subscriber);
  KeyStore& key_store = core_.state.key_store;
  if (!key_store.contains(id)) {
    return STREAMS_ERROR(Errc::kNotRegistered, "subscriber " + id.to_hex() + " is not registered");
  }
  key_store.remove(id);
  return {};
}

Result<void> UserBase::store_psk(const crypto::PskId& psk_id, const crypto::Psk& psk,
                                 bool use_psk) {
  STREAMS_TRY(detail::require_registered(*this));
  UserState& state = core_.state;
  const Identifier id(psk_id);
  if (use_psk && state.key_store.next_psk_id()) {
    return STREAMS_ERROR(Errc::kStateStoreFailure,
                         "a subscriber can hold one PSK only; remove the other first");
  }
  if (state.key_store.contains(id)) {
    return STREAMS_ERROR(Errc::kPskAlreadyStored, "PSK " + id.to_hex() + " is already stored");
  }
  STREAMS_TRY(
      state.key_store.insert_psk(psk_id, psk, Cursor{state.announcement->msgid, 0, kFirstSeqNo}));
  state.use_psk = use_psk;
  return {};
}

Result<crypto::PskId> UserBase::store_psk(std::string_view psk_seed, bool use_psk) {
  const crypto::Psk psk = crypto::psk_from_seed(as_bytes(psk_seed));
  const crypto::PskId id = crypto::pskid_from_psk(psk);
  STREAMS_TRY(store_psk(id, psk, use_psk));
  return id;
}

Result<void> UserBase::remove_psk(const crypto::PskId& psk_id) {
  const Identifier id(psk_id);
  if (!core_.state.key_store.contains(id))
    return STREAMS_ERROR(Errc::kNotRegistered, "PSK " + id.to_hex() + " is not stored");
  core_.state.key_store.remove(id);
  return {};
}

std::vector<IdentityCursor> UserBase::gen_next_msg_ids(bool branching) const {
  std::vector<IdentityCursor> ids;
  if (!is_registered()) return ids;
  for (const auto* entry : core_.state.key_store.entries()) {
    // Multi-branch: the next sequence message of each publisher, G(id, cursor link, 0, 1).
    // Otherwise the next message itself, G(id, cursor link, 0, seq).
    const uint32_t seq = branching ? kSequenceSeqNo : entry->cursor.seq_no;
    ids.push_back(
        {entry->id, detail::link_from(*this, entry->id.bytes(), entry->cursor.link, seq), 0, seq});
  }
  return ids;
}

Result<std::vector<IdentityCursor>> UserBase::fetch_state() const {
  STREAMS_TRY(detail::require_registered(*this));
  std::vector<IdentityCursor> state;
  for (const auto* entry : core_.state.key_store.entries()) {
    state.push_back({entry->id, Address{core_.state.announcement->channel, entry->cursor.link},
                     entry->cursor.branch_no, entry->cursor.seq_no});
  }
  return state;
}

Result<void> UserBase::reset_state() {
  STREAMS_TRY(detail::require_registered(*this));
  // Every identity back at the announce; PSK secrets are lost and the link store emptied, as the
  // official reset_state does (the announce must be read again before anything joins it).
  for (auto* entry : core_.state.key_store.entries()) {
    entry->cursor = Cursor{core_.state.announcement->msgid, 0, kFirstSeqNo};
    entry->psk.reset();
  }
  core_.state.link_store.clear();
  return {};
}

void UserBase::store_state(const Identifier& id, const Address& link) {
  if (Cursor* cursor = core_.state.key_store.cursor(id)) {
    cursor->link = link.msgid;
    cursor->seq_no += 1;
  }
}

void UserBase::store_state_for_all(const Address& link, uint32_t seq_no) {
  // Cursors never move backwards: only a sequence number above our own moves them
  // (store_state_for_all).
  KeyStore& key_store = core_.state.key_store;
  const Cursor* own = key_store.cursor(Identifier(get_public_key()));
  if (own != nullptr && seq_no <= own->seq_no) return;
  if (own == nullptr) {
    auto inserted =
        key_store.insert_cursor(Identifier(get_public_key()), Cursor{link.msgid, 0, seq_no});
    if (!inserted.ok()) return;  // a full key store keeps the other cursors as they are
  }
  for (auto* entry : key_store.entries()) {
    entry->cursor.link = link.msgid;
    entry->cursor.seq_no = seq_no;
  }
}

void User::replace_state(UserState state) {
  detail::UserCore& c = detail::core(*this);
  c.state = std::move(state);
  c.pending_untried = false;
}

}  // namespace iota_streams::channels
