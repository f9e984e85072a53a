#pragma once

#include <filesystem>
#include <string>

#include "base/result.h"

namespace aftercare {

/// Writes `bytes` to `path` owner-only (0600), durably (fsync) and atomically (a temporary file
/// renamed over it): a reader sees the old file or the whole new one, never half of it.
Status write_private_file(const std::filesystem::path& path, const std::string& bytes);

}  // namespace aftercare
