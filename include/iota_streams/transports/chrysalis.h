// The Chrysalis (IOTA 1.5) message format and its proof of work, as far as Streams needs them: a
// message carrying an indexation payload, the network id, the message id, and TIP-12 PoW.
// Used by the node transport (client side) and by streams-node (validation). No heap, no
// exceptions.
//
// Binary layout (all integers little-endian):
//   network_id u64 | parents_count u8 (1..8) | parents 32 B each, sorted, unique |
//   payload_length u32 | payload | nonce u64
// Indexation payload: type u32 = 2 | index_length u16 (1..64) | index | data_length u32 | data
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/error.h"

namespace iota_streams::transports::chrysalis {

inline constexpr size_t kMessageIdSize = 32;
inline constexpr size_t kMinParents = 1;
inline constexpr size_t kMaxParents = 8;
inline constexpr size_t kMinIndexSize = 1;
inline constexpr size_t kMaxIndexSize = 64;
inline constexpr size_t kMaxMessageSize = 32768;  // bytes, nonce included
inline constexpr uint32_t kIndexationPayloadType = 2;

using MessageId = Bytes<kMessageIdSize>;

// First 8 bytes of BLAKE2b-256(network name), read little-endian.
uint64_t network_id(std::string_view network_name);

// BLAKE2b-256 of the whole message (nonce included).
MessageId message_id(ByteSpan message);

// The bytes a message with these parts takes.
size_t message_size(size_t parent_count, size_t index_size, size_t data_size);

// Writes a message (nonce as given) into `out`, which must hold message_size(...) bytes; parents
// are sorted and deduplicated on the way. Returns the bytes written.
Result<size_t> write_message(uint64_t network_id, std::span<const MessageId> parents,
                             ByteSpan index, ByteSpan data, uint64_t nonce, MutableByteSpan out);

// A parsed message: views into the caller's bytes.
struct MessageView {
  uint64_t network_id = 0;
  size_t parent_count = 0;
  MessageId parents[kMaxParents]{};
  bool has_payload =
      false;  // a message without payload is valid on the network; Streams never sends one
  uint32_t payload_type = 0;
  ByteSpan index;  // indexation payload only
  ByteSpan data;   // indexation payload only
  uint64_t nonce = 0;
};

// Checks the layout as a node does (sizes, parent count, parent order, payload bounds, nothing
// trailing) and says what is wrong with a malformed message.
Result<MessageView> parse_message(ByteSpan message);

// TIP-12: Curl-P-81 over the b1t6 trits of BLAKE2b-256(message without its nonce) followed by the
// nonce's trits; score = 3^(trailing zero trits) / message length.
double pow_score(ByteSpan message);

// Searches a nonce for `message` (its last 8 bytes are the nonce and are overwritten) so that its
// score reaches `min_score`. Gives up with an error after `max_attempts` nonces (0: no limit).
Result<uint64_t> do_pow(MutableByteSpan message, double min_score, uint64_t max_attempts = 0);

}  // namespace iota_streams::transports::chrysalis
