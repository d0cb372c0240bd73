// Files in the format of the official vector files (tests/vectors/official/README.md): the steps a
// scenario ran, every message the node stored, and what the readers fetched. Host tools only
// (throws on a malformed file).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/message/address.h"

namespace iota_streams::apps {

struct Step {
  std::string who, cmd, args, result;
};

struct StoredMessage {
  std::string message_id;     // BLAKE2b-256 of raw
  std::string index;          // hex of the indexation key
  std::vector<uint8_t> data;  // the Streams message
  std::vector<uint8_t> raw;   // the whole Chrysalis message as posted
};

struct VectorFile {
  std::string scenario;
  std::vector<Step> steps;
  std::vector<StoredMessage> messages;
  nlohmann::json fetched;  // a list (one reader) or an object keyed by reader

  static VectorFile load(const std::string& path);
  // Every address that appears in any step's arguments or result, by its index (hex).
  std::map<std::string, message::Address> addresses_by_index() const;
};

// The "<80 hex>:<24 hex>" addresses in `text`, in order.
std::vector<message::Address> find_addresses(std::string_view text);

// Splits on single spaces, keeping empty fields ("a  b" -> "a", "", "b"), as the files write empty
// payloads.
std::vector<std::string> split_args(const std::string& args);

}  // namespace iota_streams::apps
