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
#include "storage/backups_internal.h"
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
    std::vector<std::string> moved;
    for (const char* suffix : {"-wal", "-shm"}) {
      const std::string extra = current.string() + suffix;
      if (!std::filesystem::exists(extra, ec)) continue;
      if (!rename_no_replace(extra, name + suffix)) {
        Error error = cannot_move(extra);
        // Everything back as it was, its -wal and -shm before the database.
        for (const std::string& back : moved)
          ::rename((name + back).c_str(), (current.string() + back).c_str());
        ::rename(name.c_str(), current.c_str());
        return error;
      }
      moved.push_back(suffix);
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
  // The copy is made under a name of its own, and moved to a free before-restore name (never
  // replacing one) only under the write lock, before any row changes: from then on it is never
  // removed. Until then, whatever stops the restore removes it.
  std::string copy_name = current.string() + ".before-restore-copy-XXXXXX";
  const int fd = ::mkostemp(copy_name.data(), O_CLOEXEC);
  if (fd < 0) return cannot_move(current.string());
  ::close(fd);
  const auto drop_copy = [&] {
    std::error_code ec;
    std::filesystem::remove(copy_name, ec);
  };
  const auto fail = [&](Error error) {
    drop_copy();
    return error;
  };
  for (int attempt = 1;; ++attempt) {
    auto before = data_version();
    if (!before) return fail(before.error());
    if (Status copied = live->backup_to(copy_name); !copied) return fail(copied.error());
    auto transaction = sqlite::Transaction::begin(*live);
    if (!transaction) {
      return fail(Error(ErrorCode::kConflict,
                        "restore: cannot take the write lock on " + current.string() + " (" +
                            transaction.error().message() +
                            "); nothing was restored. When another program is writing to it, try "
                            "again once it has finished"));
    }
    auto after = data_version();
    if (!after) return fail(after.error());
    if (*after != *before) {
      if (attempt < 5) continue;  // a commit came in between: copied again
      return fail(Error(ErrorCode::kConflict,
                        "restore: " + current.string() +
                            " kept changing while it was copied aside; nothing was restored. "
                            "Try again once it is quiet"));
    }
    std::string aside;
    for (int n = 1;; ++n) {
      aside = aside_name(current, now, n);
      if (aside.empty()) return fail(too_many_aside(current));
      if (rename_no_replace(copy_name, aside)) break;
      if (errno != EEXIST) return fail(cannot_move(current.string()));
    }
    AFTERCARE_TRY(sync_folder_of(aside));
    Status replaced = replace_rows(*live);
    if (replaced) replaced = transaction->commit();
    if (!replaced) {
      // A failed commit may still reach the file (its frames replayed at the next open): the
      // copy set aside stays, whatever happened.
      return replaced.error().with_context("restore: the database it would replace is kept as " +
                                           aside);
    }
    return std::filesystem::path(aside);
  }
}

// A copy of `backup` (named `prefix`-XXXXXX: mkostemp, exclusive, owner-only, so that two at once
// each check their own), checked as a restore needs it: SQLite's integrity_check passes, it
// opens as an aftercare database (which may migrate the copy; the backup stays as it is), and
// its hash chain verifies. The copy's path; an error naming `backup` and what is wrong, with
// nothing left behind.
Result<std::filesystem::path> checked_copy(const std::filesystem::path& backup,
                                           const std::filesystem::path& prefix) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(backup, ec)) {
    return invalid_input(backup.string() + " is not a file");
  }
  std::string copy_name = prefix.string() + "-XXXXXX";
  const int fd = ::mkostemp(copy_name.data(), O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kIo, "cannot create " + copy_name + " (" + std::strerror(errno) + ")");
  }
  ::close(fd);
  const std::filesystem::path copy = copy_name;
  const auto refuse = [&](Error error) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(copy.string() + suffix, ec);
    }
    return error;
  };
  std::filesystem::copy_file(backup, copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return refuse(Error(ErrorCode::kIo, "cannot copy " + backup.string()));
  // A check that fails for want of room, memory or a working disk says nothing of the backup.
  const auto could_not_check = [&](const Error& error) {
    return refuse(Error(ErrorCode::kIo,
                        backup.string() + ": could not be checked (" + error.message() + ")"));
  };
  {
    auto db = sqlite::Database::open(copy.string(), backup.string());
    if (!db && sqlite::is_machine_failure(db.error().message())) return could_not_check(db.error());
    if (!db) return refuse(invalid_input(backup.string() + ": " + db.error().message()));
    auto check = db->prepare("PRAGMA integrity_check");
    auto row = check ? check->step() : Result<bool>(check.error());
    if (!row && sqlite::is_machine_failure(row.error().message())) {
      return could_not_check(row.error());
    }
    if (!row) {
      return refuse(invalid_input(backup.string() + ": not an aftercare database, or damaged (" +
                                  row.error().message() + ")"));
    }
    const std::string verdict = *row ? check->column_text(0) : "no answer";
    if (verdict != "ok") {
      return refuse(
          invalid_input(backup.string() + ": damaged (SQLite's integrity check: " + verdict + ")"));
    }
  }
  auto store = open_patient_store_copy(copy);
  if (!store && sqlite::is_machine_failure(store.error().message())) {
    return could_not_check(store.error());
  }
  if (!store) return refuse(invalid_input(backup.string() + ": " + store.error().message()));
  auto archive = (*store)->archive();
  store->reset();
  if (!archive && sqlite::is_machine_failure(archive.error().message())) {
    return could_not_check(archive.error());
  }
  const ChainCheck chain = archive ? verify_archive(*archive) : ChainCheck{};
  if (!archive || !chain.ok) {
    return refuse(invalid_input(backup.string() + ": its log does not verify" +
                                (archive ? " (" + chain.problem + ")" : "")));
  }
  return copy;
}

