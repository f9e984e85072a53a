#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/sqlite/sqlite_db.h"

namespace aftercare::sqlite {

/// "AFTC": marks a file as an aftercare patient database (PRAGMA application_id).
constexpr int kPatientApplicationId = 0x41465443;

/// One numbered schema step; `sql` moves the schema from version - 1 to version and keeps rows.
struct Migration {
  int version;
  const char* sql;
  /// Runs after `sql` in the same transaction, for what SQL cannot do (hashing).
  Status (*after)(Database& db) = nullptr;
};

/// "AFTK": marks a file as an aftercare clinic database.
constexpr int kClinicApplicationId = 0x4146544b;

/// The clinic database's migrations, in order.
const std::vector<Migration>& clinic_migrations();

/// The patient database's migrations, in order.
const std::vector<Migration>& patient_migrations();

/// Runs before the first step of a migration of a database that has a schema already (not a new
/// one), with the database and the version it is at: a copy of it is made there. When it fails,
/// nothing migrates.
using BeforeMigrating = std::function<Status(Database& db, int version)>;

/// Brings `db` to the newest version, each step in its own transaction. Refuses a database of
/// another application or from a newer program, naming the file.
Status migrate(Database& db, int application_id, const std::vector<Migration>& migrations,
               const BeforeMigrating& before = {});

}  // namespace aftercare::sqlite
