#include "iota_streams/transports/node.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "json_scan.h"

namespace iota_streams::transports {
namespace {

constexpr std::string_view kApi = "/api/v1";

// A raw indexation message beside its Streams bytes: network id, up to 8 parents, the payload's
// length and type, a 32-byte index and its length, the data's length, the nonce (319 bytes).
constexpr size_t kIndexationOverhead = 512;
// A listing of message ids: {"data":{"index":..., "maxResults":..., "count":...,
// "messageIds":[...]}}, each id 64 hex digits, quoted, with a comma and room for a pretty printer's
// indentation.
constexpr size_t kListingOverhead = 1024;
constexpr size_t kListedIdBytes = 80;

Error node_error(const std::string& what) { return Error(Errc::kTransportFailure, what); }

// "HTTP 400 (reason)" from a node's error body {"error": {"code", "message"}}, or its first bytes.
std::string describe_failure(const HttpResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (auto message = json_scan::find_string(response.body, "message"))
    return text + ": " + *message;
  if (!response.body.empty()) text += ": " + response.body.substr(0, 200);
  return text;
}

std::string score_text(double score) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", score);
  return text;
}

std::optional<chrysalis::MessageId> parse_message_id(const std::string& hex) {
  chrysalis::MessageId id;
  if (hex.size() != 2 * id.size() || !from_hex(hex, id)) return std::nullopt;
  return id;
}

}  // namespace

NodeTransport::NodeTransport(std::string url, NodeOptions options, std::unique_ptr<HttpClient> http)
    : url_(std::move(url)), options_(options), http_(std::move(http)) {}

Result<std::unique_ptr<NodeTransport>> NodeTransport::connect(std::string url, NodeOptions options,
                                                              std::unique_ptr<HttpClient> http) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Error(Errc::kInvalidArgument,
                 "a node URL starts with http:// or https://, not '" + url + "'");
  }
  if (!http) return Error(Errc::kInvalidArgument, "the node transport needs an HTTP client");
  return std::unique_ptr<NodeTransport>(
      new NodeTransport(std::move(url), options, std::move(http)));
}

Result<HttpResponse> NodeTransport::exchange(std::string_view method, const std::string& url,
                                             std::string_view content_type, ByteSpan body,
                                             size_t max_bytes) {
  const size_t longest = max_bytes != 0 ? std::min(max_bytes, options_.max_response_bytes)
                                        : options_.max_response_bytes;
  const HttpLimits limits{options_.timeout_ms, options_.connect_timeout_ms, longest};
  auto response = http_->request(method, url, content_type, body, limits);
  if (!response.ok()) return std::move(response).error().prefix(std::string(method) + " " + url);
  return response;
}

Result<std::string> NodeTransport::get(const std::string& path, size_t max_bytes) {
  const std::string url = url_ + path;
  STREAMS_ASSIGN_OR_RETURN(HttpResponse response, exchange("GET", url, "", {}, max_bytes));
  if (response.status != 200) return node_error("GET " + url + ": " + describe_failure(response));
  return std::move(response.body);
}

Result<std::optional<std::string>> NodeTransport::get_raw(const std::string& message_id_hex) {
  const std::string url = url_ + std::string(kApi) + "/messages/" + message_id_hex + "/raw";
  // A Streams message of max_message_bytes and the indexation message around it.
  const size_t longest = options_.max_message_bytes + kIndexationOverhead;
  auto answer = exchange("GET", url, "", {}, std::min(longest, chrysalis::kMaxMessageSize));
  if (!answer.ok() && answer.error().code() == Errc::kCapacityExceeded)
    return std::optional<std::string>();  // longer than a read keeps: skipped, as junk is
  STREAMS_ASSIGN_OR_RETURN(HttpResponse response, std::move(answer));
  // Listed a moment ago, gone now: pruned in between. The official client skips what it cannot
  // fetch.
  if (response.status == 404) return std::optional<std::string>();
  if (response.status != 200) return node_error("GET " + url + ": " + describe_failure(response));
  return std::optional<std::string>(std::move(response.body));
}

Result<NodeInfo> NodeTransport::info() {
  if (info_) return *info_;
  STREAMS_ASSIGN_OR_RETURN(const std::string body, get(std::string(kApi) + "/info"));
  NodeInfo info;
  const auto name = json_scan::find_string(body, "networkId");
  const auto score = json_scan::find_number(body, "minPoWScore");
  if (!name || !score)
    return node_error("GET " + url_ + "/api/v1/info: no networkId or minPoWScore in the answer");
  info.network_name = *name;
  info.network_id = chrysalis::network_id(*name);
  info.min_pow_score = *score;
  info_ = info;
  return info;
}

Result<std::vector<chrysalis::MessageId>> NodeTransport::tips() {
  STREAMS_ASSIGN_OR_RETURN(const std::string body, get(std::string(kApi) + "/tips"));
  const auto ids = json_scan::find_string_array(body, "tipMessageIds");
  if (!ids || ids->empty())
    return node_error("GET " + url_ + "/api/v1/tips: no tipMessageIds in the answer");
  std::vector<chrysalis::MessageId> tips;
  for (const auto& hex : *ids) {
    const auto id = parse_message_id(hex);
    if (!id) return node_error("GET " + url_ + "/api/v1/tips: malformed message id '" + hex + "'");
    if (tips.size() < chrysalis::kMaxParents) tips.push_back(*id);
  }
  return tips;
}

