#pragma once

#include <string>

namespace aftercare::test {

/// A SQLite VFS in front of the default one that fails on purpose: after `after` more writes
/// (or fsyncs) every write (or fsync) fails, as a full disk (SQLITE_FULL) or a failing device
/// (SQLITE_IOERR_FSYNC) would. Registered as the default VFS while an instance lives, so the
/// code under test opens its databases through it unchanged.
class FaultyVfs {
 public:
  enum class Fault { kWrite, kSync };
  FaultyVfs();
  ~FaultyVfs();
  FaultyVfs(const FaultyVfs&) = delete;
  FaultyVfs& operator=(const FaultyVfs&) = delete;

  /// Fails the `after`+1-th write (or fsync) from now, and every one after it.
  void arm(Fault fault, int after);
  void disarm();
  /// How many operations failed since the last arm.
  int failures() const;
};

}  // namespace aftercare::test
