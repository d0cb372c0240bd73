// streams-node: a self-hosted node serving the Chrysalis API that Streams clients use, over the local
// SQLite store.
//   streams-node --listen HOST:PORT --db FILE [--network-name NAME] [--min-pow-score N] [--remote-pow on|off]
// Prints "listening on http://HOST:PORT" (the real port when PORT is 0) once it accepts connections;
// SIGINT or SIGTERM stops it cleanly. Every acknowledged message is on disk before the answer goes out.
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "node_api.h"

namespace {

using iota_streams::node::NodeApi;
using iota_streams::node::Reply;

struct Options {
  std::string host = "127.0.0.1";
  int port = 14265;
  std::string db = "streams-node.db";
  iota_streams::node::NodeConfig config;
};

int usage(const char* reason) {
  std::fprintf(stderr,
               "error: %s\nusage: streams-node --listen HOST:PORT --db FILE [--network-name NAME] "
               "[--min-pow-score N] [--remote-pow on|off]\n",
               reason);
  return 2;
}

bool parse_listen(const std::string& text, Options& options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  options.host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  options.port = std::stoi(port);
  return options.port <= 65535;
}

void send(httplib::Response& response, const Reply& reply) {
  response.status = reply.status;
  response.set_content(reply.body, reply.content_type.c_str());
}

void routes(httplib::Server& server, NodeApi& api) {
  server.Get("/health", [](const httplib::Request&, httplib::Response& r) { r.status = 200; });
  server.Get("/api/v1/info", [&](const httplib::Request&, httplib::Response& r) { send(r, api.info()); });
  server.Get("/api/v1/tips", [&](const httplib::Request&, httplib::Response& r) { send(r, api.tips()); });
  server.Post("/api/v1/messages", [&](const httplib::Request& q, httplib::Response& r) {
    send(r, api.post_message(q.get_header_value("Content-Type"), q.body));
  });
  server.Get("/api/v1/messages", [&](const httplib::Request& q, httplib::Response& r) {
    if (!q.has_param("index")) return send(r, NodeApi::error(400, "missing query parameter 'index'"));
    send(r, api.messages_by_index(q.get_param_value("index")));
  });
  server.Get(R"(/api/v1/messages/([^/]+))", [&](const httplib::Request& q, httplib::Response& r) {
    send(r, api.message(q.matches[1].str()));
  });
  server.Get(R"(/api/v1/messages/([^/]+)/raw)", [&](const httplib::Request& q, httplib::Response& r) {
    send(r, api.raw(q.matches[1].str()));
  });
  server.Get(R"(/api/v1/messages/([^/]+)/metadata)", [&](const httplib::Request& q, httplib::Response& r) {
    send(r, api.metadata(q.matches[1].str()));
  });
  server.Get(R"(/api/v1/messages/([^/]+)/children)", [&](const httplib::Request& q, httplib::Response& r) {
    send(r, api.children(q.matches[1].str()));
  });
  server.set_error_handler([](const httplib::Request& q, httplib::Response& r) {
    if (!r.body.empty()) return;
    const std::string reason = r.status == 404   ? "no route for " + q.method + " " + q.path
                               : r.status == 413 ? "request body too large"
                                                 : "bad request";
    send(r, NodeApi::error(r.status, reason));
  });
  if (std::getenv("STREAMS_NODE_LOG")) {  // one line per request, for debugging clients
    server.set_logger([](const httplib::Request& q, const httplib::Response& r) {
      std::fprintf(stderr, "%s %s [%s, %zu bytes] -> %d\n", q.method.c_str(), q.target.c_str(),
                   q.get_header_value("Content-Type").c_str(), q.body.size(), r.status);
    });
  }
  server.set_exception_handler([](const httplib::Request&, httplib::Response& r, std::exception_ptr e) {
    std::string reason = "internal error";
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& x) {
      reason += std::string(": ") + x.what();
    } catch (...) {
    }
    send(r, NodeApi::error(500, reason));
  });
}

// Stops the server on SIGINT/SIGTERM from an ordinary thread (no work in a signal handler).
std::thread stop_on_signal(httplib::Server& server) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by every thread started after this
  return std::thread([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
  });
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (i + 1 >= argc) return usage(("option " + name + " needs a value").c_str());
    const std::string value = argv[++i];
    if (name == "--listen") {
      if (!parse_listen(value, options)) return usage(("--listen takes HOST:PORT, not '" + value + "'").c_str());
    } else if (name == "--db") {
      options.db = value;
    } else if (name == "--network-name") {
      options.config.network_name = value;
    } else if (name == "--remote-pow") {
      if (value != "on" && value != "off") return usage("--remote-pow takes on or off");
      options.config.remote_pow = value == "on";
    } else if (name == "--min-pow-score") {
      char* end = nullptr;
      options.config.min_pow_score = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || options.config.min_pow_score < 0) {
        return usage(("--min-pow-score takes a number >= 0, not '" + value + "'").c_str());
      }
    } else {
      return usage(("unknown option " + name).c_str());
    }
  }

  auto store = iota_streams::transports::MessageStore::open(options.db);
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.error().message().c_str());
    return 1;
  }
  NodeApi api(options.config, **store);
  httplib::Server server;
  server.set_payload_max_length(128 * 1024);  // a 32 KiB message in JSON hex, with room; more is refused
  server.set_tcp_nodelay(true);  // small answers written in two parts would wait for delayed ACKs (40 ms)
  routes(server, api);
  std::thread stopper = stop_on_signal(server);

  const int port = options.port == 0 ? server.bind_to_any_port(options.host) : options.port;
  if (port < 0 || (options.port != 0 && !server.bind_to_port(options.host, port))) {
    std::fprintf(stderr, "error: cannot listen on %s:%d\n", options.host.c_str(), options.port);
    std::_Exit(1);
  }
  std::printf("listening on http://%s:%d (network '%s', min PoW score %g, remote PoW %s, db %s)\n",
              options.host.c_str(), port, options.config.network_name.c_str(), options.config.min_pow_score,
              options.config.remote_pow ? "on" : "off", options.db.c_str());
  std::fflush(stdout);
  server.listen_after_bind();
  pthread_kill(stopper.native_handle(), SIGTERM);  // the stopper may still be waiting
  stopper.join();
  return 0;
}
