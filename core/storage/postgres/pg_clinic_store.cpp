#include "storage/clinic_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "storage/list_column.h"
#include "storage/postgres/pg_db.h"

namespace aftercare {

namespace {

using pg::Connection;
using pg::Params;
using pg::Rows;
using pg::Transaction;

// Marks the schema as aftercare's clinic store, and takes the migration lock ("AFTK").
constexpr const char* kApplication = "aftercare-clinic";
constexpr const char* kMigrationLock = "1095128139";

struct Migration {
  int version;
  const char* sql;
};

// The clinic store's own numbered migrations: each moves the schema one version on and keeps
// every row. Times are timestamptz (UTC instants); the constraints hold what an import checked.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE patient (
  pseudonym text PRIMARY KEY CHECK (pseudonym <> ''),
  archive text NOT NULL,
  chain_head text NOT NULL,
  chain_events bigint NOT NULL CHECK (chain_events >= 0),
  first_imported timestamptz NOT NULL,
  last_imported timestamptz NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('expected', 'contact_clinic', 'urgent')),
  reasons text NOT NULL,
  last_checkin timestamptz,
  adherence double precision CHECK (adherence BETWEEN 0 AND 1),
  worst_symptom text NOT NULL,
  worst_severity integer NOT NULL CHECK (worst_severity BETWEEN 0 AND 10),
  worst_at timestamptz,
  session integer NOT NULL CHECK (session >= 1),
  treated_at timestamptz NOT NULL,
  exported_at timestamptz NOT NULL,
  revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1)
);
CREATE INDEX patient_by_verdict ON patient (verdict);
CREATE TABLE import_file (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  file text NOT NULL,
  pseudonym text NOT NULL,
  outcome text NOT NULL
    CHECK (outcome IN ('imported', 'extended', 'unchanged', 'older', 'rejected')),
  reason text NOT NULL,
  imported_at timestamptz NOT NULL
);
)sql"},
      // Where the patient was at each time of the summary (issue #15): empty in the rows
      // already stored, which ClinicApp fills in from their exports.
      {2, R"sql(
ALTER TABLE patient ADD COLUMN exported_zone text NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN treated_zone text NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN last_checkin_zone text NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN worst_zone text NOT NULL DEFAULT '';
CREATE INDEX patient_without_zones ON patient (pseudonym) WHERE exported_zone = '';
)sql"},
      // Which device's signature the clinic accepts for each patient (issue #17): every
      // decision kept, the latest holding; patients stored before pin on their next export.
      {3, R"sql(
CREATE TABLE device_pin (
  pseudonym text NOT NULL REFERENCES patient (pseudonym),
  seq bigint NOT NULL CHECK (seq >= 1),
  device text NOT NULL CHECK (device ~ '^[0-9a-f]{64}$'),
  pinned_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('first_use', 'hand_over', 'clinic')),
  detail text NOT NULL,
  PRIMARY KEY (pseudonym, seq)
);
)sql"},
      // The protocol the clinic issues (issue #17): every setting kept, the latest holding;
      // whether each patient's protocol differs from it, and since when the patient has gone
      // quiet (issue #16); the rows stored before (judged 0) are judged again on opening.
      {4, R"sql(
CREATE TABLE clinic_protocol (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  set_at timestamptz NOT NULL,
  protocol text NOT NULL,
  source text NOT NULL
);
ALTER TABLE patient ADD COLUMN protocol_differs boolean NOT NULL DEFAULT false;
ALTER TABLE patient ADD COLUMN silent_from timestamptz;
ALTER TABLE patient ADD COLUMN judged integer NOT NULL DEFAULT 0;
)sql"},
      // The patient's name, from an export the patient chose to name (issue #16).
      {5, R"sql(
ALTER TABLE patient ADD COLUMN name text NOT NULL DEFAULT '';
)sql"},
  };
  return kMigrations;
}

// A double as text that reads back as the same double (std::to_string keeps 6 decimals).
std::string exact_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string seconds(Instant instant) { return std::to_string(instant.time_since_epoch().count()); }

Instant instant_at(const Rows& rows, int row, int column) {
  return Instant{std::chrono::seconds(rows.integer(row, column))};
}

std::optional<std::string> optional_seconds(const std::optional<Instant>& instant) {
  if (!instant) return std::nullopt;
  return seconds(*instant);
}

