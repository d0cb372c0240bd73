#include "device_flash.h"

#include <fcntl.h>
#include <unistd.h>

extern "C" {
#include <semihost.h>  // picolibc's header has no extern "C" of its own
}

#include <cstdio>
#include <cstring>

#include "board.h"

namespace board {
namespace {

uint64_t operations = 0;
uint64_t cut_at = 0;  // 0: no power cut planned

iota_streams::Error flash_error(const char* what) {
  return iota_streams::Error(iota_streams::Errc::kStateStoreFailure,
                             std::string("board flash: ") + what + " failed");
}

// One flash operation begins: the power fails here when planned so.
void operation() {
  ++operations;
  if (cut_at != 0 && operations == cut_at) {
    std::printf("POWER CUT at flash operation %llu\n", static_cast<unsigned long long>(operations));
    power_off(kPowerCutStatus);
  }
}

}  // namespace

uint64_t flash_operations() { return operations; }
void set_power_cut(uint64_t operation_number) { cut_at = operation_number; }

SemihostFlash::SemihostFlash(const char* path) {
  // picolibc's open() maps O_RDWR to "a+" (every write appends) or, with O_TRUNC, "w+" (the file is
  // emptied): the flash needs "r+b", which only the semihosting call itself takes.
  fd_ = sys_semihost_open(path, SH_OPEN_R_PLUS_B);
  if (fd_ >= 0) return;
  fd_ = sys_semihost_open(path, SH_OPEN_W_PLUS_B);  // a new device: its flash comes erased
  if (fd_ < 0) return;
  uint8_t erased[kSector];
  std::memset(erased, 0xFF, sizeof erased);
  for (size_t at = 0; at < iota_streams::channels::kStateSlots * kSlotSize; at += kSector) {
    if (::write(fd_, erased, sizeof erased) != static_cast<ssize_t>(sizeof erased)) {
      close(fd_);
      fd_ = -1;
      return;
    }
  }
}

SemihostFlash::~SemihostFlash() {
  if (fd_ >= 0) close(fd_);
}

iota_streams::Result<void> SemihostFlash::read(unsigned slot, size_t offset,
                                               iota_streams::MutableByteSpan out) {
  if (fd_ < 0 || slot >= iota_streams::channels::kStateSlots || offset + out.size() > kSlotSize)
    return flash_error("read");
  if (lseek(fd_, static_cast<off_t>(slot * kSlotSize + offset), SEEK_SET) < 0 ||
      ::read(fd_, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
    return flash_error("read");
  }
  return iota_streams::ok_result();
}

iota_streams::Result<void> SemihostFlash::erase(unsigned slot) {
  if (fd_ < 0 || slot >= iota_streams::channels::kStateSlots) return flash_error("erase");
  uint8_t erased[kSector];
  std::memset(erased, 0xFF, sizeof erased);
  for (size_t at = 0; at < kSlotSize; at += kSector) {
    operation();
    if (lseek(fd_, static_cast<off_t>(slot * kSlotSize + at), SEEK_SET) < 0 ||
        ::write(fd_, erased, sizeof erased) != static_cast<ssize_t>(sizeof erased)) {
      return flash_error("erase");
    }
  }
  return iota_streams::ok_result();
}

// NOR programming: the word's bits can only go from 1 to 0.
iota_streams::Result<void> SemihostFlash::program_word(size_t at, const uint8_t* word,
                                                       size_t size) {
  operation();
  uint8_t cells[4];
  if (lseek(fd_, static_cast<off_t>(at), SEEK_SET) < 0 ||
      ::read(fd_, cells, size) != static_cast<ssize_t>(size)) {
    return flash_error("write");
  }
  for (size_t i = 0; i < size; ++i) cells[i] &= word[i];
  if (lseek(fd_, static_cast<off_t>(at), SEEK_SET) < 0 ||
      ::write(fd_, cells, size) != static_cast<ssize_t>(size)) {
    return flash_error("write");
  }
  return iota_streams::ok_result();
}

iota_streams::Result<void> SemihostFlash::write(unsigned slot, size_t offset,
                                                iota_streams::ByteSpan data) {
  if (fd_ < 0 || slot >= iota_streams::channels::kStateSlots || offset + data.size() > kSlotSize) {
    return flash_error("write");
  }
  const size_t base = slot * kSlotSize + offset;
  for (size_t i = 0; i < data.size(); i += 4) {
    const size_t size = data.size() - i < 4 ? data.size() - i : 4;
    STREAMS_TRY(program_word(base + i, data.data() + i, size));
  }
  return iota_streams::ok_result();
}

}  // namespace board
