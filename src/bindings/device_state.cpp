// The C API for device state (include/iota_streams/device_state.h) over channels::DeviceStateStore.
#include "iota_streams/device_state.h"

#include <cstdio>
#include <new>
#include <string>

#include "handles.h"
#include "heap_headroom.h"
#include "iota_streams/channels/device_state.h"

namespace cs = iota_streams::channels;
using iota_streams::ByteSpan;
using iota_streams::Errc;
using iota_streams::Error;
using iota_streams::MutableByteSpan;
using iota_streams::Result;

namespace {

// Per thread, in static TLS: recording a failure (out of memory too) never allocates.
thread_local char last_error[STREAMS_C_LAST_ERROR_SIZE];

// The caller's callbacks as the C++ flash interface.
class CallbackFlash final : public cs::StateFlash {
 public:
  explicit CallbackFlash(const streams_flash_t& flash) : flash_(flash) {}
  size_t slot_size() const override { return flash_.slot_size; }
  Result<void> read(unsigned slot, size_t offset, MutableByteSpan out) override {
    return check(flash_.read(flash_.context, slot, offset, out.data(), out.size()), "read", slot);
  }
  Result<void> erase(unsigned slot) override {
    return check(flash_.erase(flash_.context, slot), "erase", slot);
  }
  Result<void> write(unsigned slot, size_t offset, ByteSpan data) override {
    return check(flash_.write(flash_.context, slot, offset, data.data(), data.size()), "write",
                 slot);
  }

 private:
  static Result<void> check(int status, const char* what, unsigned slot) {
    if (status == 0) return iota_streams::ok_result();
    return Error(Errc::kStateStoreFailure, std::string("flash ") + what + " of slot " +
                                               std::to_string(slot) + " failed (" +
                                               std::to_string(status) + ")");
  }
  streams_flash_t flash_;
};

streams_device_state_result_t fail(streams_device_state_result_t code, std::string_view reason,
                                   const char* function = nullptr) {
  if (function)
    std::snprintf(last_error, sizeof last_error, "%s%.*s", function,
                  static_cast<int>(reason.size()), reason.data());
  else
    std::snprintf(last_error, sizeof last_error, "%.*s", static_cast<int>(reason.size()),
                  reason.data());
  return code;
}

streams_device_state_result_t fail(const Error& error) {
  streams_device_state_result_t code = STREAMS_DEVICE_STATE_FAILED;
  switch (error.code()) {
    case Errc::kWrongPassword:
      code = STREAMS_DEVICE_STATE_DAMAGED;
      break;
    case Errc::kCapacityExceeded:
      code = STREAMS_DEVICE_STATE_TOO_LARGE;
      break;
    case Errc::kStateStoreFailure:
      code = STREAMS_DEVICE_STATE_FLASH_FAILED;
      break;
    case Errc::kNoDeviceState:
      code = STREAMS_DEVICE_STATE_EMPTY;
      break;
    case Errc::kBadState:
      code = STREAMS_DEVICE_STATE_DAMAGED;
      break;
    default:
      break;
  }
  return fail(code, error.message());
}

streams_device_state_result_t no_memory(const char* function) {
  return fail(STREAMS_DEVICE_STATE_NO_MEMORY, ": out of memory", function);
}

streams_device_state_result_t null_argument(const char* function) {
  return fail(STREAMS_DEVICE_STATE_NULL_ARGUMENT, ": a required argument is NULL", function);
}

}  // namespace

struct streams_device_state {
  streams_device_state(const streams_flash_t& callbacks, const cs::DeviceKey& key)
      : flash(callbacks), store(flash, key) {}
  CallbackFlash flash;
  cs::DeviceStateStore store;
};

