// TIP-12 proof of work: nonces per second of the bit-sliced search (what do_pow runs), next to the
// scalar Curl-P-81 it replaces, measured in the same run so that the result reads as a ratio.
#include <benchmark/benchmark.h>

#include "iota_streams/transports/chrysalis.h"
#include "pow.h"

namespace {

using namespace iota_streams::transports::chrysalis;

iota_streams::Bytes<32> bench_digest() {
  iota_streams::Bytes<32> digest{};
  for (size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<uint8_t>(i * 29 + 3);
  return digest;
}

// The reference: one nonce at a time through the trit-by-trit Curl.
void BM_PowScalarCurlReference(benchmark::State& state) {
  const auto digest = bench_digest();
  uint64_t nonce = 0;
  for (auto _ : state) benchmark::DoNotOptimize(pow::trailing_zeros(digest, nonce++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PowScalarCurlReference);

// The search itself, asked for more zeros than any nonce gives, so it tries exactly `range` nonces.
void BM_PowSlicedSearch(benchmark::State& state) {
  const auto digest = bench_digest();
  const auto nonces = static_cast<uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(pow::search_nonce(digest, pow::kHashTrits, nonces));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PowSlicedSearch)->Arg(4096);

}  // namespace
