// A load generator for streams-node: N keep-alive HTTP/1.1 connections post indexation messages
// with unique data (JSON by default, as light clients post them; binary with --binary), then look
// messages up by index. Reports the ingest rate, the latencies and the CPU time spent per message
// by the node (with --node-pid: user + system time from /proc/PID/stat, all its threads) and by
// this generator (getrusage), as one JSON line. CPU per message does not depend on what else runs
// on the machine; the rate does.
//   node_load URL CONNECTIONS MESSAGES LOOKUPS [TAG] [--binary] [--parents node|genesis]
//             [--node-pid PID] [--server-pid PID] [--threads N]
// URL is http://HOST:PORT; TAG makes the data unique across runs on one database (default: the
// time). --parents node (the default for JSON) leaves parentMessageIds out, so the node chooses its
// tips as parents; genesis names the all-zero id (binary messages always do). Every post must be
// answered 201 and every lookup 200, or the run fails (exit 1).
//
// Built to cost little beside the node it measures: every request is written before the clock
// starts, one thread (--threads: more) drives all connections with epoll, one send and one or two
// recv calls per request, and nothing is allocated per request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "iota_streams/base/text.h"
#include "iota_streams/transports/chrysalis.h"

namespace {

using namespace iota_streams;
namespace chrysalis = transports::chrysalis;
using Clock = std::chrono::steady_clock;

struct Target {
  std::string host;
  uint16_t port = 0;
};

// Requests laid end to end in one buffer; request i is text[offsets[i], offsets[i + 1]).
struct Requests {
  std::string text;
  std::vector<size_t> offsets{0};
  void add(std::string_view request) {
    text.append(request);
    offsets.push_back(text.size());
  }
  size_t size() const { return offsets.size() - 1; }
  std::string_view at(size_t i) const {
    return std::string_view(text).substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

int connect_to(const Target& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(target.port);
  ::inet_pton(AF_INET, target.host.c_str(), &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

double now_ms() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// One keep-alive connection, one request at a time: its share of the requests (every `stride`-th
// from `first`), the answer being read, the latency of each exchange.
struct Connection {
  int fd = -1;
  size_t next = 0;  // the request to send next
  size_t stride = 1;
  size_t current = 0;  // the request waiting for its answer
  double sent_ms = 0;
  std::string buffer;  // the answer so far (its capacity stays: no allocation per request)
  size_t header_end = std::string::npos;
  size_t length = 0;
};

// Drives `connections` over `requests` until each connection has sent its share and read every
// answer; the status wanted for each, the latencies out. False when a connection failed.
struct Phase {
  const Requests* requests = nullptr;
  int want_status = 200;
  std::atomic<size_t> failures{0};
  std::atomic<size_t> bad_status{0};
  std::vector<double> latencies_ms;  // indexed by request
  std::string first_bad;             // the first unexpected answer, for the report
  std::atomic<bool> has_bad{false};
};

bool send_request(Connection& c, Phase& phase) {
  const std::string_view request = phase.requests->at(c.next);
  c.current = c.next;
  c.next += c.stride;
  c.sent_ms = now_ms();
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(c.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;  // a blocking socket: a short send only on error
    sent += static_cast<size_t>(n);
  }
  c.buffer.clear();
  c.header_end = std::string::npos;
  c.length = 0;
  return true;
}

// Reads what is there; true when the whole answer is in (then checks it and records its latency).
// Sets `failed` when the connection broke.
bool read_answer(Connection& c, Phase& phase, bool& failed) {
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      failed = true;
      return false;
    }
    if (n < 0) return false;  // nothing more for now
    c.buffer.append(chunk, static_cast<size_t>(n));
    if (c.header_end == std::string::npos) {
      c.header_end = c.buffer.find("\r\n\r\n");
      if (c.header_end == std::string::npos) continue;
      const std::string_view head(c.buffer.data(), c.header_end);
      const size_t field = head.find("Content-Length: ");
      if (field != std::string_view::npos) {
        const char* start = head.data() + field + 16;
        std::from_chars(start, head.data() + head.size(), c.length);
      }
    }
    if (c.buffer.size() < c.header_end + 4 + c.length) continue;
    if (c.buffer.size() > c.header_end + 4 + c.length) {
      failed = true;  // more than one answer to one request
      return false;
    }
    phase.latencies_ms[c.current] = now_ms() - c.sent_ms;
    int status = 0;
    if (c.buffer.size() > 12) std::from_chars(c.buffer.data() + 9, c.buffer.data() + 12, status);
    if (status != phase.want_status) {
      phase.bad_status += 1;
      if (!phase.has_bad.exchange(true)) phase.first_bad = c.buffer.substr(0, 400);
    }
    return true;
  }
}

// One thread: every connection of `mine` runs its requests to the end.
void drive(std::vector<Connection*> mine, Phase& phase) {
  const int poll = ::epoll_create1(0);
  size_t active = 0;
  for (Connection* c : mine) {
    if (c->next >= phase.requests->size()) continue;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = c;
    if (::epoll_ctl(poll, EPOLL_CTL_ADD, c->fd, &event) != 0 || !send_request(*c, phase)) {
      phase.failures += 1;
      continue;
    }
    ++active;
  }
  std::vector<epoll_event> events(std::max<size_t>(mine.size(), 1));
  while (active > 0) {
    const int n = ::epoll_wait(poll, events.data(), static_cast<int>(events.size()), 60000);
    if (n == 0) {  // a minute without any answer: the node hangs
      phase.failures += active;
      break;
    }
    for (int i = 0; i < n; ++i) {
      auto& c = *static_cast<Connection*>(events[static_cast<size_t>(i)].data.ptr);
      bool failed = false;
      if (!read_answer(c, phase, failed)) {
        if (failed) {
          phase.failures += 1;
          ::epoll_ctl(poll, EPOLL_CTL_DEL, c.fd, nullptr);
          --active;
        }
        continue;
      }
      if (c.next < phase.requests->size()) {
        if (!send_request(c, phase)) {
          phase.failures += 1;
          ::epoll_ctl(poll, EPOLL_CTL_DEL, c.fd, nullptr);
          --active;
        }
      } else {
        ::epoll_ctl(poll, EPOLL_CTL_DEL, c.fd, nullptr);
        --active;
      }
    }
  }
  ::close(poll);
}

struct CpuTimes {
  double generator_s = 0;  // this process, user + system
  double node_s = 0;       // the node's process, user + system (0 without --node-pid)
  double server_s = 0;     // the database server's processes (0 without --server-pid)
  double wall_s = 0;
};

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct ProcessStat {
  long parent = 0;
  double cpu_seconds = 0;  // utime + stime, every thread of it
};

// Fields 4 (ppid), 14 and 15 (utime, stime) of /proc/PID/stat; nothing when it is gone.
std::optional<ProcessStat> process_stat(const std::string& pid) {
  std::ifstream file("/proc/" + pid + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t close_paren = text.rfind(')');  // the command name may hold spaces
  if (close_paren == std::string::npos || close_paren + 2 > text.size()) return std::nullopt;
  std::istringstream fields(text.substr(close_paren + 2));
  std::string field;
  ProcessStat stat;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 4) stat.parent = std::strtol(field.c_str(), nullptr, 10);
    if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  stat.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return stat;
}

double process_cpu_seconds(long pid) {
  if (pid <= 0) return 0;
  const auto stat = process_stat(std::to_string(pid));
  return stat ? stat->cpu_seconds : 0;
}

// A process and its children (a server that forks one process per connection), in seconds.
double server_cpu_seconds(long pid) {
  if (pid <= 0) return 0;
  double seconds = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto stat = process_stat(name);
    if (stat && (std::strtol(name.c_str(), nullptr, 10) == pid || stat->parent == pid))
      seconds += stat->cpu_seconds;
  }
  return seconds;
}

double load_average() {
  std::ifstream file("/proc/loadavg");
  double one = 0;
  file >> one;
  return one;
}

// Runs one phase over fresh keep-alive connections; the CPU and wall time it took.
CpuTimes run_phase(const Target& target, size_t connections, unsigned threads, long node_pid,
                   long server_pid, Phase& phase) {
  std::vector<Connection> pool(connections);
  for (size_t c = 0; c < connections; ++c) {
    pool[c].fd = connect_to(target);
    pool[c].next = c;
    pool[c].stride = connections;
    pool[c].buffer.reserve(8192);
    if (pool[c].fd < 0) phase.failures += 1;
  }
  phase.latencies_ms.assign(phase.requests->size(), -1);
  std::vector<std::vector<Connection*>> shares(threads);
  for (size_t c = 0; c < connections; ++c)
    if (pool[c].fd >= 0) shares[c % threads].push_back(&pool[c]);
  CpuTimes start{own_cpu_seconds(), process_cpu_seconds(node_pid), server_cpu_seconds(server_pid),
                 now_ms() * 1e-3};
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back([&, t] { drive(shares[t], phase); });
  drive(shares[0], phase);
  for (auto& worker : workers) worker.join();
  CpuTimes spent{own_cpu_seconds() - start.generator_s,
                 process_cpu_seconds(node_pid) - start.node_s,
                 server_cpu_seconds(server_pid) - start.server_s, now_ms() * 1e-3 - start.wall_s};
  for (auto& c : pool)
    if (c.fd >= 0) ::close(c.fd);
  return spent;
}

double percentile(std::vector<double> values, double p) {
  values.erase(std::remove(values.begin(), values.end(), -1.0), values.end());
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<size_t>(p * static_cast<double>(values.size())))];
}

