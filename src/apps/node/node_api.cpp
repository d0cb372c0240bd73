#include "node_api.h"

#include <time.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>
#include <variant>

namespace iota_streams::node {
namespace {

using chrysalis_id = transports::chrysalis::MessageId;
namespace chrysalis = transports::chrysalis;
using json = nlohmann::json;

constexpr size_t kMaxResults = 1000;  // as Chrysalis nodes cap index queries

Reply data(json body, int status = 200) {
  return Reply{status, "application/json", json{{"data", std::move(body)}}.dump(), {}};
}

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
  json out{{"networkId", std::to_string(view.network_id)},
           {"parentMessageIds", parents},
           {"nonce", std::to_string(view.nonce)}};
  if (view.has_payload) {
    out["payload"] = json{
        {"type", view.payload_type}, {"index", to_hex(view.index)}, {"data", to_hex(view.data)}};
  } else {
    out["payload"] = nullptr;
  }
  return out;
}

// A u64 field as Chrysalis sends it: a decimal string, nothing else, in range.
uint64_t parse_u64(const json& value, const char* field) {
  if (!value.is_string())
    throw std::invalid_argument(std::string(field) + " must be a decimal string");
  const std::string text = value.get<std::string>();
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    throw std::invalid_argument(std::string(field) + " is not a decimal number: '" +
                                text.substr(0, 40) + "'");
  }
  uint64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::invalid_argument(std::string(field) +
                                " is out of range (at most 18446744073709551615): '" +
                                text.substr(0, 40) + "'");
  }
  return number;
}

// payload.type: a JSON integer (2.5, "2", true are refused), and 2.
void check_payload_type(const json& payload) {
  if (!payload.contains("type")) throw std::invalid_argument("payload.type is missing");
  const json& type = payload["type"];
  if (!type.is_number_integer())
    throw std::invalid_argument("payload.type must be an integer, not " + type.dump());
  if (type.get<int64_t>() != static_cast<int64_t>(chrysalis::kIndexationPayloadType)) {
    throw std::invalid_argument("payload.type " + type.dump() +
                                ": this node stores indexation payloads (type 2) only");
  }
}

std::vector<uint8_t> parse_hex_field(const json& value, const char* field) {
  if (!value.is_string()) throw std::invalid_argument(std::string(field) + " must be a hex string");
  auto bytes = from_hex(value.get_ref<const std::string&>());  // no copy of the text or the bytes
  if (!bytes) throw std::invalid_argument(std::string(field) + " is not hex");
  return std::move(*bytes);
}

}  // namespace

// Remote PoW: one search at a time on its own thread (never on a thread that serves requests), a
// bounded queue, and an allowance per client address: one search at a time, and at most a number of
// CPU seconds of search in any minute, so no client can take the node's CPU.
class RemotePow {
 public:
  explicit RemotePow(unsigned seconds_per_minute)
      : budget_(seconds_per_minute), worker_([this] { run(); }) {}
  ~RemotePow() {
    std::deque<Job> left;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      left.swap(jobs_);
    }
    changed_.notify_all();
    worker_.join();
    for (auto& job : left) job.done(NodeApi::error(503, "remote PoW: the node is stopping"));
  }

  // Runs `search` on the PoW thread, then `then`; or answers `done` with why not.
  void submit(const std::string& client, std::function<Result<void>()> search,
              std::function<void()> then, Respond done) {
    std::unique_lock lock(mutex_);
    const auto now = Clock::now();
    if (clients_.size() > kMaxClients) forget_idle(now);
    Client& state = clients_[client];
    std::optional<std::string> refusal;
    if (state.running) {
      refusal = "remote PoW: one search at a time per client";
    } else if (spent(state, now) >= budget_) {
      refusal = "remote PoW: this client used its " + std::to_string(static_cast<int>(budget_)) +
                " CPU seconds of search a minute; try later";
    } else if (jobs_.size() >= kMaxQueued) {
      refusal = "remote PoW: too many searches waiting";
    }
    if (refusal) {
      lock.unlock();
      return done(
          NodeApi::error(refusal->find("waiting") == std::string::npos ? 429 : 503, *refusal));
    }
    state.running = true;
    jobs_.push_back(Job{client, std::move(search), std::move(then), std::move(done)});
    lock.unlock();
    changed_.notify_one();
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kMaxQueued = 64;
  static constexpr size_t kMaxClients = 10000;
  struct Job {
    std::string client;
    std::function<Result<void>()> search;
    std::function<void()> then;
    Respond done;
  };
  struct Client {
    bool running = false;
    std::deque<std::pair<Clock::time_point, double>> searches;  // when each ended, seconds it took
  };

  static double thread_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
  }

  // CPU seconds of search this client had in the last minute.
  static double spent(Client& state, Clock::time_point now) {
    while (!state.searches.empty() && now - state.searches.front().first > std::chrono::minutes(1))
      state.searches.pop_front();
    double seconds = 0;
    for (const auto& search : state.searches) seconds += search.second;
    return seconds;
  }

  void forget_idle(Clock::time_point now) {
    for (auto it = clients_.begin(); it != clients_.end();) {
      const bool idle = !it->second.running && spent(it->second, now) == 0;
      it = idle ? clients_.erase(it) : std::next(it);
    }
  }

  void run() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      // CPU time of this thread, not wall time: a busy machine does not count against the client.
      const double start = thread_cpu_seconds();
      const auto searched = job.search();
      const double cpu = thread_cpu_seconds() - start;
      {
        std::lock_guard lock(mutex_);
        Client& state = clients_[job.client];
        state.running = false;
        state.searches.emplace_back(Clock::now(), cpu);
      }
      if (!searched.ok()) {
        job.done(NodeApi::error(500, "remote PoW: " + searched.error().message()));
      } else {
        job.then();
      }
    }
  }

  const double budget_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  std::unordered_map<std::string, Client> clients_;
  bool stopping_ = false;
  std::thread worker_;
};

