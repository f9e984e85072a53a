#include "storage/sqlite/migrations.h"

#include "domain/journal.h"

namespace aftercare::sqlite {

namespace {

// Times are UTC seconds since 1970; zones are IANA names. Tables are STRICT so a wrong type is
// an error, never a silent conversion.
constexpr const char* kV1 = R"sql(
CREATE TABLE plan (
  id INTEGER PRIMARY KEY,
  session_number INTEGER NOT NULL CHECK (session_number >= 1),
  treated_at INTEGER NOT NULL,
  zone TEXT NOT NULL,
  areas TEXT NOT NULL,
  clinic_name TEXT NOT NULL,
  clinic_phone TEXT NOT NULL,
  device TEXT NOT NULL,
  products TEXT NOT NULL,
  protocol_json TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE step_event (
  seq INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id),
  step TEXT NOT NULL,
  occurrence TEXT NOT NULL,
  scheduled_at INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('done', 'skipped', 'undone')),
  at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX step_event_by_plan ON step_event (plan_id, seq);
CREATE TABLE zone_change (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  zone TEXT NOT NULL
) STRICT;
)sql";

// Reminders, modes and settings (issue #3).
constexpr const char* kV2 = R"sql(
CREATE TABLE reminder_event (
  seq INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id),
  reminder TEXT NOT NULL,
  action TEXT NOT NULL
    CHECK (action IN ('fired', 'snoozed', 'dismissed', 'completed', 'missed_reported')),
  at INTEGER NOT NULL,
  until INTEGER,
  CHECK ((action = 'snoozed') = (until IS NOT NULL))
) STRICT;
CREATE INDEX reminder_event_by_plan ON reminder_event (plan_id, seq);
CREATE TABLE mode_change (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  mode TEXT NOT NULL,
  is_on INTEGER NOT NULL CHECK (is_on IN (0, 1))
) STRICT;
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
)sql";

// Symptom entries as versions, and the tamper-evident chain (issue #4). Step events and symptom
// versions share one numbering (step_event.seq, symptom_entry.row), and each row carries its
// place in the chain: the previous event's hash and its own. No separate chain table, so a
// durable entry writes no more pages than the entry itself.
constexpr const char* kV3 = R"sql(
ALTER TABLE step_event ADD COLUMN prev_hash TEXT;
ALTER TABLE step_event ADD COLUMN hash TEXT;
CREATE TABLE symptom_entry (
  row INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL CHECK (entry_id >= 1),
  version INTEGER NOT NULL CHECK (version >= 1),
  plan_id INTEGER NOT NULL REFERENCES plan(id),
  action TEXT NOT NULL CHECK (action IN ('logged', 'edited', 'deleted')),
  symptom TEXT NOT NULL,
  severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 10),
  area TEXT NOT NULL,
  note TEXT NOT NULL,
  photo_sha256 TEXT,
  relieved INTEGER CHECK (relieved IN (0, 1)),
  felt_at INTEGER NOT NULL,
  zone TEXT NOT NULL,
  checkin_id INTEGER,
  recorded_at INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (entry_id, version)
) STRICT;
)sql";

// Step events stored before the chain existed join it in their original order.
Status chain_existing_step_events(Database& db) {
  auto rows = db.prepare(
      "SELECT seq, plan_id, step, occurrence, scheduled_at, action, at, recorded_at "
      "FROM step_event ORDER BY seq");
  if (!rows) return rows.error();
  std::vector<StepEvent> events;
  for (;;) {
    auto row = rows->step();
    if (!row) return db.error("chaining the step log");
    if (!*row) break;
    StepEvent event;
    event.seq = rows->column_int(0);
    event.plan = PlanId(rows->column_int(1));
    event.step = StepId(rows->column_text(2));
    event.occurrence = rows->column_text(3);
    event.scheduled_at = Instant{std::chrono::seconds(rows->column_int(4))};
    event.action = step_action_named(rows->column_text(5)).value_or(StepAction::kUndone);
    event.at = Instant{std::chrono::seconds(rows->column_int(6))};
    event.recorded_at = Instant{std::chrono::seconds(rows->column_int(7))};
    events.push_back(std::move(event));
  }
  std::string previous = kGenesisHash;
  std::int64_t seq = 0;
  for (const auto& event : events) {
    // Renumbered 1, 2, 3, ...: the chain has no gaps (rowids could have).
    const std::int64_t next = ++seq;
    StepEvent numbered = event;
    numbered.seq = next;
    const ChainStamp link = stamp(next, ChainKind::kStep, canonical_text(numbered), previous);
    auto update =
        db.prepare("UPDATE step_event SET seq = ?, prev_hash = ?, hash = ? WHERE seq = ?");
    if (!update) return update.error();
    update->bind(1, next).bind(2, link.prev_hash).bind(3, link.hash).bind(4, event.seq);
    if (!update->run()) return db.error("chaining the step log");
    previous = link.hash;
  }
  return {};
}