std::string index_of(const std::string& tag, size_t connection, size_t i) {
  return "load-" + tag + "-" + std::to_string(connection) + "-" + std::to_string(i % 500);
}

int usage() {
  std::fprintf(stderr,
               "usage: node_load URL CONNECTIONS MESSAGES LOOKUPS [TAG] [--binary] "
               "[--parents node|genesis] [--node-pid PID] [--server-pid PID] [--threads N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  bool binary = false;
  bool node_parents = true;
  long node_pid = 0;
  long server_pid = 0;
  unsigned threads = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--binary") {
      binary = true;
    } else if (arg == "--parents" && i + 1 < argc) {
      const std::string value = argv[++i];
      if (value != "node" && value != "genesis") return usage();
      node_parents = value == "node";
    } else if (arg == "--node-pid" && i + 1 < argc) {
      node_pid = std::strtol(argv[++i], nullptr, 10);
    } else if (arg == "--server-pid" && i + 1 < argc) {
      server_pid = std::strtol(argv[++i], nullptr, 10);
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else if (arg.rfind("--", 0) == 0) {
      return usage();
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() < 4 || threads == 0) return usage();
  if (binary) node_parents = false;
  const std::string url = positional[0];
  const size_t colon = url.rfind(':');
  if (url.rfind("http://", 0) != 0 || colon < 7) {
    std::fprintf(stderr, "node_load: URL must be http://HOST:PORT\n");
    return 2;
  }
  const Target target{url.substr(7, colon - 7),
                      static_cast<uint16_t>(std::atoi(url.c_str() + colon + 1))};
  const size_t connections = std::strtoul(positional[1].c_str(), nullptr, 10);
  const size_t messages = std::strtoul(positional[2].c_str(), nullptr, 10);
  const size_t lookups = std::strtoul(positional[3].c_str(), nullptr, 10);
  const std::string tag = positional.size() > 4
                              ? positional[4]
                              : std::to_string(Clock::now().time_since_epoch().count());
  if (connections == 0) return usage();
  threads = static_cast<unsigned>(std::min<size_t>(threads, connections));
  const uint64_t network = chrysalis::network_id("streams-local");
  const std::string host_header = "Host: " + target.host + "\r\n";

  // Every request written before the clock starts. Request i goes out on connection i %
  // CONNECTIONS.
  Requests posts;
  const std::vector<chrysalis::MessageId> parents{chrysalis::MessageId{}};
  const std::string genesis_hex = to_hex(parents[0]);
  for (size_t i = 0; i < messages; ++i) {
    const std::string index = index_of(tag, i % connections, i);
    const std::string data = "unique data " + tag + " " + std::to_string(i);
    std::string body;
    std::string content_type;
    if (binary) {
      std::vector<uint8_t> raw(chrysalis::message_size(1, index.size(), data.size()));
      const auto size =
          chrysalis::write_message(network, parents, as_bytes(index), as_bytes(data), 0, raw);
      if (!size.ok()) {
        std::fprintf(stderr, "node_load: %s\n", size.error().message().c_str());
        return 1;
      }
      body.assign(raw.begin(), raw.begin() + static_cast<long>(*size));
      content_type = "application/octet-stream";
    } else {
      body = "{\"networkId\":\"" + std::to_string(network) + "\"," +
             (node_parents ? "" : "\"parentMessageIds\":[\"" + genesis_hex + "\"],") +
             "\"payload\":{\"type\":2,\"index\":\"" + to_hex(as_bytes(index)) + "\",\"data\":\"" +
             to_hex(as_bytes(data)) + "\"},\"nonce\":\"0\"}";
      content_type = "application/json";
    }
    posts.add("POST /api/v1/messages HTTP/1.1\r\n" + host_header + "Content-Type: " + content_type +
              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  // Lookups: GET by index, spread over the indexes just written.
  Requests gets;
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (size_t j = 0; j < lookups && messages > 0; ++j) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const size_t i = static_cast<size_t>(state >> 33) % messages;
    gets.add("GET /api/v1/messages?index=" + to_hex(as_bytes(index_of(tag, i % connections, i))) +
             " HTTP/1.1\r\n" + host_header + "\r\n");
  }

  const double load_before = load_average();
  Phase ingest;
  ingest.requests = &posts;
  ingest.want_status = 201;
  const CpuTimes ingest_cpu = run_phase(target, connections, threads, node_pid, server_pid, ingest);
  Phase lookup;
  lookup.requests = &gets;
  lookup.want_status = 200;
  const CpuTimes lookup_cpu = run_phase(target, connections, threads, node_pid, server_pid, lookup);
  const double load_after = load_average();

  const auto per = [](double seconds, size_t count) {
    return count == 0 ? 0.0 : seconds * 1e6 / static_cast<double>(count);
  };
  const size_t posted =
      posts.size() -
      static_cast<size_t>(std::count(ingest.latencies_ms.begin(), ingest.latencies_ms.end(), -1.0));
  const size_t looked_up =
      gets.size() -
      static_cast<size_t>(std::count(lookup.latencies_ms.begin(), lookup.latencies_ms.end(), -1.0));
  const size_t failures = ingest.failures + ingest.bad_status + lookup.failures + lookup.bad_status;
  std::printf(
      "{\"connections\": %zu, \"body\": \"%s\", \"parents\": \"%s\", \"messages\": %zu, "
      "\"ingest_per_second\": %.0f, \"post_p50_ms\": %.3f, \"post_p99_ms\": %.3f, "
      "\"node_cpu_us_per_post\": %.1f, \"server_cpu_us_per_post\": %.1f, "
      "\"generator_cpu_us_per_post\": %.1f, \"lookups\": %zu, \"lookups_per_second\": %.0f, "
      "\"get_p50_ms\": %.3f, \"get_p99_ms\": %.3f, \"node_cpu_us_per_get\": %.1f, "
      "\"server_cpu_us_per_get\": %.1f, \"generator_cpu_us_per_get\": %.1f, "
      "\"load_average\": [%.2f, %.2f], \"failures\": %zu}\n",
      connections, binary ? "binary" : "json", node_parents ? "node" : "genesis", posted,
      static_cast<double>(posted) / ingest_cpu.wall_s, percentile(ingest.latencies_ms, 0.5),
      percentile(ingest.latencies_ms, 0.99), per(ingest_cpu.node_s, posted),
      per(ingest_cpu.server_s, posted), per(ingest_cpu.generator_s, posted), looked_up,
      static_cast<double>(looked_up) / lookup_cpu.wall_s, percentile(lookup.latencies_ms, 0.5),
      percentile(lookup.latencies_ms, 0.99), per(lookup_cpu.node_s, looked_up),
      per(lookup_cpu.server_s, looked_up), per(lookup_cpu.generator_s, looked_up), load_before,
      load_after, failures);
  if (ingest.has_bad)
    std::fprintf(stderr, "node_load: unexpected answer to a post: %s\n", ingest.first_bad.c_str());
  if (lookup.has_bad)
    std::fprintf(stderr, "node_load: unexpected answer to a lookup: %s\n",
                 lookup.first_bad.c_str());
  return failures == 0 ? 0 : 1;
}
