#include "storage/backups.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include <date/date.h>

#include "base/files.h"
#include "domain/archive.h"

namespace aftercare {

namespace {

// Renames `from` to `to` only if `to` does not exist; false with errno set otherwise (EEXIST).
bool rename_no_replace(const std::string& from, const std::string& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL) return false;
#endif
  // A file system without RENAME_NOREPLACE, or a C library without renameat2 (the browser's,
  // where one page is the only writer): checked, then renamed (not atomic there).
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    errno = EEXIST;
    return false;
  }
  return ::rename(from.c_str(), to.c_str()) == 0;
}

Error cannot_move(const std::string& file) {
  return Error(ErrorCode::kIo,
               "restore: cannot move " + file + " aside (" + std::strerror(errno) + ")");
}

// Sets `current` and its -wal and -shm aside as "aftercare.db.before-restore-20270614T093000Z",
// or "-2", "-3", ... after it when a restore in the same second set one aside already: a copy
// set aside is never replaced. When its -wal cannot follow it, the database is put back and
// nothing is restored (a -wal left behind would be replayed into the backup put in its place).
Result<std::filesystem::path> set_aside(const std::filesystem::path& current, Instant now) {
  const std::string base = current.string() + ".before-restore-" +
                           date::format("%Y%m%dT%H%M%SZ", date::floor<std::chrono::seconds>(now));
  std::error_code ec;
  for (int n = 1; n <= 1000; ++n) {
    const std::string name = n == 1 ? base : base + "-" + std::to_string(n);
    if (std::filesystem::exists(name + "-wal", ec) || std::filesystem::exists(name + "-shm", ec)) {
      continue;
    }
    if (!rename_no_replace(current.string(), name)) {
      if (errno == EEXIST) continue;
      return cannot_move(current.string());
    }
    for (const char* suffix : {"-wal", "-shm"}) {
      const std::string extra = current.string() + suffix;
      if (!std::filesystem::exists(extra, ec)) continue;
      if (!rename_no_replace(extra, name + suffix)) {
        Error error = cannot_move(extra);
        ::rename(name.c_str(), current.c_str());
        return error;
      }
    }
    return std::filesystem::path(name);
  }
  return Error(ErrorCode::kIo, "restore: " + base + ": a thousand copies set aside already");
}

// "aftercare-20270614T093000Z.db": the time it was taken, UTC, so that names sort by age.
std::string backup_name(Instant at) { return date::format("aftercare-%Y%m%dT%H%M%SZ.db", at); }

std::optional<Instant> backup_time(const std::string& name) {
  if (name.size() != 29 || name.rfind("aftercare-", 0) != 0 || name.substr(26) != ".db") {
    return std::nullopt;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(name.c_str() + 10, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) {
    return std::nullopt;
  }
  const date::year_month_day day{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!day.ok()) return std::nullopt;
  return Instant{date::sys_days{day}} + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(s);
}

}  // namespace

Result<std::vector<BackupInfo>> PatientBackups::list(const std::filesystem::path& data_dir) {
  std::vector<BackupInfo> found;
  std::error_code ec;
  const auto dir = data_dir / kDir;
  if (!std::filesystem::is_directory(dir, ec)) return found;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    const auto at = backup_time(item.path().filename().string());
    if (!at || !item.is_regular_file()) continue;
    found.push_back({item.path(), *at, item.file_size(ec)});
  }
  std::sort(found.begin(), found.end(),
            [](const BackupInfo& a, const BackupInfo& b) { return a.taken_at > b.taken_at; });
  return found;
}

Result<std::filesystem::path> PatientBackups::take(PatientStore& store,
                                                   const std::filesystem::path& data_dir,
                                                   Instant now) {
  if (data_dir.empty()) return invalid_input("backup: an in-memory database has no folder");
  const auto dir = data_dir / kDir;
  AFTERCARE_TRY(ensure_private_directory(dir));
  const auto file = dir / backup_name(date::floor<std::chrono::seconds>(now));
  AFTERCARE_TRY(store.backup_to(file));
  auto all = list(data_dir);
  if (!all) return all.error();
  for (std::size_t i = kKept; i < all->size(); ++i) {
    std::error_code ec;
    std::filesystem::remove((*all)[i].file, ec);
  }
  return file;
}

Status PatientBackups::take_if_due(PatientStore& store, const std::filesystem::path& data_dir,
                                   Instant now) {
  auto all = list(data_dir);
  if (!all) return all.error();
  if (!all->empty() && now - all->front().taken_at < std::chrono::hours(24) &&
      all->front().taken_at <= now) {
    return {};
  }
  auto made = take(store, data_dir, now);
  return made ? Status() : Status(made.error());
}

Result<std::filesystem::path> PatientBackups::restore(const std::filesystem::path& data_dir,
                                                      const std::filesystem::path& database,
                                                      const std::filesystem::path& backup,
                                                      Instant now) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(backup, ec)) {
    return invalid_input("restore: " + backup.string() + " is not a file");
  }
  // Checked on a copy: opening may migrate, and the backup itself stays as it is.
  const auto candidate = data_dir / (database.filename().string() + ".restoring");
  std::filesystem::remove(candidate, ec);
  std::filesystem::copy_file(backup, candidate, ec);
  if (ec) return Error(ErrorCode::kIo, "restore: cannot copy " + backup.string());
  std::filesystem::permissions(
      candidate, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  {
    auto store = open_patient_store(candidate);
    if (!store) {
      std::filesystem::remove(candidate, ec);
      return invalid_input("restore: " + backup.string() + ": " + store.error().message());
    }
    auto archive = (*store)->archive();
    const ChainCheck chain = archive ? verify_archive(*archive) : ChainCheck{};
    if (!archive || !chain.ok) {
      store->reset();
      std::filesystem::remove(candidate, ec);
      return invalid_input("restore: " + backup.string() + ": its log does not verify" +
                           (archive ? " (" + chain.problem + ")" : ""));
    }
  }
  const auto current = data_dir / database.filename();
  std::filesystem::path aside;
  if (std::filesystem::exists(current, ec)) {
    auto moved = set_aside(current, now);
    if (!moved) {
      std::filesystem::remove(candidate, ec);
      return moved.error();
    }
    aside = std::move(*moved);
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::remove(candidate.string() + suffix, ec);
  }
  std::filesystem::rename(candidate, current, ec);
  if (ec) return Error(ErrorCode::kIo, "restore: cannot put the backup in place");
  return aside;
}

}  // namespace aftercare
