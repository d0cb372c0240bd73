#include "iota_streams/channels/device_state.h"

#include <algorithm>
#include <string>

namespace iota_streams::channels {
namespace {

constexpr uint32_t kErasedLength = 0xFFFFFFFFu;

// Sequence numbers compared as serial numbers (RFC 1982), so that wrapping past 2^32 keeps the
// order.
bool newer(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) > 0; }

[[maybe_unused]] const char* role_name(Role role) {
  return role == Role::kAuthor ? "an author" : "a subscriber";
}

}  // namespace

// Why a slot holds nothing to open, kept for the error's text (not compiled without texts: a device
// build keeps only the code).
#if STREAMS_ERROR_TEXT
#define STREAMS_SLOT_PROBLEM(slot, ...) ((slot).problem = (__VA_ARGS__))
#else
#define STREAMS_SLOT_PROBLEM(slot, ...) static_cast<void>(sizeof(__VA_ARGS__))
#endif

// Reads one slot's bytes; `empty` when erased, `problem` says why there is nothing to open (empty,
// bad length, not sealed).
Result<void> DeviceStateStore::read_slot(unsigned slot, Slot& out) {
  Bytes<kStateSlotHeaderSize> header;
  STREAMS_TRY(flash_.read(slot, 0, header));
  const uint32_t length = static_cast<uint32_t>(header[0]) | static_cast<uint32_t>(header[1]) << 8 |
                          static_cast<uint32_t>(header[2]) << 16 |
                          static_cast<uint32_t>(header[3]) << 24;
  if (length == kErasedLength) {
    out.empty = true;
    STREAMS_SLOT_PROBLEM(out, "empty");
    return ok_result();
  }
  if (length == 0 || length > flash_.slot_size() - kStateSlotHeaderSize) {
    STREAMS_SLOT_PROBLEM(out, "length " + std::to_string(length) + " does not fit the slot");
    return ok_result();
  }
  out.sealed.resize(length);
  STREAMS_TRY(flash_.read(slot, kStateSlotHeaderSize, out.sealed));
  out.sequence = sealed_state_sequence(out.sealed);
  if (!out.sequence) STREAMS_SLOT_PROBLEM(out, "not a sealed device state");
  return ok_result();
}

// Opens the slot that claims the newer state; when it does not open, the other. Only one state is
// rebuilt (a device's reboot pays for one key derivation, not two). Records where the newest valid
// state is for the next save.
Result<SealedState> DeviceStateStore::load(Role role, const UserOptions& options) {
  Slot slots[kStateSlots];
  for (unsigned i = 0; i < kStateSlots; ++i) STREAMS_TRY(read_slot(i, slots[i]));
  unsigned order[kStateSlots] = {0, 1};
  if (slots[1].sequence && (!slots[0].sequence || newer(*slots[1].sequence, *slots[0].sequence))) {
    order[0] = 1;
    order[1] = 0;
  }
  scanned_ = true;
  newest_.reset();
  bool any_written = false;
  for (const unsigned slot : order) {
    if (!slots[slot].sequence) {
      if (!slots[slot].empty) any_written = true;
      continue;
    }
    any_written = true;
    auto opened = import_sealed_state(slots[slot].sealed, key_, options);
    if (!opened.ok()) {
      STREAMS_SLOT_PROBLEM(slots[slot], opened.error().message());
      continue;
    }
    newest_ = Newest{slot, opened->sequence};
    if (opened->role != role) {
      return STREAMS_ERROR(Errc::kBadState,
                           std::string("the device state belongs to ") + role_name(opened->role));
    }
    return std::move(opened).value();
  }
  if (!any_written)
    // Its own kind: callers tell a first boot from a damaged state by the code, in every build.
    return Error(Errc::kNoDeviceState, STREAMS_TEXT("both flash slots are empty"), nullptr, nullptr,
                 Error::kNoOffset);
#if STREAMS_ERROR_TEXT
  std::string reasons;
  for (unsigned slot = 0; slot < kStateSlots; ++slot) {
    reasons += (slot ? "; slot " : "slot ") + std::to_string(slot) + ": " + slots[slot].problem;
  }
  return Error(Errc::kWrongPassword, "no device state this key opens (" + reasons + ")");
#else
  return Error(Errc::kWrongPassword, "", nullptr, nullptr, Error::kNoOffset);
#endif
}

