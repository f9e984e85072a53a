#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"
#include "storage/patient_store.h"

namespace aftercare {

// What the backups and the SQLite store share, inside storage only.

/// The names of the files in a data directory's backups folder: the rolling backups and the copy
/// made before a migration share them, so that one list and one rotation see both.
struct BackupName {
  Instant at;       ///< When it was taken (UTC, to the second).
  std::string tag;  ///< "" for a backup that passed its check; kUnverified; "schema-2".
};

/// A backup whose check failed: kept (it may still hold something), but it never counts as a
/// good one.
inline constexpr std::string_view kUnverified = "unverified";

/// "aftercare-20270614T093000Z.db", or "aftercare-20270614T093000Z-schema-2.db" with a tag: the
/// time first, so that names sort by age.
std::string backup_file_name(Instant at, std::string_view tag = {});

/// The time and tag of a backup's file name; nullopt for any other file.
std::optional<BackupName> parse_backup_file_name(const std::string& name);

/// open_patient_store for a copy being checked (a backup, before it is restored or counted): no
/// copy of it is made before it migrates, since it is a copy already.
Result<std::unique_ptr<PatientStore>> open_patient_store_copy(const std::filesystem::path& path);

}  // namespace aftercare
