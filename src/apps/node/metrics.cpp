#include "metrics.h"

#include <charconv>

namespace iota_streams::node {
namespace {

std::string number(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed)
                       .ptr;  // 0.0005, 1, 2.5
  return std::string(text, end);
}

// A label value: backslash, quote and newline escaped, as the text format requires.
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? 'n' : c;
  }
  return out;
}

}  // namespace

template <size_t N>
void Metrics::Histogram<N>::observe(double value) {
  size_t i = 0;
  while (i < N && value > bounds[i]) ++i;
  counts[i] += 1;
  sum += value;
}

template <size_t N>
void Metrics::Histogram<N>::render(std::string& out, std::string_view name,
                                   std::string_view help) const {
  const std::string n(name);
  out += "# HELP " + n + " " + std::string(help) + "\n# TYPE " + n + " histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < N; ++i) {
    cumulative += counts[i];
    out += n + "_bucket{le=\"" + number(bounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += counts[N];
  out += n + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += n + "_sum " + number(sum) + "\n" + n + "_count " + std::to_string(cumulative) + "\n";
}

void Metrics::request(std::string_view route, int status) {
  std::lock_guard lock(mutex_);
  requests_[{std::string(route), status}] += 1;
}

void Metrics::ingest(double seconds) {
  std::lock_guard lock(mutex_);
  ingest_.observe(seconds);
}

void Metrics::group_commit(size_t messages) {
  std::lock_guard lock(mutex_);
  groups_.observe(static_cast<double>(messages));
}

std::string Metrics::render(const Gauges& gauges) const {
  std::string out;
  std::lock_guard lock(mutex_);
  out +=
      "# HELP streams_node_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE streams_node_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "streams_node_requests_total{route=\"" + label(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  ingest_.render(out, "streams_node_ingest_seconds",
                 "Time from a message's POST to its durable 201 answer.");
  groups_.render(out, "streams_node_group_commit_messages",
                 "Messages committed together in one transaction and sync.");
  out +=
      "# HELP streams_node_stored_messages Messages in the storage.\n# TYPE "
      "streams_node_stored_messages gauge\n"
      "streams_node_stored_messages " +
      std::to_string(gauges.stored_messages) + "\n";
  out +=
      "# HELP streams_node_tips Tips offered as parents to new messages (at most 8).\n# TYPE "
      "streams_node_tips gauge\n"
      "streams_node_tips " +
      std::to_string(gauges.tips) + "\n";
  out +=
      "# HELP streams_node_open_connections Open HTTP connections.\n# TYPE "
      "streams_node_open_connections gauge\n"
      "streams_node_open_connections " +
      std::to_string(gauges.open_connections) + "\n";
  return out;
}

}  // namespace iota_streams::node
