// An out-of-tree C++ program built against an installed iota-streams (tests/install/run.sh): an
// author writes a signed packet into a local store file (SQLite), a subscriber reads it back.
#include <cstdio>
#include <string>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/store.h"

namespace ch = iota_streams::channels;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s STORE_FILE\n", argv[0]);
    return 2;
  }
  auto transport = iota_streams::transports::StoreTransport::open(argv[1]);
  if (!transport) {
    std::fprintf(stderr, "store: %s\n", transport.error().message().c_str());
    return 1;
  }
  ch::Author author("install test author seed", ch::ChannelType::kSingleBranch, **transport);
  auto announcement = author.send_announce();
  if (!announcement) return 1;
  const std::string text = "hello from an installed library";
  const iota_streams::ByteSpan masked(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  auto packet = author.send_signed_packet(*announcement, {}, masked);
  if (!packet) {
    std::fprintf(stderr, "send: %s\n", packet.error().message().c_str());
    return 1;
  }

  ch::Subscriber subscriber("install test subscriber seed", **transport);
  if (auto received = subscriber.receive_announcement(*announcement); !received) {
    std::fprintf(stderr, "announce: %s\n", received.error().message().c_str());
    return 1;
  }
  const auto fetched = subscriber.fetch_all_next_msgs();
  for (const auto& message : fetched.messages) {
    if (std::string(message.masked_payload.begin(), message.masked_payload.end()) == text) {
      std::printf("C++ CONSUMER OK: read \"%s\"\n", text.c_str());
      return 0;
    }
  }
  std::fprintf(stderr, "the subscriber did not read the packet\n");
  return 1;
}
