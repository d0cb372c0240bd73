// The Chrysalis node API transport (iota-streams-app/src/transport/tangle/client.rs): each Streams
// message goes to the Tangle as an indexation message whose index is the 32-byte BLAKE2b-256 index
// of its address, with local proof of work to the node's minimum score. Reading an address asks the
// node for the messages at that index and keeps those whose index really matches (several may: the
// official client returns them all, and so do we, in the order the node lists them, which need not
// be the order they were sent in), up to NodeOptions::max_candidates of them.
//
// HTTP sits behind HttpClient so that each platform brings its own: libcurl on hosts (curl_http.h),
// esp_http_client on ESP-IDF. No JSON library is needed: the few fields read are scanned
// (json_scan.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/channels/transport.h"
#include "iota_streams/channels/user.h"
#include "iota_streams/transports/chrysalis.h"

namespace iota_streams::transports {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// Bounds on one request, so that a node that is silent, slow or hostile can neither hold the caller
// past its timeout nor fill its memory.
struct HttpLimits {
  uint32_t timeout_ms = 30000;          // the whole request, from connecting to the last byte
  uint32_t connect_timeout_ms = 10000;  // establishing the connection (within timeout_ms)
  size_t max_response_bytes = 1 << 20;  // a longer answer is an error (Errc::kCapacityExceeded)
                                        // and is read no further
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // One request; an error when no complete HTTP answer came within the limits (unreachable,
  // timeout; an answer longer than limits.max_response_bytes is kCapacityExceeded). `content_type`
  // is empty for requests without a body. Any HTTP status is an answer.
  virtual Result<HttpResponse> request(std::string_view method, const std::string& url,
                                       std::string_view content_type, ByteSpan body,
                                       const HttpLimits& limits) = 0;
};

struct NodeOptions {
  // Proof of work here (true) or by the node (false: the message goes with nonce 0, which a
  // Chrysalis node with PoW enabled takes as a request to do it; the official
  // SendOptions::local_pow).
  bool local_pow = true;
  uint32_t timeout_ms = 30000;    // per HTTP request, the whole of it
  uint64_t max_pow_attempts = 0;  // nonces tried before giving up (0: until found); local PoW only
  uint32_t connect_timeout_ms = 10000;  // per connection
  size_t max_response_bytes = 1 << 20;  // per answer (the largest legitimate one, a list of 1000
                                        // message ids, is 70 KB; a message 32 KiB)
  // Local PoW: a node whose minPoWScore is above this is refused before any work (a node can ask
  // for work that never ends). 4000 is the score the Chrysalis mainnet asked for, a few seconds on
  // a host and minutes on an ESP32 for a Streams message; raise it for a node known to ask more.
  double max_pow_score = 4000;
  // Messages read at one index: a node listing more is an error before any of them is downloaded
  // (anyone can post at any index; a flood there must not cost a device its memory or its time).
  // The same default as UserOptions::max_candidates, which bounds them again after this; 0:
  // unbounded.
  size_t max_candidates = STREAMS_MAX_CANDIDATES;
  // The longest Streams message a read keeps (the same default as UserOptions::max_message_bytes):
  // a message listed at the index whose raw form is longer is read no further and skipped, as
  // anything else a node lists there that is not a Streams message of this index. So a read holds
  // at most max_candidates messages of this size, and junk posted larger costs a device nothing.
  size_t max_message_bytes = STREAMS_MAX_MESSAGE_BYTES;
};

// What the node said about itself (GET /api/v1/info), read before the first send.
struct NodeInfo {
  std::string network_name;
  uint64_t network_id = 0;
  double min_pow_score = 0;
};

class NodeTransport : public channels::Transport {
 public:
  // `url` is the node's base, e.g. http://127.0.0.1:14265 (a trailing slash is ignored). Nothing is
  // requested until the first send or receive.
  static Result<std::unique_ptr<NodeTransport>> connect(std::string url, NodeOptions options,
                                                        std::unique_ptr<HttpClient> http);

  Result<void> send_message(const message::Address& link, ByteSpan message) override;
  Result<std::vector<channels::MessageBytes>> recv_messages(const message::Address& link) override;

  // The node's network and PoW score (fetched once, then cached).
  Result<NodeInfo> info();
  // The id of the last message this transport posted: the node's answer when it gives one (it must,
  // with remote PoW), else the id of the bytes sent.
  const std::optional<chrysalis::MessageId>& last_message_id() const { return last_message_id_; }

 private:
  NodeTransport(std::string url, NodeOptions options, std::unique_ptr<HttpClient> http);

  // One request; a failure to get any answer names the method and URL.
  // `max_bytes`: the longest answer read (0: NodeOptions::max_response_bytes).
  Result<HttpResponse> exchange(std::string_view method, const std::string& url,
                                std::string_view content_type, ByteSpan body, size_t max_bytes = 0);
  // The body of a 200 answer to GET url_ + path; any other status is an error naming the URL.
  Result<std::string> get(const std::string& path, size_t max_bytes = 0);
  // A message's bytes; nothing when the node no longer has it (404) or when it is longer than
  // NodeOptions::max_message_bytes allows.
  Result<std::optional<std::string>> get_raw(const std::string& message_id_hex);
  Result<std::vector<chrysalis::MessageId>> tips();
  Result<std::vector<uint8_t>> build_message(const message::Address& link, ByteSpan data);

  std::string url_;
  NodeOptions options_;
  std::unique_ptr<HttpClient> http_;
  std::optional<NodeInfo> info_;
  std::optional<chrysalis::MessageId> last_message_id_;
};

}  // namespace iota_streams::transports
