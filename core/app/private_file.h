#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/result.h"

namespace aftercare {

/// Writes `bytes` to `path` owner-only (0600), durably (fsync) and atomically (a temporary file
/// renamed over it): a reader sees the old file or the whole new one, never half of it.
Status write_private_file(const std::filesystem::path& path, const std::string& bytes);

/// The most the app reads of each kind of file (read_file refuses more, naming the limit). An
/// export of a year of daily check-ins is well under 1 MiB.
inline constexpr std::uintmax_t kMaxExportBytes = 64 << 20;
inline constexpr std::uintmax_t kMaxManifestBytes = 1 << 20;
inline constexpr std::uintmax_t kMaxKeyFileBytes = 4096;

}  // namespace aftercare