// The user is built in a frame of its own, after load() (and the key derivation under it) returned.
template <class User>
[[gnu::noinline]] Result<User> DeviceStateStore::user_from(std::unique_ptr<UserState> state,
                                                           Transport& transport,
                                                           const UserOptions& options) {
  return User(std::move(*state), transport, options);
}

Result<Author> DeviceStateStore::load_author(Transport& transport, const UserOptions& options) {
  auto sealed = load(Role::kAuthor, options);
  if (!sealed.ok()) return sealed.error();
  return user_from<Author>(std::move(sealed->state), transport, options);
}

Result<Subscriber> DeviceStateStore::load_subscriber(Transport& transport,
                                                     const UserOptions& options) {
  auto sealed = load(Role::kSubscriber, options);
  if (!sealed.ok()) return sealed.error();
  return user_from<Subscriber>(std::move(sealed->state), transport, options);
}

// Finds the newest valid slot (any role) when no load has done so yet.
Result<void> DeviceStateStore::scan() {
  if (scanned_) return ok_result();
  auto loaded = load(Role::kAuthor, {});
  if (!loaded.ok() && loaded.error().code() != Errc::kNoDeviceState &&
      loaded.error().code() != Errc::kBadState && loaded.error().code() != Errc::kWrongPassword) {
    return loaded.error();  // the flash failed: do not guess which slot is safe to erase
  }
  return ok_result();
}

Result<void> DeviceStateStore::save_state(const UserState& state, Role role) {
  STREAMS_TRY(scan());
  const uint32_t sequence = newest_ ? newest_->sequence + 1 : 1;
  const unsigned target = newest_ ? (newest_->slot + 1) % kStateSlots : 0;
  STREAMS_ASSIGN_OR_RETURN(const auto sealed, export_sealed_state(state, role, key_, sequence));
  if (sealed.size() > flash_.slot_size() - kStateSlotHeaderSize) {
    return STREAMS_ERROR(Errc::kCapacityExceeded,
                         "device state of " + std::to_string(sealed.size()) +
                             " bytes does not fit a flash slot of " +
                             std::to_string(flash_.slot_size()) + " bytes");
  }
  const uint32_t length = static_cast<uint32_t>(sealed.size());
  const Bytes<kStateSlotHeaderSize> header = {
      static_cast<uint8_t>(length), static_cast<uint8_t>(length >> 8),
      static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 24)};
  // The length goes last: until it is written the slot reads as empty.
  STREAMS_TRY(flash_.erase(target));
  STREAMS_TRY(flash_.write(target, kStateSlotHeaderSize, sealed));
  STREAMS_TRY(flash_.write(target, 0, header));
  std::vector<uint8_t> back(kStateSlotHeaderSize + sealed.size());
  STREAMS_TRY(flash_.read(target, 0, back));
  if (!std::equal(header.begin(), header.end(), back.begin()) ||
      !std::equal(sealed.begin(), sealed.end(), back.begin() + kStateSlotHeaderSize)) {
    return STREAMS_ERROR(Errc::kStateStoreFailure, "flash slot " + std::to_string(target) +
                                                       " reads back other bytes than written");
  }
  newest_ = Newest{target, sequence};
  return ok_result();
}

Result<void> DeviceStateStore::save(const Author& author) {
  return save_state(author.state(), Role::kAuthor);
}
Result<void> DeviceStateStore::save(const Subscriber& subscriber) {
  return save_state(subscriber.state(), Role::kSubscriber);
}

}  // namespace iota_streams::channels
