#include "storage/faulty_vfs.h"

#include <sqlite3.h>

#include <cstring>

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

struct File {
  sqlite3_file base;
  sqlite3_file* real;  // follows this struct in the same allocation
};

sqlite3_file* real_of(sqlite3_file* file) { return reinterpret_cast<File*>(file)->real; }

bool fails(FaultyVfs::Fault fault) {
  if (!state.armed || state.fault != fault) return false;
  if (state.remaining > 0) {
    --state.remaining;
    return false;
  }
  ++state.failures;
  return true;
}

int x_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int x_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  return real_of(f)->pMethods->xRead(real_of(f), buffer, amount, offset);
}
int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  if (fails(FaultyVfs::Fault::kWrite)) return SQLITE_FULL;
  return real_of(f)->pMethods->xWrite(real_of(f), buffer, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (fails(FaultyVfs::Fault::kSync)) return SQLITE_IOERR_FSYNC;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int lock) { return real_of(f)->pMethods->xLock(real_of(f), lock); }
int x_unlock(sqlite3_file* f, int lock) { return real_of(f)->pMethods->xUnlock(real_of(f), lock); }
int x_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int remove) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), remove);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real_of(f)->pMethods->xFetch(real_of(f), offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), offset, page);
}

const sqlite3_io_methods kMethods = {3,
                                     x_close,
                                     x_read,
                                     x_write,
                                     x_truncate,
                                     x_sync,
                                     x_file_size,
                                     x_lock,
                                     x_unlock,
                                     x_check_reserved,
                                     x_file_control,
                                     x_sector_size,
                                     x_device_characteristics,
                                     x_shm_map,
                                     x_shm_lock,
                                     x_shm_barrier,
                                     x_shm_unmap,
                                     x_fetch,
                                     x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* wrapper = reinterpret_cast<File*>(file);
  wrapper->real = reinterpret_cast<sqlite3_file*>(wrapper + 1);
  const int rc = state.real->xOpen(state.real, name, wrapper->real, flags, out_flags);
  wrapper->base.pMethods = rc == SQLITE_OK && wrapper->real->pMethods ? &kMethods : nullptr;
  return rc;
}
int x_delete(sqlite3_vfs*, const char* name, int sync) {
  return state.real->xDelete(state.real, name, sync);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return state.real->xAccess(state.real, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return state.real->xFullPathname(state.real, name, size, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return state.real->xDlOpen(state.real, name); }
void x_dl_error(sqlite3_vfs*, int size, char* out) { state.real->xDlError(state.real, size, out); }
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* name))(void) {
  return state.real->xDlSym(state.real, handle, name);
}
void x_dl_close(sqlite3_vfs*, void* handle) { state.real->xDlClose(state.real, handle); }
int x_randomness(sqlite3_vfs*, int size, char* out) {
  return state.real->xRandomness(state.real, size, out);
}
int x_sleep(sqlite3_vfs*, int micros) { return state.real->xSleep(state.real, micros); }
int x_current_time(sqlite3_vfs*, double* out) { return state.real->xCurrentTime(state.real, out); }
int x_get_last_error(sqlite3_vfs*, int size, char* out) {
  return state.real->xGetLastError(state.real, size, out);
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return state.real->xCurrentTimeInt64(state.real, out);
}

}  // namespace

FaultyVfs::FaultyVfs() {
  state = State{};
  state.real = sqlite3_vfs_find(nullptr);
  vfs = sqlite3_vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(File)) + state.real->szOsFile;
  vfs.mxPathname = state.real->mxPathname;
  vfs.zName = "aftercare-faulty";
  vfs.xOpen = x_open;
  vfs.xDelete = x_delete;
  vfs.xAccess = x_access;
  vfs.xFullPathname = x_full_pathname;
  vfs.xDlOpen = x_dl_open;
  vfs.xDlError = x_dl_error;
  vfs.xDlSym = x_dl_sym;
  vfs.xDlClose = x_dl_close;
  vfs.xRandomness = x_randomness;
  vfs.xSleep = x_sleep;
  vfs.xCurrentTime = x_current_time;
  vfs.xGetLastError = x_get_last_error;
  vfs.xCurrentTimeInt64 = x_current_time_int64;
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