NodeApi::NodeApi(NodeConfig config, transports::MessageStorage& storage)
    : config_(std::move(config)),
      network_id_(chrysalis::network_id(config_.network_name)),
      storage_(storage) {
  if (config_.remote_pow)
    remote_pow_ = std::make_unique<RemotePow>(config_.remote_pow_seconds_per_minute);
}

NodeApi::~NodeApi() = default;

Reply NodeApi::error(int status, std::string_view message) {
  return Reply{
      status,
      "application/json",
      json{{"error", {{"code", std::to_string(status)}, {"message", std::string(message)}}}}.dump(),
      {}};
}

Reply NodeApi::health() {
  const auto health = storage_.check_health();
  if (!health.ok()) return error(503, "unhealthy: " + health.error().message());
  return data({{"isHealthy", true}});
}

Reply NodeApi::info() {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return data({{"name", "streams-node"},
               {"version", "0.2.0"},
               {"isHealthy", storage_.check_health().ok()},
               {"networkId", config_.network_name},
               {"bech32HRP", "atoi"},
               {"minPoWScore", config_.min_pow_score},
               {"messagesPerSecond", 0.0},
               {"referencedMessagesPerSecond", 0.0},
               {"referencedRate", 0.0},
               {"latestMilestoneTimestamp", now.count()},
               {"latestMilestoneIndex", 0},
               {"confirmedMilestoneIndex", 0},
               {"pruningIndex", 0},
               {"features", config_.remote_pow ? json::array({"PoW"}) : json::array()}});
}

Reply NodeApi::tips() {
  auto tips = storage_.tips(chrysalis::kMaxParents);
  if (!tips.ok()) return error(500, tips.error().message());
  if (tips->empty()) tips->push_back(chrysalis_id{});  // an empty Tangle: the genesis id
  return data({{"tipMessageIds", id_list(*tips)}});
}

