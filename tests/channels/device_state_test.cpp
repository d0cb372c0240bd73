// Device state in two flash slots: a power cut at every point of a save leaves the old or the new
// state readable, never neither and never an older one; a wrong key or a flipped byte is a clear
// error (or, for one damaged slot, the other slot's state); the C API over caller callbacks does
// the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "iota_streams/channels/device_state.h"
#include "handles.h"  // the C API handles (src/bindings), to compare the loaded state
#include "iota_streams/channels.h"
#include "iota_streams/crypto/keys.h"
#include "iota_streams/device_state.h"
#include "iota_streams/transports/bucket.h"
#include "support/results.h"
#include "wrap_growing.h"  // src/channels

namespace iota_streams::channels {
namespace {

using test::must;
using test::text;
using transports::BucketTransport;

// NOR flash in RAM: erase sets bytes to 0xFF (a sector at a time), a write can only clear bits. A
// power budget counts erased sectors and written bytes; when it runs out the operation stops where
// it is (the byte being written gets only some of its bits) and every later call fails, as after a
// power cut.
class SimulatedFlash final : public StateFlash {
 public:
  static constexpr size_t kSector = 256;
  explicit SimulatedFlash(size_t slot_size)
      : slots_(kStateSlots, std::vector<uint8_t>(slot_size, 0xFF)) {}

  size_t slot_size() const override { return slots_[0].size(); }
  Result<void> read(unsigned slot, size_t offset, MutableByteSpan out) override {
    if (dead() || slot >= kStateSlots || offset + out.size() > slot_size()) return failure("read");
    std::copy_n(slots_[slot].begin() + static_cast<std::ptrdiff_t>(offset), out.size(),
                out.begin());
    return ok_result();
  }
  Result<void> erase(unsigned slot) override {
    if (dead() || slot >= kStateSlots) return failure("erase");
    for (size_t at = 0; at < slot_size(); at += kSector) {
      if (!spend()) return failure("erase");
      std::fill_n(slots_[slot].begin() + static_cast<std::ptrdiff_t>(at), kSector, uint8_t{0xFF});
    }
    return ok_result();
  }
  Result<void> write(unsigned slot, size_t offset, ByteSpan data) override {
    if (dead() || slot >= kStateSlots || offset + data.size() > slot_size())
      return failure("write");
    for (size_t i = 0; i < data.size(); ++i) {
      uint8_t& cell = slots_[slot][offset + i];
      if (!spend()) {
        cell &= static_cast<uint8_t>(data[i] |
                                     0xF0);  // torn: the low bits are programmed, the high not
        return failure("write");
      }
      cell &= data[i];
    }
    return ok_result();
  }

  void cut_after(size_t operations) { budget_ = operations; }
  void restore_power() { budget_.reset(); }
  size_t used() const { return used_; }
  std::vector<uint8_t>& slot(unsigned i) { return slots_[i]; }

