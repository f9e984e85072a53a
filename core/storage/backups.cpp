#include "storage/backups.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include <date/date.h>

#include "base/files.h"
#include "domain/archive.h"
#include "storage/sqlite/sqlite_db.h"

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

// "aftercare.db.before-restore-20270614T093000Z", or "-2", "-3", ... after it when a restore in
// the same second set one aside already: a name not taken (with its -wal and -shm), or "" when a
// thousand are.
std::string aside_name(const std::filesystem::path& current, Instant now, int& n) {
  const std::string base = current.string() + ".before-restore-" +
                           date::format("%Y%m%dT%H%M%SZ", date::floor<std::chrono::seconds>(now));
  std::error_code ec;
  for (; n <= 1000; ++n) {
    const std::string name = n == 1 ? base : base + "-" + std::to_string(n);
    if (!std::filesystem::exists(name, ec) && !std::filesystem::exists(name + "-wal", ec) &&
        !std::filesystem::exists(name + "-shm", ec)) {
      return name;
    }
  }
  return {};
}

Error too_many_aside(const std::filesystem::path& current) {
  return Error(ErrorCode::kIo, "restore: " + current.string() +
                                   ": a thousand copies set aside in this second already");
}

// Sets a damaged `current` and its -wal and -shm aside under aside_name(): a copy set aside is
// never replaced. When its -wal cannot follow it, the database is put back and nothing is
// restored (a -wal left behind would be replayed into the backup put in its place).
Result<std::filesystem::path> set_aside(const std::filesystem::path& current, Instant now) {
  for (int n = 1;; ++n) {
    const std::string name = aside_name(current, now, n);
    if (name.empty()) return too_many_aside(current);
    if (!rename_no_replace(current.string(), name)) {
      if (errno == EEXIST) continue;
      return cannot_move(current.string());
    }
    std::error_code ec;
    for (const char* suffix : {"-wal", "-shm"}) {
      const std::string extra = current.string() + suffix;
      if (!std::filesystem::exists(extra, ec)) continue;
      if (!rename_no_replace(extra, name + suffix)) {
        Error error = cannot_move(extra);
        ::rename(name.c_str(), current.c_str());
        return error;
      }
    }
    AFTERCARE_TRY(sync_folder_of(current));
    return std::filesystem::path(name);
  }
}

