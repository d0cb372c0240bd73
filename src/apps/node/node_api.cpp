#include "node_api.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <variant>

namespace iota_streams::node {
namespace {

using chrysalis_id = transports::chrysalis::MessageId;
namespace chrysalis = transports::chrysalis;
using json = nlohmann::json;

constexpr size_t kMaxResults = 1000;  // as Chrysalis nodes cap index queries

Reply data(json body, int status = 200) { return Reply{status, "application/json", json{{"data", std::move(body)}}.dump()}; }

std::optional<chrysalis_id> parse_id(std::string_view hex) {
  chrysalis_id id;
  if (hex.size() != 2 * id.size() || !from_hex(hex, id)) return std::nullopt;
  return id;
}

json id_list(const std::vector<chrysalis_id>& ids) {
  json list = json::array();
  for (const auto& id : ids) list.push_back(to_hex(id));
  return list;
}

json message_json(const chrysalis::MessageView& view) {
  json parents = json::array();
  for (size_t i = 0; i < view.parent_count; ++i) parents.push_back(to_hex(view.parents[i]));
  json out{{"networkId", std::to_string(view.network_id)}, {"parentMessageIds", parents},
           {"nonce", std::to_string(view.nonce)}};
  if (view.has_payload) {
    out["payload"] = json{{"type", view.payload_type}, {"index", to_hex(view.index)}, {"data", to_hex(view.data)}};
  } else {
    out["payload"] = nullptr;
  }
  return out;
}

uint64_t parse_u64(const json& value, const char* field) {
  if (!value.is_string()) throw std::invalid_argument(std::string(field) + " must be a decimal string");
  const std::string text = value.get<std::string>();
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) {
    throw std::invalid_argument(std::string(field) + " is not a decimal number: '" + text + "'");
  }
  return std::stoull(text);  // throws out_of_range above 2^64-1
}

std::vector<uint8_t> parse_hex_field(const json& value, const char* field) {
  if (!value.is_string()) throw std::invalid_argument(std::string(field) + " must be a hex string");
  const auto bytes = from_hex(value.get<std::string>());
  if (!bytes) throw std::invalid_argument(std::string(field) + " is not hex");
  return {bytes->begin(), bytes->end()};
}

}  // namespace

NodeApi::NodeApi(NodeConfig config, transports::MessageStore& store)
    : config_(std::move(config)), network_id_(chrysalis::network_id(config_.network_name)), store_(store) {}

Reply NodeApi::error(int status, std::string_view message) {
  return Reply{status, "application/json",
               json{{"error", {{"code", std::to_string(status)}, {"message", std::string(message)}}}}.dump()};
}

Reply NodeApi::info() const {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return data({{"name", "streams-node"}, {"version", "0.1.0"}, {"isHealthy", true},
               {"networkId", config_.network_name}, {"bech32HRP", "atoi"}, {"minPoWScore", config_.min_pow_score},
               {"messagesPerSecond", 0.0}, {"referencedMessagesPerSecond", 0.0}, {"referencedRate", 0.0},
               {"latestMilestoneTimestamp", now.count()}, {"latestMilestoneIndex", 0},
               {"confirmedMilestoneIndex", 0}, {"pruningIndex", 0},
               {"features", config_.remote_pow ? json::array({"PoW"}) : json::array()}});
}

Reply NodeApi::tips() {
  auto tips = store_.tips(chrysalis::kMaxParents);
  if (!tips.ok()) return error(500, tips.error().message());
  if (tips->empty()) tips->push_back(chrysalis_id{});  // an empty Tangle: the genesis id
  return data({{"tipMessageIds", id_list(*tips)}});
}

Reply NodeApi::store_binary(std::vector<uint8_t> bytes) {
  const auto view = chrysalis::parse_message(bytes);
  if (!view.ok()) return error(400, "invalid message: " + view.error().message());
  if (view->network_id != network_id_) {
    return error(400, "invalid message: network id " + std::to_string(view->network_id) + " is not this node's (" +
                          std::to_string(network_id_) + ", network '" + config_.network_name + "')");
  }
  if (!view->has_payload || view->payload_type != chrysalis::kIndexationPayloadType) {
    return error(400, "invalid message: this node stores indexation payloads only");
  }
  double score = chrysalis::pow_score(bytes);
  if (score < config_.min_pow_score && view->nonce == 0 && config_.remote_pow) {
    // Nonce 0 asks the node for the PoW (Hornet's "remote PoW"); the official wasm client relies on it.
    const auto pow = chrysalis::do_pow(bytes, config_.min_pow_score);
    if (!pow.ok()) return error(500, pow.error().message());
    score = chrysalis::pow_score(bytes);
  }
  if (score < config_.min_pow_score) {
    return error(400, "invalid message: pow score " + std::to_string(score) + " is below the minimum " +
                          std::to_string(config_.min_pow_score) +
                          (view->nonce == 0 && !config_.remote_pow ? " (nonce 0: this node does no remote PoW)" : ""));
  }
  const auto id = chrysalis::message_id(bytes);
  const auto stored = store_.put(id, *view, bytes);
  if (!stored.ok()) return error(500, stored.error().message());
  Reply reply = data({{"messageId", to_hex(id)}}, 201);
  return reply;
}