 private:
  bool dead() const { return budget_ && *budget_ == 0 && cut_; }
  bool spend() {
    if (budget_ && *budget_ == 0) {
      cut_ = true;
      return false;
    }
    if (budget_) --*budget_;
    ++used_;
    return true;
  }
  static Result<void> failure(const char* what) {
    return Error(Errc::kStateStoreFailure,
                 std::string("simulated flash: power cut during ") + what);
  }
  std::vector<std::vector<uint8_t>> slots_;
  std::optional<size_t> budget_;
  bool cut_ = false;
  size_t used_ = 0;
};

DeviceKey key_of(uint8_t fill) {
  Bytes<kDeviceKeySize> bytes;
  bytes.fill(fill);
  return DeviceKey(bytes);
}

// An author with a subscriber and a keyload; step() publishes one more packet (the state grows).
struct Channel {
  Channel()
      : author("DEVICE-STATE-AUTHOR", ChannelType::kSingleBranch, bucket),
        subscriber("DEVICE-STATE-SUB", bucket) {
    const Address announce = must(author.send_announce());
    EXPECT_TRUE(subscriber.receive_announcement(announce).ok());
    EXPECT_TRUE(author.receive_subscribe(must(subscriber.send_subscribe(announce))).ok());
    last = must(author.send_keyload_for_everyone(announce)).msg_link;
  }
  void step() {
    last = must(author.send_signed_packet(last, text("public"), text("masked"))).msg_link;
  }
  BucketTransport bucket;
  Author author;
  Subscriber subscriber;
  Address last;
};

TEST(DeviceState, SavesAndLoadsBothRolesAlternatingSlots) {
  Channel c;
  SimulatedFlash flash(4096);
  DeviceStateStore store(flash, key_of(7));
  must(store.save(c.author));
  EXPECT_EQ(store.sequence(), 1u);
  EXPECT_NE(flash.slot(0)[0], 0xFF);
  EXPECT_EQ(flash.slot(1)[0], 0xFF);
  c.step();
  must(store.save(c.author));
  EXPECT_EQ(store.sequence(), 2u);
  EXPECT_NE(flash.slot(1)[0], 0xFF);

  // A reboot: a fresh store reads the newest state; the restored author goes on publishing.
  DeviceStateStore after(flash, key_of(7));
  Author restored = must(after.load_author(c.bucket));
  EXPECT_EQ(after.sequence(), 2u);
  EXPECT_TRUE(restored.state() == c.author.state());
  must(restored.send_signed_packet(c.last, text("after reboot"), text("masked")));
  EXPECT_EQ(c.subscriber.fetch_all_next_msgs().messages.size(),
            3u);  // keyload, packet before, packet after

  SimulatedFlash sub_flash(4096);
  DeviceStateStore sub_store(sub_flash, key_of(9));
  must(sub_store.save(c.subscriber));
  DeviceStateStore sub_after(sub_flash, key_of(9));
  Subscriber sub = must(sub_after.load_subscriber(c.bucket));
  EXPECT_TRUE(sub.state() == c.subscriber.state());
}

TEST(DeviceState, EveryPowerCutDuringASaveLeavesTheOldOrTheNewState) {
  Channel c;
  SimulatedFlash flash(2048);
  DeviceStateStore store(flash, key_of(1));
  must(store.save(c.author));  // sequence 1 (slot 0): must never come back once 2 is saved
  c.step();
  must(store.save(c.author));  // sequence 2 (slot 1): the old state
  const UserState old_state = c.author.state();
  c.step();
  const UserState new_state = c.author.state();

  SimulatedFlash probe = flash;
  const size_t before = probe.used();
  DeviceStateStore measuring(probe, key_of(1));
  must(measuring.load_author(c.bucket));
  must(measuring.save(c.author));
  const size_t operations = probe.used() - before;
  ASSERT_GT(operations, 2048u / SimulatedFlash::kSector);

  size_t old_seen = 0, new_seen = 0;
  for (size_t cut = 0; cut <= operations; ++cut) {
    SimulatedFlash cut_flash = flash;
    DeviceStateStore saving(cut_flash, key_of(1));
    must(saving.load_author(c.bucket));
    cut_flash.cut_after(cut);
    const auto saved = saving.save(c.author);
    EXPECT_EQ(saved.ok(), cut == operations) << "cut after " << cut << " of " << operations;
    cut_flash.restore_power();
    DeviceStateStore booted(cut_flash, key_of(1));
    auto loaded = booted.load_author(c.bucket);
    ASSERT_TRUE(loaded.ok()) << "cut after " << cut << ": " << loaded.error().message();
    if (loaded->state() == new_state) {
      EXPECT_EQ(booted.sequence(), 3u);
      ++new_seen;
    } else {
      EXPECT_TRUE(loaded->state() == old_state)
          << "cut after " << cut << ": neither the old nor the new state";
      EXPECT_EQ(booted.sequence(), 2u);
      ++old_seen;
    }
    // The device goes on: the next save lands whatever the cut left.
    must(booted.save(loaded.value()));
  }
  EXPECT_EQ(new_seen, 1u);  // only the complete save (the length is written last)
  EXPECT_EQ(old_seen, operations);
}

TEST(DeviceState, WrongKeyIsAClearErrorAndEmptyFlashIsNotDamage) {
  Channel c;
  SimulatedFlash flash(4096);
  DeviceStateStore empty(flash, key_of(1));
  auto nothing = empty.load_author(c.bucket);
  ASSERT_FALSE(nothing.ok());
  // Its own kind, not kBadState: a first boot is told from damage by the code, which a build
  // without error texts keeps too.
  EXPECT_EQ(nothing.error().code(), Errc::kNoDeviceState);
  EXPECT_NE(nothing.error().message().find("no device state saved"), std::string::npos);
  EXPECT_EQ(empty.sequence(), 0u);

  must(empty.save(c.author));
  DeviceStateStore wrong(flash, key_of(2));
  auto refused = wrong.load_author(c.bucket);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::kWrongPassword);
  EXPECT_NE(refused.error().message().find("slot 0: wrong device key or damaged device state"),
            std::string::npos)
      << refused.error().message();
  EXPECT_NE(refused.error().message().find("slot 1: empty"), std::string::npos)
      << refused.error().message();

