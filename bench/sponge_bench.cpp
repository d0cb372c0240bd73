// Spongos and crypto throughput, reported next to the primitives they are made of so that results
// read as ratios measured in the same run (see docs/performance.md).
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <vector>

#include "iota_streams/crypto/keys.h"
#include "iota_streams/sponge/keccak.h"
#include "iota_streams/sponge/spongos.h"

namespace {

using namespace iota_streams;

void BM_KeccakF1600(benchmark::State& state) {
  uint8_t s[sponge::kKeccakStateBytes] = {};
  for (auto _ : state) {
    sponge::keccak_f1600(s);
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(state.iterations() * sponge::kRate);
}
BENCHMARK(BM_KeccakF1600);

void BM_SpongosEncrypt(benchmark::State& state) {
  std::vector<uint8_t> data(static_cast<size_t>(state.range(0)), 0x5a);
  sponge::Spongos s;
  for (auto _ : state) {
    s.encrypt(data, data);
    benchmark::DoNotOptimize(data.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SpongosEncrypt)->Arg(256)->Arg(4096);

// The reference for the spongos: SHA3-256's own permutation cost is the same Keccak; BLAKE2b from
// libsodium gives an outside yardstick for bytes hashed per second.
void BM_Blake2bReference(benchmark::State& state) {
  std::vector<uint8_t> data(static_cast<size_t>(state.range(0)), 0x5a);
  uint8_t out[32];
  for (auto _ : state) {
    crypto_generichash(out, sizeof out, data.data(), data.size(), nullptr, 0);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Blake2bReference)->Arg(256)->Arg(4096);

void BM_StreamsSign(benchmark::State& state) {
  const auto keys = crypto::user_keys_from_seed("BENCH");
  Bytes<64> hash{};
  for (auto _ : state) benchmark::DoNotOptimize(keys.signing.sign_streams(hash));
}
BENCHMARK(BM_StreamsSign);

void BM_LibsodiumSignReference(benchmark::State& state) {
  uint8_t pk[32], sk[64], sig[64], msg[64] = {};
  crypto_sign_keypair(pk, sk);
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, msg, sizeof msg, sk);
    benchmark::DoNotOptimize(sig);
  }
}
BENCHMARK(BM_LibsodiumSignReference);

void BM_StreamsVerify(benchmark::State& state) {
  const auto keys = crypto::user_keys_from_seed("BENCH");
  Bytes<64> hash{};
  const auto sig = keys.signing.sign_streams(hash);
  for (auto _ : state)
    benchmark::DoNotOptimize(crypto::ed25519_verify_streams(keys.signing.public_key(), hash, sig));
}
BENCHMARK(BM_StreamsVerify);

void BM_LibsodiumVerifyReference(benchmark::State& state) {
  uint8_t pk[32], sk[64], sig[64], msg[64] = {};
  crypto_sign_keypair(pk, sk);
  crypto_sign_detached(sig, nullptr, msg, sizeof msg, sk);
  for (auto _ : state)
    benchmark::DoNotOptimize(crypto_sign_verify_detached(sig, msg, sizeof msg, pk));
}
BENCHMARK(BM_LibsodiumVerifyReference);

}  // namespace
