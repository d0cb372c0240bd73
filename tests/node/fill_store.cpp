// Fills a node's SQLite store directly (not over HTTP), fast: COUNT indexation messages with unique
// data, each the child of the one before (so the store has one tip, as in normal use), handed to
// the store's group commit. For the tests and benchmarks that need a large database.
//   fill_store DB COUNT [NETWORK_NAME]
// Prints the number of messages stored.
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "iota_streams/transports/store.h"

using namespace iota_streams;
using namespace iota_streams::transports;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fill_store DB COUNT [NETWORK_NAME]\n");
    return 2;
  }
  uint64_t count = 0;
  const std::string count_text = argv[2];
  if (std::from_chars(count_text.data(), count_text.data() + count_text.size(), count).ec !=
      std::errc()) {
    std::fprintf(stderr, "fill_store: COUNT must be a whole number\n");
    return 2;
  }
  const uint64_t network =
      chrysalis::network_id(argc > 3 ? argv[3] : std::string(kLocalNetworkName));
  auto store = MessageStore::open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "fill_store: %s\n", store.error().message().c_str());
    return 1;
  }
  auto tips = (*store)->tips(1);
  chrysalis::MessageId parent =
      tips.ok() && !tips->empty() ? tips->front() : chrysalis::MessageId{};
  std::atomic<uint64_t> done{0}, failed{0};
  for (uint64_t i = 0; i < count; ++i) {
    const std::string index = "fill-" + std::to_string(i % 1000);
    const std::string data = "fill message " + std::to_string(i) + " " + std::to_string(network);
    const std::vector<chrysalis::MessageId> parents{parent};
    std::vector<uint8_t> raw(chrysalis::message_size(1, index.size(), data.size()));
    const auto size =
        chrysalis::write_message(network, parents, as_bytes(index), as_bytes(data), 0, raw);
    if (!size.ok()) {
      std::fprintf(stderr, "fill_store: %s\n", size.error().message().c_str());
      return 1;
    }
    raw.resize(*size);
    StoredMessage message;
    message.id = chrysalis::message_id(raw);
    message.index = std::vector<uint8_t>(index.begin(), index.end());
    message.parents = parents;
    message.raw = std::move(raw);
    parent = message.id;
    (*store)->put_async(std::move(message), [&](Result<bool> stored) {
      if (!stored.ok()) failed += 1;
      done += 1;
    });
    while (i + 1 - done.load() > 20000)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // bounded memory
  }
  while (done.load() < count) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (failed.load() > 0) {
    std::fprintf(stderr, "fill_store: %llu messages not stored\n",
                 static_cast<unsigned long long>(failed.load()));
    return 1;
  }
  std::printf("%llu\n", static_cast<unsigned long long>(*(*store)->count()));
  return 0;
}
