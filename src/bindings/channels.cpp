// The C API (include/iota_streams/channels.h) over Author, Subscriber and the transports. Each C
// function checks its pointers, calls the C++ API, and turns a failed Result into the error kind's
// own streams_err_t plus the reason in the thread's last-error buffer (fixed size, no heap).
// Handles and buffers are allocated without throwing, and every call that allocates first takes its
// heap headroom (heap_headroom.h): a heap without room is STREAMS_ERR_NO_MEMORY before anything is
// done, never an abort. No exceptions, no RTTI (it runs on devices too).
#include "iota_streams/channels.h"

#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "handles.h"
#include "heap_headroom.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/config.h"
#include "iota_streams/transports/bucket.h"

namespace cs = iota_streams::channels;
using iota_streams::ByteSpan;
using iota_streams::Errc;
using iota_streams::Error;
using iota_streams::Result;
using iota_streams::bindings::headroom_for;
using iota_streams::bindings::kSmallCallHeadroom;

struct streams_address {
  cs::Address value;
};
struct streams_unwrapped_message {
  cs::UnwrappedMessage value;
};
struct streams_unwrapped_messages {
  std::unique_ptr<streams_unwrapped_message[]> values;
  size_t count = 0;
};
struct streams_next_msg_ids {
  std::vector<cs::IdentityCursor> values;
};
struct streams_user_state {
  std::vector<cs::IdentityCursor> values;
};

namespace {

// Per thread, in static TLS: recording a failure never allocates.
thread_local char last_error[STREAMS_C_LAST_ERROR_SIZE];

__attribute__((format(printf, 2, 3))) streams_err_t failf(streams_err_t code, const char* format,
                                                          ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(last_error, sizeof last_error, format, args);
  va_end(args);
  return code;
}

}  // namespace

streams_err_t streams_c_code(Errc code) {
  // No default: a new Errc fails the build (-Werror=switch) until it has its code here.
  switch (code) {
    case Errc::kOk:
      return STREAMS_ERR_OK;
    case Errc::kStreamTooShort:
      return STREAMS_ERR_STREAM_TOO_SHORT;
    case Errc::kOutputTooSmall:
      return STREAMS_ERR_BUFFER_TOO_SMALL;
    case Errc::kOutputNotFilled:
      return STREAMS_ERR_OUTPUT_NOT_FILLED;
    case Errc::kInputNotConsumed:
      return STREAMS_ERR_INPUT_NOT_CONSUMED;
    case Errc::kBadMac:
      return STREAMS_ERR_BAD_MAC;
    case Errc::kSignatureMismatch:
      return STREAMS_ERR_SIGNATURE_MISMATCH;
    case Errc::kBadPublicKey:
      return STREAMS_ERR_BAD_PUBLIC_KEY;
    case Errc::kKeyConversionFailure:
      return STREAMS_ERR_KEY_CONVERSION;
    case Errc::kBadOneof:
      return STREAMS_ERR_BAD_ONEOF;
    case Errc::kLinkNotFound:
      return STREAMS_ERR_LINK_NOT_FOUND;
    case Errc::kInvalidVersion:
      return STREAMS_ERR_INVALID_VERSION;
    case Errc::kInvalidBitReservation:
      return STREAMS_ERR_INVALID_BIT_RESERVATION;
    case Errc::kInvalidFrameType:
      return STREAMS_ERR_INVALID_FRAME_TYPE;
    case Errc::kValueOutOfRange:
      return STREAMS_ERR_VALUE_OUT_OF_RANGE;
    case Errc::kLengthMismatch:
      return STREAMS_ERR_LENGTH_MISMATCH;
    case Errc::kSpongosNotCommitted:
      return STREAMS_ERR_SPONGOS_NOT_COMMITTED;
    case Errc::kMalformedAddress:
      return STREAMS_ERR_MALFORMED_ADDRESS;
    case Errc::kInvalidAddress:
      return STREAMS_ERR_INVALID_ADDRESS;
    case Errc::kBadHex:
      return STREAMS_ERR_BAD_HEX;
    case Errc::kNotRegistered:
      return STREAMS_ERR_NOT_REGISTERED;
    case Errc::kAlreadyRegistered:
      return STREAMS_ERR_ALREADY_REGISTERED;
    case Errc::kAppInstMismatch:
      return STREAMS_ERR_CHANNEL_MISMATCH;
    case Errc::kNotAnnouncement:
      return STREAMS_ERR_NOT_ANNOUNCEMENT;
    case Errc::kUnknownMessageType:
      return STREAMS_ERR_UNKNOWN_MESSAGE_TYPE;
    case Errc::kAuthorKeyNotFound:
      return STREAMS_ERR_AUTHOR_KEY_NOT_FOUND;
    case Errc::kSeqNumRetrievalFailure:
      return STREAMS_ERR_SEQ_NUM_NOT_FOUND;
    case Errc::kMessageBuildFailure:
      return STREAMS_ERR_MESSAGE_BUILD;
    case Errc::kStateStoreFailure:
      return STREAMS_ERR_STATE_STORE;
    case Errc::kPskAlreadyStored:
      return STREAMS_ERR_PSK_ALREADY_STORED;
    case Errc::kChannelDuplication:
      return STREAMS_ERR_CHANNEL_DUPLICATION;
    case Errc::kChannelCreationFailure:
      return STREAMS_ERR_CHANNEL_CREATION;
    case Errc::kNoPreviousMessage:
      return STREAMS_ERR_NO_PREVIOUS_MESSAGE;
    case Errc::kChannelNotSingleDepth:
      return STREAMS_ERR_NOT_SINGLE_DEPTH;
    case Errc::kSingleDepthOperation:
      return STREAMS_ERR_SINGLE_DEPTH_OPERATION;
    case Errc::kCapacityExceeded:
      return STREAMS_ERR_CAPACITY_EXCEEDED;
    case Errc::kBadState:
      return STREAMS_ERR_BAD_STATE;
    case Errc::kWrongPassword:
      return STREAMS_ERR_WRONG_PASSWORD;
    case Errc::kNoDeviceState:
      return STREAMS_ERR_NO_DEVICE_STATE;
    case Errc::kLinkNotFoundInTransport:
      return STREAMS_ERR_NOT_FOUND;
    case Errc::kMessageNotUnique:
      return STREAMS_ERR_MESSAGE_NOT_UNIQUE;
    case Errc::kTransportFailure:
      return STREAMS_ERR_TRANSPORT;
    case Errc::kInvalidArgument:
      return STREAMS_ERR_BAD_ARGUMENT;
    case Errc::kInternal:
      return STREAMS_ERR_INTERNAL;
  }
  return STREAMS_ERR_INTERNAL;
}

streams_err_t streams_c_fail(streams_err_t code, std::string_view reason) {
  return failf(code, "%.*s", static_cast<int>(reason.size()), reason.data());
}

streams_err_t streams_c_fail(const Error& error) {
  streams_err_t code = streams_c_code(error.code());
  if (code == STREAMS_ERR_OK) code = STREAMS_ERR_INTERNAL;  // a failure must never read as success
  const std::string_view kind = iota_streams::errc_name(error.code());
  return failf(code, "%.*s: %s", static_cast<int>(kind.size()), kind.data(),
               error.message().c_str());
}

streams_err_t streams_c_no_memory(const char* function) {
  return failf(STREAMS_ERR_NO_MEMORY, "%s: out of memory", function);
}

