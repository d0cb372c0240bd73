// Fuzz target: the Chrysalis message parser that streams-node and the node transport run on bytes
// from the network. Any input: no crash; a message that parses with an indexation payload is
// written back byte for byte by write_message from its parts; its PoW score is computable. A valid
// message (two parents, an index, data) is written as a seed to the folder named by
// STREAMS_FUZZ_SEEDS.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "iota_streams/transports/chrysalis.h"

namespace chrysalis = iota_streams::transports::chrysalis;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* folder = std::getenv("STREAMS_FUZZ_SEEDS");
  if (folder == nullptr) return 0;
  chrysalis::MessageId parents[2]{};
  parents[0].fill(0x11);
  parents[1].fill(0x22);
  const uint8_t index[] = {'s', 'e', 'e', 'd'};
  const uint8_t data[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<uint8_t> message(chrysalis::message_size(2, sizeof index, sizeof data));
  if (!chrysalis::write_message(0x1234, parents, index, data, 42, message).ok()) std::abort();
  std::filesystem::create_directories(folder);
  std::ofstream(std::filesystem::path(folder) / "indexation", std::ios::binary)
      .write(reinterpret_cast<const char*>(message.data()),
             static_cast<std::streamsize>(message.size()));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const iota_streams::ByteSpan message(data, size);
  const auto view = chrysalis::parse_message(message);
  if (!view.ok()) {
    if (view.error().message().empty()) std::abort();
    return 0;
  }
  if (chrysalis::pow_score(message) < 0) std::abort();
  if (!view->has_payload || view->payload_type != chrysalis::kIndexationPayloadType) return 0;
  std::vector<uint8_t> rewritten(
      chrysalis::message_size(view->parent_count, view->index.size(), view->data.size()));
  const auto written =
      chrysalis::write_message(view->network_id, std::span(view->parents, view->parent_count),
                               view->index, view->data, view->nonce, rewritten);
  if (!written.ok() || *written != size || !std::equal(rewritten.begin(), rewritten.end(), data)) {
    std::fprintf(stderr, "a parsed message does not write back to the same bytes\n");
    std::abort();
  }
  return 0;
}