Reply NodeApi::message_from_json(std::string_view body) {
  json message;
  try {
    message = json::parse(body);
  } catch (const json::exception& e) {
    return error(400, std::string("invalid JSON: ") + e.what());
  }
  try {
    if (!message.is_object()) throw std::invalid_argument("a message is a JSON object");
    const uint64_t network = message.contains("networkId") && !message["networkId"].is_null()
                                 ? parse_u64(message["networkId"], "networkId")
                                 : network_id_;
    std::vector<chrysalis_id> parents;
    if (message.contains("parentMessageIds") && !message["parentMessageIds"].is_null()) {
      if (!message["parentMessageIds"].is_array()) throw std::invalid_argument("parentMessageIds must be an array");
      for (const auto& parent : message["parentMessageIds"]) {
        const auto bytes = parse_hex_field(parent, "parentMessageIds");
        if (bytes.size() != 32) throw std::invalid_argument("a parent message id takes 32 bytes");
        parents.push_back({});
        std::copy(bytes.begin(), bytes.end(), parents.back().begin());
      }
    } else {
      auto tips = store_.tips(chrysalis::kMaxParents);
      if (!tips.ok()) return error(500, tips.error().message());
      parents = tips->empty() ? std::vector<chrysalis_id>{chrysalis_id{}} : *tips;
    }
    const json& payload = message.at("payload");
    if (!payload.is_object() || payload.value("type", -1) != static_cast<int>(chrysalis::kIndexationPayloadType)) {
      throw std::invalid_argument("this node stores indexation payloads (type 2) only");
    }
    const auto index = parse_hex_field(payload.at("index"), "payload.index");
    const auto data_bytes = parse_hex_field(payload.at("data"), "payload.data");
    const bool has_nonce = message.contains("nonce") && !message["nonce"].is_null();
    const uint64_t nonce = has_nonce ? parse_u64(message["nonce"], "nonce") : 0;
    std::vector<uint8_t> bytes(chrysalis::message_size(parents.size(), index.size(), data_bytes.size()));
    const auto written = chrysalis::write_message(network, parents, index, data_bytes, nonce, bytes);
    if (!written.ok()) return error(400, "invalid message: " + written.error().message());
    bytes.resize(*written);
    return store_binary(std::move(bytes));  // without a nonce: nonce 0, remote PoW if enabled
  } catch (const std::exception& e) {
    return error(400, std::string("invalid message: ") + e.what());
  }
}

Reply NodeApi::post_message(std::string_view content_type, std::string_view body) {
  if (content_type.rfind("application/octet-stream", 0) == 0) {
    return store_binary(std::vector<uint8_t>(body.begin(), body.end()));
  }
  return message_from_json(body);
}

Reply NodeApi::messages_by_index(std::string_view index_hex) {
  const auto index = from_hex(index_hex);
  if (index_hex.empty() || !index) return error(400, "invalid index: expected hex, got '" + std::string(index_hex) + "'");
  if (index->size() > chrysalis::kMaxIndexSize) return error(400, "invalid index: longer than 64 bytes");
  const auto ids = store_.ids_by_index(*index, kMaxResults);
  if (!ids.ok()) return error(500, ids.error().message());
  return data({{"index", std::string(index_hex)}, {"maxResults", kMaxResults}, {"count", ids->size()},
               {"messageIds", id_list(*ids)}});
}

namespace {

// Looks a message up by its hex id; a reply when it cannot be given.
std::variant<std::vector<uint8_t>, Reply> find_message(transports::MessageStore& store, std::string_view id_hex) {
  const auto id = parse_id(id_hex);
  if (!id) return NodeApi::error(400, "invalid message id: expected 64 hex digits, got '" + std::string(id_hex) + "'");
  auto raw = store.get(*id);
  if (!raw.ok()) return NodeApi::error(500, raw.error().message());
  if (!*raw) return NodeApi::error(404, "message " + std::string(id_hex) + " not found");
  return std::move(**raw);
}

}  // namespace

Reply NodeApi::message(std::string_view id_hex) {
  auto found = find_message(store_, id_hex);
  if (auto* reply = std::get_if<Reply>(&found)) return *reply;
  const auto& bytes = std::get<std::vector<uint8_t>>(found);
  const auto view = chrysalis::parse_message(bytes);
  if (!view.ok()) return error(500, "stored message does not parse: " + view.error().message());
  return data(message_json(*view));
}

Reply NodeApi::raw(std::string_view id_hex) {
  auto found = find_message(store_, id_hex);
  if (auto* reply = std::get_if<Reply>(&found)) return *reply;
  const auto& bytes = std::get<std::vector<uint8_t>>(found);
  return Reply{200, "application/octet-stream", std::string(bytes.begin(), bytes.end())};
}

Reply NodeApi::metadata(std::string_view id_hex) {
  auto found = find_message(store_, id_hex);
  if (auto* reply = std::get_if<Reply>(&found)) return *reply;
  const auto view = chrysalis::parse_message(std::get<std::vector<uint8_t>>(found));
  if (!view.ok()) return error(500, "stored message does not parse: " + view.error().message());
  json parents = json::array();
  for (size_t i = 0; i < view->parent_count; ++i) parents.push_back(to_hex(view->parents[i]));
  // There are no milestones here: a stored message is solid and never needs promotion.
  return data({{"messageId", std::string(id_hex)}, {"parentMessageIds", parents}, {"isSolid", true},
               {"ledgerInclusionState", "noTransaction"}, {"shouldPromote", false}, {"shouldReattach", false}});
}

Reply NodeApi::children(std::string_view id_hex) {
  const auto id = parse_id(id_hex);
  if (!id) return error(400, "invalid message id: expected 64 hex digits, got '" + std::string(id_hex) + "'");
  const auto ids = store_.children(*id, kMaxResults);
  if (!ids.ok()) return error(500, ids.error().message());
  return data({{"messageId", std::string(id_hex)}, {"maxResults", kMaxResults}, {"count", ids->size()},
               {"childrenMessageIds", id_list(*ids)}});
}

}  // namespace iota_streams::node
