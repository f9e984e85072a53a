#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "storage/patient_store.h"

namespace aftercare {

/// One rolling backup of the patient database.
struct BackupInfo {
  std::filesystem::path file;
  Instant taken_at;
  std::uintmax_t bytes = 0;
};

/// The rolling backups of a patient database, in a folder of its data directory: owner-only,
/// named by the time they were taken (UTC, so that names sort by age), one a day at most (made
/// when the app opens), the newest kKept kept.
class PatientBackups {
 public:
  static constexpr const char* kDir = "backups";
  static constexpr int kKept = 7;

  /// The backups in `data_dir`, newest first.
  static Result<std::vector<BackupInfo>> list(const std::filesystem::path& data_dir);
  /// Backs `store` up into `data_dir` now (keeping only the newest kKept); the backup's path.
  static Result<std::filesystem::path> take(PatientStore& store,
                                            const std::filesystem::path& data_dir, Instant now);
  /// A backup when the newest not taken in the future (by this clock) is a day old, or there is
  /// none.
  static Status take_if_due(PatientStore& store, const std::filesystem::path& data_dir,
                            Instant now);
  /// Puts `backup` back as `database` (a file in `data_dir`). The backup is checked first, on a
  /// copy (it must open as an aftercare database and its chain must verify); the current
  /// database, even a damaged one, is kept aside as DATABASE.before-restore-<time> (with -2, -3
  /// when that name is taken: never replaced), whose path is returned; empty when there was
  /// none. A sound database is restored in place, in one transaction under its write lock (a
  /// writer holding it past 5 s gets kConflict, nothing changed); a damaged one is never
  /// written to but renamed aside, so restore is the way out when the database is damaged. A
  /// check that could not run (a full disk) is kIo.
  static Result<std::filesystem::path> restore(const std::filesystem::path& data_dir,
                                               const std::filesystem::path& database,
                                               const std::filesystem::path& backup, Instant now);
};

}  // namespace aftercare