namespace {

streams_err_t fail(const Error& error) { return streams_c_fail(error); }

streams_err_t null_argument(const char* function) {
  return failf(STREAMS_ERR_NULL_ARGUMENT, "%s: a required argument is NULL", function);
}

// Checks the pointers a C function needs; `fn` names the public function in the error text.
#define STREAMS_C_REQUIRE(fn, ...)                \
  do {                                            \
    const void* required_[] = {__VA_ARGS__};      \
    for (const void* p : required_) {             \
      if (p == nullptr) return null_argument(fn); \
    }                                             \
  } while (0)

// The heap headroom of a C function (heap_headroom.h): STREAMS_ERR_NO_MEMORY when there is none.
#define STREAMS_C_ROOM(fn, room) STREAMS_C_HEADROOM(room, streams_c_no_memory(fn))

template <class T, class... Args>
std::unique_ptr<T> make(Args&&... args) {
  return streams_c_make<T>(std::forward<Args>(args)...);
}

streams_err_t buffer_too_small(size_t out_size, size_t needed) {
  return failf(STREAMS_ERR_BUFFER_TOO_SMALL, "a buffer of %zu bytes cannot hold %zu", out_size,
               needed);
}

streams_err_t write_text(char* out, size_t out_size, std::string_view text) {
  if (out_size < text.size() + 1) return buffer_too_small(out_size, text.size() + 1);
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return STREAMS_ERR_OK;
}

// Lower-case hex of `first`, then ':' and the hex of `second` when it is not empty; no allocation.
streams_err_t write_hex(char* out, size_t out_size, ByteSpan first, ByteSpan second = {}) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const size_t needed = 2 * first.size() + (second.empty() ? 0 : 1 + 2 * second.size()) + 1;
  if (out_size < needed) return buffer_too_small(out_size, needed);
  char* at = out;
  for (uint8_t b : first) {
    *at++ = kDigits[b >> 4];
    *at++ = kDigits[b & 15];
  }
  if (!second.empty()) {
    *at++ = ':';
    for (uint8_t b : second) {
      *at++ = kDigits[b >> 4];
      *at++ = kDigits[b & 15];
    }
  }
  *at = '\0';
  return STREAMS_ERR_OK;
}

// An owned copy of `bytes` (cap = size; empty: no allocation). False when out of memory.
bool copy_out(streams_buffer_t* out, const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) {
    *out = streams_buffer_t{nullptr, 0, 0};
    return true;
  }
  auto* data = new (std::nothrow) uint8_t[bytes.size()];
  if (!data) return false;
  std::memcpy(data, bytes.data(), bytes.size());
  *out = streams_buffer_t{data, bytes.size(), bytes.size()};
  return true;
}

// A view: cap 0, never freed by streams_drop_buffer.
streams_buffer_t view(const std::vector<uint8_t>& bytes) {
  return streams_buffer_t{bytes.data(), bytes.size(), 0};
}

template <class Payloads>  // TaggedPayloads, SignedPayloads
streams_err_t copy_payloads(const char* fn, streams_packet_payloads_t* out,
                            const Payloads& message) {
  streams_packet_payloads_t payloads{};
  if (!copy_out(&payloads.public_payload, message.public_payload)) return streams_c_no_memory(fn);
  if (!copy_out(&payloads.masked_payload, message.masked_payload)) {
    streams_drop_buffer(payloads.public_payload);
    return streams_c_no_memory(fn);
  }
  *out = payloads;
  return STREAMS_ERR_OK;
}

// The handles a send returns, allocated before the message is built: a send that reports
// STREAMS_ERR_NO_MEMORY has published nothing.
struct LinkSlots {
  std::unique_ptr<streams_address> msg = make<streams_address>();
  std::unique_ptr<streams_address> seq = make<streams_address>();

  bool ok() const { return msg && seq; }
  streams_message_links_t fill(const cs::MessageLinks& links) {
    msg->value = links.msg_link;
    const streams_address* sequence = nullptr;
    if (links.seq_link) {
      seq->value = *links.seq_link;
      sequence = seq.release();
    }
    return streams_message_links_t{msg.release(), sequence};
  }
};

ByteSpan span(const uint8_t* data, size_t size) { return data ? ByteSpan(data, size) : ByteSpan(); }

iota_streams::crypto::Ed25519PublicKey key_of(const streams_public_key_t* key) {
  iota_streams::crypto::Ed25519PublicKey out;
  std::memcpy(out.bytes.data(), key->bytes, out.bytes.size());
  return out;
}

iota_streams::crypto::PskId psk_of(const streams_psk_id_t* id) {
  iota_streams::crypto::PskId out;
  std::memcpy(out.bytes.data(), id->bytes, out.bytes.size());
  return out;
}

void copy_key(streams_public_key_t* out, const iota_streams::crypto::Ed25519PublicKey& key) {
  std::memcpy(out->bytes, key.bytes.data(), sizeof out->bytes);
}

std::optional<cs::ChannelType> channel_type(uint8_t implementation) {
  if (implementation > 2) return std::nullopt;
  return static_cast<cs::ChannelType>(implementation);
}

streams_err_t unknown_channel_type(uint8_t implementation) {
  return failf(STREAMS_ERR_BAD_ARGUMENT,
               "unknown channel type %u (0 single-branch, 1 multi-branch, 2 single-depth)",
               static_cast<unsigned>(implementation));
}

streams_err_t no_channel(const char* fn) {
  return failf(STREAMS_ERR_NO_CHANNEL, "%s: no channel yet (no announcement sent or read)", fn);
}

// Hands a new address handle out, or STREAMS_ERR_NO_MEMORY.
streams_err_t give_address(const char* fn, streams_address_t** out, const cs::Address& value) {
  auto handle = make<streams_address>(value);
  if (!handle) return streams_c_no_memory(fn);
  *out = handle.release();
  return STREAMS_ERR_OK;
}

using iota_streams::bindings::Headroom;

// The headroom of an import of `size` bytes: the state opened out of them, parsed, moved into the
// user.
Headroom import_headroom(size_t size) { return headroom_for(cs::UserOptions{}, size); }

// The headroom of a recovery: the author's own messages read back, one at a time, into a link store
// as large as the default options allow (unbounded: counted at 4,096 entries).
Headroom recovery_headroom() {
  const cs::UserOptions options;
  const size_t links = options.max_links != 0 ? options.max_links : 4096;
  return headroom_for(options, links * sizeof(cs::LinkStore::Entry));
}

// The headroom of a walk back over `count` messages: each read and kept.
Headroom prev_walk_headroom(const cs::UserBase& user, size_t count) {
  const size_t per_message = user.options().max_message_bytes + sizeof(cs::UnwrappedMessage) +
                             sizeof(streams_unwrapped_message) + sizeof(cs::Address) + 512;
  if (count > SIZE_MAX / 4 / per_message) return Headroom{SIZE_MAX, SIZE_MAX};  // no heap has it
  return headroom_for(user).plus(2 * count * per_message, 2 * count * sizeof(cs::UnwrappedMessage));
}

// The headroom of a keyload to the caller's recipients (their list, and a message naming them).
Headroom recipients_headroom(const cs::UserBase& user, size_t psk_ids, size_t keys) {
  if (psk_ids > SIZE_MAX / 256 || keys > SIZE_MAX / 256 - psk_ids)
    return Headroom{SIZE_MAX, SIZE_MAX};
  const size_t list = 2 * (psk_ids + keys) * sizeof(cs::Identifier);
  return headroom_for(user).plus(list, list);
}

// The headroom of one round of fetching: the next message of every known publisher, read and kept,
// and every message read so far handed out (the list grows to twice its size; the C array).
Headroom fetch_round_headroom(const cs::UserBase& user, const cs::FetchResult& so_far) {
  const size_t publishers = user.state().key_store.size() + 1;
  const size_t count = so_far.messages.size() + publishers;
  const size_t kept = publishers * (user.options().max_message_bytes + 512);
  const size_t list = 2 * count * sizeof(cs::UnwrappedMessage);
  const size_t array = count * sizeof(streams_unwrapped_message);
  const size_t refusals = 2 * so_far.refused.size() * sizeof(cs::Refusal);
  return headroom_for(user).plus(kept + list + array + refusals, std::max({list, array, refusals}));
}