Result<std::int64_t> pragma_int(Database& db, const std::string& pragma) {
  auto stmt = db.prepare("PRAGMA " + pragma);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return db.error("reading " + pragma);
  return *row ? stmt->column_int(0) : 0;
}

}  // namespace

const std::vector<Migration>& clinic_migrations() {
  // A patient's latest export as received, and its summary as of that export.
  static constexpr const char* kClinicV1 = R"sql(
CREATE TABLE patient (
  pseudonym TEXT PRIMARY KEY,
  archive TEXT NOT NULL,
  chain_head TEXT NOT NULL,
  chain_events INTEGER NOT NULL,
  first_imported INTEGER NOT NULL,
  last_imported INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('expected', 'contact_clinic', 'urgent')),
  reasons TEXT NOT NULL,
  last_checkin INTEGER,
  adherence REAL,
  worst_symptom TEXT NOT NULL,
  worst_severity INTEGER NOT NULL,
  worst_at INTEGER,
  session INTEGER NOT NULL,
  treated_at INTEGER NOT NULL,
  exported_at INTEGER NOT NULL
) STRICT;
CREATE TABLE import_file (
  sha256 TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  pseudonym TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  imported_at INTEGER NOT NULL
) STRICT;
)sql";
  // The export, often hundreds of kilobytes, in a table of its own: in the row, it sat before
  // the summary's columns, so that listing the summaries read every export's overflow pages.
  // And a revision, counting each patient's writes, for importers sharing the store.
  static constexpr const char* kClinicV2 = R"sql(
CREATE TABLE patient_export (
  pseudonym TEXT PRIMARY KEY REFERENCES patient (pseudonym),
  archive TEXT NOT NULL
) STRICT;
INSERT INTO patient_export (pseudonym, archive) SELECT pseudonym, archive FROM patient;
ALTER TABLE patient DROP COLUMN archive;
ALTER TABLE patient ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
)sql";
  // Where the patient was at each time of the summary (issue #15): empty in the rows already
  // stored, which ClinicApp fills in from their exports (the partial index finds them).
  static constexpr const char* kClinicV3 = R"sql(
ALTER TABLE patient ADD COLUMN exported_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN treated_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN last_checkin_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN worst_zone TEXT NOT NULL DEFAULT '';
CREATE INDEX patient_without_zones ON patient (pseudonym) WHERE exported_zone = '';
)sql";
  // Which device's signature the clinic accepts for each patient (issue #17): every decision
  // kept, the latest holding. Patients stored before have none; their next signed export pins.
  static constexpr const char* kClinicV4 = R"sql(
CREATE TABLE device_pin (
  pseudonym TEXT NOT NULL REFERENCES patient (pseudonym),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  device TEXT NOT NULL CHECK (length(device) = 64),
  pinned_at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('first_use', 'hand_over', 'clinic')),
  detail TEXT NOT NULL,
  PRIMARY KEY (pseudonym, seq)
) STRICT;
)sql";
  // The protocol the clinic issues (issue #17): every setting kept, the latest holding; whether
  // each patient's protocol differs from it, and since when the patient has gone quiet (issue
  // #16). `judged` is the summary's version: the rows stored before (0) are judged again from
  // their exports when the clinic opens.
  static constexpr const char* kClinicV5 = R"sql(
CREATE TABLE clinic_protocol (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  set_at INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  source TEXT NOT NULL
) STRICT;
ALTER TABLE patient ADD COLUMN protocol_differs INTEGER NOT NULL DEFAULT 0
  CHECK (protocol_differs IN (0, 1));
