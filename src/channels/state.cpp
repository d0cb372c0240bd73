#include "iota_streams/channels/state.h"

#include <algorithm>
#include <memory>
#include <type_traits>

#include "iota_streams/base/platform.h"
#include "iota_streams/ddml/unwrap_context.h"
#include "iota_streams/ddml/wrap_context.h"
#include "iota_streams/sponge/prng.h"
#include "wrap_growing.h"

namespace iota_streams::channels {
namespace {

using ddml::Mode;
using ddml::Status;

constexpr Bytes<8> kMagic = {'I', 'O', 'T', 'A', 'S', 'T', 'R', 'M'};
// Version 3 adds the pending messages and the last subscription (exactly-once sends); version 1
// files, which have neither, still import. Version 2 was written only by a development snapshot and
// is refused.
constexpr uint8_t kNativeVersion = 3;
constexpr uint8_t kFirstNativeVersion = 1;
bool is_native_version(uint8_t version) {
  return version == kFirstNativeVersion || version == kNativeVersion;
}
// The sealed device form (export_sealed_state) marks its version byte with the top bit (never a
// native version) over the version of the native body it carries: 0x83 today.
constexpr uint8_t kSealedMark = 0x80;
constexpr size_t kSealedNonceSize = 16;
bool is_sealed_version(uint8_t version) {
  return (version & kSealedMark) != 0 &&
         is_native_version(static_cast<uint8_t>(version & ~kSealedMark));
}
constexpr uint8_t kOfficialVersion = 0;  // api/user.rs export: VERSION
constexpr size_t kMacSize = 32;
constexpr uint8_t kMaxMsgInfo = 6;

struct LinkImage {
  MsgId msgid;
  sponge::Inner inner{};
  uint8_t info = 0;
};

struct IdentityImage {
  Identifier id;
  uint8_t has_psk = 0;
  crypto::Psk psk;
  MsgId link;
  uint32_t branch_no = 0;
  uint32_t seq_no = 0;
};

struct MessageImage {
  Address link;
  ByteSpan bytes;
};

// A flat picture of UserState that both formats describe; what a file is read into before the user
// is rebuilt from it.
struct Image {
  Secret<crypto::kEd25519SeedSize> seed;
  uint8_t flags = 0;
  uint8_t use_psk = 0;
  ByteSpan encoding;
  uint64_t payload_length = 0;
  uint8_t has_announcement = 0;
  Address announcement;
  uint8_t has_author = 0;
  crypto::Ed25519PublicKey author;
  uint8_t has_anchor = 0;
  Anchor anchor;
  std::vector<LinkImage> links;
  std::vector<IdentityImage> ids;
  std::vector<MessageImage> pending;
  uint8_t has_subscription = 0;
  MessageImage subscription;
};

// A masked 0/1 flag of our format.
template <class Ctx>
Status mask_flag(Ctx& ctx, uint8_t& flag, const char* what) {
  return ddml::checked_field(
      ctx, Errc::kBadState, what, [&] { return ctx.mask_u8(flag); }, [&] { return flag < 2; });
}

// The smallest encodings of a state's entries, which bound the counts the rest of a file can
// hold: a link (msgid, inner state, info byte), an identity (the smaller identifier: tag and PSK
// id; then our PSK flag; its cursor: link, branch and sequence numbers) and a pending message (its
// address, the masked size's length byte and at least one more byte).
constexpr size_t kLinkEntryMinBytes = message::kMsgIdSize + sponge::kCapacity + 1;
constexpr size_t kIdentifierMinBytes = 1 + crypto::kPskIdSize;
constexpr size_t kCursorBytes = message::kMsgIdSize + sizeof(uint32_t) + sizeof(uint32_t);
constexpr size_t kNativeIdEntryMinBytes = kIdentifierMinBytes + 1 + kCursorBytes;
constexpr size_t kOfficialIdEntryMinBytes = kIdentifierMinBytes + kCursorBytes;
constexpr size_t kPendingMessageMinBytes = message::kAddressSize + 2;
static_assert(kLinkEntryMinBytes == 45 && kIdentifierMinBytes == 17);
static_assert(kNativeIdEntryMinBytes == 38 && kOfficialIdEntryMinBytes == 37);
static_assert(kPendingMessageMinBytes == 54);

// Reads or writes a count, refusing counts the rest of the stream cannot hold.
template <class Ctx, class T>
Status describe_count(Ctx& ctx, std::vector<T>& items, uint64_t& count, size_t min_item_bytes) {
  if constexpr (Ctx::kMode == Mode::kUnwrap) {
    if (count > ctx.remaining() / min_item_bytes)
      return ddml::fail(Errc::kBadState, STREAMS_TEXT("entry count"), ctx.offset());
    items.resize(static_cast<size_t>(count));
  } else {
    count = items.size();
  }
  return Status::success();
}

// An unsigned integer masked in big-endian order (u32 and u64 fields of our state format).
template <class Ctx, class T>
Status mask_be(Ctx& ctx, T& value) {
  static_assert(std::is_unsigned_v<T>);
  Bytes<sizeof(T)> be;
  store_be(value, be);
  DDML_TRY(ctx.mask(be));
  value = static_cast<T>(load_be(be));
  return Status::success();
}

template <class Ctx>
Status mask_address(Ctx& ctx, Address& address) {
  DDML_TRY(ctx.mask(address.channel.bytes));
  return ctx.mask(address.msgid.bytes);
}

template <class Ctx>
Status mask_message(Ctx& ctx, MessageImage& message) {
  DDML_TRY(mask_address(ctx, message.link));
  return ddml::checked_field(
      ctx, Errc::kBadState, STREAMS_TEXT("pending message length"),
      [&] { return ctx.mask_bytes(message.bytes); }, [&] { return !message.bytes.empty(); });
}

// Our format: everything masked, then a MAC.
template <class Ctx>
Status describe_native_body(Ctx& ctx, Image& m, uint8_t version) {
  DDML_TRY(ctx.mask(m.seed.view()));
  DDML_TRY(ctx.mask_u8(m.flags));
  DDML_TRY(mask_flag(ctx, m.use_psk, STREAMS_TEXT("use-psk flag")));
  DDML_TRY(ctx.mask_bytes(m.encoding));
  DDML_TRY(mask_be(ctx, m.payload_length));
  DDML_TRY(mask_flag(ctx, m.has_announcement, STREAMS_TEXT("announcement flag")));
  if (m.has_announcement) DDML_TRY(mask_address(ctx, m.announcement));
  DDML_TRY(mask_flag(ctx, m.has_author, STREAMS_TEXT("author flag")));
  if (m.has_author) DDML_TRY(ctx.mask(m.author));
  DDML_TRY(mask_flag(ctx, m.has_anchor, STREAMS_TEXT("anchor flag")));
  if (m.has_anchor) {
    DDML_TRY(mask_address(ctx, m.anchor.link));
    DDML_TRY(mask_be(ctx, m.anchor.seq_no));
  }
  uint32_t n_links = static_cast<uint32_t>(m.links.size());
  DDML_TRY(mask_be(ctx, n_links));
  uint64_t count = n_links;
  DDML_TRY(describe_count(ctx, m.links, count, kLinkEntryMinBytes));
  for (auto& link : m.links) {
    DDML_TRY(ctx.mask(link.msgid.bytes));
    DDML_TRY(ctx.mask(link.inner.view()));
    DDML_TRY(ddml::checked_field(
        ctx, Errc::kBadState, STREAMS_TEXT("message info"), [&] { return ctx.mask_u8(link.info); },
        [&] { return link.info <= kMaxMsgInfo; }));
  }
  uint32_t n_ids = static_cast<uint32_t>(m.ids.size());
  DDML_TRY(mask_be(ctx, n_ids));
  count = n_ids;
  DDML_TRY(describe_count(ctx, m.ids, count, kNativeIdEntryMinBytes));
  for (auto& entry : m.ids) {
    DDML_TRY(entry.id.describe(ctx));
    DDML_TRY(mask_flag(ctx, entry.has_psk, STREAMS_TEXT("PSK flag")));
    if (entry.has_psk) DDML_TRY(ctx.mask(entry.psk.view()));
    DDML_TRY(ctx.mask(entry.link.bytes));
    DDML_TRY(mask_be(ctx, entry.branch_no));
    DDML_TRY(mask_be(ctx, entry.seq_no));
  }
  if (version >= kNativeVersion) {
    uint32_t n_pending = static_cast<uint32_t>(m.pending.size());
    DDML_TRY(mask_be(ctx, n_pending));
    count = n_pending;
    DDML_TRY(describe_count(ctx, m.pending, count, kPendingMessageMinBytes));
    for (auto& message : m.pending) DDML_TRY(mask_message(ctx, message));
    DDML_TRY(mask_flag(ctx, m.has_subscription, STREAMS_TEXT("subscription flag")));
    if (m.has_subscription) DDML_TRY(mask_message(ctx, m.subscription));
  }
  DDML_TRY(ctx.commit());
  return ctx.squeeze_mac(kMacSize);
}

// The official layout (api/user.rs ContentWrap/ContentUnwrap for User), after version, flag and
// key.
template <class Ctx>
Status describe_official_body(Ctx& ctx, Image& m) {
  DDML_TRY(ctx.mask(m.seed.view()));
  DDML_TRY(ctx.absorb_u8(m.flags));
  DDML_TRY(ctx.absorb_bytes(m.encoding));
  DDML_TRY(ctx.absorb_u64(m.payload_length));
  DDML_TRY(ddml::checked_field(
      ctx, Errc::kBadState, STREAMS_TEXT("appinst flag (AppInstRecoveryFailure)"),
      [&] { return ctx.absorb_u8(m.has_announcement); }, [&] { return m.has_announcement <= 1; }));
  if (m.has_announcement) {
    DDML_TRY(ctx.absorb(m.announcement.channel.bytes));
    DDML_TRY(ctx.absorb(m.announcement.msgid.bytes));
  }
  DDML_TRY(ddml::checked_field(
      ctx, Errc::kBadState, STREAMS_TEXT("author flag (AuthorSigPkRecoveryFailure)"),
      [&] { return ctx.absorb_u8(m.has_author); }, [&] { return m.has_author <= 1; }));
  if (m.has_author) DDML_TRY(ctx.absorb(m.author));
  uint64_t count = m.links.size();
  DDML_TRY(ctx.absorb_size(count));
  DDML_TRY(describe_count(ctx, m.links, count, kLinkEntryMinBytes));
  for (auto& link : m.links) {
    DDML_TRY(ctx.absorb(link.msgid.bytes));
    DDML_TRY(ctx.mask(link.inner.view()));
    DDML_TRY(ddml::checked_field(
        ctx, Errc::kBadState, STREAMS_TEXT("message info (BadMessageInfo)"),
        [&] { return ctx.absorb_u8(link.info); }, [&] { return link.info <= kMaxMsgInfo; }));
  }
  count = m.ids.size();
  DDML_TRY(ctx.absorb_size(count));
  DDML_TRY(describe_count(ctx, m.ids, count, kOfficialIdEntryMinBytes));
  for (auto& entry : m.ids) {
    DDML_TRY(entry.id.describe(ctx));
    DDML_TRY(ctx.absorb(entry.link.bytes));
    DDML_TRY(ctx.absorb_u32(entry.branch_no));
    DDML_TRY(ctx.absorb_u32(entry.seq_no));
  }
  DDML_TRY(ctx.commit());
  return ctx.squeeze_mac(kMacSize);
}

// The magic and version that open both forms of a state file (absorbed).
template <class Ctx>
Status describe_magic_version(Ctx& ctx, Bytes<8>& magic, const char* not_magic, uint8_t& version,
                              const char* bad_version, bool (*known)(uint8_t)) {
  DDML_TRY(ddml::checked_field(
      ctx, Errc::kBadState, not_magic, [&] { return ctx.absorb(magic); },
      [&] { return magic == kMagic; }));
  return ddml::checked_field(
      ctx, Errc::kBadState, bad_version, [&] { return ctx.absorb_u8(version); },
      [&] { return known(version); });
}

// The file's header: absorbed (authenticated by the MAC), then the key.
struct NativeHeader {
  Bytes<8> magic = kMagic;
  uint8_t version = kNativeVersion;
  uint8_t role = 0;
  uint32_t opslimit = 0;
  uint32_t memlimit_kib = 0;
  Bytes<crypto::kPasswordSaltSize> salt{};

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(describe_magic_version(
        ctx, magic, STREAMS_TEXT("not a state file of this library (magic)"), version,
        STREAMS_TEXT("unknown state format version"), is_native_version));
    DDML_TRY(ctx.absorb_u8(role));
    DDML_TRY(ctx.absorb_u32(opslimit));
    DDML_TRY(ctx.absorb_u32(memlimit_kib));
    return ctx.absorb(salt);
  }
};

// The sealed form's header (export_sealed_state): absorbed, authenticated by the MAC.
struct SealedHeader {
  Bytes<8> magic = kMagic;
  uint8_t version = kSealedMark | kNativeVersion;
  uint8_t role = 0;
  uint32_t sequence = 0;
  Bytes<kSealedNonceSize> nonce{};

