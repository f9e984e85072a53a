#include "storage/faulty_vfs.h"

#include <sqlite3.h>

#include "storage/vfs_shim.h"

namespace aftercare::test {

namespace {

struct State {
  sqlite3_vfs* real = nullptr;
  bool armed = false;
  FaultyVfs::Fault fault = FaultyVfs::Fault::kWrite;
  int remaining = 0;
  int failures = 0;
};

State state;
sqlite3_vfs vfs;

bool fails(FaultyVfs::Fault fault) {
  if (!state.armed || state.fault != fault) return false;
  if (state.remaining > 0) {
    --state.remaining;
    return false;
  }
  ++state.failures;
  return true;
}

int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  if (fails(FaultyVfs::Fault::kWrite)) return SQLITE_FULL;
  return real_of(f)->pMethods->xWrite(real_of(f), buffer, amount, offset);
}
int x_sync(sqlite3_file* f, int flags) {
  if (fails(FaultyVfs::Fault::kSync)) return SQLITE_IOERR_FSYNC;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}

const sqlite3_io_methods kMethods = [] {
  sqlite3_io_methods methods = forwarding_io_methods();
  methods.xWrite = x_write;
  methods.xSync = x_sync;
  return methods;
}();

int x_open(sqlite3_vfs* self, sqlite3_filename name, sqlite3_file* file, int flags,
           int* out_flags) {
  return open_wrapped(self, name, file, flags, out_flags, &kMethods);
}

}  // namespace

FaultyVfs::FaultyVfs() {
  state = State{};
  state.real = sqlite3_vfs_find(nullptr);
  vfs = forwarding_vfs(state.real, "aftercare-faulty", static_cast<int>(sizeof(ShimFile)));
  vfs.xOpen = x_open;
  sqlite3_vfs_register(&vfs, 1);
}

FaultyVfs::~FaultyVfs() {
  sqlite3_vfs_unregister(&vfs);
  sqlite3_vfs_register(state.real, 1);
}

void FaultyVfs::arm(Fault fault, int after) {
  state.armed = true;
  state.fault = fault;
  state.remaining = after;
  state.failures = 0;
}

void FaultyVfs::disarm() { state.armed = false; }

int FaultyVfs::failures() const { return state.failures; }

}  // namespace aftercare::test