ALTER TABLE patient ADD COLUMN silent_from INTEGER;
ALTER TABLE patient ADD COLUMN judged INTEGER NOT NULL DEFAULT 0;
)sql";
  // The patient's name, from an export the patient chose to name (issue #16).
  static constexpr const char* kClinicV6 = R"sql(
ALTER TABLE patient ADD COLUMN name TEXT NOT NULL DEFAULT '';
)sql";
  static const std::vector<Migration> kMigrations = {{1, kClinicV1}, {2, kClinicV2},
                                                     {3, kClinicV3}, {4, kClinicV4},
                                                     {5, kClinicV5}, {6, kClinicV6}};
  return kMigrations;
}

// The rest of the record under the chain (issue #17): each state of the plans, zone changes,
// modes and chained settings is an event sharing the log's numbering. A database migrated here
// gets its current record as the chain's first state, in the migration's transaction.
constexpr const char* kV4 = R"sql(
CREATE TABLE record_state (
  seq INTEGER PRIMARY KEY,
  sections TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
)sql";

// Corrections of a plan (issue #16): appended beside the plan's row, which keeps what was first
// entered. Under the chain as the record's "plan N changes" section.
constexpr const char* kV5 = R"sql(
CREATE TABLE plan_change (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id),
  field TEXT NOT NULL CHECK (field IN ('clinic_name', 'clinic_phone', 'areas', 'device',
                                       'products', 'treated_at', 'status')),
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX plan_change_by_plan ON plan_change (plan_id, id);
)sql";

const std::vector<Migration>& patient_migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, kV1},
      {2, kV2},
      {3, kV3, chain_existing_step_events},
      {4, kV4, [](Database& db) { return record_state(db, wall_clock_now()); }},
      {5, kV5}};
  return kMigrations;
}

Status migrate(Database& db, int application_id, const std::vector<Migration>& migrations,
               const BeforeMigrating& before) {
  auto version = pragma_int(db, "user_version");
  if (!version && is_machine_failure(version.error().message())) {
    return Error(ErrorCode::kIo, db.name() + ": cannot open (" + version.error().message() + ")");
  }
  if (!version) {
    return Error(ErrorCode::kStorage, db.name() + ": not an aftercare database, or damaged (" +
                                          version.error().message() + ")");
  }
  auto app_id = pragma_int(db, "application_id");
  if (!app_id) return app_id.error();
  bool empty = false;
  {
    auto objects = db.prepare("SELECT count(*) FROM sqlite_schema");
    if (!objects) return objects.error();
    auto has_row = objects->step();
    if (!has_row) return db.error("reading the schema");
    empty = objects->column_int(0) == 0;
  }
  if (!empty && *app_id != application_id) {
    return Error(ErrorCode::kStorage,
                 db.name() +
                     ": an SQLite database of another program, not an aftercare "
                     "database; nothing was changed");
  }
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*version > newest) {
    return Error(ErrorCode::kStorage,
                 db.name() + ": written by a newer aftercare (schema " + std::to_string(*version) +
                     "); this program reads up to schema " + std::to_string(newest));
  }
  if (!empty && *version < newest && before) {
    if (auto copied = before(db, static_cast<int>(*version)); !copied) {
      return copied.error().with_context(db.name() +
                                         ": no copy could be made before migrating "
                                         "it; nothing was changed");
    }
  }
  if (*version >= newest) return {};
  // Every step in one transaction: a crash or a power cut leaves the schema as it was or the
  // newest, never one in between.
  auto transaction = Transaction::begin(db);
  if (!transaction) return transaction.error();
  // Another process may have migrated while we waited for the lock.
  auto current = pragma_int(db, "user_version");
  if (!current) return current.error();
  for (const auto& migration : migrations) {
    if (migration.version <= *current) continue;
    if (auto status = db.exec(migration.sql); !status) {
      return status.error().with_context("migrating to schema " +
                                         std::to_string(migration.version));
    }
    if (migration.after) {
      if (auto status = migration.after(db); !status) {
        return status.error().with_context("migrating to schema " +
                                           std::to_string(migration.version));
      }
    }
    AFTERCARE_TRY(db.exec("PRAGMA application_id = " + std::to_string(application_id) +
                          "; PRAGMA user_version = " + std::to_string(migration.version)));
  }
  return transaction->commit();
}

}  // namespace aftercare::sqlite
