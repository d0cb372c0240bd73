// What streams-node serves: the part of the Chrysalis node REST API (/api/v1) that Streams clients use,
// over the local store. Separated from the HTTP server so that the rules (validation, response shapes)
// read in one place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "iota_streams/transports/store.h"

namespace iota_streams::node {

struct NodeConfig {
  std::string network_name = std::string(transports::kLocalNetworkName);
  double min_pow_score = 0;
  // Do the PoW for messages posted with nonce 0 (as Hornet with its PoW feature): the official wasm
  // client posts nonce 0 even with local PoW asked for.
  bool remote_pow = false;
};

// An HTTP answer: status, content type, body.
struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class NodeApi {
 public:
  NodeApi(NodeConfig config, transports::MessageStore& store);

  Reply info() const;
  Reply tips();
  // `content_type` decides binary (application/octet-stream) or JSON.
  Reply post_message(std::string_view content_type, std::string_view body);
  Reply messages_by_index(std::string_view index_hex);
  Reply message(std::string_view id_hex);
  Reply raw(std::string_view id_hex);
  Reply metadata(std::string_view id_hex);
  Reply children(std::string_view id_hex);

  static Reply error(int status, std::string_view message);

 private:
  Reply store_binary(std::vector<uint8_t> bytes);
  Reply message_from_json(std::string_view body);

  NodeConfig config_;
  uint64_t network_id_;
  transports::MessageStore& store_;
};

}  // namespace iota_streams::node
