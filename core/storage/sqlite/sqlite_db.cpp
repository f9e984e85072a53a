#include "storage/sqlite/sqlite_db.h"

namespace aftercare::sqlite {

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
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

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return error("preparing a query");
  }
  return Statement(db_, stmt);
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

Error Database::error(const std::string& doing) const {
  return Error(ErrorCode::kStorage, name_ + ": " + doing + " failed (" + sqlite3_errmsg(db_) + ")");
}

Result<Transaction> Transaction::begin(Database& db) {
  AFTERCARE_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(db);
}

Transaction::~Transaction() {
  if (open_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  AFTERCARE_TRY(db_->exec("COMMIT"));
  open_ = false;
  return {};
}

}  // namespace aftercare::sqlite