// Brings the schema to the newest version in one transaction, under an advisory lock: two
// desktops starting at once do not both migrate.
Status migrate(Connection& db) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return transaction.error();
  AFTERCARE_TRY(
      db.exec((std::string("SELECT pg_advisory_xact_lock(") + kMigrationLock + ")").c_str(), {},
              "locking the schema"));
  auto tables = db.exec(
      "SELECT count(*) FILTER (WHERE table_name = 'aftercare_schema'), count(*) FROM "
      "information_schema.tables WHERE table_schema = current_schema()",
      {}, "reading the schema");
  if (!tables) return tables.error();
  if (tables->integer(0, 0) == 0) {
    if (tables->integer(0, 1) != 0) {
      return Error(ErrorCode::kStorage,
                   db.where() + ": not an aftercare clinic database (it holds other tables)");
    }
    AFTERCARE_TRY(db.run(
        "CREATE TABLE aftercare_schema (application text NOT NULL, version integer PRIMARY KEY, "
        "applied_at timestamptz NOT NULL DEFAULT now())",
        "creating the schema table"));
  }
  auto current =
      db.exec("SELECT coalesce(max(version), 0), bool_and(application = $1) FROM aftercare_schema",
              {kApplication}, "reading the schema version");
  if (!current) return current.error();
  if (!current->is_null(0, 1) && current->text(0, 1) != "t") {
    return Error(ErrorCode::kStorage, db.where() + ": not an aftercare clinic database");
  }
  const auto version = current->integer(0, 0);
  if (version > migrations().back().version) {
    return Error(ErrorCode::kStorage, db.where() + ": made by a newer aftercare (schema version " +
                                          std::to_string(version) +
                                          "); update this program to use it");
  }
  for (const auto& migration : migrations()) {
    if (migration.version <= version) continue;
    AFTERCARE_TRY(
        db.run(migration.sql, "migrating to schema version " + std::to_string(migration.version)));
    AFTERCARE_TRY(db.exec("INSERT INTO aftercare_schema (application, version) VALUES ($1, $2)",
                          {kApplication, std::to_string(migration.version)},
                          "recording the schema version"));
  }
  return transaction->commit();
}

constexpr const char* kSummaryColumns =
    "pseudonym, chain_head, chain_events, extract(epoch FROM first_imported)::bigint, "
    "extract(epoch FROM last_imported)::bigint, verdict, reasons, "
    "extract(epoch FROM last_checkin)::bigint, adherence, worst_symptom, worst_severity, "
    "extract(epoch FROM worst_at)::bigint, session, extract(epoch FROM treated_at)::bigint, "
    "extract(epoch FROM exported_at)::bigint, revision, exported_zone, treated_zone, "
    "last_checkin_zone, worst_zone, protocol_differs, extract(epoch FROM silent_from)::bigint, "
    "judged, name";

ClinicPatient read_patient(const Rows& rows, int row) {
  ClinicPatient p;
  p.pseudonym = rows.text(row, 0);
  p.chain_head = rows.text(row, 1);
  p.chain_events = rows.integer(row, 2);
  p.first_imported = instant_at(rows, row, 3);
  p.last_imported = instant_at(rows, row, 4);
  PatientSummary& s = p.summary;
  s.verdict = verdict_named(rows.text(row, 5)).value_or(Verdict::kExpected);
  s.reasons = storage::split(rows.text(row, 6), '\n');
  if (!rows.is_null(row, 7)) s.last_checkin = instant_at(rows, row, 7);
  if (!rows.is_null(row, 8)) s.adherence = rows.real(row, 8);
  s.worst_symptom = rows.text(row, 9);
  s.worst_severity = static_cast<int>(rows.integer(row, 10));
  if (!rows.is_null(row, 11)) s.worst_at = instant_at(rows, row, 11);
  s.session = static_cast<int>(rows.integer(row, 12));
  s.treated_at = instant_at(rows, row, 13);
  s.exported_at = instant_at(rows, row, 14);
  p.revision = rows.integer(row, 15);
  s.exported_zone = rows.text(row, 16);
  s.treated_zone = rows.text(row, 17);
  s.last_checkin_zone = rows.text(row, 18);
  s.worst_zone = rows.text(row, 19);
  s.protocol_differs = rows.text(row, 20) == "t";
  if (!rows.is_null(row, 21)) s.silent_from = instant_at(rows, row, 21);
  s.judged_with = std::max<std::int64_t>(0, rows.integer(row, 22) - 1);
  s.name = rows.text(row, 23);
  return p;
}

class PostgresClinicStore final : public ClinicStore {
 public:
  explicit PostgresClinicStore(Connection db) : db_(std::move(db)) {}