// The newest kKept backups stay, and the newest good one (checked when taken) whatever its age:
// days of backups of a damaged log never push out the last copy that can be restored.
void rotate(const std::filesystem::path& data_dir) {
  auto all = PatientBackups::list(data_dir);
  if (!all) return;
  bool good_kept = false;
  for (std::size_t i = 0; i < all->size(); ++i) {
    const auto name = parse_backup_file_name((*all)[i].file.filename().string());
    const bool good = name && name->tag.empty();
    if (i < static_cast<std::size_t>(PatientBackups::kKept) || (good && !good_kept)) {
      good_kept = good_kept || good;
      continue;
    }
    std::error_code ec;
    std::filesystem::remove((*all)[i].file, ec);
  }
}

// Backs `store` up now and checks the backup as a restore would; one that fails its check is
// kept under the "unverified" tag. The backup's path, and what is wrong with it ("" when good).
Result<std::pair<std::filesystem::path, std::string>> take_checked(
    PatientStore& store, const std::filesystem::path& data_dir, Instant now) {
  if (data_dir.empty()) return invalid_input("backup: an in-memory database has no folder");
  const auto dir = data_dir / PatientBackups::kDir;
  AFTERCARE_TRY(ensure_private_directory(dir));
  // Taken under a name no list shows, and named as a backup only once checked: within one
  // second, a good backup is replaced only by a good one.
  const auto taking = dir / ("taking-" + backup_file_name(now));
  AFTERCARE_TRY(store.backup_to(taking));
  std::string problem;
  auto file = dir / backup_file_name(now);
  if (auto copy = checked_copy(taking, dir / (taking.filename().string() + ".checking")); copy) {
    std::error_code ec;
    std::filesystem::remove(*copy, ec);
  } else if (copy.error().code() == ErrorCode::kIo) {
    // Not known to be bad, nor good: no backup, and the earlier ones stay as they are.
    std::error_code ec;
    std::filesystem::remove(taking, ec);
    return Error(ErrorCode::kIo, "backup: " + copy.error().message() +
                                     "; no backup was made, the earlier ones are kept");
  } else {
    problem = copy.error().message();
    if (problem.rfind(taking.string() + ": ", 0) == 0) {
      problem.erase(0, taking.string().size() + 2);  // the file is named by the caller
    }
    file = dir / backup_file_name(now, kUnverified);
  }
  std::error_code ec;
  std::filesystem::rename(taking, file, ec);
  if (ec) {
    std::filesystem::remove(taking, ec);
    return Error(ErrorCode::kIo, "backup: cannot write " + file.string());
  }
  AFTERCARE_TRY(sync_folder_of(file));
  rotate(data_dir);
  return std::pair{file, problem};
}

}  // namespace

std::string backup_file_name(Instant at, std::string_view tag) {
  return date::format("aftercare-%Y%m%dT%H%M%SZ", date::floor<std::chrono::seconds>(at)) +
         (tag.empty() ? "" : "-" + std::string(tag)) + ".db";
}