  template <class Ctx>
  Status describe(Ctx& ctx) {
    DDML_TRY(describe_magic_version(ctx, magic, STREAMS_TEXT("not a state of this library (magic)"),
                                    version, STREAMS_TEXT("not a sealed device state (version)"),
                                    is_sealed_version));
    DDML_TRY(ddml::checked_field(
        ctx, Errc::kBadState, STREAMS_TEXT("role flag"), [&] { return ctx.absorb_u8(role); },
        [&] { return role <= 1; }));
    DDML_TRY(ctx.absorb_u32(sequence));
    return ctx.absorb(nonce);
  }
};

Secret<32> official_key(std::string_view password) {
  const auto prng = sponge::Prng::from_seed("IOTA Streams Channels app", password);
  Secret<32> key;
  prng.gen(as_bytes("user export key"), key.view());
  return key;
}

Image image_of(const UserState& state) {
  Image m;
  m.seed = state.keys.signing.seed();
  m.flags = state.flags;
  m.use_psk = state.use_psk ? 1 : 0;
  m.encoding = as_bytes(state.message_encoding);
  m.payload_length = state.uniform_payload_length;
  if (state.announcement) {
    m.has_announcement = 1;
    m.announcement = *state.announcement;
  }
  if (state.author_public_key) {
    m.has_author = 1;
    m.author = *state.author_public_key;
  }
  if (state.anchor) {
    m.has_anchor = 1;
    m.anchor = *state.anchor;
  }
  for (const auto& e : state.link_store.entries()) {
    m.links.push_back({e.msgid, e.inner, static_cast<uint8_t>(e.info)});
  }
  for (const auto* e : state.key_store.entries()) {
    IdentityImage id{
        e->id,           e->psk ? uint8_t{1} : uint8_t{0}, {}, e->cursor.link, e->cursor.branch_no,
        e->cursor.seq_no};
    if (e->psk) id.psk = *e->psk;
    m.ids.push_back(id);
  }
  for (const auto& message : state.pending) m.pending.push_back({message.link, message.bytes});
  if (state.subscription) {
    m.has_subscription = 1;
    m.subscription = {state.subscription->link, state.subscription->bytes};
  }
  return m;
}

// Everything but the keys, from the image into `state`.
Result<void> fill_state(UserState& state, const Image& m, bool with_secrets,
                        const UserOptions& options) {
  state.flags = m.flags;
  state.use_psk = with_secrets && m.use_psk;
  state.message_encoding.assign(m.encoding.begin(), m.encoding.end());
  state.uniform_payload_length = m.payload_length;
  if (m.has_announcement) state.announcement = m.announcement;
  if (m.has_author) state.author_public_key = m.author;
  if (m.has_anchor) state.anchor = m.anchor;
  state.link_store = LinkStore(options.max_links);
  for (const auto& link : m.links)
    state.link_store.update(link.msgid, link.inner, static_cast<MsgInfo>(link.info));
  state.key_store = KeyStore(options.max_identities);
  for (const auto& entry : m.ids) {
    const Cursor cursor{entry.link, entry.branch_no, entry.seq_no};
    if (with_secrets && entry.has_psk) {
      STREAMS_TRY(state.key_store.insert_psk(entry.id.psk_id(), entry.psk, cursor));
    } else {
      STREAMS_TRY(state.key_store.insert_cursor(entry.id, cursor));
    }
  }
  for (const auto& message : m.pending) {
    state.pending.push_back(
        {message.link, MessageBytes(message.bytes.begin(), message.bytes.end())});
  }
  if (m.has_subscription) {
    state.subscription =
        PendingMessage{m.subscription.link,
                       MessageBytes(m.subscription.bytes.begin(), m.subscription.bytes.end())};
  }
  return ok_result();
}

Result<UserState> state_of(const Image& m, bool with_secrets, const UserOptions& options) {
  UserState state(crypto::UserKeys::from_ed25519_seed(m.seed));
  STREAMS_TRY(fill_state(state, m, with_secrets, options));
  return state;
}

// The official import keeps no single-depth anchor; the cursors say where it was: in a single-depth
// channel every cursor links to the anchor (user.rs store_state_for_all after each message).
void restore_anchor(UserState& state) {
  if (state.flags != 2 || !state.announcement || !state.author_public_key) return;
  const Cursor* author = state.key_store.cursor(Identifier(*state.author_public_key));
  if (author == nullptr) return;
  state.anchor = Anchor{Address{state.announcement->channel, author->link}, author->seq_no};
}

// After the key, a wrong password and damage look the same: the decrypted fields are garbage and
// the first check that notices (a flag, a tag, the MAC) stops the import.
Error damaged(const Status& status, const char* format) {
#if STREAMS_ERROR_TEXT
  std::string text = std::string("wrong password or damaged state (") + format + " format)";
  if (status.code == Errc::kBadMac) return Error(Errc::kWrongPassword, text + ": MAC mismatch");
  return Error(Errc::kWrongPassword,
               text + ": bad " + status.what + " at byte " + std::to_string(status.offset));
#else
  (void)format;  // the code, and where the first check failed
  return Error(Errc::kWrongPassword, status.code == Errc::kBadMac ? "MAC" : status.what, nullptr,
               nullptr, static_cast<uint32_t>(status.offset));
#endif
}

Result<std::vector<uint8_t>> export_native(const UserState& state, Role role,
                                           std::string_view password,
                                           const crypto::PasswordCost& cost) {
  NativeHeader header;
  header.role = static_cast<uint8_t>(role);
  header.opslimit = cost.opslimit;
  header.memlimit_kib = cost.memlimit_kib;
  platform::random_bytes(header.salt.data(), header.salt.size());
  STREAMS_ASSIGN_OR_RETURN(const auto key, crypto::key_from_password(password, header.salt, cost));
  Image image = image_of(state);
  return detail::wrap_growing(state_file_room(state), [&](auto& ctx) {
    DDML_TRY(header.describe(ctx));
    DDML_TRY(ctx.absorb_external(key.view()));
    return describe_native_body(ctx, image, header.version);
  });
}

Result<std::vector<uint8_t>> export_official(const UserState& state, Role role,
                                             std::string_view password) {
  if (!state.pending.empty()) {
    // The official format has no room for it: exported, the message would be counted as sent and
    // never be.
    return STREAMS_ERROR(
        Errc::kBadState,
        STREAMS_TEXT("cannot export in the official format while a message is pending at ") +
            state.pending.front().link.to_string() + ": publish it first (publish_pending)");
  }
  const auto key = official_key(password);
  Image image = image_of(state);
  uint8_t version = kOfficialVersion;
  uint8_t flag = static_cast<uint8_t>(role);
  return detail::wrap_growing(state_file_room(state), [&](auto& ctx) {
    DDML_TRY(ctx.absorb_u8(version));
    DDML_TRY(ctx.absorb_u8(flag));
    DDML_TRY(ctx.absorb_external(key.view()));
    return describe_official_body(ctx, image);
  });
}

Result<UserState> import_native(ByteSpan bytes, Role role, std::string_view password,
                                const UserOptions& options) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());  // masked fields are decrypted in place
  ddml::UnwrapContext ctx(copy);
  NativeHeader header;
  Status status = header.describe(ctx);
  if (!status.ok()) {
    return STREAMS_ERROR(Errc::kBadState, std::string("damaged state (native format): ") +
                                              status.what + " at byte " +
                                              std::to_string(status.offset));
  }
  if (header.role != static_cast<uint8_t>(role)) {
    return STREAMS_ERROR(Errc::kBadState, std::string("the state belongs to ") +
                                              (header.role == 0 ? "an author" : "a subscriber"));
  }
  STREAMS_ASSIGN_OR_RETURN(
      const auto key,
      crypto::key_from_password(password, header.salt, {header.opslimit, header.memlimit_kib}));
  Image image;
  status = ctx.absorb_external(key.view());
  if (status.ok()) status = describe_native_body(ctx, image, header.version);
  if (!status.ok()) return damaged(status, "native");
  if (ctx.remaining() != 0)
    return STREAMS_ERROR(Errc::kBadState, "damaged state: bytes after its MAC");
  return state_of(image, true, options);
}