  Result<std::optional<ClinicPatient>> patient(const std::string& pseudonym) override {
    auto rows = db_.exec(
        (std::string("SELECT ") + kSummaryColumns + ", archive FROM patient WHERE pseudonym = $1")
            .c_str(),
        {pseudonym}, "reading a patient");
    if (!rows) return rows.error();
    if (rows->size() == 0) return std::optional<ClinicPatient>();
    ClinicPatient p = read_patient(*rows, 0);
    p.archive_json = rows->text(0, 24);
    auto pins = db_.exec(
        "SELECT device, extract(epoch FROM pinned_at)::bigint, source, detail FROM device_pin "
        "WHERE pseudonym = $1 ORDER BY seq",
        {pseudonym}, "reading a patient's device pins");
    if (!pins) return pins.error();
    for (int row = 0; row < pins->size(); ++row) {
      p.pins.push_back({pins->text(row, 0), instant_at(*pins, row, 1),
                        pin_source_named(pins->text(row, 2)).value_or(PinSource::kClinic),
                        pins->text(row, 3)});
    }
    return std::optional<ClinicPatient>(std::move(p));
  }

  Result<std::vector<ClinicPatient>> patients() override {
    auto rows = db_.exec((std::string("SELECT ") + kSummaryColumns + " FROM patient").c_str(), {},
                         "reading the patients");
    if (!rows) return rows.error();
    std::vector<ClinicPatient> out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int row = 0; row < rows->size(); ++row) out.push_back(read_patient(*rows, row));
    return out;
  }

  Status save_patient(const ClinicPatient& p, const ImportRecord& record,
                      std::optional<std::int64_t> compared_with,
                      const std::optional<DevicePin>& pin) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    const PatientSummary& s = p.summary;
    Params params = {
        p.pseudonym,
        p.archive_json,
        p.chain_head,
        std::to_string(p.chain_events),
        seconds(p.first_imported),
        seconds(p.last_imported),
        verdict_name(s.verdict),
        storage::join(s.reasons, '\n'),
        optional_seconds(s.last_checkin),
        s.adherence ? std::optional<std::string>(exact_text(*s.adherence)) : std::nullopt,
        s.worst_symptom,
        std::to_string(s.worst_severity),
        optional_seconds(s.worst_at),
        std::to_string(s.session),
        seconds(s.treated_at),
        seconds(s.exported_at),
        s.exported_zone,
        s.treated_zone,
        s.last_checkin_zone,
        s.worst_zone,
        std::string(s.protocol_differs ? "true" : "false"),
        optional_seconds(s.silent_from),
        std::to_string(s.judged_with + 1),
        s.name};
    // The first import time stays as stored (as on SQLite): the column is NOT NULL, so coalesce
    // keeps it; $5 is named only because every parameter must be. Written only over what the
    // importer compared with. Under READ COMMITTED, an UPDATE that
    // meets a row another importer is changing waits for it, then re-checks its WHERE on the
    // new row; an INSERT of a pseudonym another importer is inserting waits, then does nothing.
    const char* sql;
    if (compared_with) {
      params.push_back(std::to_string(*compared_with));
      sql =
          "UPDATE patient SET archive = $2, chain_head = $3, chain_events = $4, "
          "first_imported = coalesce(first_imported, to_timestamp($5)), "
          "last_imported = to_timestamp($6), verdict = $7, reasons = $8, "
          "last_checkin = to_timestamp($9), adherence = $10, worst_symptom = $11, "
          "worst_severity = $12, worst_at = to_timestamp($13), session = $14, "
          "treated_at = to_timestamp($15), exported_at = to_timestamp($16), "
          "exported_zone = $17, treated_zone = $18, last_checkin_zone = $19, worst_zone = $20, "
          "protocol_differs = $21, silent_from = to_timestamp($22), judged = $23, name = $24, "
          "revision = revision + 1 WHERE pseudonym = $1 AND revision = $25";
    } else {
      sql =
          "INSERT INTO patient (pseudonym, archive, chain_head, chain_events, first_imported, "
          "last_imported, verdict, reasons, last_checkin, adherence, worst_symptom, "
          "worst_severity, worst_at, session, treated_at, exported_at, exported_zone, "
          "treated_zone, last_checkin_zone, worst_zone, protocol_differs, silent_from, judged, "
          "name) VALUES ($1, $2, $3, $4, to_timestamp($5), to_timestamp($6), $7, $8, "
          "to_timestamp($9), $10, $11, $12, to_timestamp($13), $14, to_timestamp($15), "
          "to_timestamp($16), $17, $18, $19, $20, $21, to_timestamp($22), $23, $24) "
          "ON CONFLICT (pseudonym) DO NOTHING";
    }
    auto written = db_.exec(sql, params, "storing the patient");
    if (!written) return written.error();
    if (written->changed() == 0) {
      return Error(ErrorCode::kConflict,
                   p.pseudonym + " was stored by another import meanwhile; nothing changed");
    }
    if (pin) AFTERCARE_TRY(insert_pin(p.pseudonym, *pin));
    AFTERCARE_TRY(insert_record(record));
    return transaction->commit();
  }

  Status add_pin(const std::string& pseudonym, const DevicePin& pin,
                 std::int64_t revision) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    auto bumped = db_.exec(
        "UPDATE patient SET revision = revision + 1 WHERE pseudonym = $1 AND revision = $2",
        {pseudonym, std::to_string(revision)}, "storing the device pin");
    if (!bumped) return bumped.error();
    if (bumped->changed() == 0) {
      return Error(ErrorCode::kConflict,
                   pseudonym + " was stored by another import meanwhile; nothing changed");
    }
    AFTERCARE_TRY(insert_pin(pseudonym, pin));
    return transaction->commit();
  }

  Result<std::vector<std::string>> patients_without_zones() override {
    auto rows = db_.exec("SELECT pseudonym FROM patient WHERE exported_zone = ''", {},
                         "reading the patients");
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (int row = 0; row < rows->size(); ++row) out.push_back(rows->text(row, 0));
    return out;
  }

  Status fill_zones(const std::string& pseudonym, const PatientSummary& s,
                    std::int64_t revision) override {
    auto written = db_.exec(
        "UPDATE patient SET exported_zone = $1, treated_zone = $2, last_checkin_zone = $3, "
        "worst_zone = $4 WHERE pseudonym = $5 AND revision = $6 AND exported_zone = ''",
        {s.exported_zone, s.treated_zone, s.last_checkin_zone, s.worst_zone, pseudonym,
         std::to_string(revision)},
        "storing the patient's zones");
    if (!written) return written.error();
    return {};
  }

  Status save_verdict(const std::string& pseudonym, const PatientSummary& s,
                      std::int64_t revision) override {
    auto written = db_.exec(
        "UPDATE patient SET verdict = $1, reasons = $2, protocol_differs = $3, "
        "silent_from = to_timestamp($6), judged = $7 WHERE pseudonym = $4 AND revision = $5",
        {verdict_name(s.verdict), storage::join(s.reasons, '\n'),
         std::string(s.protocol_differs ? "true" : "false"), pseudonym, std::to_string(revision),
         optional_seconds(s.silent_from), std::to_string(s.judged_with + 1)},
        "storing the patient's verdict");
    if (!written) return written.error();
    if (written->changed() == 0) {
      return Error(ErrorCode::kConflict,
                   pseudonym + " was stored by another import meanwhile; nothing changed");
    }
    return {};
  }

  Result<std::vector<std::string>> patients_to_judge(std::int64_t seq) override {
    auto rows = db_.exec("SELECT pseudonym FROM patient WHERE judged != $1",
                         {std::to_string(seq + 1)}, "reading the patients");
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (int row = 0; row < rows->size(); ++row) out.push_back(rows->text(row, 0));
    return out;
  }

  Result<std::optional<ClinicProtocol>> clinic_protocol() override {
    auto all = read_protocols(
        "SELECT seq, extract(epoch FROM set_at)::bigint, protocol, source FROM clinic_protocol "
        "ORDER BY seq DESC LIMIT 1");
    if (!all) return all.error();
    if (all->empty()) return std::optional<ClinicProtocol>();
    return std::optional<ClinicProtocol>(std::move(all->front()));
  }

  Result<std::vector<ClinicProtocol>> clinic_protocols() override {
    return read_protocols(
        "SELECT seq, extract(epoch FROM set_at)::bigint, protocol, source FROM clinic_protocol "
        "ORDER BY seq");
  }

  Result<ClinicProtocol> add_clinic_protocol(const ClinicProtocol& protocol) override {
    // Two desktops setting one at once: the primary key lets one of them in, the other fails
    // and says so (nothing of it is stored).
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    auto rows = db_.exec(
        "INSERT INTO clinic_protocol (seq, set_at, protocol, source) "
        "SELECT coalesce(max(seq), 0) + 1, to_timestamp($1), $2, $3 FROM clinic_protocol "
        "RETURNING seq",
        {seconds(protocol.set_at), protocol.protocol_json, protocol.source},
        "storing the clinic's protocol");
    if (!rows) return rows.error();
    ClinicProtocol stored = protocol;
    stored.seq = rows->integer(0, 0);
    auto marked = db_.exec("UPDATE patient SET judged = 0", {}, "storing the clinic's protocol");
    if (!marked) return marked.error();
    AFTERCARE_TRY(transaction->commit());
    return stored;
  }

  Status record_import(const ImportRecord& record) override { return insert_record(record); }

  Result<std::optional<ImportRecord>> import_of(const std::string& sha256) override {
    auto rows = db_.exec(
        "SELECT file, pseudonym, outcome, reason, extract(epoch FROM imported_at)::bigint "
        "FROM import_file WHERE sha256 = $1",
        {sha256}, "reading the imports");
    if (!rows) return rows.error();
    if (rows->size() == 0) return std::optional<ImportRecord>();
    ImportRecord record;
    record.sha256 = sha256;
    record.file = rows->text(0, 0);
    record.pseudonym = rows->text(0, 1);
    const std::string outcome = rows->text(0, 2);
    record.outcome = import_outcome_named(outcome).value_or(ImportOutcome::kRejected);
    record.reason = rows->text(0, 3);
    record.imported_at = instant_at(*rows, 0, 4);
    return std::optional<ImportRecord>(std::move(record));
  }

  Result<std::unordered_set<std::string>> imported_digests() override {
    auto rows = db_.exec("SELECT sha256 FROM import_file", {}, "reading the imports");
    if (!rows) return rows.error();
    std::unordered_set<std::string> digests;
    for (int row = 0; row < rows->size(); ++row) digests.insert(rows->text(row, 0));
    return digests;
  }

 private:
  Result<std::vector<ClinicProtocol>> read_protocols(const char* sql) {
    auto rows = db_.exec(sql, {}, "reading the clinic's protocol");
    if (!rows) return rows.error();
    std::vector<ClinicProtocol> out;
    for (int row = 0; row < rows->size(); ++row) {
      out.push_back({rows->integer(row, 0), instant_at(*rows, row, 1), rows->text(row, 2),
                     rows->text(row, 3)});
    }
    return out;
  }

  // Called with the patient's row written in the same transaction, which holds its lock: two
  // pins of one patient never take the same number.
  Status insert_pin(const std::string& pseudonym, const DevicePin& pin) {
    auto inserted = db_.exec(
        "INSERT INTO device_pin (pseudonym, seq, device, pinned_at, source, detail) "
        "SELECT $1, coalesce(max(seq), 0) + 1, $2, to_timestamp($3), $4, $5 FROM device_pin "
        "WHERE pseudonym = $1",
        {pseudonym, pin.device, seconds(pin.at), pin_source_name(pin.source), pin.detail},
        "storing the device pin");
    if (!inserted) return inserted.error();
    return {};
  }

  Status insert_record(const ImportRecord& record) {
    // The first outcome of a file is kept: handing in the same bytes again changes nothing.
    auto inserted = db_.exec(
        "INSERT INTO import_file (sha256, file, pseudonym, outcome, reason, imported_at) "
        "VALUES ($1, $2, $3, $4, $5, to_timestamp($6)) ON CONFLICT (sha256) DO NOTHING",
        {record.sha256, record.file, record.pseudonym, import_outcome_name(record.outcome),
         record.reason, seconds(record.imported_at)},
        "recording the import");
    if (!inserted) return inserted.error();
    return {};
  }

  Connection db_;
};

}  // namespace

