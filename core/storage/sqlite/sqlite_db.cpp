#include "storage/sqlite/sqlite_db.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/files.h"

namespace aftercare::sqlite {

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_real(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(ErrorCode::kStorage, std::string(sqlite3_errmsg(db_)));
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

Database::~Database() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  if (db_) sqlite3_close_v2(db_);
}

Result<Database> Database::open(const std::string& path, std::string name) {
  Database db;
  db.name_ = std::move(name);
  const int rc = sqlite3_open_v2(
      path.c_str(), &db.db_,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  if (rc != SQLITE_OK) {
    return Error(ErrorCode::kStorage, db.name_ + ": cannot open the database (" +
                                          (db.db_ ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc)) +
                                          ")");
  }
  sqlite3_busy_timeout(db.db_, 5000);
  return db;
}

Result<Database> Database::open_durable(const std::filesystem::path& path,
                                        const std::string& kind) {
  const std::string name = path.string();
  // Created here so that it is owner-only from its first byte; SQLite gives its -wal and -shm
  // files the same permissions.
  const int fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error(ErrorCode::kStorage,
                 name + ": cannot open or create (" + std::strerror(errno) + ")");
  }
  ::close(fd);
  auto db = open(name, name);
  if (!db) return db.error();
  // Turning WAL on needs a moment of the exclusive lock, for which SQLite does not wait on the
  // busy handler when other first opens hold their shared locks: those retry, for up to 10 s in
  // all (the busy handler off meanwhile, so that no attempt waits its own 5 s on top).
  sqlite3_busy_timeout(db->db_, 0);
  for (int attempt = 1;; ++attempt) {
    // Scoped: a pending statement would block the migrations' commits.
    auto mode = db->prepare("PRAGMA journal_mode = WAL");
    Result<bool> row = mode ? mode->step() : Result<bool>(mode.error());
    const int code = sqlite3_extended_errcode(db->db_) & 0xff;
    if (!row && (code == SQLITE_BUSY || code == SQLITE_LOCKED) && attempt < 100) {
      sqlite3_sleep(100);
      continue;
    }
    if (!row && is_machine_failure(row.error().message())) {
      // A full disk or a failing one says nothing of the file: no talk of damage, nor of backups.
      return Error(ErrorCode::kIo, name + ": cannot open (" + row.error().message() + ")");
    }
    if (!row) {
      return Error(ErrorCode::kStorage,
                   name + ": not " + kind + ", or damaged (" + row.error().message() + ")");
    }
    break;
  }
  sqlite3_busy_timeout(db->db_, 5000);
  AFTERCARE_TRY(db->exec("PRAGMA synchronous = FULL"));
  return db;
}

Status Database::backup_to(const std::filesystem::path& file) {
  // A name of its own (mkostemp: created exclusively, 0600, never through a planted link).
  std::string temporary = file.string() + ".partial-XXXXXX";
  const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kIo, temporary + ": cannot create (" + std::strerror(errno) + ")");
  }
  ::close(fd);
  sqlite3* target = nullptr;
  int rc = sqlite3_open_v2(temporary.c_str(), &target, SQLITE_OPEN_READWRITE, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_backup* backup = sqlite3_backup_init(target, "main", db_, "main");
    if (backup) {
      rc = sqlite3_backup_step(backup, -1);
      sqlite3_backup_finish(backup);
      rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    } else {
      rc = sqlite3_errcode(target);
    }
  }
  if (rc == SQLITE_OK) {
    // The copy is a plain rollback-journal file; make it durable before it replaces the old.
    rc = sqlite3_exec(target, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
  }
  const std::string message = target ? sqlite3_errmsg(target) : sqlite3_errstr(rc);
  sqlite3_close_v2(target);
  if (rc != SQLITE_OK) {
    std::filesystem::remove(temporary);
    return Error(ErrorCode::kStorage, file.string() + ": backup failed (" + message + ")");
  }
  // A backup whose fsync failed may not be on the disk: it is not one, and replaces nothing.
  const int sync_fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  const bool copy_synced = sync_fd >= 0 && ::fsync(sync_fd) == 0;
  if (sync_fd >= 0) ::close(sync_fd);
  std::error_code ec;
  if (!copy_synced) {
    std::filesystem::remove(temporary, ec);
    return Error(ErrorCode::kIo, file.string() + ": the backup could not be synced");
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return Error(ErrorCode::kIo, file.string() + ": cannot write the backup");
  }
  // The rename reaches the disk with the folder.
  if (!sync_folder_of(file)) {
    return Error(ErrorCode::kIo, file.string() + ": the backup could not be synced");
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return Statement(db_, it->second, true);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return error("preparing a query");
  }
  cache_.emplace(std::string(sql), stmt);
  return Statement(db_, stmt, true);
}

Status Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return Error(ErrorCode::kStorage, name_ + ": " + text);
  }
  return {};
}

bool Database::file_has_moved() const {
  int moved = 0;
  // An in-memory database has no file: SQLITE_NOTFOUND, and never moves.
  return sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK &&
         moved != 0;
}

Error Database::error(const std::string& doing) const {
  return Error(ErrorCode::kStorage, name_ + ": " + doing + " failed (" + sqlite3_errmsg(db_) + ")");
}

namespace {

// Transaction statements run on every write: prepared once per connection.
Status run_cached(Database& db, const char* sql) {
  auto statement = db.prepare(sql);
  if (!statement) return statement.error();
  if (auto status = statement->run(); !status) {
    return Error(ErrorCode::kStorage, db.name() + ": " + status.error().message());
  }
  return {};
}

}  // namespace

Result<Transaction> Transaction::begin(Database& db) {
  AFTERCARE_TRY(run_cached(db, "BEGIN IMMEDIATE"));
  Transaction transaction(db);
  // A database file renamed or removed under this connection (a restore set a damaged one
  // aside) would take the write into a file nobody opens again: refused before anything is.
  if (db.file_has_moved()) {
    return Error(ErrorCode::kConflict,
                 db.name() +
                     ": the database was replaced (restored) while this program had it open; "
                     "nothing was stored. Open it again.");
  }
  return transaction;
}

Transaction::~Transaction() {
  if (open_) (void)run_cached(*db_, "ROLLBACK");
}

Status Transaction::commit() {
  AFTERCARE_TRY(run_cached(*db_, "COMMIT"));
  open_ = false;
  return {};
}

FileState file_state(const std::filesystem::path& current, std::string& why) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(current.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, nullptr);
  std::string verdict;
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &stmt, nullptr);
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        verdict = text ? reinterpret_cast<const char*>(text) : "";
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
  }
  why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  sqlite3_close_v2(db);
  const int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return FileState::kDamaged;
  if (rc != SQLITE_OK) return FileState::kUnavailable;
  return verdict == "ok" ? FileState::kHealthy : FileState::kDamaged;
}

bool is_machine_failure(std::string_view message) {
  for (const int code : {SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, SQLITE_CANTOPEN, SQLITE_BUSY}) {
    if (message.find(sqlite3_errstr(code)) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace aftercare::sqlite
