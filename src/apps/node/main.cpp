// streams-node: a self-hosted node serving the Chrysalis API that Streams clients use, over a
// message storage (the SQLite file given to --db, or PostgreSQL with --db postgresql://...).
//   streams-node --listen HOST:PORT --db FILE|postgresql://... [options]   (see usage())
// Prints "listening on http://HOST:PORT" (the real port when PORT is 0) once it accepts
// connections; SIGINT or SIGTERM stops it cleanly. Every acknowledged message is on disk before the
// answer goes out.
#include <sys/resource.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "http_server.h"
#include "node_api.h"
#include "node_routes.h"
#ifdef STREAMS_NODE_POSTGRES
#include "iota_streams/transports/postgres.h"
#endif

namespace {

using iota_streams::node::HttpServer;
using iota_streams::node::NodeApi;
using iota_streams::node::NodeRouter;

constexpr double kMaxPowScore = 1e6;  // far above any network's (Chrysalis mainnet: 4000)

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 14265;
  std::string db = "streams-node.db";
  iota_streams::node::NodeConfig config;
  iota_streams::node::ServerLimits limits;
};

constexpr const char* kUsage =
    "usage: streams-node --listen HOST:PORT --db FILE|postgresql://... [--network-name NAME] "
    "[--min-pow-score N]\n"
    "         [--remote-pow on|off] [--remote-pow-seconds-per-minute N] [--max-connections N]\n"
    "         [--header-timeout SECONDS] [--body-timeout SECONDS] [--threads N]\n";

int usage(const std::string& reason) {
  std::fprintf(stderr, "error: %s\n%s", reason.c_str(), kUsage);
  return 2;
}

// A whole decimal number in [min, max], nothing else (no sign, no spaces, no exponent).
std::optional<uint64_t> parse_integer(const std::string& text, uint64_t min, uint64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}

// A plain decimal number (digits, optionally a point and digits) in [min, max]: no nan, inf,
// exponent, hex, sign or spaces, which strtod alone would take.
std::optional<double> parse_decimal(const std::string& text, double min, double max) {
  const size_t point = text.find('.');
  const std::string whole = text.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
  const auto digits = [](const std::string& part) {
    return part.find_first_not_of("0123456789") == std::string::npos;
  };
  if (whole.empty() || !digits(whole) || !digits(fraction) ||
      (point != std::string::npos && fraction.empty())) {
    return std::nullopt;
  }
  const double value = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(value) || value < min || value > max) return std::nullopt;
  return value;
}

bool parse_listen(const std::string& text, Options& options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  const auto port = parse_integer(text.substr(colon + 1), 0, 65535);
  if (!port) return false;
  options.host = text.substr(0, colon);
  options.port = static_cast<uint16_t>(*port);
  return true;
}