// ---- what Author and Subscriber share, written once ----

template <class Handle>
streams_err_t export_user(const char* fn, streams_buffer_t* buffer, const Handle* handle,
                          const char* password) {
  STREAMS_C_REQUIRE(fn, buffer, handle, password);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto bytes = handle->user.export_state(password);
  if (!bytes.ok()) return fail(bytes.error());
  if (!copy_out(buffer, *bytes)) return streams_c_no_memory(fn);
  return STREAMS_ERR_OK;
}

template <class Handle>
streams_err_t channel_address_of(const char* fn, char* out, size_t out_size, const Handle* handle) {
  STREAMS_C_REQUIRE(fn, out, handle);
  const auto channel = handle->user.channel_address();
  if (!channel) return no_channel(fn);
  return write_hex(out, out_size, channel->bytes);
}

template <class Handle>
streams_err_t announcement_of(const char* fn, streams_address_t** link, const Handle* handle) {
  STREAMS_C_REQUIRE(fn, link, handle);
  const auto& announcement = handle->user.announcement_link();
  if (!announcement) return no_channel(fn);
  STREAMS_C_ROOM(fn, kSmallCallHeadroom);
  return give_address(fn, link, *announcement);
}

template <class Handle>
streams_err_t multi_branching(const char* fn, uint8_t* flag, const Handle* handle) {
  STREAMS_C_REQUIRE(fn, flag, handle);
  *flag = handle->user.is_multi_branching() ? 1 : 0;
  return STREAMS_ERR_OK;
}

template <class Handle>
streams_err_t public_key_of(const char* fn, streams_public_key_t* key, const Handle* handle) {
  STREAMS_C_REQUIRE(fn, key, handle);
  copy_key(key, handle->user.get_public_key());
  return STREAMS_ERR_OK;
}

template <class Handle, class Send>
streams_err_t send_packet(const char* fn, streams_message_links_t* links, Handle* handle,
                          streams_message_links_t link_to, const uint8_t* public_payload,
                          size_t public_size, const uint8_t* masked_payload, size_t masked_size,
                          Send send) {
  STREAMS_C_REQUIRE(fn, links, handle, link_to.msg_link);
  if ((public_payload == nullptr && public_size != 0) ||
      (masked_payload == nullptr && masked_size != 0)) {
    return failf(STREAMS_ERR_NULL_ARGUMENT, "%s: a payload is NULL with a size that is not 0", fn);
  }
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  LinkSlots slots;
  if (!slots.ok()) return streams_c_no_memory(fn);
  auto sent = send(handle->user, link_to.msg_link->value, span(public_payload, public_size),
                   span(masked_payload, masked_size));
  if (!sent.ok()) return fail(sent.error());
  *links = slots.fill(*sent);
  return STREAMS_ERR_OK;
}

template <class Handle, class Read>
streams_err_t receive_packet(const char* fn, streams_packet_payloads_t* payloads, Handle* handle,
                             const streams_address_t* link, Read read_packet) {
  STREAMS_C_REQUIRE(fn, payloads, handle, link);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto read = read_packet(handle->user, link->value);
  if (!read.ok()) return fail(read.error());
  return copy_payloads(fn, payloads, *read);
}

template <class Handle>
streams_err_t receive_sequence(const char* fn, streams_address_t** out, Handle* handle,
                               const streams_address_t* link) {
  STREAMS_C_REQUIRE(fn, out, handle, link);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto slot = make<streams_address>();
  if (!slot) return streams_c_no_memory(fn);
  auto next = handle->user.receive_sequence(link->value);
  if (!next.ok()) return fail(next.error());
  slot->value = *next;
  *out = slot.release();
  return STREAMS_ERR_OK;
}

template <class Handle>
streams_err_t next_ids(const char* fn, streams_next_msg_ids_t** ids, Handle* handle) {
  STREAMS_C_REQUIRE(fn, ids, handle);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto made =
      make<streams_next_msg_ids>(handle->user.gen_next_msg_ids(handle->user.is_multi_branching()));
  if (!made) return streams_c_no_memory(fn);
  *ids = made.release();
  return STREAMS_ERR_OK;
}

streams_err_t one_message(const char* fn, streams_unwrapped_message_t** out,
                          Result<cs::UnwrappedMessage> read) {
  if (!read.ok()) return fail(read.error());
  auto made = make<streams_unwrapped_message>(std::move(read).value());
  if (!made) return streams_c_no_memory(fn);
  *out = made.release();
  return STREAMS_ERR_OK;
}

streams_err_t many_messages(const char* fn, streams_unwrapped_messages_t** out,
                            std::vector<cs::UnwrappedMessage> read) {
  auto messages = make<streams_unwrapped_messages>();
  if (!messages) return streams_c_no_memory(fn);
  if (!read.empty()) {
    messages->values.reset(new (std::nothrow) streams_unwrapped_message[read.size()]);
    if (!messages->values) return streams_c_no_memory(fn);
    for (size_t i = 0; i < read.size(); ++i) messages->values[i].value = std::move(read[i]);
    messages->count = read.size();
  }
  *out = messages.release();
  return STREAMS_ERR_OK;
}

template <class Handle>
streams_err_t receive_msg(const char* fn, streams_unwrapped_message_t** out, Handle* handle,
                          const streams_address_t* link) {
  STREAMS_C_REQUIRE(fn, out, handle, link);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  return one_message(fn, out, handle->user.receive_msg(link->value));
}

template <class Handle>
streams_err_t receive_by_number(const char* fn, streams_unwrapped_message_t** out, Handle* handle,
                                const streams_address_t* anchor, uint32_t number) {
  STREAMS_C_REQUIRE(fn, out, handle, anchor);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  return one_message(fn, out, handle->user.receive_msg_by_sequence_number(anchor->value, number));
}

// The messages are handed out also when the transport failed, or when a whole fetch stopped
// because the heap had no room for another round (STREAMS_ERR_NO_MEMORY; the cursors are past
// exactly the messages handed out, so the next fetch goes on from there); the return is then that
// error (recorded as the last error) and `report`, when given, says so.
template <class Handle>
streams_err_t fetch_next(const char* fn, streams_unwrapped_messages_t** out,
                         streams_fetch_report_t* report, Handle* handle, bool all) {
  STREAMS_C_REQUIRE(fn, out, handle);
  iota_streams::bindings::HeapHeadroom headroom(fetch_round_headroom(handle->user, {}));
  if (!headroom.ok()) return streams_c_no_memory(fn);
  struct Rounds {
    iota_streams::bindings::HeapHeadroom& headroom;
    const cs::UserBase& user;
  } rounds{headroom, handle->user};
  const auto room_for_another = [](const cs::FetchResult& so_far, void* context) {
    auto& r = *static_cast<Rounds*>(context);
    return r.headroom.renew(fetch_round_headroom(r.user, so_far));
  };
  cs::FetchResult fetched = all ? handle->user.fetch_all_next_msgs(room_for_another, &rounds)
                                : handle->user.fetch_next_msgs();
  const size_t refused = fetched.refused.size();
  const bool transport_failed = fetched.transport_error.has_value();
  const streams_err_t copied = many_messages(fn, out, std::move(fetched.messages));
  if (copied != STREAMS_ERR_OK) return copied;
  streams_err_t code = STREAMS_ERR_OK;
  if (transport_failed)
    code = fail(*fetched.transport_error);
  else if (fetched.stopped)
    code = failf(STREAMS_ERR_NO_MEMORY,
                 "%s: out of memory before the end; the messages read are handed out, and the next "
                 "fetch goes on after them",
                 fn);
  if (report)
    *report =
        streams_fetch_report_t{refused, transport_failed, transport_failed ? code : STREAMS_ERR_OK};
  return code;
}

