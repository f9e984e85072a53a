#include "storage/postgres/pg_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>

#include "base/loopback.h"

namespace aftercare::pg {

namespace {

// libpq's messages end with a newline and may run over several lines: one line for ours.
std::string one_line(const char* message) {
  std::string text;
  for (const char* c = message ? message : ""; *c; ++c) {
    const bool space = *c == '\n' || *c == '\t' || *c == ' ';
    if (space && (text.empty() || text.back() == ' ')) continue;
    text += space ? ' ' : *c;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

void ignore_notice(void*, const char*) {}

}  // namespace

std::string redacted_uri(const std::string& uri) {
  std::string out = uri;
  // Any query parameters (`?password=…`, `?sslpassword=…`) are left out whole.
  if (const auto query = out.find('?'); query != std::string::npos) out.erase(query);
  const auto scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const auto host = scheme + 3;
  const auto at = out.find('@', host);
  if (at == std::string::npos) return out;
  if (const auto colon = out.find(':', host); colon != std::string::npos && colon < at) {
    out.erase(colon, at - colon);
  }
  return out;
}

Rows::Rows(pg_result* result) : result_(result, PQclear) {}

bool Rows::ok() const {
  const auto status = PQresultStatus(result_.get());
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

int Rows::size() const { return PQntuples(result_.get()); }

bool Rows::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string Rows::text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t Rows::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

double Rows::real(int row, int column) const {
  return std::strtod(PQgetvalue(result_.get(), row, column), nullptr);
}

std::int64_t Rows::changed() const {
  const char* count = PQcmdTuples(result_.get());
  return *count ? std::strtoll(count, nullptr, 10) : 0;
}

Connection::Connection(pg_conn* conn, std::string where)
    : conn_(conn, PQfinish), where_(std::move(where)) {}

Result<Connection> Connection::open(const std::string& uri) {
  const std::string where = redacted_uri(uri);
  // Across a network the server's certificate is checked (unless the URI says otherwise):
  // health data does not travel in clear. On this machine (loopback, a Unix socket) it stays.
  bool local = true;
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &parse_error);
  if (!options) {
    const std::string reason = one_line(parse_error);
    PQfreemem(parse_error);
    return Error(ErrorCode::kInvalidInput, where + ": not a PostgreSQL URI (" + reason + ")");
  }
  for (const PQconninfoOption* option = options; option->keyword; ++option) {
    const std::string keyword = option->keyword;
    if ((keyword != "host" && keyword != "hostaddr") || !option->val) continue;
    std::string hosts = option->val;
    for (std::size_t start = 0; start <= hosts.size();) {
      const auto comma = std::min(hosts.find(',', start), hosts.size());
      const std::string host = hosts.substr(start, comma - start);
      local = local && (host.empty() || host[0] == '/' || is_loopback_host(host));
      start = comma + 1;
    }
  }
  PQconninfoFree(options);
  // Defaults before the URI (what it says wins); the encoding after it (archives are UTF-8
  // whatever PGCLIENTENCODING says).
  // One push_back at a time: GCC 12 at -O3 reports a false -Wrestrict on vector::insert here.
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  const auto option = [&](const char* keyword, const char* value) {
    keywords.push_back(keyword);
    values.push_back(value);
  };
  option("connect_timeout", "10");
  option("application_name", "aftercare");
  if (!local) option("sslmode", "verify-full");
  option("dbname", uri.c_str());
  option("client_encoding", "UTF8");
  option(nullptr, nullptr);
  PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), 1);
  Connection connection(conn, where);
  if (!conn) return Error(ErrorCode::kStorage, where + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    return Error(ErrorCode::kStorage, where + ": cannot connect to the clinic database (" +
                                          one_line(PQerrorMessage(conn)) + ")");
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return connection;
}

Error Connection::error(const std::string& doing) const {
  // A constraint's refusal (SQLSTATE 23xxx) too: the store's own writes never race into one
  // (ON CONFLICT absorbs duplicates), so it is a bad row, not another writer.
  return Error(ErrorCode::kStorage,
               where_ + ": " + doing + " failed (" + one_line(PQerrorMessage(conn_.get())) + ")");
}

void Connection::reconnect_if_dropped() {
  if (!in_transaction_ && PQstatus(conn_.get()) == CONNECTION_BAD) PQreset(conn_.get());
}

Result<Rows> Connection::exec(const char* sql, const Params& params, const std::string& doing) {
  reconnect_if_dropped();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  Rows rows(PQexecParams(conn_.get(), sql, static_cast<int>(values.size()), nullptr, values.data(),
                         nullptr, nullptr, 0));
  if (!rows.ok()) return error(doing);
  return rows;
}

Status Connection::run(const char* sql, const std::string& doing) {
  // The simple protocol: several statements at once (a migration), no parameters.
  reconnect_if_dropped();
  if (!Rows(PQexec(conn_.get(), sql)).ok()) return error(doing);
  return {};
}

Result<Transaction> Transaction::begin(Connection& connection) {
  AFTERCARE_TRY(connection.run("BEGIN", "starting a transaction"));
  connection.in_transaction_ = true;
  return Transaction(connection);
}

Status Transaction::commit() {
  Connection* connection = connection_;
  connection_ = nullptr;
  auto committed = connection->run("COMMIT", "committing");
  connection->in_transaction_ = false;
  return committed;
}

Transaction::~Transaction() {
  if (!connection_) return;
  // On a dropped connection the server has rolled back already; nothing to send.
  if (PQstatus(connection_->conn_.get()) == CONNECTION_OK) {
    (void)connection_->run("ROLLBACK", "rolling back");
  }
  connection_->in_transaction_ = false;
}

}  // namespace aftercare::pg