Result<std::vector<uint8_t>> NodeTransport::build_message(const message::Address& link,
                                                          ByteSpan data) {
  STREAMS_ASSIGN_OR_RETURN(const NodeInfo node, info());
  if (options_.local_pow && !(node.min_pow_score <= options_.max_pow_score)) {
    return node_error("the node " + url_ + " asks for a PoW score of " +
                      score_text(node.min_pow_score) + ", above this client's maximum of " +
                      score_text(options_.max_pow_score) +
                      " (NodeOptions::max_pow_score; streams --max-pow-score)");
  }
  STREAMS_ASSIGN_OR_RETURN(const auto parents, tips());
  const auto index = link.index();
  std::vector<uint8_t> bytes(chrysalis::message_size(parents.size(), index.size(), data.size()));
  STREAMS_ASSIGN_OR_RETURN(
      const size_t size, chrysalis::write_message(node.network_id, parents, index, data, 0, bytes));
  bytes.resize(size);
  if (options_.local_pow)
    STREAMS_TRY(chrysalis::do_pow(bytes, node.min_pow_score, options_.max_pow_attempts));
  return bytes;
}

Result<void> NodeTransport::send_message(const message::Address& link, ByteSpan message) {
  auto bytes = build_message(link, message);
  if (!bytes.ok()) return std::move(bytes).error().prefix("sending " + link.to_string());
  const std::string url = url_ + std::string(kApi) + "/messages";
  STREAMS_ASSIGN_OR_RETURN(const HttpResponse response,
                           exchange("POST", url, "application/octet-stream", *bytes));
  if (response.status != 200 && response.status != 201 && response.status != 202) {
    return node_error("POST " + url + " (message for " + link.to_string() +
                      "): " + describe_failure(response));
  }
  // With remote PoW the node chose the nonce, so only its answer {"data":{"messageId"}} knows the
  // id.
  const auto answered = json_scan::find_string(response.body, "messageId");
  const auto id = answered ? parse_message_id(*answered) : std::nullopt;
  if (!options_.local_pow && !id) {
    return node_error("POST " + url +
                      ": no messageId in the answer to a message sent for remote PoW");
  }
  last_message_id_ = id ? *id : chrysalis::message_id(*bytes);
  return ok_result();
}

Result<std::vector<channels::MessageBytes>> NodeTransport::recv_messages(
    const message::Address& link) {
  // The index is the 32 raw bytes; the query carries their hex (iota-client's get_message().index).
  const auto index = link.index();
  const std::string query = std::string(kApi) + "/messages?index=" + to_hex(index);
  // A listing of more ids than a read takes is refused unread past that length.
  const size_t longest_listing = options_.max_candidates != 0
                                     ? kListingOverhead + kListedIdBytes * options_.max_candidates
                                     : 0;
  auto listing = get(query, longest_listing);
  if (!listing.ok() && listing.error().code() == Errc::kCapacityExceeded && longest_listing != 0) {
    return Error(
        Errc::kCapacityExceeded,
        "GET " + url_ + query + ": the node's list of the messages at " + link.to_string() +
            " is longer than " + std::to_string(longest_listing) + " bytes, more than the " +
            std::to_string(options_.max_candidates) +
            " message ids a read takes from one address need (NodeOptions::max_candidates, "
            "STREAMS_MAX_CANDIDATES); none was downloaded");
  }
  STREAMS_ASSIGN_OR_RETURN(const std::string body, std::move(listing));
  const auto ids = json_scan::find_string_array(body, "messageIds");
  if (!ids) return node_error("GET " + url_ + query + ": no messageIds in the answer");
  if (options_.max_candidates != 0 && ids->size() > options_.max_candidates) {
    return Error(Errc::kCapacityExceeded,
                 "GET " + url_ + query + ": the node lists " + std::to_string(ids->size()) +
                     " messages at " + link.to_string() + ", more than the " +
                     std::to_string(options_.max_candidates) +
                     " a read takes from one address (NodeOptions::max_candidates, "
                     "STREAMS_MAX_CANDIDATES); none was downloaded");
  }
  std::vector<channels::MessageBytes> found;
  for (const auto& hex : *ids) {
    if (!parse_message_id(hex))
      return node_error("GET " + url_ + query + ": malformed message id '" + hex + "'");
    STREAMS_ASSIGN_OR_RETURN(const auto raw, get_raw(hex));
    if (!raw) continue;
    const ByteSpan bytes(reinterpret_cast<const uint8_t*>(raw->data()), raw->size());
    const auto view = chrysalis::parse_message(bytes);
    // Anything else a node may list under the index (not ours, or not an indexation) is skipped, as
    // the official client skips what it cannot read.
    if (!view.ok() || view->payload_type != chrysalis::kIndexationPayloadType) continue;
    if (!std::equal(view->index.begin(), view->index.end(), index.begin(), index.end())) continue;
    if (view->data.size() > options_.max_message_bytes) continue;  // more than a read keeps
    found.emplace_back(view->data.begin(), view->data.end());
  }
  return found;
}

}  // namespace iota_streams::transports