template <class Handle>
streams_err_t fetch_next_report(const char* fn, streams_unwrapped_messages_t** out,
                                streams_fetch_report_t* report, Handle* handle, bool all) {
  STREAMS_C_REQUIRE(fn, report);
  return fetch_next(fn, out, report, handle, all);
}

template <class Handle>
streams_err_t has_pending(const char* fn, bool* pending, const Handle* handle) {
  STREAMS_C_REQUIRE(fn, pending, handle);
  *pending = handle->user.has_pending();
  return STREAMS_ERR_OK;
}

template <class Handle>
streams_err_t publish_pending(const char* fn, Handle* handle) {
  STREAMS_C_REQUIRE(fn, handle);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto published = handle->user.publish_pending();
  return published.ok() ? STREAMS_ERR_OK : fail(published.error());
}

template <class Handle>
streams_err_t fetch_prev(const char* fn, streams_unwrapped_message_t** out, Handle* handle,
                         const streams_address_t* link) {
  STREAMS_C_REQUIRE(fn, out, handle, link);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  return one_message(fn, out, handle->user.fetch_prev_msg(link->value));
}

template <class Handle>
streams_err_t fetch_prevs(const char* fn, streams_unwrapped_messages_t** out, Handle* handle,
                          const streams_address_t* link, size_t count) {
  STREAMS_C_REQUIRE(fn, out, handle, link);
  STREAMS_C_ROOM(fn, prev_walk_headroom(handle->user, count));
  auto read = handle->user.fetch_prev_msgs(link->value, count);
  if (!read.ok()) return fail(read.error());
  return many_messages(fn, out, std::move(read).value());
}

template <class Handle>
streams_err_t fetch_state(const char* fn, streams_user_state_t** out, Handle* handle) {
  STREAMS_C_REQUIRE(fn, out, handle);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto cursors = handle->user.fetch_state();
  if (!cursors.ok()) return fail(cursors.error());
  auto made = make<streams_user_state>(std::move(cursors).value());
  if (!made) return streams_c_no_memory(fn);
  *out = made.release();
  return STREAMS_ERR_OK;
}

template <class Handle>
streams_err_t reset_state(const char* fn, Handle* handle) {
  STREAMS_C_REQUIRE(fn, handle);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto reset = handle->user.reset_state();
  return reset.ok() ? STREAMS_ERR_OK : fail(reset.error());
}

template <class Handle>
streams_err_t store_psk(const char* fn, streams_psk_id_t* id, Handle* handle, const char* seed) {
  STREAMS_C_REQUIRE(fn, id, handle, seed);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto stored = handle->user.store_psk(std::string_view(seed));
  if (!stored.ok()) return fail(stored.error());
  std::memcpy(id->bytes, stored->bytes.data(), sizeof id->bytes);
  return STREAMS_ERR_OK;
}

template <class Handle>
streams_err_t remove_psk(const char* fn, Handle* handle, const streams_psk_id_t* id) {
  STREAMS_C_REQUIRE(fn, handle, id);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto removed = handle->user.remove_psk(psk_of(id));
  return removed.ok() ? STREAMS_ERR_OK : fail(removed.error());
}

template <class Handle, class Call>
streams_err_t call_on_link(const char* fn, Handle* handle, const streams_address_t* link,
                           Call call) {
  STREAMS_C_REQUIRE(fn, handle, link);
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto done = call(handle->user, link->value);
  return done.ok() ? STREAMS_ERR_OK : fail(done.error());
}

template <class Handle, class Send>
streams_err_t send_one(const char* fn, streams_address_t** link, Handle* handle, Send send) {
  STREAMS_C_ROOM(fn, headroom_for(handle->user));
  auto slot = make<streams_address>();
  if (!slot) return streams_c_no_memory(fn);
  auto sent = send(handle->user);
  if (!sent.ok()) return fail(sent.error());
  slot->value = *sent;
  *link = slot.release();
  return STREAMS_ERR_OK;
}

streams_err_t cursor_entry(const char* fn, const std::vector<cs::IdentityCursor>& cursors,
                           size_t index, char* identifier, size_t identifier_size,
                           streams_address_t** link) {
  if (index >= cursors.size()) {
    return failf(STREAMS_ERR_BAD_ARGUMENT, "%s: entry %zu of %zu", fn, index, cursors.size());
  }
  if (identifier) {
    const streams_err_t written =
        write_text(identifier, identifier_size, cursors[index].id.to_hex());
    if (written != STREAMS_ERR_OK) return written;
  }
  if (link) return give_address(fn, link, cursors[index].link);
  return STREAMS_ERR_OK;
}

// send_keyload and prepare_keyload: the recipients from the C arrays, the links handed out.
template <class Build>
streams_err_t keyload(const char* fn, streams_message_links_t* links, streams_author_t* author,
                      const streams_address_t* link_to, const streams_psk_id_t* psk_ids,
                      size_t psk_id_count, const streams_public_key_t* keys, size_t key_count,
                      Build build) {
  STREAMS_C_REQUIRE(fn, links, author, link_to);
  if ((psk_id_count && !psk_ids) || (key_count && !keys)) return null_argument(fn);
  STREAMS_C_ROOM(fn, recipients_headroom(author->user, psk_id_count, key_count));
  LinkSlots slots;
  if (!slots.ok()) return streams_c_no_memory(fn);
  std::vector<cs::Identifier> recipients;
  for (size_t i = 0; i < key_count; ++i) recipients.emplace_back(key_of(&keys[i]));
  for (size_t i = 0; i < psk_id_count; ++i) recipients.emplace_back(psk_of(&psk_ids[i]));
  auto built = build(author->user, link_to->value, recipients);
  if (!built.ok()) return fail(built.error());
  *links = slots.fill(*built);
  return STREAMS_ERR_OK;
}

// Author and Subscriber from a seed, a recovery or an import, handed out as a new handle.
template <class Handle, class Value>
streams_err_t give_user(const char* fn, Handle** out, Value&& user) {
  auto made = make<Handle>(std::forward<Value>(user));
  if (!made) return streams_c_no_memory(fn);
  *out = made.release();
  return STREAMS_ERR_OK;
}

}  // namespace

