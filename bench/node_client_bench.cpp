// Our client's side of scripts/bench-node.sh: an author announces, then sends COUNT signed packets
// (256-byte masked payloads) through a node; prints one JSON line with the rate.
//   node_client_bench URL COUNT
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "iota_streams/channels/author.h"
#include "iota_streams/transports/curl_http.h"

using namespace iota_streams;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: node_client_bench URL [COUNT]\n");
    return 2;
  }
  const int count = argc > 2 ? std::atoi(argv[2]) : 50;
  auto node = transports::NodeTransport::connect(argv[1], {}, transports::make_curl_http_client());
  if (!node.ok()) {
    std::fprintf(stderr, "error: %s\n", node.error().message().c_str());
    return 1;
  }
  const auto seed =
      "bench ours " + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  channels::Author author(seed, channels::ChannelType::kSingleBranch, **node);
  auto link = author.send_announce();
  if (!link.ok()) {
    std::fprintf(stderr, "error: %s\n", link.error().message().c_str());
    return 1;
  }
  const std::vector<uint8_t> masked(256, 7);
  channels::Address last = *link;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    const uint8_t public_payload[] = {static_cast<uint8_t>(i)};
    auto sent = author.send_signed_packet(last, public_payload, masked);
    if (!sent.ok()) {
      std::fprintf(stderr, "error: %s\n", sent.error().message().c_str());
      return 1;
    }
    last = sent->msg_link;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"client\": \"ours\", \"messages\": %d, \"seconds\": %.3f, \"per_second\": %.1f}\n",
              count, seconds, count / seconds);
  return 0;
}
