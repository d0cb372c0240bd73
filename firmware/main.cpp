// The original proof-of-concept flow, bare-metal on an emulated board (board.h: Cortex-M4 or RISC-V), over the bucket
// transport: every step printed with the instructions it took, then the figures the issue asks for
// (peak stack, peak heap, instructions to send and to receive one signed packet with a 256-byte masked
// payload, next to one libsodium Ed25519 signature and verification). Output goes to the host through
// semihosting; main's return value becomes QEMU's exit status.
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "board.h"
#include "flow.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/transports/bucket.h"

namespace {

using namespace iota_streams;

unsigned long long count(uint64_t value) { return static_cast<unsigned long long>(value); }

class PrintingObserver : public apps::FlowObserver {
 public:
  void begin(const char* step) override {
    std::printf("%s...\n", step);
    overall_stack_ = std::max(overall_stack_, board::peak_stack_bytes());
    board::paint_stack();  // each step's own high-water mark
    started_ = board::instructions();
  }
  void done(const char* step, const std::string& detail) override {
    const uint64_t instructions = board::instructions() - started_;
    std::printf("  %s: %s [%llu instructions, %u bytes of stack]\n", step, detail.c_str(), count(instructions),
                static_cast<unsigned>(board::peak_stack_bytes()));
  }
  size_t peak_stack() const { return std::max(overall_stack_, board::peak_stack_bytes()); }
  void failed(const char* step, const std::string& reason) override {
    std::printf("FAILED %s: %s\n", step, reason.c_str());
  }

 private:
  uint64_t started_ = 0;
  size_t overall_stack_ = 0;
};

struct Costs {
  uint64_t send_signed = 0, receive_signed = 0, sodium_sign = 0, sodium_verify = 0;
};

template <class F>
uint64_t measure(F&& f) {
  const uint64_t start = board::instructions();
  f();
  return board::instructions() - start;
}

// One signed packet with a 256-byte masked payload, sent and received on a fresh channel; and the
// libsodium operations it cannot avoid (one signature, one verification). Not inlined: its users and
// transport would otherwise sit in main's frame under the whole flow.
[[gnu::noinline]] bool measure_signed_packet(Costs& costs) {
  transports::BucketTransport bucket;
  channels::Author author("FIRMWARE MEASURE AUTHOR", channels::ChannelType::kSingleBranch, bucket);
  channels::Subscriber subscriber("FIRMWARE MEASURE SUBSCRIBER", bucket);
  auto announce = author.send_announce();
  if (!announce.ok() || !subscriber.receive_announcement(*announce).ok()) return false;
  auto subscription = subscriber.send_subscribe(*announce);
  if (!subscription.ok() || !author.receive_subscribe(*subscription).ok()) return false;
  auto keyload = author.send_keyload_for_everyone(*announce);
  if (!keyload.ok() || !subscriber.receive_keyload(keyload->msg_link).ok()) return false;

  const std::vector<uint8_t> masked(256, 0x5a);
  const uint8_t public_payload[] = {'p'};
  Result<channels::MessageLinks> sent = Error(Errc::kInternal, "not sent");
  costs.send_signed = measure([&] { sent = author.send_signed_packet(keyload->msg_link, public_payload, masked); });
  if (!sent.ok()) return false;
  Result<channels::SignedPayloads> read = Error(Errc::kInternal, "not read");
  costs.receive_signed = measure([&] { read = subscriber.receive_signed_packet(sent->msg_link); });
  if (!read.ok() || read->masked_payload != masked) return false;

  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], seed[crypto_sign_SEEDBYTES] = {1};
  crypto_sign_seed_keypair(pk, sk, seed);
  unsigned char message[64] = {2}, signature[crypto_sign_BYTES];
  costs.sodium_sign = measure([&] { crypto_sign_detached(signature, nullptr, message, sizeof message, sk); });
  int verified = -1;
  costs.sodium_verify = measure([&] { verified = crypto_sign_verify_detached(signature, message, sizeof message, pk); });
  sodium_memzero(sk, sizeof sk);
  return verified == 0;
}

}  // namespace

int main() {
  board::paint_stack();
  board::start_counter();
  std::printf("iota-streams-cpp firmware: %s, %u KiB RAM, %u KiB stack region\n", board::description(),
              static_cast<unsigned>(board::ram_size() / 1024), static_cast<unsigned>(board::stack_size() / 1024));
  std::printf("instruction counter calibration: %.3f (measured / expected on a known loop)\n", board::calibrate());
  board::install_platform();
  if (sodium_init() < 0) {
    std::printf("FAILED: sodium_init\n");
    return 1;
  }

  board::reset_heap_peak();
  PrintingObserver observer;
  apps::FlowOptions options;  // single-branch, random seeds from the board's DRBG
  const uint64_t flow_start = board::instructions();
  const bool flow_ok = apps::run_original_flow(options, observer);
  const uint64_t flow_instructions = board::instructions() - flow_start;
  const size_t flow_heap = board::heap_peak();
  if (!flow_ok) {
    std::printf("FLOW FAILED\n");
    return 1;
  }
  std::printf("FLOW COMPLETED in %llu instructions\n", count(flow_instructions));

  Costs costs;
  if (!measure_signed_packet(costs)) {
    std::printf("FAILED: measuring one signed packet\n");
    return 1;
  }
  std::printf("peak_stack_bytes=%u\n", static_cast<unsigned>(std::max(observer.peak_stack(), board::peak_stack_bytes())));
  std::printf("peak_heap_bytes=%u\n", static_cast<unsigned>(flow_heap));
  std::printf("peak_heap_bytes_with_measurements=%u\n", static_cast<unsigned>(board::heap_peak()));
  std::printf("instructions_send_signed=%llu\n", count(costs.send_signed));
  std::printf("instructions_receive_signed=%llu\n", count(costs.receive_signed));
  std::printf("instructions_libsodium_sign=%llu\n", count(costs.sodium_sign));
  std::printf("instructions_libsodium_verify=%llu\n", count(costs.sodium_verify));
  std::printf("instructions_flow=%llu\n", count(flow_instructions));
  return 0;
}
