#pragma once

#include <string>

namespace aftercare::test {

/// The database a clinic test runs on. The [clinic] suite runs twice under ctest: on SQLite
/// (the clinic folder's own clinic.db), and as `clinic_suite_on_postgresql` with
/// AFTERCARE_TEST_POSTGRES_FILE naming a file that holds a PostgreSQL server's URI (started by
/// tests/support/postgres_server.sh), where each ClinicDatabase is a fresh database of its own,
/// dropped on destruction.
class ClinicDatabase {
 public:
  ClinicDatabase();
  ~ClinicDatabase();
  ClinicDatabase(const ClinicDatabase&) = delete;
  ClinicDatabase& operator=(const ClinicDatabase&) = delete;

  /// For ClinicApp::open: a `postgresql://` URI, or "" for the SQLite default.
  const std::string& location() const { return location_; }
  bool postgres() const { return !name_.empty(); }
  /// Runs `sql` in this PostgreSQL database, or fails the test.
  void run(const std::string& sql) const;

 private:
  std::string server_;  ///< The server's maintenance database URI.
  std::string name_;
  std::string location_;
};

}  // namespace aftercare::test
