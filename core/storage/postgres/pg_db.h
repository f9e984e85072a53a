#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

// libpq's handles (PGconn, PGresult), declared so that its header stays in pg_db.cpp.
struct pg_conn;
struct pg_result;

namespace aftercare::pg {

/// A statement's parameters as text ($1, $2, …); PostgreSQL converts each to its column's type.
/// nullopt is NULL.
using Params = std::vector<std::optional<std::string>>;

/// The outcome of one statement: its rows, or how many rows it changed.
class Rows {
 public:
  int size() const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  double real(int row, int column) const;
  /// Rows inserted, updated or deleted.
  std::int64_t changed() const;

 private:
  friend class Connection;
  explicit Rows(pg_result* result);
  /// Whether the statement succeeded (with or without rows).
  bool ok() const;
  std::shared_ptr<pg_result> result_;
};

/// One connection to a PostgreSQL server, through libpq. Not shared between threads. A connection
/// the server dropped (a restart, a network cut) is made again before the next statement,
/// unless a transaction was open on it: then that transaction's statements fail, and only the
/// one after its end reconnects, so no statement of it ever runs outside it.
class Connection {
 public:
  /// Connects with a libpq URI (`postgresql://user@host:port/db?sslmode=…`). Server notices are
  /// not printed; unless the URI says otherwise, an attempt gives up after 10 s, and a server
  /// off this machine must present a certificate that verifies for its name (verify-full).
  static Result<Connection> open(const std::string& uri);

  /// Runs one statement; `doing` names it in an error ("storing the patient").
  Result<Rows> exec(const char* sql, const Params& params, const std::string& doing);
  /// Runs statements without parameters (several at once, as in a migration).
  Status run(const char* sql, const std::string& doing);

  /// The URI without its password, to name the database in messages.
  const std::string& where() const { return where_; }

 private:
  friend class Transaction;
  Connection(pg_conn* conn, std::string where);
  Error error(const std::string& doing) const;
  void reconnect_if_dropped();

  std::shared_ptr<pg_conn> conn_;
  std::string where_;
  bool in_transaction_ = false;
};

/// BEGIN … COMMIT, rolled back unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& connection);
  Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;
};

/// `uri` with any password left out (`postgresql://clinic@db.example/clinic`).
std::string redacted_uri(const std::string& uri);

}  // namespace aftercare::pg
