#include "storage/postgres/pg_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <map>

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
  const bool is_uri = out.rfind("postgresql://", 0) == 0 || out.rfind("postgres://", 0) == 0;
  const auto scheme = out.find("://");
  if (!is_uri) {
    // A keyword string: its options again, without the secrets.
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
    PQfreemem(error);
    if (!options) return "(a PostgreSQL connection string)";
    std::string kept;
    for (const PQconninfoOption* option = options; option->keyword; ++option) {
      const std::string keyword = option->keyword;
      if (!option->val || keyword == "password" || keyword == "sslpassword") continue;
      const std::string value = option->val;
      kept +=
          (kept.empty() ? "" : " ") + keyword + "=" +
          (value.find_first_of(" '\\") == std::string::npos && !value.empty() ? value
                                                                              : "'" + value + "'");
    }
    PQconninfoFree(options);
    return kept;
  }
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

namespace {

// The options libpq parses out of `uri` (a URI or a keyword string), or why it cannot.
struct Parsed {
  bool ok = false;
  std::string error;
  std::map<std::string, std::string> given;  // only those the string sets
};

Parsed parse_conninfo(const std::string& uri) {
  Parsed parsed;
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &parse_error);
  if (!options) {
    parsed.error = one_line(parse_error ? parse_error : "out of memory");
    PQfreemem(parse_error);
    return parsed;
  }
  for (const PQconninfoOption* option = options; option->keyword; ++option) {
    if (option->val) parsed.given[option->keyword] = option->val;
  }
  PQconninfoFree(options);
  parsed.ok = true;
  return parsed;
}

// Every host of a comma-separated list is on this machine: a Unix socket, loopback, or none.
bool all_local(const std::string& hosts) {
  for (std::size_t start = 0; start <= hosts.size();) {
    const auto comma = std::min(hosts.find(',', start), hosts.size());
    const std::string host = hosts.substr(start, comma - start);
    if (!host.empty() && host[0] != '/' && !is_loopback_host(host)) return false;
    start = comma + 1;
  }
  return true;
}

using Options = std::vector<std::pair<const char*, std::string>>;

// Defaults before the URI (what it says wins); the encoding after it (archives are UTF-8
// whatever PGCLIENTENCODING says).
PGconn* connect(const Options& options, bool wait) {
  // One push_back at a time: GCC 12 at -O3 reports a false -Wrestrict on vector::insert here.
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [keyword, value] : options) {
    keywords.push_back(keyword);
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  return wait ? PQconnectdbParams(keywords.data(), values.data(), 1)
              : PQconnectStartParams(keywords.data(), values.data(), 1);
}

}  // namespace

Result<Connection> Connection::open(const std::string& uri) {
  const std::string where = redacted_uri(uri);
  const Parsed parsed = parse_conninfo(uri);
  if (!parsed.ok) {
    return Error(ErrorCode::kInvalidInput,
                 where + ": not a PostgreSQL URI or connection string (" + parsed.error + ")");
  }
  Options options = {{"connect_timeout", "10"},
                     {"application_name", "aftercare"},
                     {"dbname", uri},
                     {"client_encoding", "UTF8"}};
  // Across a network the server's certificate is checked (unless the user chose a mode): health
  // data does not travel in clear. On this machine (loopback, a Unix socket) it stays as it is.
  // Where libpq will connect is libpq's to say: the string, then PGHOST, PGHOSTADDR, PGSERVICE
  // and the service file. So libpq starts a connection and is asked what it made of them, then
  // it is closed: to a server across a network it has only begun the TCP connect; one that
  // completes at once (a Unix socket, loopback) may have had the request to start, never a
  // password.
  PGconn* probe = connect(options, false);
  if (!probe) return Error(ErrorCode::kStorage, where + ": out of memory");
  std::string hosts, hostaddrs, sslmode, sslmode_default;
  bool read = false;
  if (PQconninfoOption* effective = PQconninfo(probe)) {
    read = true;
    for (const PQconninfoOption* option = effective; option->keyword; ++option) {
      const std::string keyword = option->keyword;
      const std::string value = option->val ? option->val : "";
      if (keyword == "host") hosts = value;
      if (keyword == "hostaddr") hostaddrs = value;
      if (keyword == "sslmode") {
        sslmode = value;
        sslmode_default = option->compiled ? option->compiled : "";
      }
    }
    PQconninfoFree(effective);
  }
  PQfinish(probe);
  // What libpq could not tell counts as off this machine, with no mode chosen.
  const bool local = read && all_local(hosts) && (hostaddrs.empty() || all_local(hostaddrs));
  // A mode the user chose: in the string, in PGSSLMODE, or in the service file (where it is not
  // libpq's compiled-in default; a service file that names that default is overridden).
  const bool chosen = parsed.given.count("sslmode") || std::getenv("PGSSLMODE") ||
                      (read && !sslmode.empty() && sslmode != sslmode_default);
  if (!local && !chosen) options.insert(options.begin() + 2, {"sslmode", "verify-full"});
  PGconn* conn = connect(options, true);
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
