// Content-type codes of the Channels messages as written in the header (iota-streams-app-channels
// src/message/mod.rs). Note they differ from the older PDF's table: Sequence is 2.
#pragma once

#include <cstdint>
#include <string_view>

namespace iota_streams::message {

enum class ContentType : uint8_t {
  kAnnounce = 0,
  kKeyload = 1,
  kSequence = 2,
  kSignedPacket = 3,
  kTaggedPacket = 4,
  kSubscribe = 5,
  kUnsubscribe = 6,
};

// "announce", "keyload", ..., or "unknown" for codes 7..15.
std::string_view content_type_name(uint8_t code);

}  // namespace iota_streams::message
