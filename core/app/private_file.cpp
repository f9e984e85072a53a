#include "app/private_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/files.h"

namespace aftercare {

namespace {

Error cannot_save(const std::filesystem::path& path, int error) {
  return Error(ErrorCode::kIo,
               path.string() + ": could not be saved (" + std::strerror(error) + ")");
}

// `bytes` in a new temporary file beside `path` (mkostemp: a unique name, O_EXCL, 0600), synced;
// its name. Removed again on any failure.
Result<std::string> write_temporary(const std::filesystem::path& path, const std::string& bytes) {
  std::string name = path.string() + ".partial-XXXXXX";
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kIo, path.string() + ": cannot write (" + std::strerror(errno) + ")");
  }
  std::size_t done = 0;
  int error = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : ENOSPC;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  // A failed fsync means the data may not be on the disk: the write failed, whatever came before.
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(name.c_str());
    return cannot_save(path, error);
  }
  return name;
}

}  // namespace

Status write_private_file(const std::filesystem::path& path, const std::string& bytes) {
  return write_private_files({{path, bytes}});
}

Status write_private_files(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files) {
  std::vector<std::string> temporaries;
  const auto remove_all = [&] {
    for (const auto& name : temporaries) ::unlink(name.c_str());
  };
  for (const auto& [path, bytes] : files) {
    auto temporary = write_temporary(path, bytes);
    if (!temporary) {
      remove_all();
      return temporary.error();
    }
    temporaries.push_back(std::move(*temporary));
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (::rename(temporaries[i].c_str(), files[i].first.c_str()) != 0) {
      const int error = errno;
      for (std::size_t j = i; j < temporaries.size(); ++j) ::unlink(temporaries[j].c_str());
      return cannot_save(files[i].first, error);
    }
  }
  // Each folder once: an export and its manifest share one.
  std::vector<std::filesystem::path> synced;
  for (const auto& [path, bytes] : files) {
    const auto folder = path.parent_path();
    if (std::find(synced.begin(), synced.end(), folder) != synced.end()) continue;
    AFTERCARE_TRY(sync_folder_of(path));
    synced.push_back(folder);
  }
  return {};
}

Result<bool> create_private_file(const std::filesystem::path& path, const std::string& bytes) {
  auto temporary = write_temporary(path, bytes);
  if (!temporary) return temporary.error();
  // link() never replaces: of two processes creating the file at once, one links, one gets
  // EEXIST and reads the file the other made.
  int linked = ::link(temporary->c_str(), path.c_str());
  int error = errno;
  if (linked != 0 &&
      (error == EMLINK || error == EPERM || error == ENOSYS || error == EOPNOTSUPP)) {
    // A file system without hard links (the browser's, FAT): one process there, so a check
    // then a rename does the same.
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      ::unlink(temporary->c_str());
      return false;
    }
    linked = ::rename(temporary->c_str(), path.c_str());
    error = errno;
  }
  ::unlink(temporary->c_str());
  if (linked != 0) {
    if (error == EEXIST) return false;
    return cannot_save(path, error);
  }
  AFTERCARE_TRY(sync_folder_of(path));
  return true;
}

Result<std::string> read_secret_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return Error(ErrorCode::kIo, path.string() + ": a secret key others can read (mode " + mode +
                                     ") is not used; make it owner-only: chmod 600 " +
                                     path.string());
  }
  return read_file(path, kMaxKeyFileBytes);
}

OwnerOnly make_owner_only(const std::filesystem::path& file) {
  OwnerOnly result;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string name = file.string() + suffix;
    struct stat info {};
    if (::stat(name.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    const unsigned mode = info.st_mode & 07777;
    if ((mode & 077) == 0) continue;
    if (!result.was) {
      char text[8];
      std::snprintf(text, sizeof text, "%04o", mode);
      result.was = text;
    }
    // Checked again: some file systems (vfat, a network share) accept chmod and keep the mode.
    if (::chmod(name.c_str(), 0600) != 0) {
      result.problem = std::strerror(errno);
    } else if (::stat(name.c_str(), &info) != 0 || (info.st_mode & 077) != 0) {
      result.problem = "this file system keeps its mode";
    }
  }
  return result;
}

std::optional<Notice> owner_only_notice(const std::filesystem::path& file, const OwnerOnly& found) {
  if (!found.was) return std::nullopt;
  if (found.problem.empty()) {
    return Notice{NoticeId::kFileMadeOwnerOnly, {{"file", file.string()}, {"mode", *found.was}}};
  }
  return Notice{NoticeId::kFileNotOwnerOnly,
                {{"file", file.string()}, {"mode", *found.was}, {"problem", found.problem}}};
}

}  // namespace aftercare
