// Reading a signed packet (256-byte masked payload) in a hostile network, reported as ratios
// measured in the same run:
//  - the read when the address holds one message, against what reading cost before candidates were
//    taken (one message fetched, its header parsed, its content unwrapped and verified: the
//    protocol's own work, read here through the library's message layer);
//  - the read with 1, 4, 16 and 64 junk candidates beside the message, the extra cost per junk
//  candidate
//    in units of one header parse of the message (the issue asks for at most one parse each).
// Junk: random bytes of the message's length (what a squatter posts; it fails in the header). Times
// are CPU times per read, the fastest of the repetitions (run with --benchmark_repetitions=5).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"
#include "messages.h"

namespace {

using namespace iota_streams;
using namespace iota_streams::channels;

struct Setup {
  transports::BucketTransport bucket;
  Author author{"BENCH-AUTHOR", ChannelType::kSingleBranch, bucket};
  Subscriber reader{"BENCH-READER", bucket};
  Address packet;
  MessageBytes bytes;

  Setup() {
    const Address announce = author.send_announce().value();
    (void)reader.receive_announcement(announce);
    (void)author.receive_subscribe(reader.send_subscribe(announce).value());
    const Address keyload = author.send_keyload_for_everyone(announce).value().msg_link;
    (void)reader.receive_keyload(keyload);
    const std::vector<uint8_t> public_payload(16, 0x11), masked_payload(256, 0x22);
    packet = author.send_signed_packet(keyload, public_payload, masked_payload).value().msg_link;
    bytes = bucket.recv_message(packet).value();
  }
};

Setup& setup() {
  static Setup s;
  return s;
}

// A bucket holding the packet and `junk` random candidates at its address (and the rest of the
// channel).
transports::BucketTransport with_junk(size_t junk) {
  transports::BucketTransport bucket;
  for (const auto& [link, bytes] : setup().bucket.all()) (void)bucket.send_message(link, bytes);
  std::mt19937 random(7);
  for (size_t i = 0; i < junk; ++i) {
    MessageBytes noise(setup().bytes.size());
    for (auto& b : noise) b = static_cast<uint8_t>(random());
    (void)bucket.send_message(setup().packet, noise);
  }
  return bucket;
}

// The reference: the protocol's work for one message, as a reader did it before (one fetch, a
// strict header parse, the content unwrapped and its signature verified, the payloads copied out).
void BM_ReadBeforeCandidates(benchmark::State& state) {
  auto& s = setup();
  const LinkStore& store = s.reader.state().link_store;
  for (auto _ : state) {
    MessageBytes bytes = s.bucket.recv_message(s.packet).value();
    auto pre = message::Preparsed::parse(bytes, s.packet, message::Strictness::kStrict).value();
    messages::SignedPacket content;
    content.store = &store;
    sponge::Inner inner;
    if (!pre.unwrap_content(content, inner).ok()) state.SkipWithError("unwrap failed");
    std::vector<uint8_t> public_payload(content.public_payload.begin(),
                                        content.public_payload.end());
    std::vector<uint8_t> masked_payload(content.masked_payload.begin(),
                                        content.masked_payload.end());
    benchmark::DoNotOptimize(masked_payload.data());
  }
}
BENCHMARK(BM_ReadBeforeCandidates);

// One header parse of the message: the unit of "each extra junk candidate costs at most one parse".
void BM_HeaderParse(benchmark::State& state) {
  auto& s = setup();
  for (auto _ : state) {
    MessageBytes bytes = s.bytes;
    benchmark::DoNotOptimize(
        message::Preparsed::parse(bytes, s.packet, message::Strictness::kStrict).ok());
  }
}
BENCHMARK(BM_HeaderParse);

// receive_signed_packet with the message and state.range(0) junk candidates at its address. Reading
// it again is the same work each time (cursors only move forward).
void BM_ReceiveSigned(benchmark::State& state) {
  auto bucket = with_junk(static_cast<size_t>(state.range(0)));
  Subscriber reader = setup().reader;
  reader.set_transport(bucket);
  for (auto _ : state) {
    auto read = reader.receive_signed_packet(setup().packet);
    if (!read.ok()) state.SkipWithError(read.error().message().c_str());
    benchmark::DoNotOptimize(read);
  }
}
BENCHMARK(BM_ReceiveSigned)->Arg(0)->Arg(1)->Arg(4)->Arg(16)->Arg(64);

// Collects the time per iteration of each run to print the ratios after the table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      // The fastest repetition (--benchmark_repetitions): others on a shared machine only slow a
      // run down.
      if (run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
      const double ns = run.GetAdjustedCPUTime();
      auto [it, added] = ns_.emplace(run.run_name.str(), ns);
      if (!added && ns < it->second) it->second = ns;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double ns(const std::string& name) const {
    auto it = ns_.find(name);
    return it == ns_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double before = reporter.ns("BM_ReadBeforeCandidates"),
               parse = reporter.ns("BM_HeaderParse");
  const double one = reporter.ns("BM_ReceiveSigned/0");
  if (before > 0 && one > 0) {
    std::printf(
        "\nreceive_signed_packet, one message at the address: %.3fx the read before candidates"
        " (%.1f us vs %.1f us; one header parse %.1f us)\n",
        one / before, one / 1e3, before / 1e3, parse / 1e3);
  }
  for (int junk : {1, 4, 16, 64}) {  // the larger counts give the steadier figure per candidate
    const double t = reporter.ns("BM_ReceiveSigned/" + std::to_string(junk));
    if (t > 0 && one > 0 && parse > 0) {
      std::printf(
          "with %2d junk candidates: %.3fx one message; each junk candidate costs %.2f header "
          "parses\n",
          junk, t / one, (t - one) / junk / parse);
    }
  }
  benchmark::Shutdown();
  return 0;
}