std::optional<BackupName> parse_backup_file_name(const std::string& name) {
  constexpr std::size_t kPrefix = 10, kTime = 16;  // "aftercare-", "20270614T093000Z"
  if (name.size() < kPrefix + kTime + 3 || name.rfind("aftercare-", 0) != 0 ||
      name.compare(name.size() - 3, 3, ".db") != 0) {
    return std::nullopt;
  }
  const std::string rest = name.substr(kPrefix + kTime, name.size() - 3 - kPrefix - kTime);
  if (!rest.empty() && (rest[0] != '-' || rest.size() == 1)) return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char zulu = 0;
  if (std::sscanf(name.c_str() + kPrefix, "%4d%2d%2dT%2d%2d%2d%c", &y, &mo, &d, &h, &mi, &s,
                  &zulu) != 7 ||
      zulu != 'Z') {
    return std::nullopt;
  }
  const date::year_month_day day{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!day.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return BackupName{Instant{date::sys_days{day}} + std::chrono::hours(h) +
                        std::chrono::minutes(mi) + std::chrono::seconds(s),
                    rest.empty() ? std::string() : rest.substr(1)};
}

Result<std::vector<BackupInfo>> PatientBackups::list(const std::filesystem::path& data_dir) {
  std::vector<BackupInfo> found;
  std::error_code ec;
  const auto dir = data_dir / kDir;
  if (!std::filesystem::is_directory(dir, ec)) return found;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    const auto name = parse_backup_file_name(item.path().filename().string());
    if (!name || !item.is_regular_file()) continue;
    found.push_back({item.path(), name->at, item.file_size(ec)});
  }
  std::sort(found.begin(), found.end(),
            [](const BackupInfo& a, const BackupInfo& b) { return a.taken_at > b.taken_at; });
  return found;
}

Result<std::filesystem::path> PatientBackups::take(PatientStore& store,
                                                   const std::filesystem::path& data_dir,
                                                   Instant now) {
  auto taken = take_checked(store, data_dir, now);
  if (!taken) return taken.error();
  if (!taken->second.empty()) {
    return Error(ErrorCode::kConflict, "backup: " + taken->first.string() +
                                           " was made but does not count as a backup: " +
                                           taken->second + ". The earlier backups are kept.");
  }
  return std::move(taken->first);
}

Status PatientBackups::take_if_due(PatientStore& store, const std::filesystem::path& data_dir,
                                   Instant now) {
  auto all = list(data_dir);
  if (!all) return all.error();
  // The newest backup not from the future (one taken with a clock set ahead, or with the CLI's
  // --at, does not stand for today's); without this, every open in the same second would try
  // the same name.
  for (const auto& backup : *all) {
    if (backup.taken_at > now) continue;
    if (now - backup.taken_at < std::chrono::hours(24)) return {};
    break;
  }
  // One that does not verify is kept as unverified and does not stop the app from opening: the
  // log's own check says what is wrong.
  auto made = take_checked(store, data_dir, now);
  return made ? Status() : Status(made.error());
}

Result<std::filesystem::path> PatientBackups::restore(const std::filesystem::path& data_dir,
                                                      const std::filesystem::path& database,
                                                      const std::filesystem::path& backup,
                                                      Instant now) {
  std::error_code ec;
  auto checked = checked_copy(backup, data_dir / (database.filename().string() + ".restoring"));
  if (!checked) return Error(checked.error().code(), "restore: " + checked.error().message());
  const std::filesystem::path candidate = std::move(*checked);
  const auto current = data_dir / database.filename();
  std::filesystem::path aside;
  if (std::filesystem::exists(current, ec)) {
    // A sound database (SQLite's quick_check) is opened and migrated as the app would, then
    // restored in place; a damaged one is set aside as it is (its writers, if any, are refused
    // from the rename on: Transaction::begin); one that cannot be looked at is left alone.
    std::string why;
    const auto state = sqlite::file_state(current, why);
    if (state == sqlite::FileState::kUnavailable) {
      std::filesystem::remove(candidate, ec);
      return Error(ErrorCode::kConflict, "restore: cannot look at " + current.string() + " (" +
                                             why + "); nothing was restored");
    }
    if (state == sqlite::FileState::kHealthy) {
      auto opened = open_patient_store(current);
      auto restored = opened ? (opened->reset(), restore_in_place(current, candidate, now))
                             : Result<std::filesystem::path>(opened.error());
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
