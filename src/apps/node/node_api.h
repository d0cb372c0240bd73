// What streams-node serves: the part of the Chrysalis node REST API (/api/v1) that Streams clients
// use, over any MessageStorage (SQLite, PostgreSQL). Separated from the HTTP server so that the
// rules (validation, response shapes) read in one place. Safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http_server.h"
#include "iota_streams/transports/storage.h"
#include "iota_streams/transports/store.h"

namespace iota_streams::node {

struct NodeConfig {
  std::string network_name = std::string(transports::kLocalNetworkName);
  double min_pow_score = 0;
  // Do the PoW for messages posted with nonce 0 (as Hornet with its PoW feature): the official wasm
  // client posts nonce 0 even with local PoW asked for. Off unless asked for; when on, each client
  // address gets one search at a time and at most `remote_pow_seconds_per_minute` CPU seconds of
  // search in any minute (429 beyond), and searches run one after another on their own thread,
  // never on a thread that serves requests.
  bool remote_pow = false;
  unsigned remote_pow_seconds_per_minute = 10;
};

class RemotePow;

class NodeApi {
 public:
  NodeApi(NodeConfig config, transports::MessageStorage& storage);
  ~NodeApi();  // waits for a PoW search under way; those not started are answered 503

  Reply health();
  Reply info();
  Reply tips();
  // `content_type` decides binary (application/octet-stream) or JSON. `done` runs once the message
  // is durable (201) or refused, possibly on a storage or PoW thread.
  void post_message(std::string_view content_type, std::string_view body, const std::string& client,
                    Respond done);
  Reply messages_by_index(std::string_view index_hex);
  Reply message(std::string_view id_hex);
  Reply raw(std::string_view id_hex);
  Reply metadata(std::string_view id_hex);
  Reply children(std::string_view id_hex);

  static Reply error(int status, std::string_view message);

 private:
  void check_and_store(std::vector<uint8_t> bytes, const std::string& client, Respond done);
  void store(std::vector<uint8_t> bytes, Respond done);
  void message_from_json(std::string_view body, const std::string& client, Respond done);

  NodeConfig config_;
  uint64_t network_id_;
  transports::MessageStorage& storage_;
  std::unique_ptr<RemotePow> remote_pow_;
};

}  // namespace iota_streams::node
