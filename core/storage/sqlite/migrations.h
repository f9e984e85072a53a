#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/clock.h"
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

/// The record's state (plans, zone changes, modes, chained settings) appended to the chain when
/// it differs from the latest one, inside the caller's transaction (sqlite_patient_store.cpp).
Status record_state(Database& db, Instant at);
/// kStorage, naming the part, when the record is no longer the one its latest state recorded.
Status record_unaltered(Database& db);
/// The system clock, to the second: when a migration records the first state.
Instant wall_clock_now();

/// Runs before the first step of a migration of a database that has a schema already (not a new
/// one), with the database and the version it is at: a copy of it is made there. When it fails,
/// nothing migrates.
using BeforeMigrating = std::function<Status(Database& db, int version)>;

/// Brings `db` to the newest version, every step in one transaction. Refuses a database of
/// another application or from a newer program, naming the file.
Status migrate(Database& db, int application_id, const std::vector<Migration>& migrations,
               const BeforeMigrating& before = {});

}  // namespace aftercare::sqlite
