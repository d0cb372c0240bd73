// The original proof-of-concept flow, bare-metal on an emulated board (board.h: Cortex-M4 or
// RISC-V), over the bucket transport: every step printed with the instructions it took, the users'
// state saved to the board's flash after every step (device_flash.h, channels/device_state.h) and
// both users "rebooted" (restored from flash) at several points; then the figures the issue asks
// for (peak stack, peak heap, instructions to send and to receive one signed packet with a 256-byte
// masked payload, next to one libsodium Ed25519 signature and verification). Output goes to the
// host through semihosting; main's return value becomes QEMU's exit status.
//
// Built twice (firmware/CMakeLists.txt): streams_firmware with the device state, and
// streams_firmware_flow (STREAMS_FIRMWARE_DEVICE_STATE=0) with the flow alone, whose code is
// measured against the 64 KiB budget.
//
// A second mode, chosen by the file firmware-mode.txt in QEMU's directory ("power-cut N"), proves
// that a power cut during a save leaves the old or the new state: see power_cut_boot() below.
#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "board.h"
#include "device_flash.h"
#include "flow.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/device_state.h"
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
    std::printf("  %s: %s [%llu instructions, %u bytes of stack]\n", step, detail.c_str(),
                count(instructions), static_cast<unsigned>(board::peak_stack_bytes()));
  }
  size_t peak_stack() const { return std::max(overall_stack_, board::peak_stack_bytes()); }
  void failed(const char* step, const std::string& reason) override {
    std::printf("FAILED %s: %s\n", step, reason.c_str());
  }

 private:
  uint64_t started_ = 0;
  size_t overall_stack_ = 0;
};

#if STREAMS_FIRMWARE_DEVICE_STATE
// The emulated board has no eFuse or NVS encryption to take a device key from: a fixed one (the
// same on every boot, as a device's is).
channels::DeviceKey device_key() {
  Bytes<channels::kDeviceKeySize> key;
  crypto_generichash(key.data(), key.size(),
                     reinterpret_cast<const uint8_t*>("emulated board device key"), 25, nullptr, 0);
  return channels::DeviceKey(key);
}

// Saves both users after every step and restores them from flash ("reboots") after a few.
class DeviceObserver : public PrintingObserver {
 public:
  DeviceObserver()
      : author_flash_("author-state.flash"),
        subscriber_flash_("subscriber-state.flash"),
        author_store_(author_flash_, device_key()),
        subscriber_store_(subscriber_flash_, device_key()) {}
  bool flash_ok() const { return author_flash_.ok() && subscriber_flash_.ok(); }

  bool checkpoint(const char* step, std::unique_ptr<channels::Author>& author,
                  std::unique_ptr<channels::Subscriber>& subscriber,
                  channels::Transport& transport) override {
    const uint64_t start = board::instructions();
    if (author) {
      if (auto saved = author_store_.save(*author); !saved.ok())
        return refuse(step, "saving the author", saved.error());
    }
    if (subscriber) {
      if (auto saved = subscriber_store_.save(*subscriber); !saved.ok()) {
        return refuse(step, "saving the subscriber", saved.error());
      }
    }
    save_instructions_ += board::instructions() - start;
    ++saves_;
    if (!reboot_after(step) || !author || !subscriber) return true;
    // A reboot: nothing survives but the flash.
    author.reset();
    subscriber.reset();
    const uint64_t restore_start = board::instructions();
    auto restored_author = restore<channels::Author>(author_flash_, transport);
    if (!restored_author.ok()) return refuse(step, "restoring the author", restored_author.error());
    auto restored_subscriber = restore<channels::Subscriber>(subscriber_flash_, transport);
    if (!restored_subscriber.ok())
      return refuse(step, "restoring the subscriber", restored_subscriber.error());
    restore_instructions_ = board::instructions() - restore_start;
    author = std::move(restored_author).value();
    subscriber = std::move(restored_subscriber).value();
    ++reboots_;
    std::printf(
        "  REBOOT: author and subscriber restored from flash (states #%u, #%u) [%llu instructions, "
        "%u bytes of stack]\n",
        static_cast<unsigned>(author_store_.sequence()),
        static_cast<unsigned>(subscriber_store_.sequence()), count(restore_instructions_),
        static_cast<unsigned>(board::peak_stack_bytes()));
    return true;
  }

  unsigned saves() const { return saves_; }
  unsigned reboots() const { return reboots_; }
  uint64_t save_instructions() const { return saves_ ? save_instructions_ / saves_ : 0; }
  uint64_t restore_instructions() const { return restore_instructions_; }

 private:
  // A fresh store, as after a reboot, reads the user back; on the heap at once (the stack is
  // scarce).
  template <class User>
  [[gnu::noinline]] static Result<std::unique_ptr<User>> restore(board::SemihostFlash& flash,
                                                                 channels::Transport& transport) {
    channels::DeviceStateStore store(flash, device_key());
    if constexpr (std::is_same_v<User, channels::Author>) {
      STREAMS_ASSIGN_OR_RETURN(auto user, store.load_author(transport));
      return std::make_unique<User>(std::move(user));
    } else {
      STREAMS_ASSIGN_OR_RETURN(auto user, store.load_subscriber(transport));
      return std::make_unique<User>(std::move(user));
    }
  }

