// The C API (include/iota_streams/channels.h) over Author, Subscriber and the transports. Each C
// function checks its pointers, calls the C++ API, and turns a failed Result into an err_t plus the
// reason in the thread's last-error text. No exceptions, no RTTI (it runs on devices too).
#include "iota_streams/channels.h"

#include <cstring>
#include <memory>
#include <string>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"
#include "handles.h"

namespace cs = iota_streams::channels;
using iota_streams::ByteSpan;
using iota_streams::Errc;
using iota_streams::Error;
using iota_streams::Result;

struct Address {
  cs::Address value;
};
struct Author {
  cs::Author user;
};
struct Subscriber {
  cs::Subscriber user;
};
struct UnwrappedMessage {
  cs::UnwrappedMessage value;
};
struct UnwrappedMessages {
  std::vector<UnwrappedMessage> values;
};
struct NextMsgIds {
  std::vector<cs::IdentityCursor> values;
};
struct UserState {
  std::vector<cs::IdentityCursor> values;
};

namespace {

thread_local std::string last_error;

}  // namespace

err_t streams_c_fail(err_t code, std::string reason) {
  last_error = std::move(reason);
  return code;
}

namespace {

err_t fail(err_t code, std::string reason) { return streams_c_fail(code, std::move(reason)); }

err_t fail(const Error& error) {
  err_t code = ERR_OPERATION_FAILED;
  switch (error.code()) {
    case Errc::kWrongPassword: code = ERR_WRONG_PASSWORD; break;
    case Errc::kOutputTooSmall: code = ERR_BUFFER_TOO_SMALL; break;
    case Errc::kLinkNotFoundInTransport: code = ERR_NOT_FOUND; break;
    case Errc::kMalformedAddress:
    case Errc::kBadHex:
    case Errc::kInvalidArgument: code = ERR_BAD_ARGUMENT; break;
    default: break;
  }
  return fail(code, std::string(iota_streams::errc_name(error.code())) + ": " + error.message());
}

err_t null_argument(const char* function) { return fail(ERR_NULL_ARGUMENT, std::string(function) + ": a required argument is NULL"); }

#define STREAMS_C_REQUIRE(...)                                          \
  do {                                                                  \
    const void* required_[] = {__VA_ARGS__};                            \
    for (const void* p : required_) {                                   \
      if (p == nullptr) return null_argument(__func__);                 \
    }                                                                   \
  } while (0)

err_t write_text(char* out, size_t out_size, const std::string& text) {
  if (out_size < text.size() + 1) {
    return fail(ERR_BUFFER_TOO_SMALL, "a buffer of " + std::to_string(out_size) + " bytes cannot hold " +
                                          std::to_string(text.size() + 1));
  }
  std::memcpy(out, text.c_str(), text.size() + 1);
  return ERR_OK;
}

buffer_t make_buffer(const std::vector<uint8_t>& bytes) {
  auto* data = new uint8_t[bytes.empty() ? 1 : bytes.size()];
  if (!bytes.empty()) std::memcpy(data, bytes.data(), bytes.size());
  return buffer_t{data, bytes.size(), bytes.size()};
}

buffer_t view(const std::vector<uint8_t>& bytes) { return buffer_t{bytes.data(), bytes.size(), 0}; }

address_t* new_address(const cs::Address& value) { return new Address{value}; }

message_links_t make_links(const cs::MessageLinks& links) {
  return message_links_t{new_address(links.msg_link), links.seq_link ? new_address(*links.seq_link) : nullptr};
}

ByteSpan span(const uint8_t* data, size_t size) { return data ? ByteSpan(data, size) : ByteSpan(); }

iota_streams::crypto::Ed25519PublicKey key_of(const public_key_t* key) {
  iota_streams::crypto::Ed25519PublicKey out;
  std::memcpy(out.bytes.data(), key->bytes, out.bytes.size());
  return out;
}

iota_streams::crypto::PskId psk_of(const psk_id_t* id) {
  iota_streams::crypto::PskId out;
  std::memcpy(out.bytes.data(), id->bytes, out.bytes.size());
  return out;
}

void copy_key(public_key_t* out, const iota_streams::crypto::Ed25519PublicKey& key) {
  std::memcpy(out->bytes, key.bytes.data(), sizeof out->bytes);
}

std::optional<cs::ChannelType> channel_type(uint8_t implementation) {
  if (implementation > 2) return std::nullopt;
  return static_cast<cs::ChannelType>(implementation);
}

// ---- what Author and Subscriber share, written once ----

template <class Handle>
err_t export_user(buffer_t* buffer, const Handle* handle, const char* password) {
  STREAMS_C_REQUIRE(buffer, handle, password);
  auto bytes = handle->user.export_state(password);
  if (!bytes.ok()) return fail(bytes.error());
  *buffer = make_buffer(*bytes);
  return ERR_OK;
}

template <class Handle>
err_t channel_address_of(char* out, size_t out_size, const Handle* handle) {
  STREAMS_C_REQUIRE(out, handle);
  const auto channel = handle->user.channel_address();
  if (!channel) return fail(ERR_OPERATION_FAILED, "no channel yet (the announcement has not been read)");
  return write_text(out, out_size, channel->to_hex());
}

template <class Handle>
err_t announcement_of(address_t** link, const Handle* handle) {
  STREAMS_C_REQUIRE(link, handle);
  const auto& announcement = handle->user.announcement_link();
  if (!announcement) return fail(ERR_OPERATION_FAILED, "no announcement yet");
  *link = new_address(*announcement);
  return ERR_OK;
}

template <class Handle, class Send>
err_t send_packet(message_links_t* links, Handle* handle, message_links_t link_to, const uint8_t* public_payload,
                  size_t public_size, const uint8_t* masked_payload, size_t masked_size, Send send) {
  STREAMS_C_REQUIRE(links, handle, link_to.msg_link);
  if ((public_payload == nullptr && public_size != 0) || (masked_payload == nullptr && masked_size != 0)) {
    return null_argument(__func__);
  }
  auto sent = send(handle->user, link_to.msg_link->value, span(public_payload, public_size), span(masked_payload, masked_size));
  if (!sent.ok()) return fail(sent.error());
  *links = make_links(*sent);
  return ERR_OK;
}

template <class Handle>
err_t receive_tagged(packet_payloads_t* payloads, Handle* handle, const address_t* link) {
  STREAMS_C_REQUIRE(payloads, handle, link);
  auto read = handle->user.receive_tagged_packet(link->value);
  if (!read.ok()) return fail(read.error());
  *payloads = packet_payloads_t{make_buffer(read->public_payload), make_buffer(read->masked_payload)};
  return ERR_OK;
}

template <class Handle>
err_t receive_signed(packet_payloads_t* payloads, Handle* handle, const address_t* link) {
  STREAMS_C_REQUIRE(payloads, handle, link);
  auto read = handle->user.receive_signed_packet(link->value);
  if (!read.ok()) return fail(read.error());
  *payloads = packet_payloads_t{make_buffer(read->public_payload), make_buffer(read->masked_payload)};
  return ERR_OK;
}

template <class Handle>
err_t receive_sequence(address_t** out, Handle* handle, const address_t* link) {
  STREAMS_C_REQUIRE(out, handle, link);
  auto next = handle->user.receive_sequence(link->value);
  if (!next.ok()) return fail(next.error());
  *out = new_address(*next);
  return ERR_OK;
}

template <class Handle>
err_t next_ids(next_msg_ids_t** ids, Handle* handle) {
  STREAMS_C_REQUIRE(ids, handle);
  *ids = new NextMsgIds{handle->user.gen_next_msg_ids(handle->user.is_multi_branching())};
  return ERR_OK;
}

err_t one_message(unwrapped_message_t** out, Result<cs::UnwrappedMessage> read) {
  if (!read.ok()) return fail(read.error());
  *out = new UnwrappedMessage{std::move(read).value()};
  return ERR_OK;
}

err_t many_messages(unwrapped_messages_t** out, std::vector<cs::UnwrappedMessage> read) {
  auto* messages = new UnwrappedMessages;
  for (auto& m : read) messages->values.push_back(UnwrappedMessage{std::move(m)});
  *out = messages;
  return ERR_OK;
}

template <class Handle>
err_t receive_msg(unwrapped_message_t** out, Handle* handle, const address_t* link) {
  STREAMS_C_REQUIRE(out, handle, link);
  return one_message(out, handle->user.receive_msg(link->value));
}

template <class Handle>
err_t receive_by_number(unwrapped_message_t** out, Handle* handle, const address_t* anchor, uint32_t number) {
  STREAMS_C_REQUIRE(out, handle, anchor);
  return one_message(out, handle->user.receive_msg_by_sequence_number(anchor->value, number));
}

template <class Handle>
err_t fetch_next(unwrapped_messages_t** out, Handle* handle, bool all) {
  STREAMS_C_REQUIRE(out, handle);
  return many_messages(out, (all ? handle->user.fetch_all_next_msgs() : handle->user.fetch_next_msgs()).messages);
}

template <class Handle>
err_t fetch_prev(unwrapped_message_t** out, Handle* handle, const address_t* link) {
  STREAMS_C_REQUIRE(out, handle, link);
  return one_message(out, handle->user.fetch_prev_msg(link->value));
}

template <class Handle>
err_t fetch_prevs(unwrapped_messages_t** out, Handle* handle, const address_t* link, size_t count) {
  STREAMS_C_REQUIRE(out, handle, link);
  auto read = handle->user.fetch_prev_msgs(link->value, count);
  if (!read.ok()) return fail(read.error());
  return many_messages(out, std::move(read).value());
}

template <class Handle>
err_t fetch_state(user_state_t** out, Handle* handle) {
  STREAMS_C_REQUIRE(out, handle);
  auto cursors = handle->user.fetch_state();
  if (!cursors.ok()) return fail(cursors.error());
  *out = new UserState{std::move(cursors).value()};
  return ERR_OK;
}

template <class Handle>
err_t reset_state(Handle* handle) {
  STREAMS_C_REQUIRE(handle);
  auto reset = handle->user.reset_state();
  return reset.ok() ? ERR_OK : fail(reset.error());
}

template <class Handle>
err_t store_psk(psk_id_t* id, Handle* handle, const char* seed) {
  STREAMS_C_REQUIRE(id, handle, seed);
  auto stored = handle->user.store_psk(std::string_view(seed));
  if (!stored.ok()) return fail(stored.error());
  std::memcpy(id->bytes, stored->bytes.data(), sizeof id->bytes);
  return ERR_OK;
}

template <class Handle>
err_t remove_psk(Handle* handle, const psk_id_t* id) {
  STREAMS_C_REQUIRE(handle, id);
  auto removed = handle->user.remove_psk(psk_of(id));
  return removed.ok() ? ERR_OK : fail(removed.error());
}

err_t cursor_entry(const std::vector<cs::IdentityCursor>& cursors, size_t index, char* identifier, size_t identifier_size,
                   address_t** link) {
  if (index >= cursors.size()) {
    return fail(ERR_BAD_ARGUMENT, "entry " + std::to_string(index) + " of " + std::to_string(cursors.size()));
  }
  if (identifier) {
    const err_t written = write_text(identifier, identifier_size, cursors[index].id.to_hex());
    if (written != ERR_OK) return written;
  }
  if (link) *link = new_address(cursors[index].link);
  return ERR_OK;
}

}  // namespace

