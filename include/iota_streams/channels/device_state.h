// A user's state kept on a device's flash so that it survives a power cut at any moment.
//
// The state is the native export (state.h: everything the user carries, PSK secrets and the
// single-depth anchor included) sealed with a 32-byte device key (export_sealed_state: no password
// stretching; ESP-IDF takes the key from NVS encryption or an eFuse block, elsewhere the caller
// supplies it). Two flash slots hold the two latest saves, each with a sequence number inside the
// sealed, authenticated header:
//
//   slot = length (u32, little-endian) | sealed state (length bytes) | erased rest (0xFF)
//
// A save never touches the slot with the newest valid state: it erases the other slot, writes the
// sealed bytes, then the length, and reads them back. A power cut anywhere in a save leaves the
// other slot as it was, so the next boot finds the old state (the new slot fails its MAC or its
// length) or the new one (complete); never neither. A load opens the slot whose header claims the
// higher sequence number and, when that one does not open (torn, damaged), the other.
//
// Not covered: rolling the flash back to an older image (whoever can write the flash can do that);
// a device that must refuse old states keeps a monotonic counter elsewhere (eFuse) and compares
// sequence().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "iota_streams/channels/author.h"
#include "iota_streams/channels/state.h"
#include "iota_streams/channels/subscriber.h"

namespace iota_streams::channels {

// The flash the caller implements: two slots of slot_size() bytes each. Erasing sets a slot to
// 0xFF; writes land in erased bytes. A failed call returns an error (kStateStoreFailure is the
// natural code).
class StateFlash {
 public:
  virtual ~StateFlash() = default;
  virtual size_t slot_size() const = 0;
  virtual Result<void> read(unsigned slot, size_t offset, MutableByteSpan out) = 0;
  virtual Result<void> erase(unsigned slot) = 0;
  virtual Result<void> write(unsigned slot, size_t offset, ByteSpan data) = 0;
};

inline constexpr unsigned kStateSlots = 2;
inline constexpr size_t kStateSlotHeaderSize = 4;  // the length in front of the sealed bytes

class DeviceStateStore {
 public:
  // Keeps references: `flash` must outlive the store. The key is copied (and wiped with the store).
  DeviceStateStore(StateFlash& flash, const DeviceKey& key) : flash_(flash), key_(key) {}

  // The newest valid state, as a user on `transport`. Errors: kNoDeviceState when both slots are
  // empty (nothing saved yet: a first boot); kWrongPassword when no slot holds a state this key
  // opens (wrong key, or both damaged: the message names each slot's reason); kBadState when the
  // newest state is the other role's; the flash's own error when a read fails.
  Result<Author> load_author(Transport& transport, const UserOptions& options = {});
  Result<Subscriber> load_subscriber(Transport& transport, const UserOptions& options = {});

  // Seals the user's state under the next sequence number and writes it to the slot that does not
  // hold the newest valid state. Errors: kCapacityExceeded when the sealed state does not fit a
  // slot (nothing is written); the flash's error when erase/write/read fail; kStateStoreFailure
  // when the bytes read back differ. After an error the newest valid state on flash is still the
  // one before.
  Result<void> save(const Author& author);
  Result<void> save(const Subscriber& subscriber);

  // The sequence number of the newest valid state on flash (0 when there is none), known after the
  // first load or save.
  uint32_t sequence() const { return newest_ ? newest_->sequence : 0; }

 private:
  struct Newest {
    unsigned slot;
    uint32_t sequence;
  };

  struct Slot {
    std::vector<uint8_t> sealed;
    std::optional<uint32_t> sequence;  // as its header claims (unauthenticated)
    bool empty = false;                // erased: nothing was ever written there
    std::string problem;  // why it holds nothing to open, when it does not (with error texts)
  };
  Result<void> read_slot(unsigned slot, Slot& out);
  Result<SealedState> load(Role role, const UserOptions& options);
  template <class User>
  static Result<User> user_from(std::unique_ptr<UserState> state, Transport& transport,
                                const UserOptions& options);
  Result<void> scan();
  Result<void> save_state(const UserState& state, Role role);

  StateFlash& flash_;
  DeviceKey key_;
  bool scanned_ = false;
  std::optional<Newest> newest_;
};

}  // namespace iota_streams::channels
