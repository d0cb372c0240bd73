// The board's state flash: two slots of NOR flash kept in a host file through semihosting (so that
// it outlives a QEMU run, as flash outlives a power cut). Erasing sets a slot to 0xFF a sector at a
// time; programming clears bits a 32-bit word at a time. Every sector erase and word write is one
// flash operation; a power-cut point (set_power_cut) ends the run at the chosen operation, as if
// the power failed there, leaving the file as far as the flash had got.
#pragma once

#include <cstddef>
#include <cstdint>

#include "iota_streams/channels/device_state.h"

namespace board {

class SemihostFlash final : public iota_streams::channels::StateFlash {
 public:
  static constexpr size_t kSlotSize = 4096;
  static constexpr size_t kSector = 1024;
  // Opens (or creates, erased) the file `path` in QEMU's working directory.
  explicit SemihostFlash(const char* path);
  ~SemihostFlash() override;
  bool ok() const { return fd_ >= 0; }

  size_t slot_size() const override { return kSlotSize; }
  iota_streams::Result<void> read(unsigned slot, size_t offset,
                                  iota_streams::MutableByteSpan out) override;
  iota_streams::Result<void> erase(unsigned slot) override;
  iota_streams::Result<void> write(unsigned slot, size_t offset,
                                   iota_streams::ByteSpan data) override;

 private:
  iota_streams::Result<void> program_word(size_t at, const uint8_t* word, size_t size);
  int fd_ = -1;
};

// Flash operations (sector erases and word writes) since the start, over every SemihostFlash.
uint64_t flash_operations();
// Powers off (exit status 3) when the flash operation with this number (counted from 1) starts.
void set_power_cut(uint64_t operation);
inline constexpr int kPowerCutStatus = 3;

}  // namespace board