void NodeApi::check_and_store(std::vector<uint8_t> bytes, const std::string& client, Respond done) {
  const auto view = chrysalis::parse_message(bytes);
  if (!view.ok()) return done(error(400, "invalid message: " + view.error().message()));
  if (view->network_id != network_id_) {
    return done(error(400, "invalid message: network id " + std::to_string(view->network_id) +
                               " is not this node's (" + std::to_string(network_id_) +
                               ", network '" + config_.network_name + "')"));
  }
  if (!view->has_payload || view->payload_type != chrysalis::kIndexationPayloadType) {
    return done(error(400, "invalid message: this node stores indexation payloads only"));
  }
  if (config_.min_pow_score <= 0)
    return store(std::move(bytes), std::move(done));  // no PoW asked: no Curl hashing
  const double score = chrysalis::pow_score(bytes);
  if (score < config_.min_pow_score && view->nonce == 0 && remote_pow_) {
    // Nonce 0 asks the node for the PoW (Hornet's "remote PoW"); the official wasm client relies on
    // it.
    auto shared = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    const double target = config_.min_pow_score;
    return remote_pow_->submit(
        client,
        [shared, target]() -> Result<void> {
          STREAMS_TRY(chrysalis::do_pow(*shared, target));
          return ok_result();
        },
        [this, shared, done] { store(std::move(*shared), done); }, done);
  }
  if (score < config_.min_pow_score) {
    return done(error(
        400,
        "invalid message: pow score " + std::to_string(score) + " is below the minimum " +
            std::to_string(config_.min_pow_score) +
            (view->nonce == 0 && !remote_pow_ ? " (nonce 0: this node does no remote PoW)" : "")));
  }
  store(std::move(bytes), std::move(done));
}

// Hands a checked message to the storage; answers once it is durable.
void NodeApi::store(std::vector<uint8_t> bytes, Respond done) {
  const auto view = chrysalis::parse_message(bytes);
  if (!view.ok()) return done(error(500, "invalid message after PoW: " + view.error().message()));
  transports::StoredMessage message;
  message.id = chrysalis::message_id(bytes);
  message.index.emplace(view->index.begin(), view->index.end());
  message.parents.assign(view->parents, view->parents + view->parent_count);
  message.raw = std::move(bytes);
  // The answer's body is made here, on the serving thread: the storage's committer only sends it.
  std::string created = R"({"data":{"messageId":")" + to_hex(message.id) + R"("}})";
  storage_.put_async(std::move(message), [done = std::move(done), created = std::move(created)](
                                             Result<bool> stored) mutable {
    if (!stored.ok()) return done(error(500, stored.error().message()));
    done(Reply{201, "application/json", std::move(created), {}});
  });
}

void NodeApi::message_from_json(std::string_view body, const std::string& client, Respond done) {
  json message;
  try {
    message = json::parse(body);
  } catch (const json::exception& e) {
    return done(error(400, std::string("invalid JSON: ") + e.what()));
  }
  std::vector<uint8_t> bytes;
  try {
    if (!message.is_object()) throw std::invalid_argument("a message is a JSON object");
    const uint64_t network = message.contains("networkId") && !message["networkId"].is_null()
                                 ? parse_u64(message["networkId"], "networkId")
                                 : network_id_;
    std::vector<chrysalis_id> parents;
    if (message.contains("parentMessageIds") && !message["parentMessageIds"].is_null()) {
      if (!message["parentMessageIds"].is_array())
        throw std::invalid_argument("parentMessageIds must be an array");
      if (message["parentMessageIds"].size() > chrysalis::kMaxParents) {
        throw std::invalid_argument("parentMessageIds: at most 8 parents");
      }
      for (const auto& parent : message["parentMessageIds"]) {
        const auto parent_bytes = parse_hex_field(parent, "parentMessageIds");
        if (parent_bytes.size() != 32)
          throw std::invalid_argument("a parent message id takes 32 bytes");
        parents.push_back({});
        std::copy(parent_bytes.begin(), parent_bytes.end(), parents.back().begin());
      }
    } else {
      auto tips = storage_.tips(chrysalis::kMaxParents);
      if (!tips.ok()) return done(error(500, tips.error().message()));
      parents = tips->empty() ? std::vector<chrysalis_id>{chrysalis_id{}} : *tips;
    }
    if (!message.contains("payload")) throw std::invalid_argument("payload is missing");
    const json& payload = message["payload"];
    if (!payload.is_object()) throw std::invalid_argument("payload must be an object");
    check_payload_type(payload);
    if (!payload.contains("index") || !payload.contains("data"))
      throw std::invalid_argument("payload needs index and data");
    const auto index = parse_hex_field(payload["index"], "payload.index");
    const auto data_bytes = parse_hex_field(payload["data"], "payload.data");
    const bool has_nonce = message.contains("nonce") && !message["nonce"].is_null();
    const uint64_t nonce = has_nonce ? parse_u64(message["nonce"], "nonce") : 0;
    bytes.resize(chrysalis::message_size(parents.size(), index.size(), data_bytes.size()));
    const auto written =
        chrysalis::write_message(network, parents, index, data_bytes, nonce, bytes);
    if (!written.ok()) return done(error(400, "invalid message: " + written.error().message()));
    bytes.resize(*written);
  } catch (const std::exception& e) {
    return done(error(400, std::string("invalid message: ") + e.what()));
  }
  check_and_store(std::move(bytes), client,
                  std::move(done));  // without a nonce: nonce 0, remote PoW if on
}