  DeviceStateStore right(flash, key_of(1));
  auto other_role = right.load_subscriber(c.bucket);
  ASSERT_FALSE(other_role.ok());
  EXPECT_EQ(other_role.error().code(), Errc::kBadState);
  EXPECT_NE(other_role.error().message().find("belongs to an author"), std::string::npos);
}

TEST(DeviceState, AFlippedByteFallsBackToTheOtherSlotOrFailsClearly) {
  Channel c;
  SimulatedFlash flash(4096);
  DeviceStateStore store(flash, key_of(3));
  must(store.save(c.author));
  const UserState first = c.author.state();
  c.step();
  must(store.save(c.author));
  const size_t length = flash.slot(1)[0] | flash.slot(1)[1] << 8;
  const size_t older_length = flash.slot(0)[0] | flash.slot(0)[1] << 8;
  for (size_t at = kStateSlotHeaderSize; at < kStateSlotHeaderSize + length; at += 37) {
    SimulatedFlash damaged = flash;
    damaged.slot(1)[at] ^= 0x01;  // the newest state
    DeviceStateStore booted(damaged, key_of(3));
    Author author = must(booted.load_author(c.bucket));
    EXPECT_TRUE(author.state() == first) << "flipped byte " << at;
    EXPECT_EQ(booted.sequence(), 1u);
    if (at >= kStateSlotHeaderSize + older_length) continue;
    damaged.slot(0)[at] ^= 0x01;  // both
    DeviceStateStore broken(damaged, key_of(3));
    auto refused = broken.load_author(c.bucket);
    ASSERT_FALSE(refused.ok()) << "flipped byte " << at;
    EXPECT_TRUE(refused.error().code() == Errc::kWrongPassword ||
                refused.error().code() == Errc::kBadState)
        << refused.error().message();  // damage, never nothing saved
  }
}

TEST(DeviceState, TooLargeForASlotWritesNothing) {
  Channel c;
  SimulatedFlash flash(256);
  DeviceStateStore store(flash, key_of(4));
  auto saved = store.save(c.author);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code(), Errc::kCapacityExceeded);
  EXPECT_EQ(flash.used(), 0u);
}

TEST(DeviceState, SealedHeaderIsAuthenticated) {
  Channel c;
  const DeviceKey key = key_of(5);
  auto sealed = must(export_sealed_state(c.author.state(), Role::kAuthor, key, 41));
  const SealedState opened = must(import_sealed_state(sealed, key));
  EXPECT_EQ(opened.sequence, 41u);
  EXPECT_EQ(opened.role, Role::kAuthor);
  sealed[13] ^= 0x01;  // the sequence number (bytes 10..13)
  auto refused = import_sealed_state(sealed, key);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::kWrongPassword);
}