Result<UserState> import_official(ByteSpan bytes, Role role, std::string_view password,
                                  const UserOptions& options) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  ddml::UnwrapContext ctx(copy);
  uint8_t version = 0, flag = 0;
  Status status = ctx.absorb_u8(version);
  if (status.ok() && version != kOfficialVersion)
    status = ddml::fail(Errc::kBadState, STREAMS_TEXT("version (UserVersionRecoveryFailure)"), 0);
  if (status.ok()) status = ctx.absorb_u8(flag);
  if (status.ok() && flag != static_cast<uint8_t>(role)) {
    return STREAMS_ERROR(Errc::kBadState, std::string("the state belongs to ") +
                                              (flag == 0 ? "an author" : "a subscriber") +
                                              " (UserFlagRecoveryFailure)");
  }
  const auto key = official_key(password);
  Image image;
  if (status.ok()) status = ctx.absorb_external(key.view());
  if (status.ok()) status = describe_official_body(ctx, image);
  if (!status.ok()) return damaged(status, "official");
  if (ctx.remaining() != 0) {
    return STREAMS_ERROR(Errc::kInputNotConsumed,
                         "damaged state: " + std::to_string(ctx.remaining()) +
                             " bytes after its MAC (InputStreamNotFullyConsumed)");
  }
  STREAMS_ASSIGN_OR_RETURN(auto state, state_of(image, false, options));
  restore_anchor(state);
  return state;
}

}  // namespace

