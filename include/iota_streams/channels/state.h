// Exporting and importing a user's whole state, protected by a password, in two formats:
//
//  - kNative (the default): versioned and complete. It carries everything, PSK secrets, the
//    single-depth anchor, the PSK-publishing flag, the pending messages and the last subscription
//    sent included (version 3; version 1 files, which have neither, still import). Argon2id derives
//    the key from the password (salt and cost in the file); the spongos encrypts every field and a
//    32-byte MAC closes it.
//  - kOfficial: the layout of the official 1.2 export (api/user.rs export/import), readable by the
//    official library and written by it. It cannot carry PSK secrets (PSK identities come back
//    without their key), the single-depth anchor, whether a subscriber publishes under its PSK, or
//    the last subscription's bytes; its key comes from the password by the spongos alone, without
//    stretching. Exporting a state with a pending message in it is refused (kBadState): the
//    official file would count the message as sent with nothing left to send it.
//
// A third form, for devices, is sealed with a 32-byte device key instead of a password (no
// stretching: an ESP32 has no 8 MiB for Argon2id): the same native body, with a header that carries
// a sequence number and a random nonce (export_sealed_state below; device_state.h keeps it in two
// flash slots).
//
// A wrong password or a damaged file gives an error (almost always "wrong password or damaged
// state") and never a partial state.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "iota_streams/channels/user.h"
#include "iota_streams/crypto/password.h"

namespace iota_streams::channels {

enum class StateFormat { kNative, kOfficial };

// The official export's role flag (Author::export = 0, Subscriber::export = 1); ours records it
// too.
enum class Role : uint8_t { kAuthor = 0, kSubscriber = 1 };

Result<std::vector<uint8_t>> export_state(const UserState& state, Role role,
                                          std::string_view password, StateFormat format,
                                          const crypto::PasswordCost& cost = {});

// At least the bytes an export of `state` takes, in any format or sealed (a little over: the room
// an export wraps into, so that it runs once; a buffer or a flash slot this large holds the file).
size_t state_file_room(const UserState& state);

// Whose state a file holds, read from its unencrypted header (no password needed); an error when
// the bytes are not a state file of that format.
Result<Role> state_role(ByteSpan bytes, StateFormat format);

// `options` sets the capacities of the rebuilt stores.
Result<UserState> import_state(ByteSpan bytes, Role role, std::string_view password,
                               StateFormat format, const UserOptions& options = {});

// ---- Sealed with a device key (device_state.h) ----
//
// Layout: "IOTASTRM" | 0x80 + native body version | role | sequence (u32, big-endian) | nonce[16],
// all absorbed by the spongos, then the device key, then the native body (every field masked) and a
// 32-byte MAC. The header is authenticated by the MAC, so the sequence number cannot be changed;
// the nonce makes the keystream of each save different although the key stays.
inline constexpr size_t kDeviceKeySize = 32;
using DeviceKey = Secret<kDeviceKeySize>;

Result<std::vector<uint8_t>> export_sealed_state(const UserState& state, Role role,
                                                 const DeviceKey& key, uint32_t sequence);

struct SealedState {
  Role role;
  uint32_t sequence;
  std::unique_ptr<UserState> state;  // on the heap: a device's stack is the scarcer memory
};

// The sequence number a sealed state's header claims, read without the key (nullopt when the bytes
// do not start like a sealed state). Not authenticated: only for choosing which state to open
// first.
std::optional<uint32_t> sealed_state_sequence(ByteSpan bytes);

// Any role; the caller checks `role`. kBadState when the bytes are not a sealed state (magic,
// version, length), kWrongPassword ("wrong device key or damaged state") when the MAC or a field
// does not check.
Result<SealedState> import_sealed_state(ByteSpan bytes, const DeviceKey& key,
                                        const UserOptions& options = {});

}  // namespace iota_streams::channels
