#include "storage/power_cut_vfs.h"

#include "storage/vfs_shim.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>

namespace aftercare::test {

namespace {

constexpr std::size_t kSector = 512;

// What the disk held for one file at its last successful sync (absent: the file did not exist).
using Durable = std::optional<std::string>;

struct State {
  std::mutex mutex;
  sqlite3_vfs* real = nullptr;
  PowerCutVfs::Loss loss = PowerCutVfs::Loss::kDrop;
  int cut_at = 0;  // 0: nowhere
  int syncs = 0;
  int writes = 0;
  bool full = false;  // kDiskFull reached: writes fail, nothing else
  bool reached = false;
  bool dead = false;
  std::uint32_t seed = 1;
  std::map<std::string, Durable> dirty;  // files written since their last sync
  std::set<std::string> main_files;      // databases opened, whose -shm a cut removes
  std::vector<std::string> synced;       // the file of each sync
};

State state;
sqlite3_vfs vfs;

struct File {
  sqlite3_file base;
  sqlite3_file* real;       // follows this struct in the same allocation
  const std::string* path;  // nullptr for SQLite's nameless temporary files
};

File* of(sqlite3_file* file) { return reinterpret_cast<File*>(file); }
sqlite3_file* real_of(sqlite3_file* file) { return of(file)->real; }

Durable contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void put(const std::string& path, const Durable& content) {
  if (!content) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return;
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << *content;
}

// Called with the mutex held, before a change to `file`: remembers what its last sync left.
void remember(sqlite3_file* file) {
  const std::string* path = of(file)->path;
  if (!path || state.dirty.count(*path)) return;
  state.dirty.emplace(*path, contents(*path));
}

// What a disk holds of `path` after the power went: `durable` with some of the sectors written
// since (`now`) kept.
std::string torn(const std::string& durable, const std::string& now, std::mt19937& random) {
  // The file's length is its new one or its old one.
  std::string result = random() % 2 ? now : durable;
  const std::size_t size = result.size();
  for (std::size_t sector = 0; sector * kSector < size; ++sector) {
    const std::size_t from = sector * kSector;
    const std::size_t n = std::min(kSector, size - from);
    const std::string old_part = from < durable.size() ? durable.substr(from, n) : std::string();
    const std::string new_part = from < now.size() ? now.substr(from, n) : std::string();
    if (old_part == new_part) continue;
    // Past the new end (a truncation since the last sync) nothing was written: the old bytes.
    if (from >= now.size()) {
      result.replace(from, n, old_part);
      continue;
    }
    std::string chosen = random() % 2 ? new_part : old_part;
    chosen.resize(n, '\0');  // past the end of the file as it was: nothing written there
    result.replace(from, n, chosen);
  }
  return result;
}

void lose(const std::string& path, const Durable& durable, PowerCutVfs::Loss loss,
          std::mt19937& random) {
  if (loss != PowerCutVfs::Loss::kTear) {
    put(path, durable);
    return;
  }
  const Durable now = contents(path);
  if (!now) {
    put(path, durable);
  } else if (!durable) {
    // Created since the last sync: its name may not have reached the disk either.
    if (random() % 2) {
      put(path, std::nullopt);
    } else {
      put(path, torn(std::string(), *now, random));
    }
  } else {
    put(path, torn(*durable, *now, random));
  }
}

int x_close(sqlite3_file* f) {
  const int rc = real_of(f)->pMethods->xClose(real_of(f));
  delete of(f)->path;
  of(f)->path = nullptr;
  return rc;
}
int x_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  {
    std::lock_guard lock(state.mutex);
    if (state.dead) return SQLITE_IOERR_READ;
  }
  return real_of(f)->pMethods->xRead(real_of(f), buffer, amount, offset);
}
int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  std::lock_guard lock(state.mutex);
  if (state.dead) return SQLITE_IOERR_WRITE;
  ++state.writes;
  if (state.loss == PowerCutVfs::Loss::kDiskFull && state.writes == state.cut_at) {
    state.reached = true;
    state.full = true;
  }
  if (state.full) return SQLITE_FULL;
  remember(f);
  return real_of(f)->pMethods->xWrite(real_of(f), buffer, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  std::lock_guard lock(state.mutex);
  if (state.dead) return SQLITE_IOERR_TRUNCATE;
  remember(f);
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  std::lock_guard lock(state.mutex);
  if (state.dead) return SQLITE_IOERR_FSYNC;
  ++state.syncs;
  const std::string* path = of(f)->path;
  state.synced.push_back(path ? *path : std::string("(temporary)"));
  if (state.syncs == state.cut_at && state.loss != PowerCutVfs::Loss::kDiskFull) {
    state.reached = true;
    if (state.loss != PowerCutVfs::Loss::kFailOnce) {
      state.dead = true;
      return SQLITE_IOERR_FSYNC;
    }
    // The kernel forgets the pages it could not write: the file is as its last sync left it (one
    // made since is empty; its name stays, as the file is still open).
    if (path) {
      auto found = state.dirty.find(*path);
      if (found != state.dirty.end()) {
        put(*path, found->second ? found->second : std::string());
        state.dirty.erase(found);
      }
    }
    return SQLITE_IOERR_FSYNC;
  }
  const int rc = real_of(f)->pMethods->xSync(real_of(f), flags);
  if (rc == SQLITE_OK && path) state.dirty.erase(*path);
  return rc;
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  {
    std::lock_guard lock(state.mutex);
    if (state.dead) return SQLITE_IOERR_FSTAT;
  }
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
// Version 2: no xFetch, so SQLite never writes through a memory map this VFS does not see.
const sqlite3_io_methods kMethods = [] {
  sqlite3_io_methods methods = forwarding_io_methods();
  methods.iVersion = 2;
  methods.xFetch = nullptr;
  methods.xUnfetch = nullptr;
  methods.xClose = x_close;
  methods.xRead = x_read;
  methods.xWrite = x_write;
  methods.xTruncate = x_truncate;
  methods.xSync = x_sync;
  methods.xFileSize = x_file_size;
  return methods;
}();

int x_open(sqlite3_vfs* self, sqlite3_filename name, sqlite3_file* file, int flags,
           int* out_flags) {
  of(file)->path = nullptr;
  {
    std::lock_guard lock(state.mutex);
    if (state.dead) {
      file->pMethods = nullptr;
      return SQLITE_IOERR;
    }
    if (name) {
      // A file the open creates did not exist at the last sync.
      if ((flags & SQLITE_OPEN_CREATE) && !std::filesystem::exists(name) &&
          !state.dirty.count(name)) {
        state.dirty.emplace(name, std::nullopt);
      }
      if (flags & SQLITE_OPEN_MAIN_DB) state.main_files.insert(name);
    }
  }
  const int rc = open_wrapped(self, name, file, flags, out_flags, &kMethods);
  if (rc == SQLITE_OK && file->pMethods && name) of(file)->path = new std::string(name);
  return rc;
}
int x_delete(sqlite3_vfs*, const char* name, int sync) {
  std::lock_guard lock(state.mutex);
  if (state.dead) return SQLITE_IOERR_DELETE;
  state.dirty.erase(name);
  return state.real->xDelete(state.real, name, sync);
}

}  // namespace

PowerCutVfs::PowerCutVfs() {
  std::lock_guard lock(state.mutex);
  state.real = sqlite3_vfs_find(nullptr);
  state.loss = Loss::kDrop;
  state.cut_at = 0;
  state.syncs = 0;
  state.writes = 0;
  state.full = false;
  state.reached = false;
  state.dead = false;
  state.seed = 1;
  state.dirty.clear();
  state.main_files.clear();
  state.synced.clear();
  vfs = forwarding_vfs(state.real, "aftercare-power-cut", static_cast<int>(sizeof(File)));
  vfs.xOpen = x_open;
  vfs.xDelete = x_delete;
  sqlite3_vfs_register(&vfs, 1);
}

PowerCutVfs::~PowerCutVfs() {
  sqlite3_vfs_unregister(&vfs);
  sqlite3_vfs_register(state.real, 1);
}

void PowerCutVfs::arm(int point, Loss loss, std::uint32_t seed) {
  std::lock_guard lock(state.mutex);
  state.cut_at = point;
  state.loss = loss;
  state.seed = seed;
  state.syncs = 0;
  state.writes = 0;
  state.full = false;
  state.synced.clear();
  state.reached = false;
  // Files of earlier runs whose folder is gone are no concern of the next cut.
  for (auto it = state.dirty.begin(); it != state.dirty.end();) {
    it = std::filesystem::exists(std::filesystem::path(it->first).parent_path())
             ? std::next(it)
             : state.dirty.erase(it);
  }
  for (auto it = state.main_files.begin(); it != state.main_files.end();) {
    it = std::filesystem::exists(std::filesystem::path(*it).parent_path())
             ? std::next(it)
             : state.main_files.erase(it);
  }
}

std::vector<std::string> PowerCutVfs::synced() const {
  std::lock_guard lock(state.mutex);
  return state.synced;
}

void PowerCutVfs::count_only() { arm(0, Loss::kDrop); }

int PowerCutVfs::syncs() const {
  std::lock_guard lock(state.mutex);
  return state.syncs;
}

int PowerCutVfs::writes() const {
  std::lock_guard lock(state.mutex);
  return state.writes;
}

bool PowerCutVfs::reached() const {
  std::lock_guard lock(state.mutex);
  return state.reached;
}

void PowerCutVfs::power_on() {
  std::lock_guard lock(state.mutex);
  if (state.dead) {
    std::mt19937 random(state.seed);
    for (const auto& [path, durable] : state.dirty) lose(path, durable, state.loss, random);
    for (const auto& file : state.main_files) {
      std::error_code ec;
      std::filesystem::remove(file + "-shm", ec);
    }
  }
  state.dirty.clear();
  state.dead = false;
  state.full = false;
  state.cut_at = 0;
}

}  // namespace aftercare::test