Result<std::vector<uint8_t>> export_state(const UserState& state, Role role,
                                          std::string_view password, StateFormat format,
                                          const crypto::PasswordCost& cost) {
  return format == StateFormat::kNative ? export_native(state, role, password, cost)
                                        : export_official(state, role, password);
}

size_t state_file_room(const UserState& state) {
  // Our format's largest entries (the official one's are smaller): a link 45 bytes, an identity
  // 86, a message its address and length besides its bytes; the header, keys and flags within 512.
  size_t room = 512 + state.message_encoding.size() + 48 * state.link_store.size() +
                96 * state.key_store.size();
  for (const auto& message : state.pending) room += 72 + message.bytes.size();
  if (state.subscription) room += 72 + state.subscription->bytes.size();
  return room;
}

Result<std::vector<uint8_t>> export_sealed_state(const UserState& state, Role role,
                                                 const DeviceKey& key, uint32_t sequence) {
  SealedHeader header;
  header.role = static_cast<uint8_t>(role);
  header.sequence = sequence;
  platform::random_bytes(header.nonce.data(), header.nonce.size());
  Image image = image_of(state);
  return detail::wrap_growing(state_file_room(state), [&](auto& ctx) {
    DDML_TRY(header.describe(ctx));
    DDML_TRY(ctx.absorb_external(key.view()));
    return describe_native_body(ctx, image, kNativeVersion);
  });
}