bool is_postgres_location(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
    return true;
  }
  // A keyword string ("host=db.example dbname=clinic"): it begins with a word and "=", and
  // libpq takes every keyword in it. A file name never reaches a store it was not meant for.
  const auto equals = location.find('=');
  if (equals == std::string::npos || equals == 0) return false;
  const auto key_end = location.find_last_not_of(" \t", equals - 1);
  const auto key_start = location.find_first_not_of(" \t");
  if (key_end == std::string::npos || key_start > key_end) return false;
  for (std::size_t i = key_start; i <= key_end; ++i) {
    if (!std::isalnum(static_cast<unsigned char>(location[i])) && location[i] != '_') return false;
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(location.c_str(), &error);
  PQfreemem(error);
  if (!options) return false;
  PQconninfoFree(options);
  return true;
}

Result<std::unique_ptr<ClinicStore>> open_postgres_clinic_store(const std::string& uri) {
  auto db = Connection::open(uri);
  if (!db) return db.error();
  AFTERCARE_TRY(migrate(*db));
  // Exports compress with lz4 where the server has it (PostgreSQL 14+ built with it, as
  // Debian's is): pglz took a third of an import. Elsewhere they stay with pglz.
  (void)db->run("SET default_toast_compression = 'lz4'", "choosing lz4");
  return std::unique_ptr<ClinicStore>(new PostgresClinicStore(std::move(*db)));
}

}  // namespace aftercare