// Parses the command line into `options`; a usage error's text when it cannot.
std::optional<std::string> parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (i + 1 >= argc) return "option " + name + " needs a value";
    const std::string value = argv[++i];
    const auto integer = [&](uint64_t min, uint64_t max,
                             auto& field) -> std::optional<std::string> {
      const auto parsed = parse_integer(value, min, max);
      if (!parsed) {
        return name + " takes a whole number from " + std::to_string(min) + " to " +
               std::to_string(max) + ", not '" + value + "'";
      }
      field = static_cast<std::remove_reference_t<decltype(field)>>(*parsed);
      return std::nullopt;
    };
    std::optional<std::string> problem;
    if (name == "--listen") {
      if (!parse_listen(value, options))
        problem = "--listen takes HOST:PORT (PORT from 0 to 65535), not '" + value + "'";
    } else if (name == "--db") {
      if (value.empty()) problem = "--db takes a file name or a postgresql:// URL";
      options.db = value;
    } else if (name == "--network-name") {
      if (value.empty()) problem = "--network-name takes a name";
      options.config.network_name = value;
    } else if (name == "--remote-pow") {
      if (value != "on" && value != "off")
        problem = "--remote-pow takes on or off, not '" + value + "'";
      options.config.remote_pow = value == "on";
    } else if (name == "--min-pow-score") {
      const auto score = parse_decimal(value, 0, kMaxPowScore);
      if (!score)
        problem = "--min-pow-score takes a decimal number from 0 to 1000000, not '" + value + "'";
      options.config.min_pow_score = score.value_or(0);
    } else if (name == "--remote-pow-seconds-per-minute") {
      problem = integer(1, 60, options.config.remote_pow_seconds_per_minute);
    } else if (name == "--max-connections") {
      problem = integer(1, 1000000, options.limits.max_connections);
    } else if (name == "--threads") {
      problem = integer(1, 64, options.limits.threads);
    } else if (name == "--header-timeout" || name == "--body-timeout") {
      uint64_t seconds = 0;
      problem = integer(1, 3600, seconds);
      (name == "--header-timeout" ? options.limits.header_timeout : options.limits.body_timeout) =
          std::chrono::seconds(seconds);
    } else {
      problem = "unknown option " + name;
    }
    if (problem) return problem;
  }
  return std::nullopt;
}

bool is_postgres(const std::string& spec) {
  return spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0;
}

// --db as it may be printed: a PostgreSQL URL without its password (user:password@host).
std::string printable_db(const std::string& spec) {
  if (!is_postgres(spec)) return spec;
  const size_t start = spec.find("://") + 3;
  const size_t at = spec.find('@', start);
  const size_t colon = spec.find(':', start);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return spec;
  return spec.substr(0, colon) + ":***" + spec.substr(at);
}

// The one place that turns --db into a storage backend.
iota_streams::Result<std::unique_ptr<iota_streams::transports::MessageStorage>> open_storage(
    const std::string& spec) {
  if (is_postgres(spec)) {
#ifdef STREAMS_NODE_POSTGRES
    STREAMS_ASSIGN_OR_RETURN(auto storage, iota_streams::transports::PostgresStorage::open(spec));
    return std::unique_ptr<iota_streams::transports::MessageStorage>(std::move(storage));
#else
    return iota_streams::Error(
        iota_streams::Errc::kTransportFailure,
        "this streams-node was built without libpq; --db takes a SQLite file");
#endif
  }
  STREAMS_ASSIGN_OR_RETURN(auto store, iota_streams::transports::MessageStore::open(spec));
  return std::unique_ptr<iota_streams::transports::MessageStorage>(std::move(store));
}

// Each connection is a descriptor: take every one the system allows this process.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (auto problem = parse_options(argc, argv, options)) return usage(*problem);
  raise_descriptor_limit();

  auto opened = open_storage(options.db);
  if (!opened.ok()) {
    std::fprintf(stderr, "error: %s\n", opened.error().message().c_str());
    return 1;
  }
  auto storage = std::move(opened).value();
  auto api = std::make_unique<NodeApi>(options.config, *storage);
  const char* log = std::getenv("STREAMS_NODE_LOG");
  auto router =
      std::make_unique<NodeRouter>(*api, *storage, log && *log && std::string(log) != "0");
  std::string error;
  auto server = HttpServer::listen(options.host, options.port, options.limits, *router, error);
  if (!server) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  router->set_connections([&server] { return server->open_connections(); });
  std::printf("listening on http://%s:%u (network '%s', min PoW score %g, remote PoW %s, db %s)\n",
              options.host.c_str(), static_cast<unsigned>(server->port()),
              options.config.network_name.c_str(), options.config.min_pow_score,
              options.config.remote_pow ? "on" : "off", printable_db(options.db).c_str());
  std::fflush(stdout);
  server->run();
  // Stopped. What is under way (a PoW search, messages waiting for their commit) finishes and posts
  // its answer to the stopped server, so the server goes last.
  api.reset();
  storage.reset();
  router.reset();
  server.reset();
  return 0;
}