std::optional<uint32_t> sealed_state_sequence(ByteSpan bytes) {
  // "IOTASTRM" | version | role | sequence (big-endian) | ...
  if (bytes.size() < kMagic.size() + 6 ||
      !std::equal(kMagic.begin(), kMagic.end(), bytes.begin()) ||
      !is_sealed_version(bytes[kMagic.size()])) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(load_be(bytes.subspan(kMagic.size() + 2, 4)));
}

namespace {

// The unwrapping half of import_sealed_state, in its own frame (the spongos and the header are gone
// before the user's keys are derived: the stack is the scarcer memory on a device). Decrypts `copy`
// in place; `image` points into it.
[[gnu::noinline]] Result<void> unwrap_sealed(std::vector<uint8_t>& copy, const DeviceKey& key,
                                             SealedHeader& header, Image& image) {
  ddml::UnwrapContext ctx(copy);
  Status status = header.describe(ctx);
  if (!status.ok()) {
    return STREAMS_ERROR(Errc::kBadState, std::string("damaged device state: ") + status.what +
                                              " at byte " + std::to_string(status.offset));
  }
  status = ctx.absorb_external(key.view());
  if (status.ok())
    status = describe_native_body(ctx, image, static_cast<uint8_t>(header.version & ~kSealedMark));
  if (!status.ok()) {
    if (status.code == Errc::kBadMac)
      return STREAMS_ERROR(Errc::kWrongPassword,
                           "wrong device key or damaged device state: MAC mismatch");
    return STREAMS_ERROR(Errc::kWrongPassword,
                         std::string("wrong device key or damaged device state: bad ") +
                             status.what + " at byte " + std::to_string(status.offset));
  }
  if (ctx.remaining() != 0)
    return STREAMS_ERROR(Errc::kBadState, "damaged device state: bytes after its MAC");
  return ok_result();
}

}  // namespace

