// A SQLite VFS that coalesces the writes to a WAL file (internal to the store).
#pragma once

namespace iota_streams::transports::store_detail {

// The name of a VFS that is the default one except for WAL files: their writes are gathered in
// memory while they follow each other and written with one pwrite before anything else touches the
// file (a sync, a read, a truncate, its size, a file control, a close). SQLite writes each WAL
// frame with two writes (its header, then the page), so a commit of N pages costs 2N calls without
// it and one with it; what reaches the disk, and when the sync says it is there, is unchanged.
// Registered on first use; nullptr (use the default VFS) when it cannot be.
const char* coalescing_wal_vfs();

}  // namespace iota_streams::transports::store_detail