extern "C" {

const char* streams_last_error(void) { return last_error.c_str(); }

// ---- addresses and keys ----

err_t address_from_string(address_t** address, const char* text) {
  STREAMS_C_REQUIRE(address, text);
  auto parsed = cs::Address::parse(text);
  if (!parsed.ok()) return fail(parsed.error());
  *address = new_address(*parsed);
  return ERR_OK;
}

void drop_address(const address_t* address) { delete address; }

err_t address_copy(address_t** copy, const address_t* address) {
  STREAMS_C_REQUIRE(copy, address);
  *copy = new_address(address->value);
  return ERR_OK;
}

bool address_eq(const address_t* a, const address_t* b) { return a && b && a->value == b->value; }

err_t get_address_str(char* out, size_t out_size, const address_t* address) {
  STREAMS_C_REQUIRE(out, address);
  return write_text(out, out_size, address->value.to_string());
}

err_t get_address_inst_str(char* out, size_t out_size, const address_t* address) {
  STREAMS_C_REQUIRE(out, address);
  return write_text(out, out_size, address->value.channel.to_hex());
}

err_t get_address_id_str(char* out, size_t out_size, const address_t* address) {
  STREAMS_C_REQUIRE(out, address);
  return write_text(out, out_size, iota_streams::to_hex(address->value.msgid.bytes));
}

err_t get_address_index_str(char* out, size_t out_size, const address_t* address) {
  STREAMS_C_REQUIRE(out, address);
  return write_text(out, out_size, iota_streams::to_hex(address->value.index()));
}

err_t public_key_to_string(char* out, size_t out_size, const public_key_t* key) {
  STREAMS_C_REQUIRE(out, key);
  return write_text(out, out_size, iota_streams::to_hex(ByteSpan(key->bytes, sizeof key->bytes)));
}

err_t public_key_from_string(public_key_t* key, const char* hex) {
  STREAMS_C_REQUIRE(key, hex);
  if (std::strlen(hex) != 64 || !iota_streams::from_hex(hex, iota_streams::MutableByteSpan(key->bytes, 32))) {
    return fail(ERR_BAD_ARGUMENT, std::string("a public key is 64 hex digits, not '") + hex + "'");
  }
  return ERR_OK;
}

err_t pskid_as_str(char* out, size_t out_size, const psk_id_t* id) {
  STREAMS_C_REQUIRE(out, id);
  return write_text(out, out_size, iota_streams::to_hex(ByteSpan(id->bytes, sizeof id->bytes)));
}

err_t pskid_from_str(psk_id_t* id, const char* hex) {
  STREAMS_C_REQUIRE(id, hex);
  if (std::strlen(hex) != 32 || !iota_streams::from_hex(hex, iota_streams::MutableByteSpan(id->bytes, 16))) {
    return fail(ERR_BAD_ARGUMENT, std::string("a PSK id is 32 hex digits, not '") + hex + "'");
  }
  return ERR_OK;
}

void drop_links(message_links_t links) {
  delete links.msg_link;
  delete links.seq_link;
}

void drop_buffer(buffer_t buffer) {
  if (buffer.cap != 0 || buffer.size != 0) delete[] buffer.ptr;
}

void drop_payloads(packet_payloads_t payloads) {
  drop_buffer(payloads.public_payload);
  drop_buffer(payloads.masked_payload);
}

// ---- transports ----

transport_t* transport_new(void) { return new Transport{std::make_unique<iota_streams::transports::BucketTransport>()}; }

void transport_drop(transport_t* transport) { delete transport; }

// ---- read messages ----

void drop_unwrapped_message(const unwrapped_message_t* message) { delete message; }
void drop_unwrapped_messages(const unwrapped_messages_t* messages) { delete messages; }

message_kind_t get_message_kind(const unwrapped_message_t* message) {
  if (!message) return MESSAGE_UNREADABLE;
  switch (message->value.kind) {
    case cs::UnwrappedMessage::Kind::kKeyload: return MESSAGE_KEYLOAD;
    case cs::UnwrappedMessage::Kind::kSignedPacket: return MESSAGE_SIGNED_PACKET;
    case cs::UnwrappedMessage::Kind::kTaggedPacket: return MESSAGE_TAGGED_PACKET;
    case cs::UnwrappedMessage::Kind::kUnreadable: break;
  }
  return MESSAGE_UNREADABLE;
}

err_t get_message_link(address_t** link, const unwrapped_message_t* message) {
  STREAMS_C_REQUIRE(link, message);
  *link = new_address(message->value.link);
  return ERR_OK;
}

bool get_message_publisher(public_key_t* publisher, const unwrapped_message_t* message) {
  if (!publisher || !message || !message->value.publisher) return false;
  copy_key(publisher, *message->value.publisher);
  return true;
}

packet_payloads_t get_payload(const unwrapped_message_t* message) {
  if (!message) return packet_payloads_t{};
  return packet_payloads_t{view(message->value.public_payload), view(message->value.masked_payload)};
}

size_t get_payloads_count(const unwrapped_messages_t* messages) { return messages ? messages->values.size() : 0; }

packet_payloads_t get_indexed_payload(const unwrapped_messages_t* messages, size_t index) {
  return get_payload(get_indexed_message(messages, index));
}

const unwrapped_message_t* get_indexed_message(const unwrapped_messages_t* messages, size_t index) {
  if (!messages || index >= messages->values.size()) return nullptr;
  return &messages->values[index];
}

void drop_next_msg_ids(const next_msg_ids_t* ids) { delete ids; }
size_t get_next_msg_ids_count(const next_msg_ids_t* ids) { return ids ? ids->values.size() : 0; }

err_t get_next_msg_id(char* identifier, size_t identifier_size, address_t** link, const next_msg_ids_t* ids,
                      size_t index) {
  STREAMS_C_REQUIRE(ids);
  return cursor_entry(ids->values, index, identifier, identifier_size, link);
}

void drop_user_state(const user_state_t* state) { delete state; }
size_t get_user_state_count(const user_state_t* state) { return state ? state->values.size() : 0; }

err_t get_user_state_entry(char* identifier, size_t identifier_size, address_t** link, uint32_t* seq_no,
                           const user_state_t* state, size_t index) {
  STREAMS_C_REQUIRE(state);
  const err_t entry = cursor_entry(state->values, index, identifier, identifier_size, link);
  if (entry == ERR_OK && seq_no) *seq_no = state->values[index].seq_no;
  return entry;
}

// ---- Author ----

err_t auth_new(author_t** author, const char* seed, uint8_t implementation, transport_t* transport) {
  STREAMS_C_REQUIRE(author, seed, transport);
  const auto type = channel_type(implementation);
  if (!type) return fail(ERR_BAD_ARGUMENT, "unknown channel type " + std::to_string(implementation));
  *author = new Author{cs::Author(seed, *type, *transport->impl)};
  return ERR_OK;
}

err_t auth_recover(author_t** author, const char* seed, const address_t* announcement, uint8_t implementation,
                   transport_t* transport) {
  STREAMS_C_REQUIRE(author, seed, announcement, transport);
  const auto type = channel_type(implementation);
  if (!type) return fail(ERR_BAD_ARGUMENT, "unknown channel type " + std::to_string(implementation));
  auto recovered = cs::Author::recover(seed, announcement->value, *type, *transport->impl);
  if (!recovered.ok()) return fail(recovered.error());
  *author = new Author{std::move(recovered).value()};
  return ERR_OK;
}

void auth_drop(author_t* author) { delete author; }

err_t auth_import(author_t** author, buffer_t buffer, const char* password, transport_t* transport) {
  STREAMS_C_REQUIRE(author, buffer.ptr, password, transport);
  auto imported = cs::Author::import_state(ByteSpan(buffer.ptr, buffer.size), password, *transport->impl);
  if (!imported.ok()) return fail(imported.error());
  *author = new Author{std::move(imported).value()};
  return ERR_OK;
}

err_t auth_export(buffer_t* buffer, const author_t* author, const char* password) {
  return export_user(buffer, author, password);
}

err_t auth_channel_address(char* out, size_t out_size, const author_t* author) {
  return channel_address_of(out, out_size, author);
}

err_t auth_announcement_link(address_t** link, const author_t* author) { return announcement_of(link, author); }

err_t auth_is_multi_branching(uint8_t* flag, const author_t* author) {
  STREAMS_C_REQUIRE(flag, author);
  *flag = author->user.is_multi_branching() ? 1 : 0;
  return ERR_OK;
}

err_t auth_get_public_key(public_key_t* key, const author_t* author) {
  STREAMS_C_REQUIRE(key, author);
  copy_key(key, author->user.get_public_key());
  return ERR_OK;
}

err_t auth_send_announce(address_t** link, author_t* author) {
  STREAMS_C_REQUIRE(link, author);
  auto sent = author->user.send_announce();
  if (!sent.ok()) return fail(sent.error());
  *link = new_address(*sent);
  return ERR_OK;
}

err_t auth_send_keyload_for_everyone(message_links_t* links, author_t* author, const address_t* link_to) {
  STREAMS_C_REQUIRE(links, author, link_to);
  auto sent = author->user.send_keyload_for_everyone(link_to->value);
  if (!sent.ok()) return fail(sent.error());
  *links = make_links(*sent);
  return ERR_OK;
}

err_t auth_send_keyload(message_links_t* links, author_t* author, const address_t* link_to, const psk_id_t* psk_ids,
                        size_t psk_id_count, const public_key_t* keys, size_t key_count) {
  STREAMS_C_REQUIRE(links, author, link_to);
  if ((psk_id_count && !psk_ids) || (key_count && !keys)) return null_argument(__func__);
  std::vector<cs::Identifier> recipients;
  for (size_t i = 0; i < key_count; ++i) recipients.emplace_back(key_of(&keys[i]));
  for (size_t i = 0; i < psk_id_count; ++i) recipients.emplace_back(psk_of(&psk_ids[i]));
  auto sent = author->user.send_keyload(link_to->value, recipients);
  if (!sent.ok()) return fail(sent.error());
  *links = make_links(*sent);
  return ERR_OK;
}

err_t auth_receive_subscribe(author_t* author, const address_t* link) {
  STREAMS_C_REQUIRE(author, link);
  auto read = author->user.receive_subscribe(link->value);
  return read.ok() ? ERR_OK : fail(read.error());
}

err_t auth_receive_unsubscribe(author_t* author, const address_t* link) {
  STREAMS_C_REQUIRE(author, link);
  auto read = author->user.receive_unsubscribe(link->value);
  return read.ok() ? ERR_OK : fail(read.error());
}

err_t auth_store_new_subscriber(author_t* author, const public_key_t* key) {
  STREAMS_C_REQUIRE(author, key);
  auto stored = author->user.store_new_subscriber(key_of(key));
  return stored.ok() ? ERR_OK : fail(stored.error());
}

err_t auth_remove_subscriber(author_t* author, const public_key_t* key) {
  STREAMS_C_REQUIRE(author, key);
  auto removed = author->user.remove_subscriber(key_of(key));
  return removed.ok() ? ERR_OK : fail(removed.error());
}

err_t auth_send_tagged_packet(message_links_t* links, author_t* author, message_links_t link_to,
                              const uint8_t* public_payload, size_t public_size, const uint8_t* masked_payload,
                              size_t masked_size) {
  return send_packet(links, author, link_to, public_payload, public_size, masked_payload, masked_size,
                     [](cs::Author& a, const cs::Address& l, ByteSpan p, ByteSpan m) { return a.send_tagged_packet(l, p, m); });
}

err_t auth_send_signed_packet(message_links_t* links, author_t* author, message_links_t link_to,
                              const uint8_t* public_payload, size_t public_size, const uint8_t* masked_payload,
                              size_t masked_size) {
  return send_packet(links, author, link_to, public_payload, public_size, masked_payload, masked_size,
                     [](cs::Author& a, const cs::Address& l, ByteSpan p, ByteSpan m) { return a.send_signed_packet(l, p, m); });
}

err_t auth_receive_tagged_packet(packet_payloads_t* payloads, author_t* author, const address_t* link) {
  return receive_tagged(payloads, author, link);
}
err_t auth_receive_signed_packet(packet_payloads_t* payloads, author_t* author, const address_t* link) {
  return receive_signed(payloads, author, link);
}
err_t auth_receive_sequence(address_t** link, author_t* author, const address_t* sequence_link) {
  return receive_sequence(link, author, sequence_link);
}
err_t auth_gen_next_msg_ids(next_msg_ids_t** ids, author_t* author) { return next_ids(ids, author); }
err_t auth_receive_msg(unwrapped_message_t** message, author_t* author, const address_t* link) {
  return receive_msg(message, author, link);
}
err_t auth_receive_msg_by_sequence_number(unwrapped_message_t** message, author_t* author, const address_t* anchor_link,
                                          uint32_t msg_num) {
  return receive_by_number(message, author, anchor_link, msg_num);
}
err_t auth_fetch_next_msgs(unwrapped_messages_t** messages, author_t* author) { return fetch_next(messages, author, false); }
err_t auth_fetch_prev_msg(unwrapped_message_t** message, author_t* author, const address_t* link) {
  return fetch_prev(message, author, link);
}
err_t auth_fetch_prev_msgs(unwrapped_messages_t** messages, author_t* author, const address_t* link, size_t num_msgs) {
  return fetch_prevs(messages, author, link, num_msgs);
}
err_t auth_sync_state(unwrapped_messages_t** messages, author_t* author) { return fetch_next(messages, author, true); }
err_t auth_fetch_state(user_state_t** state, author_t* author) { return fetch_state(state, author); }
err_t auth_reset_state(author_t* author) { return reset_state(author); }
err_t auth_store_psk(psk_id_t* id, author_t* author, const char* psk_seed) { return store_psk(id, author, psk_seed); }
err_t auth_remove_psk(author_t* author, const psk_id_t* id) { return remove_psk(author, id); }

// ---- Subscriber ----

err_t sub_new(subscriber_t** subscriber, const char* seed, transport_t* transport) {
  STREAMS_C_REQUIRE(subscriber, seed, transport);
  *subscriber = new Subscriber{cs::Subscriber(seed, *transport->impl)};
  return ERR_OK;
}

err_t sub_import(subscriber_t** subscriber, buffer_t buffer, const char* password, transport_t* transport) {
  STREAMS_C_REQUIRE(subscriber, buffer.ptr, password, transport);
  auto imported = cs::Subscriber::import_state(ByteSpan(buffer.ptr, buffer.size), password, *transport->impl);
  if (!imported.ok()) return fail(imported.error());
  *subscriber = new Subscriber{std::move(imported).value()};
  return ERR_OK;
}

err_t sub_export(buffer_t* buffer, const subscriber_t* subscriber, const char* password) {
  return export_user(buffer, subscriber, password);
}

void sub_drop(subscriber_t* subscriber) { delete subscriber; }

err_t sub_channel_address(char* out, size_t out_size, const subscriber_t* subscriber) {
  return channel_address_of(out, out_size, subscriber);
}

err_t sub_announcement_link(address_t** link, const subscriber_t* subscriber) { return announcement_of(link, subscriber); }

err_t sub_is_multi_branching(uint8_t* flag, const subscriber_t* subscriber) {
  STREAMS_C_REQUIRE(flag, subscriber);
  *flag = subscriber->user.is_multi_branching() ? 1 : 0;
  return ERR_OK;
}

err_t sub_get_public_key(public_key_t* key, const subscriber_t* subscriber) {
  STREAMS_C_REQUIRE(key, subscriber);
  copy_key(key, subscriber->user.get_public_key());
  return ERR_OK;
}

err_t sub_author_public_key(public_key_t* key, const subscriber_t* subscriber) {
  STREAMS_C_REQUIRE(key, subscriber);
  const auto& author = subscriber->user.author_public_key();
  if (!author) return fail(ERR_OPERATION_FAILED, "the author is not known yet (the announcement has not been read)");
  copy_key(key, *author);
  return ERR_OK;
}

uint8_t sub_is_registered(const subscriber_t* subscriber) { return subscriber && subscriber->user.is_registered() ? 1 : 0; }

void sub_unregister(subscriber_t* subscriber) {
  if (subscriber) subscriber->user.unregister();
}

err_t sub_receive_announce(subscriber_t* subscriber, const address_t* link) {
  STREAMS_C_REQUIRE(subscriber, link);
  auto read = subscriber->user.receive_announcement(link->value);
  return read.ok() ? ERR_OK : fail(read.error());
}

err_t sub_send_subscribe(address_t** link, subscriber_t* subscriber, const address_t* announcement_link) {
  STREAMS_C_REQUIRE(link, subscriber, announcement_link);
  auto sent = subscriber->user.send_subscribe(announcement_link->value);
  if (!sent.ok()) return fail(sent.error());
  *link = new_address(*sent);
  return ERR_OK;
}

err_t sub_send_unsubscribe(address_t** link, subscriber_t* subscriber, const address_t* subscription_link) {
  STREAMS_C_REQUIRE(link, subscriber, subscription_link);
  auto sent = subscriber->user.send_unsubscribe(subscription_link->value);
  if (!sent.ok()) return fail(sent.error());
  *link = new_address(*sent);
  return ERR_OK;
}

err_t sub_receive_keyload(uint8_t* access, subscriber_t* subscriber, const address_t* link) {
  STREAMS_C_REQUIRE(access, subscriber, link);
  auto read = subscriber->user.receive_keyload(link->value);
  if (!read.ok()) return fail(read.error());
  *access = *read ? 1 : 0;
  return ERR_OK;
}

err_t sub_send_tagged_packet(message_links_t* links, subscriber_t* subscriber, message_links_t link_to,
                             const uint8_t* public_payload, size_t public_size, const uint8_t* masked_payload,
                             size_t masked_size) {
  return send_packet(links, subscriber, link_to, public_payload, public_size, masked_payload, masked_size,
                     [](cs::Subscriber& s, const cs::Address& l, ByteSpan p, ByteSpan m) { return s.send_tagged_packet(l, p, m); });
}

err_t sub_send_signed_packet(message_links_t* links, subscriber_t* subscriber, message_links_t link_to,
                             const uint8_t* public_payload, size_t public_size, const uint8_t* masked_payload,
                             size_t masked_size) {
  return send_packet(links, subscriber, link_to, public_payload, public_size, masked_payload, masked_size,
                     [](cs::Subscriber& s, const cs::Address& l, ByteSpan p, ByteSpan m) { return s.send_signed_packet(l, p, m); });
}

err_t sub_receive_tagged_packet(packet_payloads_t* payloads, subscriber_t* subscriber, const address_t* link) {
  return receive_tagged(payloads, subscriber, link);
}
err_t sub_receive_signed_packet(packet_payloads_t* payloads, subscriber_t* subscriber, const address_t* link) {
  return receive_signed(payloads, subscriber, link);
}
err_t sub_receive_sequence(address_t** link, subscriber_t* subscriber, const address_t* sequence_link) {
  return receive_sequence(link, subscriber, sequence_link);
}
err_t sub_gen_next_msg_ids(next_msg_ids_t** ids, subscriber_t* subscriber) { return next_ids(ids, subscriber); }
err_t sub_receive_msg(unwrapped_message_t** message, subscriber_t* subscriber, const address_t* link) {
  return receive_msg(message, subscriber, link);
}
err_t sub_receive_msg_by_sequence_number(unwrapped_message_t** message, subscriber_t* subscriber,
                                         const address_t* anchor_link, uint32_t msg_num) {
  return receive_by_number(message, subscriber, anchor_link, msg_num);
}
err_t sub_fetch_next_msgs(unwrapped_messages_t** messages, subscriber_t* subscriber) {
  return fetch_next(messages, subscriber, false);
}
err_t sub_fetch_prev_msg(unwrapped_message_t** message, subscriber_t* subscriber, const address_t* link) {
  return fetch_prev(message, subscriber, link);
}
err_t sub_fetch_prev_msgs(unwrapped_messages_t** messages, subscriber_t* subscriber, const address_t* link,
                          size_t num_msgs) {
  return fetch_prevs(messages, subscriber, link, num_msgs);
}
err_t sub_sync_state(unwrapped_messages_t** messages, subscriber_t* subscriber) {
  return fetch_next(messages, subscriber, true);
}
err_t sub_fetch_state(user_state_t** state, subscriber_t* subscriber) { return fetch_state(state, subscriber); }
err_t sub_reset_state(subscriber_t* subscriber) { return reset_state(subscriber); }
err_t sub_store_psk(psk_id_t* id, subscriber_t* subscriber, const char* psk_seed) {
  return store_psk(id, subscriber, psk_seed);
}
err_t sub_remove_psk(subscriber_t* subscriber, const psk_id_t* id) { return remove_psk(subscriber, id); }

}  // extern "C"
