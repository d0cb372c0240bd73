#include "iota_streams/channels/device_state.h"

#include <algorithm>
#include <string>

namespace iota_streams::channels {
namespace {

constexpr uint32_t kErasedLength = 0xFFFFFFFFu;

// Sequence numbers compared as serial numbers (RFC 1982), so that wrapping past 2^32 keeps the order.
bool newer(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) > 0; }

const char* role_name(Role role) { return role == Role::kAuthor ? "an author" : "a subscriber"; }

}  // namespace

// Reads one slot: an error that says why it holds no usable state (empty, bad length, MAC, ...).
Result<SealedState> DeviceStateStore::open_slot(unsigned slot, const UserOptions& options) {
  Bytes<kStateSlotHeaderSize> header;
  STREAMS_TRY(flash_.read(slot, 0, header));
  const uint32_t length = static_cast<uint32_t>(header[0]) | static_cast<uint32_t>(header[1]) << 8 |
                          static_cast<uint32_t>(header[2]) << 16 | static_cast<uint32_t>(header[3]) << 24;
  if (length == kErasedLength) return Error(Errc::kBadState, "empty");
  if (length == 0 || length > flash_.slot_size() - kStateSlotHeaderSize) {
    return Error(Errc::kBadState, "length " + std::to_string(length) + " does not fit the slot");
  }
  std::vector<uint8_t> sealed(length);
  STREAMS_TRY(flash_.read(slot, kStateSlotHeaderSize, sealed));
  return import_sealed_state(sealed, key_, options);
}

// Opens both slots and returns the newest valid state; records where it is for the next save.
Result<SealedState> DeviceStateStore::load(Role role, const UserOptions& options) {
  std::optional<SealedState> best;
  std::optional<unsigned> best_slot;
  std::string reasons;
  bool any_written = false;
  for (unsigned slot = 0; slot < kStateSlots; ++slot) {
    auto opened = open_slot(slot, options);
    if (!opened.ok()) {
      const Error& error = opened.error();
      if (error.code() != Errc::kBadState && error.code() != Errc::kWrongPassword) return opened.error();
      if (error.message() != "empty") any_written = true;
      reasons += (reasons.empty() ? "" : "; ") + std::string("slot ") + std::to_string(slot) + ": " + error.message();
      continue;
    }
    any_written = true;
    if (!best || newer(opened->sequence, best->sequence)) {
      best.emplace(std::move(opened).value());
      best_slot = slot;
    }
  }
  scanned_ = true;
  if (!best) {
    newest_.reset();
    if (!any_written) return Error(Errc::kBadState, "no device state saved (both flash slots are empty)");
    return Error(Errc::kWrongPassword, "no device state this key opens (" + reasons + ")");
  }
  newest_ = Newest{*best_slot, best->sequence};
  if (best->role != role) {
    return Error(Errc::kBadState, std::string("the device state belongs to ") + role_name(best->role));
  }
  return std::move(*best);
}

Result<Author> DeviceStateStore::load_author(Transport& transport, const UserOptions& options) {
  STREAMS_ASSIGN_OR_RETURN(auto sealed, load(Role::kAuthor, options));
  return Author(std::move(sealed.state), transport, options);
}

Result<Subscriber> DeviceStateStore::load_subscriber(Transport& transport, const UserOptions& options) {
  STREAMS_ASSIGN_OR_RETURN(auto sealed, load(Role::kSubscriber, options));
  return Subscriber(std::move(sealed.state), transport, options);
}

// Finds the newest valid slot (any role) when no load has done so yet.
Result<void> DeviceStateStore::scan() {
  if (scanned_) return ok_result();
  auto loaded = load(Role::kAuthor, {});
  if (!loaded.ok() && loaded.error().code() != Errc::kBadState && loaded.error().code() != Errc::kWrongPassword) {
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
    return Error(Errc::kCapacityExceeded, "device state of " + std::to_string(sealed.size()) +
                                              " bytes does not fit a flash slot of " +
                                              std::to_string(flash_.slot_size()) + " bytes");
  }
  const uint32_t length = static_cast<uint32_t>(sealed.size());
  const Bytes<kStateSlotHeaderSize> header = {static_cast<uint8_t>(length), static_cast<uint8_t>(length >> 8),
                                              static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 24)};
  // The length goes last: until it is written the slot reads as empty.
  STREAMS_TRY(flash_.erase(target));
  STREAMS_TRY(flash_.write(target, kStateSlotHeaderSize, sealed));
  STREAMS_TRY(flash_.write(target, 0, header));
  std::vector<uint8_t> back(kStateSlotHeaderSize + sealed.size());
  STREAMS_TRY(flash_.read(target, 0, back));
  if (!std::equal(header.begin(), header.end(), back.begin()) ||
      !std::equal(sealed.begin(), sealed.end(), back.begin() + kStateSlotHeaderSize)) {
    return Error(Errc::kStateStoreFailure, "flash slot " + std::to_string(target) + " reads back other bytes than written");
  }
  newest_ = Newest{target, sequence};
  return ok_result();
}

Result<void> DeviceStateStore::save(const Author& author) { return save_state(author.state(), Role::kAuthor); }
Result<void> DeviceStateStore::save(const Subscriber& subscriber) {
  return save_state(subscriber.state(), Role::kSubscriber);
}

}  // namespace iota_streams::channels
