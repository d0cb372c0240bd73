// A load generator for streams-node: N keep-alive HTTP/1.1 connections (one thread each) post
// binary indexation messages with unique data, then look messages up by index. Reports the ingest
// rate and the lookup latencies as one JSON line.
//   node_load URL CONNECTIONS MESSAGES LOOKUPS [TAG]
// URL is http://HOST:PORT; TAG makes the data unique across runs on one database (default: the
// time). Every post must be answered 201 and every lookup 200, or the run fails (exit 1).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "iota_streams/base/text.h"
#include "iota_streams/transports/chrysalis.h"

namespace {

using namespace iota_streams;
using Clock = std::chrono::steady_clock;

struct Target {
  std::string host;
  uint16_t port = 0;
};

// One keep-alive connection with a minimal HTTP/1.1 exchange (Content-Length bodies only).
class Connection {
 public:
  explicit Connection(const Target& target) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(target.port);
    ::inet_pton(AF_INET, target.host.c_str(), &address.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
    const int one = 1;
    if (fd_ >= 0) ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

  // The status, or -1 when the connection failed.
  int exchange(const std::string& request) {
    for (size_t sent = 0; sent < request.size();) {
      const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return -1;
      sent += static_cast<size_t>(n);
    }
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return -1;
    }
    const int status = std::atoi(buffer_.c_str() + 9);
    size_t length = 0;
    const size_t field = buffer_.find("Content-Length: ");
    if (field != std::string::npos && field < header_end)
      length = std::strtoul(buffer_.c_str() + field + 16, nullptr, 10);
    while (buffer_.size() < header_end + 4 + length) {
      if (!fill()) return -1;
    }
    buffer_.erase(0, header_end + 4 + length);
    return status;
  }

 private:
  bool fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

std::string hex(ByteSpan bytes) { return to_hex(bytes); }

std::string index_of(const std::string& tag, size_t connection, size_t i) {
  return "load-" + tag + "-" + std::to_string(connection) + "-" + std::to_string(i % 500);
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<size_t>(p * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: node_load URL CONNECTIONS MESSAGES LOOKUPS [TAG]\n");
    return 2;
  }
  const std::string url = argv[1];
  const size_t colon = url.rfind(':');
  if (url.rfind("http://", 0) != 0 || colon < 7) {
    std::fprintf(stderr, "node_load: URL must be http://HOST:PORT\n");
    return 2;
  }
  const Target target{url.substr(7, colon - 7),
                      static_cast<uint16_t>(std::atoi(url.c_str() + colon + 1))};
  const size_t connections = std::strtoul(argv[2], nullptr, 10);
  const size_t messages = std::strtoul(argv[3], nullptr, 10);
  const size_t lookups = std::strtoul(argv[4], nullptr, 10);
  const std::string tag =
      argc > 5 ? argv[5] : std::to_string(Clock::now().time_since_epoch().count());
  if (connections == 0) return 2;
  const uint64_t network = transports::chrysalis::network_id("streams-local");
  const std::string host_header = "Host: " + target.host + "\r\n";

  // Ingest: each connection posts its share, one request at a time, as fast as answers come.
  std::atomic<size_t> failures{0};
  std::vector<std::vector<double>> post_ms(connections);
  std::vector<std::thread> threads;
  const auto ingest_start = Clock::now();
  for (size_t c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      Connection connection(target);
      if (!connection.ok()) {
        failures += 1;
        return;
      }
      const std::vector<transports::chrysalis::MessageId> parents{
          transports::chrysalis::MessageId{}};
      for (size_t i = c; i < messages; i += connections) {
        const std::string index = index_of(tag, c, i);
        const std::string data = "unique data " + tag + " " + std::to_string(i);
        std::vector<uint8_t> raw(transports::chrysalis::message_size(1, index.size(), data.size()));
        const auto size = transports::chrysalis::write_message(network, parents, as_bytes(index),
                                                               as_bytes(data), 0, raw);
        if (!size.ok()) {
          failures += 1;
          return;
        }
        const std::string request =
            "POST /api/v1/messages HTTP/1.1\r\n" + host_header +
            "Content-Type: application/octet-stream\r\nContent-Length: " + std::to_string(*size) +
            "\r\n\r\n" + std::string(raw.begin(), raw.begin() + static_cast<long>(*size));
        const auto start = Clock::now();
        const int status = connection.exchange(request);
        post_ms[c].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (status != 201) {
          failures += 1;
          if (status < 0) return;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double ingest_seconds = std::chrono::duration<double>(Clock::now() - ingest_start).count();
  threads.clear();

  // Lookups: GET by index, spread over the indexes just written.
  std::vector<std::vector<double>> get_ms(connections);
  const auto lookup_start = Clock::now();
  for (size_t c = 0; c < connections && messages > 0; ++c) {
    threads.emplace_back([&, c] {
      Connection connection(target);
      if (!connection.ok()) {
        failures += 1;
        return;
      }
      uint64_t state = 0x9E3779B97F4A7C15ull * (c + 1);
      for (size_t j = c; j < lookups; j += connections) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        const size_t i = static_cast<size_t>(state >> 33) % messages;
        const std::string index = index_of(tag, i % connections, i);
        const std::string request = "GET /api/v1/messages?index=" + hex(as_bytes(index)) +
                                    " HTTP/1.1\r\n" + host_header + "\r\n";
        const auto start = Clock::now();
        const int status = connection.exchange(request);
        get_ms[c].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (status != 200) {
          failures += 1;
          if (status < 0) return;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double lookup_seconds = std::chrono::duration<double>(Clock::now() - lookup_start).count();

  std::vector<double> posts, gets;
  for (auto& v : post_ms) posts.insert(posts.end(), v.begin(), v.end());
  for (auto& v : get_ms) gets.insert(gets.end(), v.begin(), v.end());
  std::printf(
      "{\"connections\": %zu, \"messages\": %zu, \"ingest_per_second\": %.0f, \"post_p50_ms\": "
      "%.3f, "
      "\"post_p99_ms\": %.3f, \"lookups\": %zu, \"lookups_per_second\": %.0f, \"get_p50_ms\": "
      "%.3f, "
      "\"get_p99_ms\": %.3f, \"failures\": %zu}\n",
      connections, posts.size(), static_cast<double>(posts.size()) / ingest_seconds,
      percentile(posts, 0.5), percentile(posts, 0.99), gets.size(),
      static_cast<double>(gets.size()) / lookup_seconds, percentile(gets, 0.5),
      percentile(gets, 0.99), failures.load());
  return failures.load() == 0 ? 0 : 1;
}