  static bool reboot_after(const char* step) {
    for (const char* point :
         {"SUBSCRIBER SUBSCRIPTION MESSAGE SENT", "AUTHOR SENT KEYLOAD TO EVERYONE",
          "TAGGED PACKET SENT", "SUBSCRIBER SENT SIGNED PACKET"}) {
      if (std::strcmp(step, point) == 0) return true;
    }
    return false;
  }
  bool refuse(const char* step, const char* what, const Error& error) {
    failed(step, std::string(what) + ": " + error.message());
    return false;
  }

  board::SemihostFlash author_flash_, subscriber_flash_;
  channels::DeviceStateStore author_store_, subscriber_store_;
  uint64_t save_instructions_ = 0, restore_instructions_ = 0;
  unsigned saves_ = 0, reboots_ = 0;
};

#endif  // STREAMS_FIRMWARE_DEVICE_STATE

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
// libsodium operations it cannot avoid (one signature, one verification). Not inlined: its users
// and transport would otherwise sit in main's frame under the whole flow.
[[gnu::noinline]] bool measure_signed_packet(Costs& costs) {
  // The users and their transport on the heap: this frame sits under every measured call, and the
  // stack budget is for the flow, not for the measurement's own locals.
  auto bucket_holder = std::make_unique<transports::BucketTransport>();
  auto author_holder = std::make_unique<channels::Author>(
      "FIRMWARE MEASURE AUTHOR", channels::ChannelType::kSingleBranch, *bucket_holder);
  auto subscriber_holder =
      std::make_unique<channels::Subscriber>("FIRMWARE MEASURE SUBSCRIBER", *bucket_holder);
  channels::Author& author = *author_holder;
  channels::Subscriber& subscriber = *subscriber_holder;
  auto announce = author.send_announce();
  if (!announce.ok() || !subscriber.receive_announcement(*announce).ok()) return false;
  auto subscription = subscriber.send_subscribe(*announce);
  if (!subscription.ok() || !author.receive_subscribe(*subscription).ok()) return false;
  auto keyload = author.send_keyload_for_everyone(*announce);
  if (!keyload.ok() || !subscriber.receive_keyload(keyload->msg_link).ok()) return false;

  const std::vector<uint8_t> masked(256, 0x5a);
  const uint8_t public_payload[] = {'p'};
  Result<channels::MessageLinks> sent = Error(Errc::kInternal, "not sent");
  costs.send_signed =
      measure([&] { sent = author.send_signed_packet(keyload->msg_link, public_payload, masked); });
  if (!sent.ok()) return false;
  Result<channels::SignedPayloads> read = Error(Errc::kInternal, "not read");
  costs.receive_signed = measure([&] { read = subscriber.receive_signed_packet(sent->msg_link); });
  if (!read.ok() || read->masked_payload != masked) return false;

  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES],
      seed[crypto_sign_SEEDBYTES] = {1};
  crypto_sign_seed_keypair(pk, sk, seed);
  unsigned char message[64] = {2}, signature[crypto_sign_BYTES];
  costs.sodium_sign =
      measure([&] { crypto_sign_detached(signature, nullptr, message, sizeof message, sk); });
  int verified = -1;
  costs.sodium_verify = measure(
      [&] { verified = crypto_sign_verify_detached(signature, message, sizeof message, pk); });
  sodium_memzero(sk, sizeof sk);
  return verified == 0;
}

#if STREAMS_FIRMWARE_DEVICE_STATE
// A digest of what a user's state holds (links, cursors), to tell two states apart across boots.
std::string fingerprint(const channels::UserState& state) {
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, 16);
  for (const auto& e : state.link_store.entries()) {
    crypto_generichash_update(&h, e.msgid.bytes.data(), e.msgid.bytes.size());
    crypto_generichash_update(&h, e.inner.data(), e.inner.size());
  }
  for (const auto* e : state.key_store.entries()) {
    crypto_generichash_update(&h, e->cursor.link.bytes.data(), e->cursor.link.bytes.size());
    const uint32_t numbers[2] = {e->cursor.branch_no, e->cursor.seq_no};
    crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>(numbers), sizeof numbers);
  }
  uint8_t digest[16];
  crypto_generichash_final(&h, digest, sizeof digest);
  return to_hex(digest);
}

