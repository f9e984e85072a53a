#include "support/clinic_database.h"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

#include <unistd.h>
#include <catch2/catch.hpp>

namespace aftercare::test {

namespace {

// Runs one statement in the database at `uri`.
void admin(const std::string& uri, const std::string& sql) {
  PGconn* conn = PQconnectdb(uri.c_str());
  INFO(PQerrorMessage(conn));
  REQUIRE(PQstatus(conn) == CONNECTION_OK);
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok =
      PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  INFO(PQerrorMessage(conn));
  PQclear(result);
  PQfinish(conn);
  REQUIRE(ok);
}

}  // namespace

ClinicDatabase::ClinicDatabase() {
  const char* file = std::getenv("AFTERCARE_TEST_POSTGRES_FILE");
  if (!file || !*file) return;
  std::ifstream in(file);
  std::getline(in, server_);
  REQUIRE_FALSE(server_.empty());
  static std::atomic<int> counter{0};
  name_ = "clinic_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  admin(server_, "CREATE DATABASE " + name_);
  const auto slash = server_.rfind('/');
  location_ = server_.substr(0, slash + 1) + name_;
}

void ClinicDatabase::run(const std::string& sql) const {
  REQUIRE(postgres());
  admin(location_, sql);
}

ClinicDatabase::~ClinicDatabase() {
  if (!postgres()) return;
  PGconn* conn = PQconnectdb(server_.c_str());
  PQclear(PQexec(conn, ("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str()));
  PQfinish(conn);
}

}  // namespace aftercare::test
