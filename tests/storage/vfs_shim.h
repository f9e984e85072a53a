#pragma once

#include <sqlite3.h>

namespace aftercare::test {

/// What the test VFSs (FaultyVfs, PowerCutVfs) share: a file that wraps the default VFS's file,
/// which follows it in the same allocation, and methods that pass every call through.
struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real;
};

inline sqlite3_file* real_of(sqlite3_file* file) { return reinterpret_cast<ShimFile*>(file)->real; }

/// I/O methods (version 3) that pass every call to the real file; a VFS replaces those it
/// changes.
sqlite3_io_methods forwarding_io_methods();

/// A VFS named `name` in front of `real` (kept in pAppData) whose every method passes through;
/// its files are `file_size` bytes (a struct that starts with a ShimFile). The caller sets
/// xOpen, and any other method it changes.
sqlite3_vfs forwarding_vfs(sqlite3_vfs* real, const char* name, int file_size);

/// Opens `name` with the real VFS into the wrapped file, which gets `methods` when it opened.
int open_wrapped(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
                 int* out_flags, const sqlite3_io_methods* methods);

}  // namespace aftercare::test