// "power-cut N": on a device whose flash holds no state, an author announces and saves (state #1),
// publishes and saves (#2), publishes again and saves #3 with the power failing at the Nth flash
// operation of that save. On the next boot (the flash holds a state) it restores the author and
// prints which state it found; tests/firmware/power_cut.py checks that it is #2 or #3, never
// neither.
[[gnu::noinline]] int power_cut_boot(
    uint64_t cut) {  // not inlined: its users would sit in main's frame
  board::SemihostFlash flash("power-cut.flash");
  if (!flash.ok()) {
    std::printf("FAILED: no flash file\n");
    return 1;
  }
  transports::BucketTransport bucket;
  channels::DeviceStateStore store(flash, device_key());
  auto restored = store.load_author(bucket);
  if (restored.ok()) {
    std::printf("RESTORED state=%u fingerprint=%s\n", static_cast<unsigned>(store.sequence()),
                fingerprint(restored->state()).c_str());
    return 0;
  }
  if (restored.error().code() != Errc::kNoDeviceState) {
    std::printf("RESTORE FAILED: %s\n", restored.error().message().c_str());
    return 1;
  }
  channels::Author author("POWER CUT AUTHOR", channels::ChannelType::kSingleBranch, bucket);
  auto announce = author.send_announce();
  if (!announce.ok() || !store.save(author).ok()) return 1;
  const uint8_t payload[] = {'p'};
  auto first = author.send_signed_packet(*announce, payload, payload);
  if (!first.ok() || !store.save(author).ok()) return 1;
  std::printf("STATE 2 fingerprint=%s\n", fingerprint(author.state()).c_str());
  auto second = author.send_signed_packet(first->msg_link, payload, payload);
  if (!second.ok()) return 1;
  std::printf("STATE 3 fingerprint=%s\n", fingerprint(author.state()).c_str());
  const uint64_t before = board::flash_operations();
  if (cut != 0) board::set_power_cut(before + cut);
  if (auto saved = store.save(author); !saved.ok()) {
    std::printf("FAILED: %s\n", saved.error().message().c_str());
    return 1;
  }
  std::printf("SAVED state=3 save_flash_operations=%llu\n",
              count(board::flash_operations() - before));
  return 0;
}

// The mode file's first line, or "" when there is none.
std::string mode_line() {
  const int fd = open("firmware-mode.txt", O_RDONLY);
  if (fd < 0) return "";
  char text[64] = {};
  const ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  std::string line(text, n > 0 ? static_cast<size_t>(n) : 0);
  return line.substr(0, line.find('\n'));
}

#endif  // STREAMS_FIRMWARE_DEVICE_STATE

}  // namespace

int main() {
  board::paint_stack();
  board::start_counter();
  std::printf("iota-streams-cpp firmware: %s, %u KiB RAM, %u KiB stack region\n",
              board::description(), static_cast<unsigned>(board::ram_size() / 1024),
              static_cast<unsigned>(board::stack_size() / 1024));
  const uint32_t calibration = board::calibrate_permille();
  std::printf("instruction counter calibration: %u.%03u (measured / expected on a known loop)\n",
              static_cast<unsigned>(calibration / 1000), static_cast<unsigned>(calibration % 1000));
  board::install_platform();
  if (sodium_init() < 0) {
    std::printf("FAILED: sodium_init\n");
    return 1;
  }

#if STREAMS_FIRMWARE_DEVICE_STATE
  const std::string mode = mode_line();
  if (mode.rfind("power-cut ", 0) == 0)
    return power_cut_boot(std::strtoull(mode.c_str() + 10, nullptr, 10));

  // A fresh device: its state flash starts erased.
  unlink("author-state.flash");
  unlink("subscriber-state.flash");
  board::reset_heap_peak();
  auto device_observer =
      std::make_unique<DeviceObserver>();  // on the heap: main's frame is under every step
  DeviceObserver& observer = *device_observer;
  if (!observer.flash_ok()) {
    std::printf("FAILED: the board's flash files cannot be opened\n");
    return 1;
  }
#else
  board::reset_heap_peak();
  auto printing_observer = std::make_unique<PrintingObserver>();
  PrintingObserver& observer = *printing_observer;
#endif
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
#if STREAMS_FIRMWARE_DEVICE_STATE
  std::printf(
      "device state: %u saves of both users (%llu instructions each on average), %u reboots\n",
      observer.saves(), count(observer.save_instructions()), observer.reboots());
#endif

  Costs costs;
  if (!measure_signed_packet(costs)) {
    std::printf("FAILED: measuring one signed packet\n");
    return 1;
  }
  std::printf("peak_stack_bytes=%u\n",
              static_cast<unsigned>(std::max(observer.peak_stack(), board::peak_stack_bytes())));
  std::printf("peak_heap_bytes=%u\n", static_cast<unsigned>(flow_heap));
  std::printf("peak_heap_bytes_with_measurements=%u\n", static_cast<unsigned>(board::heap_peak()));
  std::printf("instructions_send_signed=%llu\n", count(costs.send_signed));
  std::printf("instructions_receive_signed=%llu\n", count(costs.receive_signed));
  std::printf("instructions_libsodium_sign=%llu\n", count(costs.sodium_sign));
  std::printf("instructions_libsodium_verify=%llu\n", count(costs.sodium_verify));
  std::printf("instructions_flow=%llu\n", count(flow_instructions));
#if STREAMS_FIRMWARE_DEVICE_STATE
  std::printf("instructions_save_state_both_users=%llu\n", count(observer.save_instructions()));
  std::printf("instructions_restore_state_both_users=%llu\n",
              count(observer.restore_instructions()));
  std::printf("device_state_reboots=%u\n", observer.reboots());
#endif
  return 0;
}