// A state file is wrapped into a buffer of state_file_room's size, which grows (doubling) only if
// the file does not fit: the first room must hold every file, of every size, in every format, so
// that the wrap runs once. The state grows by a packet each step, by a subscriber and a PSK every
// few, and carries a pending message now and then; the files are exact (an import refuses a
// trailing byte).
TEST(DeviceState, EveryStateFileFitsItsFirstRoomAndIsExact) {
  Channel c;
  const DeviceKey key = key_of(6);
  const crypto::PasswordCost cheap{1, 8};
  size_t largest = 0;
  for (unsigned step = 0; step < 120; ++step) {
    if (step % 10 == 3) {
      must(c.author.store_new_subscriber(
          crypto::user_keys_from_seed("S" + std::to_string(step)).signing.public_key()));
      must(c.author.store_psk("psk " + std::to_string(step)));
    }
    const bool pending = step % 17 == 5;
    if (pending) must(c.author.prepare_signed_packet(c.last, text("p"), text("pending")));
    const UserState& state = c.author.state();
    const size_t room = state_file_room(state);
    const auto sealed = must(export_sealed_state(state, Role::kAuthor, key, step + 1));
    const auto native = must(export_state(state, Role::kAuthor, "pw", StateFormat::kNative, cheap));
    EXPECT_LE(sealed.size(), room) << "step " << step;
    EXPECT_LE(room, sealed.size() + sealed.size() / 4 + 512) << "a little over, not a lot";
    EXPECT_LE(native.size(), room) << "step " << step;
    if (!pending) {
      const auto official =
          must(export_state(state, Role::kAuthor, "pw", StateFormat::kOfficial, cheap));
      EXPECT_LE(official.size(), room) << "step " << step;
    }
    largest = std::max(largest, sealed.size());
    const SealedState opened = must(import_sealed_state(sealed, key));
    EXPECT_TRUE(*opened.state == state) << "step " << step;
    std::vector<uint8_t> longer = sealed;
    longer.push_back(0);
    EXPECT_FALSE(import_sealed_state(longer, key).ok()) << "a trailing byte is refused";
    if (pending) must(c.author.publish_pending());
    c.step();
  }
  EXPECT_GT(largest, 4096u) << "states well past the old first room of 1 KiB";
}

// The growing wrap itself: from a first room too small it doubles until the bytes fit, and the
// result is exactly them; from a first room as large, one pass; a failure other than "too small"
// ends it.
TEST(DeviceState, AGrowingWrapDoublesUntilItFitsAndKeepsExactlyTheBytes) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{5}, size_t{1024}, size_t{1025}, size_t{5000}}) {
    const auto body = [&](ddml::WrapContext& ctx) {
      for (size_t i = 0; i < size; ++i) DDML_TRY(ctx.absorb_u8(static_cast<uint8_t>(i * 7)));
      return ddml::Status::success();
    };
    unsigned passes = 0;
    const auto grown = must(detail::wrap_growing(1, body, &passes));
    ASSERT_EQ(grown.size(), size);
    for (size_t i = 0; i < size; ++i) ASSERT_EQ(grown[i], static_cast<uint8_t>(i * 7));
    size_t expected = 1;
    for (size_t room = 1; room < size; room *= 2) ++expected;
    EXPECT_EQ(passes, expected) << size << " bytes from a room of 1";
    unsigned once = 0;
    EXPECT_EQ(must(detail::wrap_growing(size, body, &once)), grown);
    EXPECT_EQ(once, 1u) << size << " bytes from a room of as many";
  }
  unsigned passes = 0;
  const auto refused = detail::wrap_growing(
      1, [](ddml::WrapContext&) { return ddml::fail(Errc::kBadState, "field", 0); }, &passes);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::kBadState);
  EXPECT_EQ(passes, 1u);
}

// ---- the C API over callbacks ----

