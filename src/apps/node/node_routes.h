// streams-node's routes: one table (method, path pattern, handler) in node_routes.cpp, where a new
// route is one line; the counting and the request log around every answer.
//   Patterns: literal segments, "{}" for one segment (passed to the handler), a final "*" for the
//   rest of the path (passed as one string). The pattern is also the route's name in /metrics.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "explorer.h"
#include "http_server.h"
#include "metrics.h"
#include "node_api.h"

namespace iota_streams::node {

// The segments that matched "{}" and "*", in order.
using RouteParams = std::vector<std::string>;
using RouteHandler = std::function<void(const HttpRequest&, const RouteParams&, Respond)>;

struct Route {
  std::string method;
  std::string pattern;
  RouteHandler handler;
};

class NodeRouter : public HttpHandler {
 public:
  // `log` on: one JSON line per request on stderr.
  NodeRouter(NodeApi& api, transports::MessageStorage& storage, bool log);

  void handle(HttpRequest request, Respond respond) override;
  void refused(const std::string& client, int status, std::string_view reason) override;

  Metrics& metrics() { return metrics_; }
  // Where /metrics reads the open connections (the server, once it exists).
  void set_connections(std::function<size_t()> connections) {
    connections_ = std::move(connections);
  }

 private:
  std::vector<Route> table();
  Reply render_metrics();
  void log(const HttpRequest& request, std::string_view route, int status, size_t bytes_out,
           std::chrono::steady_clock::duration took, std::string_view reason = {}) const;

  NodeApi& api_;
  transports::MessageStorage& storage_;
  explorer::Explorer explorer_;  // /explorer and /api/explorer, over the same storage
  bool log_;
  Metrics metrics_;
  std::function<size_t()> connections_;
  std::vector<Route> routes_;
};

// The value of one query parameter ("index" in "index=ab&x=1"), percent-decoded; none when absent.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace iota_streams::node