extern "C" {

const char* streams_device_state_result_name(streams_device_state_result_t result) {
  switch (result) {
    case STREAMS_DEVICE_STATE_OK:
      return "ok";
    case STREAMS_DEVICE_STATE_NULL_ARGUMENT:
      return "null argument";
    case STREAMS_DEVICE_STATE_EMPTY:
      return "empty";
    case STREAMS_DEVICE_STATE_DAMAGED:
      return "wrong key or damaged";
    case STREAMS_DEVICE_STATE_WRONG_ROLE:
      return "wrong role";
    case STREAMS_DEVICE_STATE_TOO_LARGE:
      return "too large";
    case STREAMS_DEVICE_STATE_FLASH_FAILED:
      return "flash failed";
    case STREAMS_DEVICE_STATE_NO_MEMORY:
      return "no memory";
    case STREAMS_DEVICE_STATE_FAILED:
      return "failed";
  }
  return "unknown";
}

const char* streams_device_state_last_error(void) { return last_error; }

streams_device_state_result_t streams_device_state_open(
    streams_device_state_t** store, const streams_flash_t* flash,
    const uint8_t key[STREAMS_DEVICE_KEY_SIZE]) {
  if (!store || !flash || !key || !flash->read || !flash->erase || !flash->write)
    return null_argument(__func__);
  if (flash->slot_size <= cs::kStateSlotHeaderSize) {
    return fail(STREAMS_DEVICE_STATE_FAILED, "streams_device_state_open: slot_size is too small");
  }
  STREAMS_C_HEADROOM(iota_streams::bindings::kSmallCallHeadroom, no_memory(__func__));
  const cs::DeviceKey device_key(
      std::span<const uint8_t, STREAMS_DEVICE_KEY_SIZE>(key, STREAMS_DEVICE_KEY_SIZE));
  auto* opened = new (std::nothrow) streams_device_state(*flash, device_key);
  if (!opened)
    return fail(STREAMS_DEVICE_STATE_NO_MEMORY, "streams_device_state_open: out of memory");
  *store = opened;
  return STREAMS_DEVICE_STATE_OK;
}

void streams_device_state_close(streams_device_state_t* store) { delete store; }

}  // extern "C"

namespace {

// Loads an author or subscriber (`load` picks which) into a new handle.
template <class Handle, class Load>
streams_device_state_result_t load_user(const char* function, Handle** out,
                                        streams_device_state_t* store, streams_transport* transport,
                                        Load load) {
  if (!out || !store || !transport || !transport->impl) return null_argument(function);
  // A load holds at most a slot's sealed bytes and the state opened out of them (counted twice).
  STREAMS_C_HEADROOM(
      iota_streams::bindings::headroom_for(cs::UserOptions{}, store->flash.slot_size() / 2),
      no_memory(function));
  auto loaded = load(store->store, *transport->impl);
  if (!loaded.ok()) {
    // A load's only kBadState is the other role's state (channels/device_state.h): told by the
    // code, not the text, which a build without error texts does not have.
    if (loaded.error().code() == Errc::kBadState)
      return fail(STREAMS_DEVICE_STATE_WRONG_ROLE, loaded.error().message());
    return fail(loaded.error());
  }
  auto* handle = new (std::nothrow) Handle{std::move(loaded).value()};
  if (!handle) return no_memory(function);
  *out = handle;
  return STREAMS_DEVICE_STATE_OK;
}

}  // namespace

extern "C" {

streams_device_state_result_t streams_device_state_save_author(streams_device_state_t* store,
                                                               const streams_author* author) {
  if (!store || !author) return null_argument(__func__);
  STREAMS_C_HEADROOM(iota_streams::bindings::headroom_for(author->user), no_memory(__func__));
  auto saved = store->store.save(author->user);
  return saved.ok() ? STREAMS_DEVICE_STATE_OK : fail(saved.error());
}

streams_device_state_result_t streams_device_state_save_subscriber(
    streams_device_state_t* store, const streams_subscriber* subscriber) {
  if (!store || !subscriber) return null_argument(__func__);
  STREAMS_C_HEADROOM(iota_streams::bindings::headroom_for(subscriber->user), no_memory(__func__));
  auto saved = store->store.save(subscriber->user);
  return saved.ok() ? STREAMS_DEVICE_STATE_OK : fail(saved.error());
}

streams_device_state_result_t streams_device_state_load_author(streams_author** author,
                                                               streams_device_state_t* store,
                                                               streams_transport* transport) {
  return load_user(__func__, author, store, transport,
                   [](cs::DeviceStateStore& s, cs::Transport& t) { return s.load_author(t); });
}

streams_device_state_result_t streams_device_state_load_subscriber(streams_subscriber** subscriber,
                                                                   streams_device_state_t* store,
                                                                   streams_transport* transport) {
  return load_user(__func__, subscriber, store, transport,
                   [](cs::DeviceStateStore& s, cs::Transport& t) { return s.load_subscriber(t); });
}

uint32_t streams_device_state_sequence(const streams_device_state_t* store) {
  return store ? store->store.sequence() : 0;
}

}  // extern "C"
