#include "storage/vfs_shim.h"

namespace aftercare::test {

namespace {

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int x_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int x_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  return real_of(f)->pMethods->xRead(real_of(f), buffer, amount, offset);
}
int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  return real_of(f)->pMethods->xWrite(real_of(f), buffer, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) { return real_of(f)->pMethods->xSync(real_of(f), flags); }
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

int x_delete(sqlite3_vfs* vfs, const char* name, int sync) {
  return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync);
}
int x_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}
int x_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, size, out);
}
void* x_dl_open(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name);
}
void x_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  real_vfs(vfs)->xDlError(real_vfs(vfs), size, out);
}
void (*x_dl_sym(sqlite3_vfs* vfs, void* handle, const char* name))(void) {
  return real_vfs(vfs)->xDlSym(real_vfs(vfs), handle, name);
}
void x_dl_close(sqlite3_vfs* vfs, void* handle) { real_vfs(vfs)->xDlClose(real_vfs(vfs), handle); }
int x_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xRandomness(real_vfs(vfs), size, out);
}
int x_sleep(sqlite3_vfs* vfs, int micros) { return real_vfs(vfs)->xSleep(real_vfs(vfs), micros); }
int x_current_time(sqlite3_vfs* vfs, double* out) {
  return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}
int x_get_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xGetLastError(real_vfs(vfs), size, out);
}
int x_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}

}  // namespace

sqlite3_io_methods forwarding_io_methods() {
  return {3,
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
}

sqlite3_vfs forwarding_vfs(sqlite3_vfs* real, const char* name, int file_size) {
  sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = file_size + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = name;
  vfs.pAppData = real;
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
  return vfs;
}

int open_wrapped(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
                 int* out_flags, const sqlite3_io_methods* methods) {
  auto* wrapper = reinterpret_cast<ShimFile*>(file);
  // The real file follows the wrapper, whose size is the VFS's szOsFile less the real one's.
  sqlite3_vfs* real = real_vfs(vfs);
  wrapper->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + vfs->szOsFile -
                                                  real->szOsFile);
  const int rc = real->xOpen(real, name, wrapper->real, flags, out_flags);
  wrapper->base.pMethods = rc == SQLITE_OK && wrapper->real->pMethods ? methods : nullptr;
  return rc;
}

}  // namespace aftercare::test
