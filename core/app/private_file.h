#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace aftercare {

/// Writes `bytes` to `path` owner-only (0600), durably (fsync) and atomically: a temporary file
/// of its own (a unique name beside `path`, created exclusively, never through a link) renamed
/// over it, and the folder synced. A reader sees the old file or the whole new one, never half;
/// two writers at once each write whole files, and the later rename wins.
Status write_private_file(const std::filesystem::path& path, const std::string& bytes);

/// Several files as one unit (an export and its manifest): every one is written and synced to a
/// temporary file before any replaces what is there, so that a failure while writing (a full
/// disk, a failed fsync) leaves every previous file as it was. They are then renamed in order,
/// the last one last (the manifest, which names the others' digests).
Status write_private_files(const std::vector<std::pair<std::filesystem::path, std::string>>& files);

/// Creates `path` owner-only holding `bytes`, durably, only if no file is there: written to a
/// temporary file, then linked into place, which fails rather than replace a file another
/// process created meanwhile. True when this call created it, false when one was already there
/// (read that one: a key two first runs raced to create is the same key for both).
Result<bool> create_private_file(const std::filesystem::path& path, const std::string& bytes);

/// What make_owner_only found: the mode the file (or its -wal or -shm) had when others could read
/// or write it ("0644"; absent when it was owner-only or is not there), and why it could not be
/// made owner-only (empty when it now is).
struct OwnerOnly {
  std::optional<std::string> was;
  std::string problem;
};

/// Makes an existing health-data file, and its SQLite -wal and -shm beside it, owner-only (0600)
/// when others may read or write it (a copy, a restore from elsewhere, a wide umask). A file
/// system that refuses or ignores the change is reported, not an error: the data stays usable.
OwnerOnly make_owner_only(const std::filesystem::path& file);
/// The notice that tells what make_owner_only did to `file` (kFileMadeOwnerOnly, or
/// kFileNotOwnerOnly with the problem); none when it was owner-only.
std::optional<Notice> owner_only_notice(const std::filesystem::path& file, const OwnerOnly& found);

/// A secret key's file, read only when it is owner-only: one that others could read (a copy,
/// a wrong umask) may have leaked, and is refused with its mode and the fix.
Result<std::string> read_secret_file(const std::filesystem::path& path);

/// The most the app reads of each kind of file (read_file refuses more, naming the limit). An
/// export of a year of daily check-ins is well under 1 MiB; parsing one takes up to 14 times its
/// size in memory (a file of nothing but small numbers), so 8 MiB keeps an import under 256 MB.
/// `clinic import --max-size` raises the export limit.
inline constexpr std::uintmax_t kMaxExportBytes = 8 << 20;
inline constexpr std::uintmax_t kMaxManifestBytes = 1 << 20;
inline constexpr std::uintmax_t kMaxKeyFileBytes = 4096;

}  // namespace aftercare