Result<SealedState> import_sealed_state(ByteSpan bytes, const DeviceKey& key,
                                        const UserOptions& options) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());  // masked fields are decrypted in place
  SealedHeader header;
  Image image;
  auto unwrapped = unwrap_sealed(copy, key, header, image);
  std::unique_ptr<UserState> state;
  if (unwrapped.ok()) {
    // On the heap at once: the key derivation below is the deepest part of a device's reboot.
    state = std::make_unique<UserState>(crypto::UserKeys::from_ed25519_seed(image.seed));
    unwrapped = fill_state(*state, image, true, options);
  }
  secure_wipe(copy.data(),
              copy.size());  // the image's views point into `copy`: wiped once the state is built
  if (!unwrapped.ok()) return unwrapped.error();
  return SealedState{static_cast<Role>(header.role), header.sequence, std::move(state)};
}

Result<Role> state_role(ByteSpan bytes, StateFormat format) {
  // Native: magic[8] | version | role | ...; official: version | role flag | ...
  const size_t version_at = format == StateFormat::kNative ? kMagic.size() : 0;
  const auto known = [&](uint8_t v) {
    return format == StateFormat::kNative ? is_native_version(v) : v == kOfficialVersion;
  };
  const char* name = format == StateFormat::kNative ? "native" : "official";
  if (bytes.size() < version_at + 2)
    return STREAMS_ERROR(Errc::kBadState,
                         std::string("not a state file (") + name + " format): too short");
  if (format == StateFormat::kNative && !std::equal(kMagic.begin(), kMagic.end(), bytes.begin())) {
    return STREAMS_ERROR(Errc::kBadState, "not a state file of this library (magic)");
  }
  if (!known(bytes[version_at])) {
    return STREAMS_ERROR(Errc::kBadState,
                         std::string("unknown state format version (") + name + " format)");
  }
  const uint8_t role = bytes[version_at + 1];
  if (role > 1)
    return STREAMS_ERROR(Errc::kBadState,
                         std::string("bad role flag in state file (") + name + " format)");
  return static_cast<Role>(role);
}

Result<UserState> import_state(ByteSpan bytes, Role role, std::string_view password,
                               StateFormat format, const UserOptions& options) {
  return format == StateFormat::kNative ? import_native(bytes, role, password, options)
                                        : import_official(bytes, role, password, options);
}

}  // namespace iota_streams::channels
