// What the C API's heap reserve (src/bindings/heap_headroom.h) costs, as ratios measured in the
// same run against reading a signed packet (256-byte masked payload) through the C++ API:
//  - the same read through the C API (its reserve, kept by the thread between calls on hosts);
//  - the reserve alone, kept (what each call pays on a host);
//  - the reserve alone, taken afresh each time (what each call pays on a device, which frees it;
//    here with the host's limits, 8.6 MB in 16 pieces, and with ESP-IDF's Kconfig defaults).
// Times are CPU times per call, the fastest of the repetitions (run with
// --benchmark_repetitions=5).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "handles.h"
#include "heap_headroom.h"
#include "iota_streams/channels.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"

namespace {

using namespace iota_streams;
using bindings::HeapHeadroom;

struct Setup {
  streams_transport_t* transport = streams_transport_new();
  streams_author_t* author = nullptr;
  streams_subscriber_t* reader = nullptr;
  streams_address_t* packet = nullptr;

  Setup() {
    (void)streams_auth_new(&author, "BENCH-AUTHOR", STREAMS_SINGLE_BRANCH, transport);
    (void)streams_sub_new(&reader, "BENCH-READER", transport);
    streams_address_t *announce = nullptr, *subscription = nullptr;
    (void)streams_auth_send_announce(&announce, author);
    (void)streams_sub_receive_announce(reader, announce);
    (void)streams_sub_send_subscribe(&subscription, reader, announce);
    (void)streams_auth_receive_subscribe(author, subscription);
    streams_message_links_t keyload{}, sent{};
    (void)streams_auth_send_keyload_for_everyone(&keyload, author, announce);
    uint8_t access = 0;
    (void)streams_sub_receive_keyload(&access, reader, keyload.msg_link);
    const uint8_t public_payload[16] = {0x11}, masked_payload[256] = {0x22};
    (void)streams_auth_send_signed_packet(&sent, author, keyload, public_payload,
                                          sizeof public_payload, masked_payload,
                                          sizeof masked_payload);
    (void)streams_address_copy(&packet, sent.msg_link);
    streams_drop_links(sent);
    streams_drop_links(keyload);
    streams_drop_address(subscription);
    streams_drop_address(announce);
  }
};

Setup& setup() {
  static Setup s;
  return s;
}

channels::Address packet_address() {
  char text[STREAMS_ADDRESS_STR_SIZE];
  (void)streams_get_address_str(text, sizeof text, setup().packet);
  return channels::Address::parse(text).value();
}

void BM_ReadCpp(benchmark::State& state) {
  auto& reader = setup().reader->user;
  const auto link = packet_address();
  for (auto _ : state) {
    auto read = reader.receive_signed_packet(link);
    if (!read.ok()) state.SkipWithError("read failed");
    benchmark::DoNotOptimize(read);
  }
}
BENCHMARK(BM_ReadCpp);

void BM_ReadC(benchmark::State& state) {
  for (auto _ : state) {
    streams_packet_payloads_t payloads{};
    if (streams_sub_receive_signed_packet(&payloads, setup().reader, setup().packet) !=
        STREAMS_ERR_OK)
      state.SkipWithError("read failed");
    streams_drop_payloads(payloads);
  }
}
BENCHMARK(BM_ReadC);

void BM_ReserveKept(benchmark::State& state) {
  const auto room = bindings::headroom_for(setup().reader->user);
  for (auto _ : state) {
    HeapHeadroom guard(room);
    benchmark::DoNotOptimize(guard.ok());
  }
}
BENCHMARK(BM_ReserveKept);

// Each reserve taken afresh: the allocator is set again, which drops the one kept.
void reserve_afresh(benchmark::State& state, const bindings::Headroom& room) {
  for (auto _ : state) {
    HeapHeadroom::set_reserve_allocator({&std::malloc, &std::free});
    HeapHeadroom guard(room);
    benchmark::DoNotOptimize(guard.ok());
  }
}

void BM_ReserveAfreshHostLimits(benchmark::State& state) {
  reserve_afresh(state, bindings::headroom_for(setup().reader->user));
}
BENCHMARK(BM_ReserveAfreshHostLimits);

void BM_ReserveAfreshDeviceLimits(benchmark::State& state) {
  channels::UserOptions device;
  device.max_links = 64;
  device.max_identities = 16;
  device.max_message_bytes = 4096;
  device.max_candidates = 16;
  reserve_afresh(state, bindings::headroom_for(device, 4096));
}
BENCHMARK(BM_ReserveAfreshDeviceLimits);

// Prints each benchmark's fastest CPU time and the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      const std::string name = run.benchmark_name().substr(0, run.benchmark_name().find('/'));
      const double ns = run.GetAdjustedCPUTime();
      auto [it, fresh] = fastest_.try_emplace(name, ns);
      if (!fresh && ns < it->second) it->second = ns;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double read = fastest_["BM_ReadCpp"];
    if (read <= 0) return;
    std::printf("\nthe C API's heap reserve, against a read through the C++ API (%.1f us):\n",
                read / 1000);
    for (const char* name : {"BM_ReadC", "BM_ReserveKept", "BM_ReserveAfreshHostLimits",
                             "BM_ReserveAfreshDeviceLimits"}) {
      std::printf("  %-30s %10.3f us  %6.3fx\n", name, fastest_[name] / 1000,
                  fastest_[name] / read);
    }
  }

 private:
  std::map<std::string, double> fastest_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
