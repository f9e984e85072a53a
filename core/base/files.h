#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/result.h"

namespace aftercare {

/// The whole of a regular file, at most `max_bytes` of it, read through one open descriptor (so
/// that what was checked is what is read). Every error names the file:
/// - kInvalidInput when it is missing, cannot be opened (permissions), is not a regular file (a
///   folder, a FIFO or a device, which could block or never end: it is not waited on), or is
///   larger than `max_bytes`;
/// - kIo when reading it fails once open.
Result<std::string> read_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

/// Creates `dir` and its missing parents, each owner-only (0700): health data, that nobody else
/// may list or read. A folder already there keeps its mode (the app changes no folder it did
/// not create). kIo naming the folder when it cannot be created, is not a folder, or is not
/// one this user may write in.
Status ensure_private_directory(const std::filesystem::path& dir);

/// Syncs the folder that holds `path`, so that a rename or a link into it (a file put in place)
/// reaches the disk and survives a power cut. kIo naming `path` ("could not be saved") otherwise.
Status sync_folder_of(const std::filesystem::path& path);

/// "25 MiB", "1 MiB", "512 KiB", "300 bytes": a limit for messages.
std::string byte_size_text(std::uintmax_t bytes);

}  // namespace aftercare
