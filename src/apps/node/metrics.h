// What streams-node counts, rendered in the Prometheus text format (version 0.0.4) at /metrics:
// requests by route and status, ingest latency (POST to durable answer), group-commit sizes, and
// the gauges read when rendered (stored messages, tips, open connections). Safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace iota_streams::node {

class Metrics {
 public:
  void request(std::string_view route, int status);
  void ingest(double seconds);
  void group_commit(size_t messages);

  struct Gauges {
    uint64_t stored_messages = 0;
    size_t tips = 0;
    size_t open_connections = 0;
  };
  std::string render(const Gauges& gauges) const;

 private:
  // A cumulative histogram: counts[i] is the number of observations <= bounds[i]; the last is +Inf.
  template <size_t N>
  struct Histogram {
    std::array<double, N> bounds;
    std::array<uint64_t, N + 1> counts{};
    double sum = 0;
    void observe(double value);
    void render(std::string& out, std::string_view name, std::string_view help) const;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  Histogram<13> ingest_{
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}};
  Histogram<13> groups_{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096}};
};

}  // namespace iota_streams::node
