#include "wal_vfs.h"

#include <sqlite3.h>

#include <cstddef>
#include <cstring>
#include <mutex>

namespace iota_streams::transports::store_detail {
namespace {

constexpr const char* kName = "streams-coalescing-wal";
// Bytes gathered before they go out anyway. The default VFS writes at most 0x1ffff bytes per call
// (its seekAndWriteFd masks the length to 17 bits, and a shorter write is reported as a full disk),
// so this is the most one write can carry: 31 frames of 4 KiB pages.
constexpr int kCapacity = 0x1ffff;

sqlite3_vfs* g_default = nullptr;
sqlite3_vfs g_vfs;

// A WAL file: ours first, the default VFS's file after it (in the same allocation).
struct WalFile {
  sqlite3_file base;
  sqlite3_file* real;
  unsigned char* pending;  // kCapacity bytes, or nullptr: no gathering (written through)
  int pending_size;
  sqlite3_int64 pending_offset;
};

constexpr size_t kRealOffset = (sizeof(WalFile) + 15) & ~size_t{15};

WalFile* wal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }

// Writes what was gathered; every call that reads, sizes, syncs or closes the file comes here
// first.
int flush(WalFile* file) {
  if (file->pending_size == 0) return SQLITE_OK;
  const int rc = file->real->pMethods->xWrite(file->real, file->pending, file->pending_size,
                                              file->pending_offset);
  file->pending_size = 0;  // on a failure the transaction fails; its frames are not kept
  return rc;
}

int wal_close(sqlite3_file* file) {
  WalFile* self = wal(file);
  const int flushed = flush(self);
  const int closed = self->real->pMethods ? self->real->pMethods->xClose(self->real) : SQLITE_OK;
  sqlite3_free(self->pending);
  self->pending = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile* self = wal(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xRead(self->real, out, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* self = wal(file);
  if (!self->pending || amount > kCapacity) {
    // Written through, after what was gathered: the writes reach the file in SQLite's order.
    if (const int rc = flush(self); rc != SQLITE_OK) return rc;
    return self->real->pMethods->xWrite(self->real, data, amount, offset);
  }
  const bool follows =
      self->pending_size > 0 && offset == self->pending_offset + self->pending_size;
  if (!follows || self->pending_size + amount > kCapacity) {
    // Elsewhere in the file (a frame rewritten, the log restarted), or full: what was gathered goes
    // out first, so the writes reach the file in SQLite's order.
    if (const int rc = flush(self); rc != SQLITE_OK) return rc;
    self->pending_offset = offset;
  }
  std::memcpy(self->pending + self->pending_size, data, static_cast<size_t>(amount));
  self->pending_size += amount;
  return SQLITE_OK;
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile* self = wal(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xTruncate(self->real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  WalFile* self = wal(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xSync(self->real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  WalFile* self = wal(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xFileSize(self->real, size);
}

int wal_lock(sqlite3_file* file, int lock) {
  return wal(file)->real->pMethods->xLock(wal(file)->real, lock);
}
int wal_unlock(sqlite3_file* file, int lock) {
  return wal(file)->real->pMethods->xUnlock(wal(file)->real, lock);
}
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  return wal(file)->real->pMethods->xCheckReservedLock(wal(file)->real, out);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
  WalFile* self = wal(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xFileControl(self->real, op, arg);
}

int wal_sector_size(sqlite3_file* file) {
  return wal(file)->real->pMethods->xSectorSize(wal(file)->real);
}
int wal_device_characteristics(sqlite3_file* file) {
  return wal(file)->real->pMethods->xDeviceCharacteristics(wal(file)->real);
}

// A WAL file has no shared memory and is never memory-mapped by SQLite; these pass on regardless.
int wal_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  return wal(file)->real->pMethods->xShmMap(wal(file)->real, page, size, extend, out);
}
int wal_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return wal(file)->real->pMethods->xShmLock(wal(file)->real, offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* file) {
  wal(file)->real->pMethods->xShmBarrier(wal(file)->real);
}
int wal_shm_unmap(sqlite3_file* file, int delete_flag) {
  return wal(file)->real->pMethods->xShmUnmap(wal(file)->real, delete_flag);
}
int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  WalFile* self = wal(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xFetch(self->real, offset, amount, out);
}
int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return wal(file)->real->pMethods->xUnfetch(wal(file)->real, offset, page);
}

const sqlite3_io_methods kWalMethods = {
    3,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    wal_shm_map,
    wal_shm_lock,
    wal_shm_barrier,
    wal_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

int open_file(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  // Every other file is the default VFS's own, in the space SQLite gave us (it is larger).
  if (!(flags & SQLITE_OPEN_WAL)) return g_default->xOpen(g_default, name, file, flags, out_flags);
  WalFile* self = wal(file);
  self->base.pMethods = nullptr;
  self->real =
      reinterpret_cast<sqlite3_file*>(reinterpret_cast<unsigned char*>(file) + kRealOffset);
  self->pending = nullptr;
  self->pending_size = 0;
  self->pending_offset = 0;
  const int rc = g_default->xOpen(g_default, name, self->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  // Without the memory the file is written through, as by the default VFS.
  self->pending = static_cast<unsigned char*>(sqlite3_malloc(kCapacity));
  self->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

}  // namespace

const char* coalescing_wal_vfs() {
  static std::once_flag once;
  static bool registered = false;
  std::call_once(once, [] {
    g_default = sqlite3_vfs_find(nullptr);
    if (!g_default || g_default->iVersion < 1) return;
    g_vfs = *g_default;
    g_vfs.pNext = nullptr;
    g_vfs.zName = kName;
    g_vfs.szOsFile = static_cast<int>(kRealOffset) + g_default->szOsFile;
    g_vfs.xOpen = open_file;
    registered = sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK;
  });
  return registered ? kName : nullptr;
}

}  // namespace iota_streams::transports::store_detail
