#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "base/result.h"

namespace aftercare::sqlite {

/// One prepared statement. A statement from the connection's cache is reset for its next use on
/// destruction; any other is finalized. Bind indexes start at 1, columns at 0.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool cached = false)
      : db_(db), stmt_(stmt), cached_(cached) {}
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(other.stmt_), cached_(other.cached_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (!stmt_) return;
    if (cached_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    } else {
      sqlite3_finalize(stmt_);
    }
  }

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_real(int index, double value);

  /// True while a row is available; false when done; an error when the step failed.
  Result<bool> step();
  /// Runs the statement to completion, for statements that return no rows.
  Status run();

  std::int64_t column_int(int column) const;
  bool column_is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::string column_text(int column) const;
  double column_double(int column) const { return sqlite3_column_double(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool cached_ = false;
};

/// An open SQLite connection; closed on destruction.
class Database {
 public:
  Database() = default;
  Database(Database&& other) noexcept
      : db_(other.db_), name_(std::move(other.name_)), cache_(std::move(other.cache_)) {
    other.db_ = nullptr;
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database& operator=(Database&&) = delete;
  ~Database();

  /// Copies the whole database to `file` with SQLite's backup API (a consistent snapshot even
  /// while others write), owner-only, through a temporary file renamed into place.
  Status backup_to(const std::filesystem::path& file);

  /// Opens `path` for reading and writing, creating it if needed. `name` is used in messages.
  static Result<Database> open(const std::string& path, std::string name);

  /// Opens (creating owner-only, 0600, from its first byte) a database file for health data:
  /// WAL with synchronous=FULL, so a transaction that returned has reached the disk and survives
  /// a crash or a power cut. `kind` names it in messages ("an aftercare database").
  static Result<Database> open_durable(const std::filesystem::path& path, const std::string& kind);

  /// Prepares `sql` once per connection and hands out the same statement again (reset); for
  /// the fixed statements of the hot paths. One use at a time per statement.
  Result<Statement> prepare(std::string_view sql);
  Result<Statement> prepare(const std::string& sql) { return prepare(std::string_view(sql)); }
  Result<Statement> prepare(const char* sql) { return prepare(std::string_view(sql)); }
  /// Runs one or more statements that return no rows.
  Status exec(const std::string& sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  /// Rows changed by the last statement.
  int changes() const { return sqlite3_changes(db_); }

  /// True when the file this connection opened was renamed or removed since (another program
  /// put a different file in its place).
  bool file_has_moved() const;

  /// A kStorage error naming the database and SQLite's message.
  Error error(const std::string& doing) const;
  const std::string& name() const { return name_; }

 private:
  sqlite3* db_ = nullptr;
  std::string name_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

/// A transaction that rolls back unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_), open_(other.open_) {
    other.open_ = false;
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Database& db) : db_(&db), open_(true) {}
  Database* db_;
  bool open_;
};

/// What SQLite finds in a database file: kHealthy when its quick_check passes, kDamaged when it
/// is damaged or not a database, kUnavailable (with `why`) when it cannot tell (busy past 5 s,
/// out of file descriptors, ...).
enum class FileState { kHealthy, kDamaged, kUnavailable };
FileState file_state(const std::filesystem::path& file, std::string& why);

/// True when `message` (a storage error's) holds SQLite's words for a failure of the machine
/// rather than of the file: a full disk, an I/O error, no memory, a file that cannot be opened,
/// a lock held past the wait.
bool is_machine_failure(std::string_view message);

}  // namespace aftercare::sqlite
