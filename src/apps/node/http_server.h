// The HTTP/1.1 server under streams-node: Boost.Beast on Asio, event-driven (a few threads serve
// every connection, none is tied to a client), so idle or slow clients cost a socket and a timer,
// never a worker. Per connection: a deadline for the request headers, one for the body, one for
// writing the answer; a bound on open connections; keep-alive with no cap on requests. Knows
// nothing of the node: requests go to an HttpHandler, which may answer later from any thread
// (asynchronous storage).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iota_streams::node {

// An HTTP answer: status, content type, body, and any further headers.
struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // the target before '?', as sent
  std::string query;   // the target after '?', as sent (may be empty)
  std::string content_type;
  std::string body;
  std::string client;  // the peer's address, without the port
};

// Called exactly once per request, from any thread; the answer goes out on the request's
// connection.
using Respond = std::function<void(Reply)>;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void handle(HttpRequest request, Respond respond) = 0;
  // The server answered a request by itself (malformed, too large): for metrics and logs.
  virtual void refused(const std::string& client, int status, std::string_view reason) = 0;
};

struct ServerLimits {
  size_t max_connections = 4096;            // more are closed as soon as accepted
  std::chrono::seconds header_timeout{10};  // from waiting for a request to having its headers
  std::chrono::seconds body_timeout{30};    // from the headers to the whole body
  std::chrono::seconds write_timeout{30};   // to write one answer
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 128 * 1024;  // a 32 KiB message in JSON hex, with room
  unsigned threads = 2;
};

class HttpServer {
 public:
  // Listens on host:port (port 0: one the system picks). The error names the address and the reason
  // when it cannot, e.g. a port already taken: no port sharing, a second server on it fails here.
  static std::unique_ptr<HttpServer> listen(const std::string& host, uint16_t port,
                                            ServerLimits limits, HttpHandler& handler,
                                            std::string& error);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  size_t open_connections() const;
  // Serves until SIGINT or SIGTERM, or stop().
  void run();
  void stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace iota_streams::node