struct CFlash {
  SimulatedFlash flash{4096};
  static int read(void* context, unsigned slot, size_t offset, uint8_t* out, size_t size) {
    return static_cast<CFlash*>(context)->flash.read(slot, offset, MutableByteSpan(out, size)).ok()
               ? 0
               : -1;
  }
  static int erase(void* context, unsigned slot) {
    return static_cast<CFlash*>(context)->flash.erase(slot).ok() ? 0 : -1;
  }
  static int write(void* context, unsigned slot, size_t offset, const uint8_t* data, size_t size) {
    return static_cast<CFlash*>(context)->flash.write(slot, offset, ByteSpan(data, size)).ok() ? 0
                                                                                               : -2;
  }
  streams_flash_t callbacks() { return {this, flash.slot_size(), read, erase, write}; }
};

TEST(DeviceStateC, SaveLoadAndErrorsThroughCallbacks) {
  CFlash c_flash;
  const streams_flash_t flash = c_flash.callbacks();
  const uint8_t key[STREAMS_DEVICE_KEY_SIZE] = {1, 2, 3};
  streams_transport_t* transport = streams_transport_new();
  ASSERT_NE(transport, nullptr);
  streams_author_t* author = nullptr;
  ASSERT_EQ(streams_auth_new(&author, "C DEVICE STATE AUTHOR", STREAMS_SINGLE_BRANCH, transport),
            STREAMS_ERR_OK);

  streams_device_state_t* store = nullptr;
  EXPECT_EQ(streams_device_state_open(&store, nullptr, key), STREAMS_DEVICE_STATE_NULL_ARGUMENT);
  ASSERT_EQ(streams_device_state_open(&store, &flash, key), STREAMS_DEVICE_STATE_OK);
  streams_author_t* loaded = nullptr;
  EXPECT_EQ(streams_device_state_load_author(&loaded, store, transport),
            STREAMS_DEVICE_STATE_EMPTY);
  EXPECT_EQ(loaded, nullptr);
  EXPECT_NE(std::string(streams_device_state_last_error()).find("no device state saved"),
            std::string::npos)
      << streams_device_state_last_error();
  EXPECT_STREQ(streams_device_state_result_name(STREAMS_DEVICE_STATE_EMPTY), "empty");
  EXPECT_EQ(streams_device_state_save_author(store, author), STREAMS_DEVICE_STATE_OK);
  EXPECT_EQ(streams_device_state_sequence(store), 1u);
  streams_device_state_close(store);

  ASSERT_EQ(streams_device_state_open(&store, &flash, key), STREAMS_DEVICE_STATE_OK);
  ASSERT_EQ(streams_device_state_load_author(&loaded, store, transport), STREAMS_DEVICE_STATE_OK);
  EXPECT_TRUE(loaded->user.state() == author->user.state());
  streams_subscriber_t* wrong_role = nullptr;
  EXPECT_EQ(streams_device_state_load_subscriber(&wrong_role, store, transport),
            STREAMS_DEVICE_STATE_WRONG_ROLE);
  streams_device_state_close(store);

  const uint8_t other_key[STREAMS_DEVICE_KEY_SIZE] = {9};
  ASSERT_EQ(streams_device_state_open(&store, &flash, other_key), STREAMS_DEVICE_STATE_OK);
  streams_author_t* refused = nullptr;
  EXPECT_EQ(streams_device_state_load_author(&refused, store, transport),
            STREAMS_DEVICE_STATE_DAMAGED);
  EXPECT_EQ(refused, nullptr);
  EXPECT_NE(std::string(streams_device_state_last_error()).find("wrong device key"),
            std::string::npos);
  streams_device_state_close(store);

  c_flash.flash.cut_after(0);
  ASSERT_EQ(streams_device_state_open(&store, &flash, key), STREAMS_DEVICE_STATE_OK);
  EXPECT_EQ(streams_device_state_save_author(store, author), STREAMS_DEVICE_STATE_FLASH_FAILED);
  EXPECT_STREQ(streams_device_state_result_name(STREAMS_DEVICE_STATE_FLASH_FAILED), "flash failed");
  streams_device_state_close(store);

  streams_auth_drop(loaded);
  streams_auth_drop(author);
  streams_transport_drop(transport);
}

}  // namespace
}  // namespace iota_streams::channels