void NodeApi::post_message(std::string_view content_type, std::string_view body,
                           const std::string& client, Respond done) {
  if (content_type.rfind("application/octet-stream", 0) == 0) {
    return check_and_store(std::vector<uint8_t>(body.begin(), body.end()), client, std::move(done));
  }
  message_from_json(body, client, std::move(done));
}

namespace {

// A bounded list of message ids, as the node API gives them: what was asked for, the bound, the
// count and the ids.
Reply id_list_reply(const Result<std::vector<chrysalis_id>>& ids, const char* asked_key,
                    std::string_view asked, const char* list_key) {
  if (!ids.ok()) return NodeApi::error(500, ids.error().message());
  return data({{asked_key, std::string(asked)},
               {"maxResults", kMaxResults},
               {"count", ids->size()},
               {list_key, id_list(*ids)}});
}

}  // namespace

Reply NodeApi::messages_by_index(std::string_view index_hex) {
  const auto index = from_hex(index_hex);
  if (index_hex.empty() || !index)
    return error(400, "invalid index: expected hex, got '" + std::string(index_hex) + "'");
  if (index->size() > chrysalis::kMaxIndexSize)
    return error(400, "invalid index: longer than 64 bytes");
  return id_list_reply(storage_.ids_by_index(*index, kMaxResults), "index", index_hex,
                       "messageIds");
}

namespace {

// Looks a message up by its hex id; a reply when it cannot be given.
std::variant<std::vector<uint8_t>, Reply> find_message(transports::MessageStorage& store,
                                                       std::string_view id_hex) {
  const auto id = parse_id(id_hex);
  if (!id)
    return NodeApi::error(
        400, "invalid message id: expected 64 hex digits, got '" + std::string(id_hex) + "'");
  auto raw = store.get(*id);
  if (!raw.ok()) return NodeApi::error(500, raw.error().message());
  if (!*raw) return NodeApi::error(404, "message " + std::string(id_hex) + " not found");
  return std::move(**raw);
}

}  // namespace

Reply NodeApi::message(std::string_view id_hex) {
  auto found = find_message(storage_, id_hex);
  if (auto* reply = std::get_if<Reply>(&found)) return *reply;
  const auto& bytes = std::get<std::vector<uint8_t>>(found);
  const auto view = chrysalis::parse_message(bytes);
  if (!view.ok()) return error(500, "stored message does not parse: " + view.error().message());
  return data(message_json(*view));
}

Reply NodeApi::raw(std::string_view id_hex) {
  auto found = find_message(storage_, id_hex);
  if (auto* reply = std::get_if<Reply>(&found)) return *reply;
  const auto& bytes = std::get<std::vector<uint8_t>>(found);
  return Reply{200, "application/octet-stream", std::string(bytes.begin(), bytes.end()), {}};
}

Reply NodeApi::metadata(std::string_view id_hex) {
  auto found = find_message(storage_, id_hex);
  if (auto* reply = std::get_if<Reply>(&found)) return *reply;
  const auto view = chrysalis::parse_message(std::get<std::vector<uint8_t>>(found));
  if (!view.ok()) return error(500, "stored message does not parse: " + view.error().message());
  json parents = json::array();
  for (size_t i = 0; i < view->parent_count; ++i) parents.push_back(to_hex(view->parents[i]));
  // There are no milestones here: a stored message is solid and never needs promotion.
  return data({{"messageId", std::string(id_hex)},
               {"parentMessageIds", parents},
               {"isSolid", true},
               {"ledgerInclusionState", "noTransaction"},
               {"shouldPromote", false},
               {"shouldReattach", false}});
}

Reply NodeApi::children(std::string_view id_hex) {
  const auto id = parse_id(id_hex);
  if (!id)
    return error(400,
                 "invalid message id: expected 64 hex digits, got '" + std::string(id_hex) + "'");
  return id_list_reply(storage_.children(*id, kMaxResults), "messageId", id_hex,
                       "childrenMessageIds");
}

}  // namespace iota_streams::node