extern "C" {

const char* streams_last_error(void) { return last_error; }

const char* streams_err_message(streams_err_t code) {
  switch (code) {
    case STREAMS_ERR_OK:
      return "ok";
    case STREAMS_ERR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case STREAMS_ERR_NO_MEMORY:
      return "out of memory";
    case STREAMS_ERR_NO_CHANNEL:
      return "no channel yet (no announcement sent or read)";
    default:
      break;
  }
  // The library's kinds (and BAD_ARGUMENT, BUFFER_TOO_SMALL, WRONG_PASSWORD, NOT_FOUND, which are
  // kinds of it too) take the kind's name: one text per code, kept with the kind.
  for (unsigned kind = 1; kind <= static_cast<unsigned>(Errc::kInternal); ++kind) {
    if (streams_c_code(static_cast<Errc>(kind)) == code)
      return iota_streams::errc_name(static_cast<Errc>(kind)).data();
  }
  return "unknown error code";
}

// ---- addresses and keys ----

streams_err_t streams_address_from_string(streams_address_t** address, const char* text) {
  STREAMS_C_REQUIRE(__func__, address, text);
  STREAMS_C_ROOM(__func__, kSmallCallHeadroom);
  auto parsed = cs::Address::parse(text);
  if (!parsed.ok()) return fail(parsed.error());
  return give_address(__func__, address, *parsed);
}

void streams_drop_address(const streams_address_t* address) { delete address; }

streams_err_t streams_address_copy(streams_address_t** copy, const streams_address_t* address) {
  STREAMS_C_REQUIRE(__func__, copy, address);
  STREAMS_C_ROOM(__func__, kSmallCallHeadroom);
  return give_address(__func__, copy, address->value);
}

bool streams_address_eq(const streams_address_t* a, const streams_address_t* b) {
  return a && b && a->value == b->value;
}

streams_err_t streams_get_address_str(char* out, size_t out_size,
                                      const streams_address_t* address) {
  STREAMS_C_REQUIRE(__func__, out, address);
  return write_hex(out, out_size, address->value.channel.bytes, address->value.msgid.bytes);
}

streams_err_t streams_get_address_inst_str(char* out, size_t out_size,
                                           const streams_address_t* address) {
  STREAMS_C_REQUIRE(__func__, out, address);
  return write_hex(out, out_size, address->value.channel.bytes);
}

streams_err_t streams_get_address_id_str(char* out, size_t out_size,
                                         const streams_address_t* address) {
  STREAMS_C_REQUIRE(__func__, out, address);
  return write_hex(out, out_size, address->value.msgid.bytes);
}

streams_err_t streams_get_address_index_str(char* out, size_t out_size,
                                            const streams_address_t* address) {
  STREAMS_C_REQUIRE(__func__, out, address);
  return write_hex(out, out_size, address->value.index());
}

streams_err_t streams_public_key_to_string(char* out, size_t out_size,
                                           const streams_public_key_t* key) {
  STREAMS_C_REQUIRE(__func__, out, key);
  return write_hex(out, out_size, ByteSpan(key->bytes, sizeof key->bytes));
}

streams_err_t streams_public_key_from_string(streams_public_key_t* key, const char* hex) {
  STREAMS_C_REQUIRE(__func__, key, hex);
  streams_public_key_t parsed;
  if (std::strlen(hex) != 64 ||
      !iota_streams::from_hex(hex, iota_streams::MutableByteSpan(parsed.bytes, 32))) {
    return failf(STREAMS_ERR_BAD_HEX, "a public key is 64 hex digits, not '%.80s'", hex);
  }
  *key = parsed;
  return STREAMS_ERR_OK;
}

streams_err_t streams_pskid_as_str(char* out, size_t out_size, const streams_psk_id_t* id) {
  STREAMS_C_REQUIRE(__func__, out, id);
  return write_hex(out, out_size, ByteSpan(id->bytes, sizeof id->bytes));
}

streams_err_t streams_pskid_from_str(streams_psk_id_t* id, const char* hex) {
  STREAMS_C_REQUIRE(__func__, id, hex);
  streams_psk_id_t parsed;
  if (std::strlen(hex) != 32 ||
      !iota_streams::from_hex(hex, iota_streams::MutableByteSpan(parsed.bytes, 16))) {
    return failf(STREAMS_ERR_BAD_HEX, "a PSK id is 32 hex digits, not '%.80s'", hex);
  }
  *id = parsed;
  return STREAMS_ERR_OK;
}

void streams_drop_links(streams_message_links_t links) {
  delete links.msg_link;
  delete links.seq_link;
}

void streams_drop_buffer(streams_buffer_t buffer) {
  if (buffer.cap != 0) delete[] buffer.ptr;  // cap 0: empty, or a view into a message
}

void streams_drop_payloads(streams_packet_payloads_t payloads) {
  streams_drop_buffer(payloads.public_payload);
  streams_drop_buffer(payloads.masked_payload);
}

// ---- transports ----

streams_transport_t* streams_transport_new(void) {
  STREAMS_C_HEADROOM(kSmallCallHeadroom, (streams_c_no_memory(__func__), nullptr));
  auto transport = make<streams_transport>();
  if (!transport) return nullptr;
  transport->impl.reset(new (std::nothrow) iota_streams::transports::BucketTransport);
  return transport->impl ? transport.release() : nullptr;
}

void streams_transport_drop(streams_transport_t* transport) { delete transport; }

// ---- read messages ----

void streams_drop_unwrapped_message(const streams_unwrapped_message_t* message) { delete message; }
void streams_drop_unwrapped_messages(const streams_unwrapped_messages_t* messages) {
  delete messages;
}

streams_message_kind_t streams_get_message_kind(const streams_unwrapped_message_t* message) {
  if (!message) return STREAMS_MESSAGE_UNREADABLE;
  switch (message->value.kind) {
    case cs::UnwrappedMessage::Kind::kKeyload:
      return STREAMS_MESSAGE_KEYLOAD;
    case cs::UnwrappedMessage::Kind::kSignedPacket:
      return STREAMS_MESSAGE_SIGNED_PACKET;
    case cs::UnwrappedMessage::Kind::kTaggedPacket:
      return STREAMS_MESSAGE_TAGGED_PACKET;
    case cs::UnwrappedMessage::Kind::kUnreadable:
      break;
  }
  return STREAMS_MESSAGE_UNREADABLE;
}

streams_err_t streams_get_message_link(streams_address_t** link,
                                       const streams_unwrapped_message_t* message) {
  STREAMS_C_REQUIRE(__func__, link, message);
  STREAMS_C_ROOM(__func__, kSmallCallHeadroom);
  return give_address(__func__, link, message->value.link);
}

bool streams_get_message_publisher(streams_public_key_t* publisher,
                                   const streams_unwrapped_message_t* message) {
  if (!publisher || !message || !message->value.publisher) return false;
  copy_key(publisher, *message->value.publisher);
  return true;
}

streams_packet_payloads_t streams_get_payload(const streams_unwrapped_message_t* message) {
  if (!message) return streams_packet_payloads_t{};
  return streams_packet_payloads_t{view(message->value.public_payload),
                                   view(message->value.masked_payload)};
}

size_t streams_get_payloads_count(const streams_unwrapped_messages_t* messages) {
  return messages ? messages->count : 0;
}

streams_packet_payloads_t streams_get_indexed_payload(const streams_unwrapped_messages_t* messages,
                                                      size_t index) {
  return streams_get_payload(streams_get_indexed_message(messages, index));
}

const streams_unwrapped_message_t* streams_get_indexed_message(
    const streams_unwrapped_messages_t* messages, size_t index) {
  if (!messages || index >= messages->count) return nullptr;
  return &messages->values[index];
}

void streams_drop_next_msg_ids(const streams_next_msg_ids_t* ids) { delete ids; }
size_t streams_get_next_msg_ids_count(const streams_next_msg_ids_t* ids) {
  return ids ? ids->values.size() : 0;
}

streams_err_t streams_get_next_msg_id(char* identifier, size_t identifier_size,
                                      streams_address_t** link, const streams_next_msg_ids_t* ids,
                                      size_t index) {
  STREAMS_C_REQUIRE(__func__, ids);
  STREAMS_C_ROOM(__func__, kSmallCallHeadroom);
  return cursor_entry(__func__, ids->values, index, identifier, identifier_size, link);
}

void streams_drop_user_state(const streams_user_state_t* state) { delete state; }
size_t streams_get_user_state_count(const streams_user_state_t* state) {
  return state ? state->values.size() : 0;
}

streams_err_t streams_get_user_state_entry(char* identifier, size_t identifier_size,
                                           streams_address_t** link, uint32_t* seq_no,
                                           const streams_user_state_t* state, size_t index) {
  STREAMS_C_REQUIRE(__func__, state);
  STREAMS_C_ROOM(__func__, kSmallCallHeadroom);
  const streams_err_t entry =
      cursor_entry(__func__, state->values, index, identifier, identifier_size, link);
  if (entry == STREAMS_ERR_OK && seq_no) *seq_no = state->values[index].seq_no;
  return entry;
}

// ---- Author ----

streams_err_t streams_auth_new(streams_author_t** author, const char* seed, uint8_t implementation,
                               streams_transport_t* transport) {
  STREAMS_C_REQUIRE(__func__, author, seed, transport);
  const auto type = channel_type(implementation);
  if (!type) return unknown_channel_type(implementation);
  STREAMS_C_ROOM(__func__, headroom_for(cs::UserOptions{}, 0));
  return give_user(__func__, author, cs::Author(seed, *type, *transport->impl));
}

streams_err_t streams_auth_recover(streams_author_t** author, const char* seed,
                                   const streams_address_t* announcement, uint8_t implementation,
                                   streams_transport_t* transport) {
  STREAMS_C_REQUIRE(__func__, author, seed, announcement, transport);
  const auto type = channel_type(implementation);
  if (!type) return unknown_channel_type(implementation);
  STREAMS_C_ROOM(__func__, recovery_headroom());
  auto recovered = cs::Author::recover(seed, announcement->value, *type, *transport->impl);
  if (!recovered.ok()) return fail(recovered.error());
  return give_user(__func__, author, std::move(recovered).value());
}

void streams_auth_drop(streams_author_t* author) { delete author; }

streams_err_t streams_auth_import(streams_author_t** author, streams_buffer_t buffer,
                                  const char* password, streams_transport_t* transport) {
  STREAMS_C_REQUIRE(__func__, author, buffer.ptr, password, transport);
  STREAMS_C_ROOM(__func__, import_headroom(buffer.size));
  auto imported =
      cs::Author::import_state(ByteSpan(buffer.ptr, buffer.size), password, *transport->impl);
  if (!imported.ok()) return fail(imported.error());
  return give_user(__func__, author, std::move(imported).value());
}

streams_err_t streams_auth_export(streams_buffer_t* buffer, const streams_author_t* author,
                                  const char* password) {
  return export_user(__func__, buffer, author, password);
}

streams_err_t streams_auth_channel_address(char* out, size_t out_size,
                                           const streams_author_t* author) {
  return channel_address_of(__func__, out, out_size, author);
}

streams_err_t streams_auth_announcement_link(streams_address_t** link,
                                             const streams_author_t* author) {
  return announcement_of(__func__, link, author);
}

streams_err_t streams_auth_is_multi_branching(uint8_t* flag, const streams_author_t* author) {
  return multi_branching(__func__, flag, author);
}

streams_err_t streams_auth_get_public_key(streams_public_key_t* key,
                                          const streams_author_t* author) {
  return public_key_of(__func__, key, author);
}

streams_err_t streams_auth_send_announce(streams_address_t** link, streams_author_t* author) {
  STREAMS_C_REQUIRE(__func__, link, author);
  return send_one(__func__, link, author, [](cs::Author& a) { return a.send_announce(); });
}

streams_err_t streams_auth_send_keyload_for_everyone(streams_message_links_t* links,
                                                     streams_author_t* author,
                                                     const streams_address_t* link_to) {
  STREAMS_C_REQUIRE(__func__, links, author, link_to);
  STREAMS_C_ROOM(__func__, headroom_for(author->user));
  LinkSlots slots;
  if (!slots.ok()) return streams_c_no_memory(__func__);
  auto sent = author->user.send_keyload_for_everyone(link_to->value);
  if (!sent.ok()) return fail(sent.error());
  *links = slots.fill(*sent);
  return STREAMS_ERR_OK;
}

streams_err_t streams_auth_send_keyload(streams_message_links_t* links, streams_author_t* author,
                                        const streams_address_t* link_to,
                                        const streams_psk_id_t* psk_ids, size_t psk_id_count,
                                        const streams_public_key_t* keys, size_t key_count) {
  return keyload(__func__, links, author, link_to, psk_ids, psk_id_count, keys, key_count,
                 [](cs::Author& a, const cs::Address& l, const std::vector<cs::Identifier>& r) {
                   return a.send_keyload(l, r);
                 });
}

streams_err_t streams_auth_prepare_keyload(streams_message_links_t* links, streams_author_t* author,
                                           const streams_address_t* link_to,
                                           const streams_psk_id_t* psk_ids, size_t psk_id_count,
                                           const streams_public_key_t* keys, size_t key_count) {
  return keyload(__func__, links, author, link_to, psk_ids, psk_id_count, keys, key_count,
                 [](cs::Author& a, const cs::Address& l, const std::vector<cs::Identifier>& r) {
                   return a.prepare_keyload(l, r);
                 });
}

streams_err_t streams_auth_prepare_keyload_for_everyone(streams_message_links_t* links,
                                                        streams_author_t* author,
                                                        const streams_address_t* link_to) {
  STREAMS_C_REQUIRE(__func__, links, author, link_to);
  STREAMS_C_ROOM(__func__, headroom_for(author->user));
  LinkSlots slots;
  if (!slots.ok()) return streams_c_no_memory(__func__);
  auto prepared = author->user.prepare_keyload_for_everyone(link_to->value);
  if (!prepared.ok()) return fail(prepared.error());
  *links = slots.fill(*prepared);
  return STREAMS_ERR_OK;
}

streams_err_t streams_auth_prepare_announce(streams_address_t** link, streams_author_t* author) {
  STREAMS_C_REQUIRE(__func__, link, author);
  return send_one(__func__, link, author, [](cs::Author& a) { return a.prepare_announce(); });
}

streams_err_t streams_auth_prepare_tagged_packet(streams_message_links_t* links,
                                                 streams_author_t* author,
                                                 streams_message_links_t link_to,
                                                 const uint8_t* public_payload, size_t public_size,
                                                 const uint8_t* masked_payload,
                                                 size_t masked_size) {
  return send_packet(__func__, links, author, link_to, public_payload, public_size, masked_payload,
                     masked_size, [](cs::Author& a, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return a.prepare_tagged_packet(l, p, m);
                     });
}

streams_err_t streams_auth_prepare_signed_packet(streams_message_links_t* links,
                                                 streams_author_t* author,
                                                 streams_message_links_t link_to,
                                                 const uint8_t* public_payload, size_t public_size,
                                                 const uint8_t* masked_payload,
                                                 size_t masked_size) {
  return send_packet(__func__, links, author, link_to, public_payload, public_size, masked_payload,
                     masked_size, [](cs::Author& a, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return a.prepare_signed_packet(l, p, m);
                     });
}

streams_err_t streams_auth_has_pending(bool* pending, const streams_author_t* author) {
  return has_pending(__func__, pending, author);
}

streams_err_t streams_auth_publish_pending(streams_author_t* author) {
  return publish_pending(__func__, author);
}

streams_err_t streams_auth_receive_subscribe(streams_author_t* author,
                                             const streams_address_t* link) {
  return call_on_link(__func__, author, link,
                      [](cs::Author& a, const cs::Address& l) { return a.receive_subscribe(l); });
}

streams_err_t streams_auth_receive_unsubscribe(streams_author_t* author,
                                               const streams_address_t* link) {
  return call_on_link(__func__, author, link,
                      [](cs::Author& a, const cs::Address& l) { return a.receive_unsubscribe(l); });
}

streams_err_t streams_auth_store_new_subscriber(streams_author_t* author,
                                                const streams_public_key_t* key) {
  STREAMS_C_REQUIRE(__func__, author, key);
  STREAMS_C_ROOM(__func__, headroom_for(author->user));
  auto stored = author->user.store_new_subscriber(key_of(key));
  return stored.ok() ? STREAMS_ERR_OK : fail(stored.error());
}

streams_err_t streams_auth_remove_subscriber(streams_author_t* author,
                                             const streams_public_key_t* key) {
  STREAMS_C_REQUIRE(__func__, author, key);
  STREAMS_C_ROOM(__func__, headroom_for(author->user));
  auto removed = author->user.remove_subscriber(key_of(key));
  return removed.ok() ? STREAMS_ERR_OK : fail(removed.error());
}

streams_err_t streams_auth_send_tagged_packet(streams_message_links_t* links,
                                              streams_author_t* author,
                                              streams_message_links_t link_to,
                                              const uint8_t* public_payload, size_t public_size,
                                              const uint8_t* masked_payload, size_t masked_size) {
  return send_packet(__func__, links, author, link_to, public_payload, public_size, masked_payload,
                     masked_size, [](cs::Author& a, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return a.send_tagged_packet(l, p, m);
                     });
}

streams_err_t streams_auth_send_signed_packet(streams_message_links_t* links,
                                              streams_author_t* author,
                                              streams_message_links_t link_to,
                                              const uint8_t* public_payload, size_t public_size,
                                              const uint8_t* masked_payload, size_t masked_size) {
  return send_packet(__func__, links, author, link_to, public_payload, public_size, masked_payload,
                     masked_size, [](cs::Author& a, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return a.send_signed_packet(l, p, m);
                     });
}

streams_err_t streams_auth_receive_tagged_packet(streams_packet_payloads_t* payloads,
                                                 streams_author_t* author,
                                                 const streams_address_t* link) {
  return receive_packet(__func__, payloads, author, link, [](cs::Author& a, const cs::Address& l) {
    return a.receive_tagged_packet(l);
  });
}
streams_err_t streams_auth_receive_signed_packet(streams_packet_payloads_t* payloads,
                                                 streams_author_t* author,
                                                 const streams_address_t* link) {
  return receive_packet(__func__, payloads, author, link, [](cs::Author& a, const cs::Address& l) {
    return a.receive_signed_packet(l);
  });
}
streams_err_t streams_auth_receive_sequence(streams_address_t** link, streams_author_t* author,
                                            const streams_address_t* sequence_link) {
  return receive_sequence(__func__, link, author, sequence_link);
}
streams_err_t streams_auth_gen_next_msg_ids(streams_next_msg_ids_t** ids,
                                            streams_author_t* author) {
  return next_ids(__func__, ids, author);
}
streams_err_t streams_auth_receive_msg(streams_unwrapped_message_t** message,
                                       streams_author_t* author, const streams_address_t* link) {
  return receive_msg(__func__, message, author, link);
}
streams_err_t streams_auth_receive_msg_by_sequence_number(streams_unwrapped_message_t** message,
                                                          streams_author_t* author,
                                                          const streams_address_t* anchor_link,
                                                          uint32_t msg_num) {
  return receive_by_number(__func__, message, author, anchor_link, msg_num);
}
streams_err_t streams_auth_fetch_next_msgs(streams_unwrapped_messages_t** messages,
                                           streams_author_t* author) {
  return fetch_next(__func__, messages, nullptr, author, false);
}
streams_err_t streams_auth_fetch_next_msgs_report(streams_unwrapped_messages_t** messages,
                                                  streams_fetch_report_t* report,
                                                  streams_author_t* author) {
  return fetch_next_report(__func__, messages, report, author, false);
}
streams_err_t streams_auth_fetch_prev_msg(streams_unwrapped_message_t** message,
                                          streams_author_t* author, const streams_address_t* link) {
  return fetch_prev(__func__, message, author, link);
}
streams_err_t streams_auth_fetch_prev_msgs(streams_unwrapped_messages_t** messages,
                                           streams_author_t* author, const streams_address_t* link,
                                           size_t num_msgs) {
  return fetch_prevs(__func__, messages, author, link, num_msgs);
}
streams_err_t streams_auth_sync_state(streams_unwrapped_messages_t** messages,
                                      streams_author_t* author) {
  return fetch_next(__func__, messages, nullptr, author, true);
}
streams_err_t streams_auth_sync_state_report(streams_unwrapped_messages_t** messages,
                                             streams_fetch_report_t* report,
                                             streams_author_t* author) {
  return fetch_next_report(__func__, messages, report, author, true);
}
streams_err_t streams_auth_fetch_state(streams_user_state_t** state, streams_author_t* author) {
  return fetch_state(__func__, state, author);
}
streams_err_t streams_auth_reset_state(streams_author_t* author) {
  return reset_state(__func__, author);
}
streams_err_t streams_auth_store_psk(streams_psk_id_t* id, streams_author_t* author,
                                     const char* psk_seed) {
  return store_psk(__func__, id, author, psk_seed);
}
streams_err_t streams_auth_remove_psk(streams_author_t* author, const streams_psk_id_t* id) {
  return remove_psk(__func__, author, id);
}

// ---- Subscriber ----

streams_err_t streams_sub_new(streams_subscriber_t** subscriber, const char* seed,
                              streams_transport_t* transport) {
  STREAMS_C_REQUIRE(__func__, subscriber, seed, transport);
  STREAMS_C_ROOM(__func__, headroom_for(cs::UserOptions{}, 0));
  return give_user(__func__, subscriber, cs::Subscriber(seed, *transport->impl));
}

streams_err_t streams_sub_import(streams_subscriber_t** subscriber, streams_buffer_t buffer,
                                 const char* password, streams_transport_t* transport) {
  STREAMS_C_REQUIRE(__func__, subscriber, buffer.ptr, password, transport);
  STREAMS_C_ROOM(__func__, import_headroom(buffer.size));
  auto imported =
      cs::Subscriber::import_state(ByteSpan(buffer.ptr, buffer.size), password, *transport->impl);
  if (!imported.ok()) return fail(imported.error());
  return give_user(__func__, subscriber, std::move(imported).value());
}

streams_err_t streams_sub_export(streams_buffer_t* buffer, const streams_subscriber_t* subscriber,
                                 const char* password) {
  return export_user(__func__, buffer, subscriber, password);
}

void streams_sub_drop(streams_subscriber_t* subscriber) { delete subscriber; }

streams_err_t streams_sub_channel_address(char* out, size_t out_size,
                                          const streams_subscriber_t* subscriber) {
  return channel_address_of(__func__, out, out_size, subscriber);
}

streams_err_t streams_sub_announcement_link(streams_address_t** link,
                                            const streams_subscriber_t* subscriber) {
  return announcement_of(__func__, link, subscriber);
}

streams_err_t streams_sub_is_multi_branching(uint8_t* flag,
                                             const streams_subscriber_t* subscriber) {
  return multi_branching(__func__, flag, subscriber);
}

streams_err_t streams_sub_get_public_key(streams_public_key_t* key,
                                         const streams_subscriber_t* subscriber) {
  return public_key_of(__func__, key, subscriber);
}

streams_err_t streams_sub_author_public_key(streams_public_key_t* key,
                                            const streams_subscriber_t* subscriber) {
  STREAMS_C_REQUIRE(__func__, key, subscriber);
  const auto& author = subscriber->user.author_public_key();
  if (!author) return no_channel(__func__);
  copy_key(key, *author);
  return STREAMS_ERR_OK;
}

uint8_t streams_sub_is_registered(const streams_subscriber_t* subscriber) {
  return subscriber && subscriber->user.is_registered() ? 1 : 0;
}

void streams_sub_unregister(streams_subscriber_t* subscriber) {
  if (subscriber) subscriber->user.unregister();  // clears the state: frees, never allocates
}

streams_err_t streams_sub_receive_announce(streams_subscriber_t* subscriber,
                                           const streams_address_t* link) {
  return call_on_link(__func__, subscriber, link, [](cs::Subscriber& s, const cs::Address& l) {
    return s.receive_announcement(l);
  });
}

streams_err_t streams_sub_send_subscribe(streams_address_t** link, streams_subscriber_t* subscriber,
                                         const streams_address_t* announcement_link) {
  STREAMS_C_REQUIRE(__func__, link, subscriber, announcement_link);
  return send_one(__func__, link, subscriber,
                  [&](cs::Subscriber& s) { return s.send_subscribe(announcement_link->value); });
}

streams_err_t streams_sub_send_unsubscribe(streams_address_t** link,
                                           streams_subscriber_t* subscriber,
                                           const streams_address_t* subscription_link) {
  STREAMS_C_REQUIRE(__func__, link, subscriber, subscription_link);
  return send_one(__func__, link, subscriber,
                  [&](cs::Subscriber& s) { return s.send_unsubscribe(subscription_link->value); });
}

streams_err_t streams_sub_receive_keyload(uint8_t* access, streams_subscriber_t* subscriber,
                                          const streams_address_t* link) {
  STREAMS_C_REQUIRE(__func__, access, subscriber, link);
  STREAMS_C_ROOM(__func__, headroom_for(subscriber->user));
  auto read = subscriber->user.receive_keyload(link->value);
  if (!read.ok()) return fail(read.error());
  *access = *read ? 1 : 0;
  return STREAMS_ERR_OK;
}

streams_err_t streams_sub_send_tagged_packet(streams_message_links_t* links,
                                             streams_subscriber_t* subscriber,
                                             streams_message_links_t link_to,
                                             const uint8_t* public_payload, size_t public_size,
                                             const uint8_t* masked_payload, size_t masked_size) {
  return send_packet(__func__, links, subscriber, link_to, public_payload, public_size,
                     masked_payload, masked_size,
                     [](cs::Subscriber& s, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return s.send_tagged_packet(l, p, m);
                     });
}

streams_err_t streams_sub_send_signed_packet(streams_message_links_t* links,
                                             streams_subscriber_t* subscriber,
                                             streams_message_links_t link_to,
                                             const uint8_t* public_payload, size_t public_size,
                                             const uint8_t* masked_payload, size_t masked_size) {
  return send_packet(__func__, links, subscriber, link_to, public_payload, public_size,
                     masked_payload, masked_size,
                     [](cs::Subscriber& s, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return s.send_signed_packet(l, p, m);
                     });
}

streams_err_t streams_sub_prepare_subscribe(streams_address_t** link,
                                            streams_subscriber_t* subscriber,
                                            const streams_address_t* announcement_link) {
  STREAMS_C_REQUIRE(__func__, link, subscriber, announcement_link);
  return send_one(__func__, link, subscriber,
                  [&](cs::Subscriber& s) { return s.prepare_subscribe(announcement_link->value); });
}

streams_err_t streams_sub_prepare_unsubscribe(streams_address_t** link,
                                              streams_subscriber_t* subscriber,
                                              const streams_address_t* subscription_link) {
  STREAMS_C_REQUIRE(__func__, link, subscriber, subscription_link);
  return send_one(__func__, link, subscriber, [&](cs::Subscriber& s) {
    return s.prepare_unsubscribe(subscription_link->value);
  });
}

streams_err_t streams_sub_prepare_tagged_packet(streams_message_links_t* links,
                                                streams_subscriber_t* subscriber,
                                                streams_message_links_t link_to,
                                                const uint8_t* public_payload, size_t public_size,
                                                const uint8_t* masked_payload, size_t masked_size) {
  return send_packet(__func__, links, subscriber, link_to, public_payload, public_size,
                     masked_payload, masked_size,
                     [](cs::Subscriber& s, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return s.prepare_tagged_packet(l, p, m);
                     });
}

streams_err_t streams_sub_prepare_signed_packet(streams_message_links_t* links,
                                                streams_subscriber_t* subscriber,
                                                streams_message_links_t link_to,
                                                const uint8_t* public_payload, size_t public_size,
                                                const uint8_t* masked_payload, size_t masked_size) {
  return send_packet(__func__, links, subscriber, link_to, public_payload, public_size,
                     masked_payload, masked_size,
                     [](cs::Subscriber& s, const cs::Address& l, ByteSpan p, ByteSpan m) {
                       return s.prepare_signed_packet(l, p, m);
                     });
}

streams_err_t streams_sub_has_pending(bool* pending, const streams_subscriber_t* subscriber) {
  return has_pending(__func__, pending, subscriber);
}

streams_err_t streams_sub_publish_pending(streams_subscriber_t* subscriber) {
  return publish_pending(__func__, subscriber);
}

streams_err_t streams_sub_receive_tagged_packet(streams_packet_payloads_t* payloads,
                                                streams_subscriber_t* subscriber,
                                                const streams_address_t* link) {
  return receive_packet(
      __func__, payloads, subscriber, link,
      [](cs::Subscriber& s, const cs::Address& l) { return s.receive_tagged_packet(l); });
}
streams_err_t streams_sub_receive_signed_packet(streams_packet_payloads_t* payloads,
                                                streams_subscriber_t* subscriber,
                                                const streams_address_t* link) {
  return receive_packet(
      __func__, payloads, subscriber, link,
      [](cs::Subscriber& s, const cs::Address& l) { return s.receive_signed_packet(l); });
}
streams_err_t streams_sub_receive_sequence(streams_address_t** link,
                                           streams_subscriber_t* subscriber,
                                           const streams_address_t* sequence_link) {
  return receive_sequence(__func__, link, subscriber, sequence_link);
}
streams_err_t streams_sub_gen_next_msg_ids(streams_next_msg_ids_t** ids,
                                           streams_subscriber_t* subscriber) {
  return next_ids(__func__, ids, subscriber);
}
streams_err_t streams_sub_receive_msg(streams_unwrapped_message_t** message,
                                      streams_subscriber_t* subscriber,
                                      const streams_address_t* link) {
  return receive_msg(__func__, message, subscriber, link);
}
streams_err_t streams_sub_receive_msg_by_sequence_number(streams_unwrapped_message_t** message,
                                                         streams_subscriber_t* subscriber,
                                                         const streams_address_t* anchor_link,
                                                         uint32_t msg_num) {
  return receive_by_number(__func__, message, subscriber, anchor_link, msg_num);
}
streams_err_t streams_sub_fetch_next_msgs(streams_unwrapped_messages_t** messages,
                                          streams_subscriber_t* subscriber) {
  return fetch_next(__func__, messages, nullptr, subscriber, false);
}
streams_err_t streams_sub_fetch_next_msgs_report(streams_unwrapped_messages_t** messages,
                                                 streams_fetch_report_t* report,
                                                 streams_subscriber_t* subscriber) {
  return fetch_next_report(__func__, messages, report, subscriber, false);
}
streams_err_t streams_sub_fetch_prev_msg(streams_unwrapped_message_t** message,
                                         streams_subscriber_t* subscriber,
                                         const streams_address_t* link) {
  return fetch_prev(__func__, message, subscriber, link);
}
streams_err_t streams_sub_fetch_prev_msgs(streams_unwrapped_messages_t** messages,
                                          streams_subscriber_t* subscriber,
                                          const streams_address_t* link, size_t num_msgs) {
  return fetch_prevs(__func__, messages, subscriber, link, num_msgs);
}
streams_err_t streams_sub_sync_state(streams_unwrapped_messages_t** messages,
                                     streams_subscriber_t* subscriber) {
  return fetch_next(__func__, messages, nullptr, subscriber, true);
}
streams_err_t streams_sub_sync_state_report(streams_unwrapped_messages_t** messages,
                                            streams_fetch_report_t* report,
                                            streams_subscriber_t* subscriber) {
  return fetch_next_report(__func__, messages, report, subscriber, true);
}
streams_err_t streams_sub_fetch_state(streams_user_state_t** state,
                                      streams_subscriber_t* subscriber) {
  return fetch_state(__func__, state, subscriber);
}
streams_err_t streams_sub_reset_state(streams_subscriber_t* subscriber) {
  return reset_state(__func__, subscriber);
}
streams_err_t streams_sub_store_psk(streams_psk_id_t* id, streams_subscriber_t* subscriber,
                                    const char* psk_seed) {
  return store_psk(__func__, id, subscriber, psk_seed);
}
streams_err_t streams_sub_remove_psk(streams_subscriber_t* subscriber, const streams_psk_id_t* id) {
  return remove_psk(__func__, subscriber, id);
}

}  // extern "C"
