#include "node_routes.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace iota_streams::node {
namespace {

// Whether `path` matches `pattern`; the "{}" and "*" parts go to `params`.
bool match(std::string_view pattern, std::string_view path, RouteParams& params) {
  params.clear();
  while (!pattern.empty()) {
    if (pattern == "*") {
      params.emplace_back(path);
      return true;
    }
    if (path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t pattern_end = std::min(pattern.find('/'), pattern.size());
    const size_t path_end = std::min(path.find('/'), path.size());
    const std::string_view want = pattern.substr(0, pattern_end);
    const std::string_view got = path.substr(0, path_end);
    if (want == "{}") {
      if (got.empty()) return false;
      params.emplace_back(got);
    } else if (want == "*" && pattern_end == pattern.size()) {
      params.emplace_back(path);
      return true;
    } else if (want != got) {
      return false;
    }
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return path.empty();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
        hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// A handler that answers at once.
RouteHandler now(std::function<Reply(const HttpRequest&, const RouteParams&)> answer) {
  return [answer = std::move(answer)](const HttpRequest& request, const RouteParams& params,
                                      Respond respond) { respond(answer(request, params)); };
}

}  // namespace

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    const size_t equals = pair.find('=');
    if (percent_decode(pair.substr(0, equals)) == name) {
      return equals == std::string_view::npos ? std::string()
                                              : percent_decode(pair.substr(equals + 1));
    }
    query.remove_prefix(std::min(end + 1, query.size()));
  }
  return std::nullopt;
}

// Every route the node serves.
std::vector<Route> NodeRouter::table() {
  return {
      {"GET", "/health", now([this](auto&, auto&) { return api_.health(); })},
      {"GET", "/metrics", now([this](auto&, auto&) { return render_metrics(); })},
      {"GET", "/api/v1/info", now([this](auto&, auto&) { return api_.info(); })},
      {"GET", "/api/v1/tips", now([this](auto&, auto&) { return api_.tips(); })},
      {"POST", "/api/v1/messages",
       [this](const HttpRequest& q, const RouteParams&, Respond r) {
         api_.post_message(q.content_type, q.body, q.client, std::move(r));
       }},
      {"GET", "/api/v1/messages", now([this](const HttpRequest& q, auto&) {
         const auto index = query_param(q.query, "index");
         return index ? api_.messages_by_index(*index)
                      : NodeApi::error(400, "missing query parameter 'index'");
       })},
      {"GET", "/api/v1/messages/{}",
       now([this](auto&, const RouteParams& p) { return api_.message(p[0]); })},
      {"GET", "/api/v1/messages/{}/raw",
       now([this](auto&, const RouteParams& p) { return api_.raw(p[0]); })},
      {"GET", "/api/v1/messages/{}/metadata",
       now([this](auto&, const RouteParams& p) { return api_.metadata(p[0]); })},
      {"GET", "/api/v1/messages/{}/children",
       now([this](auto&, const RouteParams& p) { return api_.children(p[0]); })},
      {"GET", "/explorer",
       now([this](const HttpRequest& q, auto&) { return explorer_.page(q.path); })},
      {"GET", "/explorer/*",
       now([this](const HttpRequest& q, auto&) { return explorer_.page(q.path); })},
      {"GET", "/api/explorer/*", now([this](const HttpRequest& q, auto&) {
         return explorer_.api(
             {q.path, [&q](std::string_view name) { return query_param(q.query, name); }});
       })},
  };
}

NodeRouter::NodeRouter(NodeApi& api, transports::MessageStorage& storage, bool log)
    : api_(api), storage_(storage), explorer_(storage), log_(log), routes_(table()) {
  storage_.set_commit_observer([this](size_t messages) { metrics_.group_commit(messages); });
}

void NodeRouter::handle(HttpRequest request, Respond respond) {
  const auto start = std::chrono::steady_clock::now();
  RouteParams params;
  const Route* found = nullptr;
  bool path_known = false;
  for (const auto& route : routes_) {
    if (!match(route.pattern, request.path, params)) continue;
    path_known = true;
    if (route.method == request.method) {
      found = &route;
      break;
    }
  }
  const std::string name = found ? found->pattern : "unmatched";
  // Counts and logs the answer, then sends it. Shares the request with the handler's answer.
  auto shared = std::make_shared<HttpRequest>(std::move(request));
  auto answer = [this, shared, name, start, respond = std::move(respond)](Reply reply) {
    const auto took = std::chrono::steady_clock::now() - start;
    metrics_.request(name, reply.status);
    if (reply.status == 201) metrics_.ingest(std::chrono::duration<double>(took).count());
    if (log_) log(*shared, name, reply.status, reply.body.size(), took);
    respond(std::move(reply));
  };
  if (!found) {
    return answer(
        path_known
            ? NodeApi::error(405, "method " + shared->method + " not allowed on " + shared->path)
            : NodeApi::error(404, "no route for " + shared->method + " " + shared->path));
  }
  found->handler(*shared, params, std::move(answer));
}

void NodeRouter::refused(const std::string& client, int status, std::string_view reason) {
  metrics_.request("refused", status);
  if (!log_) return;
  HttpRequest request;
  request.client = client;
  log(request, "refused", status, 0, {}, reason);
}

Reply NodeRouter::render_metrics() {
  Metrics::Gauges gauges;
  if (auto count = storage_.count(); count.ok()) gauges.stored_messages = *count;
  if (auto tips = storage_.tips(transports::chrysalis::kMaxParents); tips.ok())
    gauges.tips = tips->size();
  if (connections_) gauges.open_connections = connections_();
  return Reply{200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render(gauges), {}};
}

void NodeRouter::log(const HttpRequest& request, std::string_view route, int status,
                     size_t bytes_out, std::chrono::steady_clock::duration took,
                     std::string_view reason) const {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  nlohmann::json line{{"time_ms", now.count()},
                      {"client", request.client},
                      {"method", request.method},
                      {"path", request.path},
                      {"route", route},
                      {"status", status},
                      {"bytes_in", request.body.size()},
                      {"bytes_out", bytes_out},
                      {"ms", std::chrono::duration<double, std::milli>(took).count()}};
  if (!request.content_type.empty()) line["content_type"] = request.content_type;
  if (!reason.empty()) line["reason"] = reason;
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace iota_streams::node
