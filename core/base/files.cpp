#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace aftercare {

namespace {

// Closes the descriptor on every way out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Status ensure_private_directory(const std::filesystem::path& dir) {
  // Each missing folder is created owner-only (0700): health data nobody else may list or read.
  // A folder that is already there keeps its mode: the app never changes what it did not make.
  std::filesystem::path made;
  for (const auto& part : dir.lexically_normal()) {
    made /= part;
    if (part.empty() || part == made.root_path()) continue;
    if (::mkdir(made.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error(ErrorCode::kIo,
                   made.string() + ": cannot create the folder (" + std::strerror(errno) + ")");
    }
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error(ErrorCode::kIo, dir.string() + ": is not a folder");
  }
  if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
    return Error(ErrorCode::kIo, dir.string() + ": no permission to write in this folder (" +
                                     std::strerror(errno) +
                                     "); give your user write access to it, or choose another");
  }
  return {};
}

Status sync_folder_of(const std::filesystem::path& path) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  if (fd >= 0) {
    if (::fsync(fd) != 0) error = errno;
    ::close(fd);
  }
  if (error != 0) {
    return Error(ErrorCode::kIo,
                 path.string() + ": could not be saved (" + std::strerror(error) + ")");
  }
  return {};
}

std::string byte_size_text(std::uintmax_t bytes) {
  constexpr std::uintmax_t kKiB = 1024, kMiB = 1024 * 1024;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= kKiB && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Result<std::string> read_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  const std::string name = path.string();
  // Non-blocking, so that opening a FIFO with no writer returns at once instead of waiting.
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)};
  if (file.fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return invalid_input(name + ": no such file");
    return invalid_input(name + ": cannot open (" + std::strerror(errno) + ")");
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) {
    return Error(ErrorCode::kIo, name + ": cannot read (" + std::strerror(errno) + ")");
  }
  if (!S_ISREG(info.st_mode)) {
    return invalid_input(name + ": not a regular file" +
                         (S_ISDIR(info.st_mode) ? " (a folder)" : " (a FIFO, socket or device)"));
  }
  // Blocking again for the reads (a regular file does not block, but a lease could say EAGAIN).
  if (const int flags = ::fcntl(file.fd, F_GETFL); flags >= 0) {
    (void)::fcntl(file.fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  const auto too_large = [&](std::uintmax_t size) {
    return invalid_input(name + ": too large (" + std::to_string(size) + " bytes; at most " +
                         byte_size_text(max_bytes) + ")");
  };
  const auto size = static_cast<std::uintmax_t>(info.st_size);
  if (size > max_bytes) return too_large(size);
  // The size is a hint (the file may grow while it is read): read to the end, within the limit.
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(file.fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return Error(ErrorCode::kIo, name + ": cannot read (" + std::strerror(errno) + ")");
    }
    if (got == 0) break;
    if (bytes.size() + static_cast<std::size_t>(got) > max_bytes) {
      return too_large(bytes.size() + static_cast<std::size_t>(got));
    }
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  return bytes;
}

}  // namespace aftercare
