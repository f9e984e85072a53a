#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aftercare::test {

/// A SQLite VFS in front of the default one that simulates power cuts, as SQLite's own crash
/// tests do (test6.c): it remembers, for every file, what the disk held at that file's last
/// successful sync, and can make every write since then go lost or torn.
///
/// Armed at sync point N, the N-th sync from then on is the moment the power goes: that sync
/// does not happen and fails (SQLITE_IOERR_FSYNC), and so does every read, write, truncation,
/// sync and deletion after it, as for a machine that stopped. Once every connection is closed,
/// `power_on()` puts each file back as a disk would hold it after the cut: kDrop loses every
/// write since the file's last sync; kTear keeps or loses each 512-byte sector of them at random
/// (and the file's new length or its old one), with SQLite's "powersafe overwrite" assumption
/// kept: bytes outside what was written are never changed. The -shm files, memory only after a
/// cut, are removed.
///
/// `kFailOnce` models a failing disk instead: the N-th sync fails, the writes since that file's
/// last sync are lost as the kernel drops pages whose writeback failed, and everything after it
/// works, so code that retries a failed sync as if its data were safe is caught.
///
/// `kDiskFull` counts writes instead: from the N-th write on, every write fails with SQLITE_FULL
/// (nothing written is lost) until `power_on()`, which stands for space made free.
///
/// What it does not model: files written outside SQLite (exports, keys) and renames are taken as
/// durable at once; a deletion is durable when it returns.
///
/// Registered as the default VFS while an instance lives, so the code under test opens its
/// databases through it unchanged.
class PowerCutVfs {
 public:
  enum class Loss { kDrop, kTear, kFailOnce, kDiskFull };
  PowerCutVfs();
  ~PowerCutVfs();
  PowerCutVfs(const PowerCutVfs&) = delete;
  PowerCutVfs& operator=(const PowerCutVfs&) = delete;

  /// The `point`-th sync from now (1 the next; for kDiskFull the `point`-th write) is the cut;
  /// `seed` chooses the torn sectors.
  void arm(int point, Loss loss, std::uint32_t seed = 1);
  /// Counts syncs from now and cuts nowhere.
  void count_only();
  /// Syncs and writes seen since the last arm or count_only.
  int syncs() const;
  int writes() const;
  /// The file of each sync since the last arm or count_only, in order.
  std::vector<std::string> synced() const;
  /// True once the armed sync was reached.
  bool reached() const;
  /// After a cut, with every connection closed: applies the loss and lets I/O work again.
  void power_on();
};

}  // namespace aftercare::test
