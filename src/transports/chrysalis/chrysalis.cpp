#include "iota_streams/transports/chrysalis.h"
#include "iota_streams/base/text.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "iota_streams/crypto/blake2b.h"
#include "pow.h"

namespace iota_streams::transports::chrysalis {
namespace {

constexpr size_t kNetworkIdSize = 8;
constexpr size_t kNonceSize = 8;
constexpr size_t kIndexationFixedSize = 4 + 2 + 4;  // type, index length, data length

void store_le(uint64_t value, uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint64_t load_le(const uint8_t* in, size_t size) {
  uint64_t value = 0;
  for (size_t i = size; i-- > 0;) value = (value << 8) | in[i];
  return value;
}

Error malformed(const std::string& what) {
  return Error(Errc::kInvalidArgument, "malformed Chrysalis message: " + what);
}

// Reads fields front to back and says which one ran past the end.
class Reader {
 public:
  explicit Reader(ByteSpan bytes) : bytes_(bytes) {}

  Result<uint64_t> integer(size_t size, const char* field) {
    if (remaining() < size) return malformed(std::string("truncated in ") + field);
    const uint64_t value = load_le(bytes_.data() + at_, size);
    at_ += size;
    return value;
  }
  Result<ByteSpan> bytes(size_t size, const char* field) {
    if (remaining() < size) return malformed(std::string("truncated in ") + field);
    const ByteSpan out = bytes_.subspan(at_, size);
    at_ += size;
    return out;
  }
  size_t remaining() const { return bytes_.size() - at_; }

 private:
  ByteSpan bytes_;
  size_t at_ = 0;
};

// Sorts and deduplicates at most 8 parents in place; returns how many remain. (Insertion sort: tiny
// input, and GCC 12 misreads std::sort's bounds on a fixed array.)
size_t sort_unique(MessageId* ids, size_t count) {
  for (size_t i = 1; i < count; ++i) {
    for (size_t j = i; j > 0 && ids[j] < ids[j - 1]; --j) std::swap(ids[j], ids[j - 1]);
  }
  size_t kept = 0;
  for (size_t i = 0; i < count; ++i) {
    if (kept == 0 || ids[kept - 1] != ids[i]) ids[kept++] = ids[i];
  }
  return kept;
}

Result<void> check_parents(const MessageView& view) {
  for (size_t i = 1; i < view.parent_count; ++i) {
    if (!(view.parents[i - 1] < view.parents[i]))
      return malformed("parents are not sorted and unique");
  }
  return ok_result();
}

Result<void> parse_indexation(ByteSpan payload, MessageView& view) {
  Reader reader(payload);
  STREAMS_ASSIGN_OR_RETURN(const uint64_t index_size, reader.integer(2, "index length"));
  if (index_size < kMinIndexSize || index_size > kMaxIndexSize) {
    return malformed("index length " + std::to_string(index_size) + " outside 1..64");
  }
  STREAMS_ASSIGN_OR_RETURN(view.index, reader.bytes(index_size, "index"));
  STREAMS_ASSIGN_OR_RETURN(const uint64_t data_size, reader.integer(4, "data length"));
  STREAMS_ASSIGN_OR_RETURN(view.data, reader.bytes(data_size, "data"));
  if (reader.remaining() != 0) return malformed("indexation payload longer than its fields");
  return ok_result();
}

}  // namespace

uint64_t network_id(std::string_view network_name) {
  const auto hash = crypto::blake2b_256(as_bytes(network_name));
  return load_le(hash.data(), kNetworkIdSize);
}

MessageId message_id(ByteSpan message) { return crypto::blake2b_256(message); }

size_t message_size(size_t parent_count, size_t index_size, size_t data_size) {
  return kNetworkIdSize + 1 + parent_count * kMessageIdSize + 4 + kIndexationFixedSize +
         index_size + data_size + kNonceSize;
}

Result<size_t> write_message(uint64_t network_id, std::span<const MessageId> parents,
                             ByteSpan index, ByteSpan data, uint64_t nonce, MutableByteSpan out) {
  MessageId sorted[kMaxParents];
  if (parents.size() > kMaxParents) return Error(Errc::kInvalidArgument, "more than 8 parents");
  std::copy(parents.begin(), parents.end(), sorted);
  const size_t parent_count = sort_unique(sorted, parents.size());
  if (parent_count < kMinParents)
    return Error(Errc::kInvalidArgument, "a message needs at least one parent");
  if (index.size() < kMinIndexSize || index.size() > kMaxIndexSize) {
    return Error(Errc::kInvalidArgument,
                 "an index takes 1 to 64 bytes, not " + std::to_string(index.size()));
  }
  const size_t size = message_size(parent_count, index.size(), data.size());
  if (size > kMaxMessageSize) {
    return Error(Errc::kCapacityExceeded,
                 "a message of " + std::to_string(size) + " bytes exceeds 32768");
  }
  if (out.size() < size)
    return Error(Errc::kOutputTooSmall, "buffer too small for the Chrysalis message");
  uint8_t* p = out.data();
  store_le(network_id, p, kNetworkIdSize), p += kNetworkIdSize;
  *p++ = static_cast<uint8_t>(parent_count);
  for (size_t i = 0; i < parent_count; ++i) p = std::copy(sorted[i].begin(), sorted[i].end(), p);
  store_le(kIndexationFixedSize + index.size() + data.size(), p, 4), p += 4;
  store_le(kIndexationPayloadType, p, 4), p += 4;
  store_le(index.size(), p, 2), p += 2;
  p = std::copy(index.begin(), index.end(), p);
  store_le(data.size(), p, 4), p += 4;
  p = std::copy(data.begin(), data.end(), p);
  store_le(nonce, p, kNonceSize);
  return size;
}

Result<MessageView> parse_message(ByteSpan message) {
  if (message.size() > kMaxMessageSize) {
    return malformed(std::to_string(message.size()) + " bytes exceed the 32768-byte limit");
  }
  MessageView view;
  Reader reader(message);
  STREAMS_ASSIGN_OR_RETURN(view.network_id, reader.integer(kNetworkIdSize, "network id"));
  STREAMS_ASSIGN_OR_RETURN(const uint64_t parent_count, reader.integer(1, "parents count"));
  if (parent_count < kMinParents || parent_count > kMaxParents) {
    return malformed(std::to_string(parent_count) + " parents (1 to 8 allowed)");
  }
  view.parent_count = parent_count;
  for (size_t i = 0; i < parent_count; ++i) {
    STREAMS_ASSIGN_OR_RETURN(const ByteSpan parent, reader.bytes(kMessageIdSize, "parents"));
    std::copy(parent.begin(), parent.end(), view.parents[i].begin());
  }
  STREAMS_TRY(check_parents(view));
  STREAMS_ASSIGN_OR_RETURN(const uint64_t payload_size, reader.integer(4, "payload length"));
  if (payload_size > 0) {
    STREAMS_ASSIGN_OR_RETURN(const ByteSpan payload, reader.bytes(payload_size, "payload"));
    Reader payload_reader(payload);
    STREAMS_ASSIGN_OR_RETURN(view.payload_type, payload_reader.integer(4, "payload type"));
    view.has_payload = true;
    if (view.payload_type == kIndexationPayloadType)
      STREAMS_TRY(parse_indexation(payload.subspan(4), view));
  }
  STREAMS_ASSIGN_OR_RETURN(view.nonce, reader.integer(kNonceSize, "nonce"));
  if (reader.remaining() != 0)
    return malformed(std::to_string(reader.remaining()) + " bytes after the nonce");
  return view;
}

double pow_score(ByteSpan message) {
  if (message.size() < kNonceSize) return 0;
  const auto digest = crypto::blake2b_256(message.first(message.size() - kNonceSize));
  const uint64_t nonce = load_le(message.data() + message.size() - kNonceSize, kNonceSize);
  const unsigned zeros = pow::trailing_zeros(digest, nonce);
  return std::pow(3.0, zeros) / static_cast<double>(message.size());
}

Result<uint64_t> do_pow(MutableByteSpan message, double min_score, uint64_t max_attempts) {
  if (message.size() < kNonceSize)
    return Error(Errc::kInvalidArgument, "a message ends with an 8-byte nonce");
  const unsigned target = pow::target_zeros(message.size(), min_score);
  const auto digest = crypto::blake2b_256(message.first(message.size() - kNonceSize));
  const auto nonce = pow::search_nonce(digest, target, max_attempts);
  if (!nonce) {
    return Error(Errc::kTransportFailure, "proof of work gave up after " +
                                              std::to_string(max_attempts) + " nonces (score " +
                                              std::to_string(min_score) + ")");
  }
  store_le(*nonce, message.data() + message.size() - kNonceSize, kNonceSize);
  return *nonce;
}

}  // namespace iota_streams::transports::chrysalis