// Every table's rows replaced by the attached "restored" database's, in `live`'s open
// transaction.
Status replace_rows(sqlite::Database& live) {
  std::vector<std::string> tables;
  {
    auto names = live.prepare(
        "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "UNION SELECT name FROM restored.sqlite_schema WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%'");
    if (!names) return names.error();
    for (;;) {
      auto row = names->step();
      if (!row) return live.error("listing the tables");
      if (!*row) break;
      tables.push_back(names->column_text(0));
    }
  }
  const auto quoted = [](const std::string& name) {
    std::string text = "\"";
    for (char c : name) text += c == '"' ? std::string("\"\"") : std::string(1, c);
    return text + "\"";
  };
  for (const std::string& table : tables) {
    // Both are at the current schema (each was opened as an aftercare database), so every table
    // is in both; the columns are named, in case their order differs between a database made at
    // this version and one migrated to it.
    std::string columns;
    {
      auto info = live.prepare("SELECT name FROM pragma_table_info(?, 'restored')");
      if (!info) return info.error();
      info->bind(1, table);
      for (;;) {
        auto row = info->step();
        if (!row) return live.error("reading the backup's table " + table);
        if (!*row) break;
        columns += (columns.empty() ? "" : ", ") + quoted(info->column_text(0));
      }
    }
    if (columns.empty()) {
      return invalid_input("restore: the backup has no table " + table + "; nothing was restored");
    }
    AFTERCARE_TRY(live.exec("DELETE FROM main." + quoted(table)));
    AFTERCARE_TRY(live.exec("INSERT INTO main." + quoted(table) + " (" + columns + ") SELECT " +
                            columns + " FROM restored." + quoted(table)));
  }
  return {};
}

// The restore of a database that opens: the checked copy's rows put in place of `current`'s in
// one transaction of `current` itself. Its file stays where it is, so a program that has it open
// sees the restored rows and can never write into a copy set aside. The rows it had are copied
// aside with SQLite's backup API, and the write lock (taken once a writer has committed, refused
// after 5 s of waiting) held from a moment no commit has come since that copy to the restore's
// own commit: every write acknowledged before the restore is in that copy, and every write after
// it is in the live database.
Result<std::filesystem::path> restore_in_place(const std::filesystem::path& current,
                                               const std::filesystem::path& candidate,
                                               Instant now) {
  auto live = sqlite::Database::open_durable(current, "an aftercare database");
  if (!live) return live.error();
  {
    auto attach = live->prepare("ATTACH DATABASE ? AS restored");
    if (!attach) return attach.error();
    attach->bind(1, candidate.string());
    if (!attach->run()) return live->error("opening the backup");
  }
  // The rows it had, copied aside first (the backup API reads the last commit; it cannot read
  // through a connection that is writing); then the write lock, and a copy made again should a
  // commit have come in between: the copy set aside is always the last commit before the restore.
  const auto data_version = [&]() -> Result<std::int64_t> {
    auto version = live->prepare("PRAGMA data_version");
    if (!version) return version.error();
    auto row = version->step();
    if (!row || !*row) return live->error("reading the database's version");
    return version->column_int(0);
  };
  int n = 1;
  const std::string aside = aside_name(current, now, n);
  if (aside.empty()) return too_many_aside(current);
  for (int attempt = 1;; ++attempt) {
    auto before = data_version();
    if (!before) return before.error();
    AFTERCARE_TRY(live->backup_to(aside));
    auto transaction = sqlite::Transaction::begin(*live);
    if (!transaction) {
      std::error_code ec;
      std::filesystem::remove(aside, ec);
      return Error(ErrorCode::kConflict,
                   "restore: another program is writing to " + current.string() +
                       " and did not finish within 5 seconds; nothing was restored. Try again "
                       "once it has (" +
                       transaction.error().message() + ")");
    }
    auto after = data_version();
    if (!after) return after.error();
    if (*after == *before) {
      Status replaced = replace_rows(*live);
      if (replaced) replaced = transaction->commit();
      if (!replaced) {
        std::error_code ec;
        std::filesystem::remove(aside, ec);  // the database is as it was: nothing to keep aside
        return replaced.error();
      }
      return std::filesystem::path(aside);
    }
    if (attempt == 5) {
      return Error(ErrorCode::kConflict, "restore: " + current.string() +
                                             " kept changing while it was copied aside; nothing "
                                             "was restored. Try again once it is quiet");
    }
  }
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
  // Checked on a copy: opening may migrate, and the backup itself stays as it is. A name of its
  // own (mkostemp: exclusive, owner-only), so that two restores at once each check their own.
  std::string copy_name =
      (data_dir / (database.filename().string() + ".restoring-XXXXXX")).string();
  const int fd = ::mkostemp(copy_name.data(), O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kIo,
                 "restore: cannot create " + copy_name + " (" + std::strerror(errno) + ")");
  }
  ::close(fd);
  const std::filesystem::path candidate = copy_name;
  std::filesystem::copy_file(backup, candidate, std::filesystem::copy_options::overwrite_existing,
                             ec);
  if (ec) {
    std::filesystem::remove(candidate, ec);
    return Error(ErrorCode::kIo, "restore: cannot copy " + backup.string());
  }
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
    // Opened (and migrated, like the copy) as the app would: when it opens, it is restored in
    // place; when it does not, nothing can write into it, and it is set aside as it is.
    // (A damaged one's writers, if any, are refused from the rename on: Transaction::begin.)
    if (open_patient_store(current).ok()) {
      auto restored = restore_in_place(current, candidate, now);
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(candidate.string() + suffix, ec);
      }
      return restored;
    }
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
  AFTERCARE_TRY(sync_folder_of(current));
  return aside;
}

}  // namespace aftercare
