#include "storage/clinic_store.h"

#include <algorithm>
#include <optional>

#include "storage/sqlite/columns.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_db.h"

namespace aftercare {

namespace {

using sqlite::Database;
using sqlite::from_unix;
using sqlite::join;
using sqlite::split;
using sqlite::Statement;
using sqlite::to_unix;
using sqlite::Transaction;

constexpr const char* kSummaryColumns =
    "pseudonym, chain_head, chain_events, first_imported, last_imported, verdict, reasons, "
    "last_checkin, adherence, worst_symptom, worst_severity, worst_at, session, treated_at, "
    "exported_at, revision, exported_zone, treated_zone, last_checkin_zone, worst_zone, "
    "protocol_differs, silent_from, judged, name";

ClinicPatient read_patient(const Statement& row) {
  ClinicPatient p;
  p.pseudonym = row.column_text(0);
  p.chain_head = row.column_text(1);
  p.chain_events = row.column_int(2);
  p.first_imported = from_unix(row.column_int(3));
  p.last_imported = from_unix(row.column_int(4));
  PatientSummary& s = p.summary;
  s.verdict = verdict_named(row.column_text(5)).value_or(Verdict::kExpected);
  s.reasons = split(row.column_text(6), '\n');
  if (!row.column_is_null(7)) s.last_checkin = from_unix(row.column_int(7));
  if (!row.column_is_null(8)) s.adherence = row.column_double(8);
  s.worst_symptom = row.column_text(9);
  s.worst_severity = static_cast<int>(row.column_int(10));
  if (!row.column_is_null(11)) s.worst_at = from_unix(row.column_int(11));
  s.session = static_cast<int>(row.column_int(12));
  s.treated_at = from_unix(row.column_int(13));
  s.exported_at = from_unix(row.column_int(14));
  p.revision = row.column_int(15);
  s.exported_zone = row.column_text(16);
  s.treated_zone = row.column_text(17);
  s.last_checkin_zone = row.column_text(18);
  s.worst_zone = row.column_text(19);
  s.protocol_differs = row.column_int(20) != 0;
  if (!row.column_is_null(21)) s.silent_from = from_unix(row.column_int(21));
  s.judged_with = std::max<std::int64_t>(0, row.column_int(22) - 1);
  s.name = row.column_text(23);
  return p;
}

// The summary's four zones, bound from parameter `first` on.
void bind_zones(Statement& statement, const PatientSummary& s, int first) {
  statement.bind(first, s.exported_zone)
      .bind(first + 1, s.treated_zone)
      .bind(first + 2, s.last_checkin_zone)
      .bind(first + 3, s.worst_zone);
}

class SqliteClinicStore final : public ClinicStore {
 public:
  explicit SqliteClinicStore(Database db) : db_(std::move(db)) {}

  Result<std::optional<ClinicPatient>> patient(const std::string& pseudonym) override {
    auto query = db_.prepare(std::string("SELECT ") + kSummaryColumns +
                             ", archive FROM patient JOIN patient_export USING (pseudonym) "
                             "WHERE pseudonym = ?");
    if (!query) return query.error();
    query->bind(1, pseudonym);
    auto row = query->step();
    if (!row) return db_.error("reading a patient");
    if (!*row) return std::optional<ClinicPatient>();
    ClinicPatient p = read_patient(*query);
    p.archive_json = query->column_text(24);
    auto pins = db_.prepare(
        "SELECT device, pinned_at, source, detail FROM device_pin WHERE pseudonym = ? "
        "ORDER BY seq");
    if (!pins) return pins.error();
    pins->bind(1, pseudonym);
    for (;;) {
      auto pin = pins->step();
      if (!pin) return db_.error("reading a patient's device pins");
      if (!*pin) break;
      p.pins.push_back({pins->column_text(0), from_unix(pins->column_int(1)),
                        pin_source_named(pins->column_text(2)).value_or(PinSource::kClinic),
                        pins->column_text(3)});
    }
    return std::optional<ClinicPatient>(std::move(p));
  }

  Result<std::vector<ClinicPatient>> patients() override {
    auto query = db_.prepare(std::string("SELECT ") + kSummaryColumns + " FROM patient");
    if (!query) return query.error();
    std::vector<ClinicPatient> out;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the patients");
      if (!*row) return out;
      out.push_back(read_patient(*query));
    }
  }

  Status save_patient(const ClinicPatient& p, const ImportRecord& record,
                      std::optional<std::int64_t> compared_with,
                      const std::optional<DevicePin>& pin) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    // Written only over what the importer compared with: a patient new to it must still be
    // unknown, a known one must still be at the revision it read.
    auto write = db_.prepare(
        compared_with
            ? "UPDATE patient SET chain_head = ?3, chain_events = ?4, "
              "last_imported = ?6, verdict = ?7, reasons = ?8, last_checkin = ?9, adherence = ?10, "
              "worst_symptom = ?11, worst_severity = ?12, worst_at = ?13, session = ?14, "
              "treated_at = ?15, exported_at = ?16, exported_zone = ?18, treated_zone = ?19, "
              "last_checkin_zone = ?20, worst_zone = ?21, protocol_differs = ?22, "
              "silent_from = ?23, judged = ?24, name = ?25, revision = revision + 1 "
              "WHERE pseudonym = ?1 AND revision = ?17"
            : "INSERT INTO patient (pseudonym, chain_head, chain_events, first_imported, "
              "last_imported, verdict, reasons, last_checkin, adherence, worst_symptom, "
              "worst_severity, worst_at, session, treated_at, exported_at, exported_zone, "
              "treated_zone, last_checkin_zone, worst_zone, protocol_differs, silent_from, "
              "judged, name) VALUES (?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
              "?15, ?16, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25) "
              "ON CONFLICT (pseudonym) DO NOTHING");
    if (!write) return write.error();
    const PatientSummary& s = p.summary;
    write->bind(1, p.pseudonym)
        .bind(3, p.chain_head)
        .bind(4, p.chain_events)
        .bind(5, to_unix(p.first_imported))
        .bind(6, to_unix(p.last_imported))
        .bind(7, verdict_name(s.verdict))
        .bind(8, join(s.reasons, '\n'));
    if (s.last_checkin) write->bind(9, to_unix(*s.last_checkin));
    if (s.adherence) write->bind_real(10, *s.adherence);
    write->bind(11, s.worst_symptom).bind(12, static_cast<std::int64_t>(s.worst_severity));
    if (s.worst_at) write->bind(13, to_unix(*s.worst_at));
    write->bind(14, static_cast<std::int64_t>(s.session))
        .bind(15, to_unix(s.treated_at))
        .bind(16, to_unix(s.exported_at));
    bind_zones(*write, s, 18);
    write->bind(22, static_cast<std::int64_t>(s.protocol_differs ? 1 : 0));
    if (s.silent_from) write->bind(23, to_unix(*s.silent_from));
    write->bind(24, s.judged_with + 1);  // 0 stands for "judged by an older version"
    write->bind(25, s.name);
    if (compared_with) write->bind(17, *compared_with);
    if (!write->run()) return db_.error("storing the patient");
    if (db_.changes() == 0) {
      return Error(ErrorCode::kConflict,
                   p.pseudonym + " was stored by another import meanwhile; nothing changed");
    }
    auto archive = db_.prepare(
        "INSERT INTO patient_export (pseudonym, archive) VALUES (?, ?) "
        "ON CONFLICT (pseudonym) DO UPDATE SET archive = excluded.archive");
    if (!archive) return archive.error();
    archive->bind(1, p.pseudonym).bind(2, p.archive_json);
    if (!archive->run()) return db_.error("storing the patient's export");
    if (pin) AFTERCARE_TRY(insert_pin(p.pseudonym, *pin));
    AFTERCARE_TRY(insert_record(record));
    return transaction->commit();
  }

  Status add_pin(const std::string& pseudonym, const DevicePin& pin,
                 std::int64_t revision) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    auto bump = db_.prepare(
        "UPDATE patient SET revision = revision + 1 WHERE pseudonym = ? AND revision = ?");
    if (!bump) return bump.error();
    bump->bind(1, pseudonym).bind(2, revision);
    if (!bump->run()) return db_.error("storing the device pin");
    if (db_.changes() == 0) {
      return Error(ErrorCode::kConflict,
                   pseudonym + " was stored by another import meanwhile; nothing changed");
    }
    AFTERCARE_TRY(insert_pin(pseudonym, pin));
    return transaction->commit();
  }

  Result<std::vector<std::string>> patients_without_zones() override {
    return pseudonyms("SELECT pseudonym FROM patient WHERE exported_zone = ''");
  }

  Status fill_zones(const std::string& pseudonym, const PatientSummary& summary,
                    std::int64_t revision) override {
    auto write = db_.prepare(
        "UPDATE patient SET exported_zone = ?1, treated_zone = ?2, last_checkin_zone = ?3, "
        "worst_zone = ?4 WHERE pseudonym = ?5 AND revision = ?6 AND exported_zone = ''");
    if (!write) return write.error();
    bind_zones(*write, summary, 1);
    write->bind(5, pseudonym).bind(6, revision);
    if (!write->run()) return db_.error("storing the patient's zones");
    return {};
  }

  Status save_verdict(const std::string& pseudonym, const PatientSummary& summary,
                      std::int64_t revision) override {
    auto write = db_.prepare(
        "UPDATE patient SET verdict = ?1, reasons = ?2, protocol_differs = ?3, silent_from = ?6, "
        "judged = ?7 WHERE pseudonym = ?4 AND revision = ?5");
    if (!write) return write.error();
    write->bind(1, verdict_name(summary.verdict))
        .bind(2, join(summary.reasons, '\n'))
        .bind(3, static_cast<std::int64_t>(summary.protocol_differs ? 1 : 0))
        .bind(4, pseudonym)
        .bind(5, revision);
    if (summary.silent_from) write->bind(6, to_unix(*summary.silent_from));
    write->bind(7, summary.judged_with + 1);
    if (!write->run()) return db_.error("storing the patient's verdict");
    if (db_.changes() == 0) {
      return Error(ErrorCode::kConflict,
                   pseudonym + " was stored by another import meanwhile; nothing changed");
    }
    return {};
  }

  Result<std::vector<std::string>> patients_to_judge(std::int64_t seq) override {
    return pseudonyms("SELECT pseudonym FROM patient WHERE judged != ?", seq + 1);
  }

  Result<std::optional<ClinicProtocol>> clinic_protocol() override {
    auto all = read_protocols(
        "SELECT seq, set_at, protocol, source FROM clinic_protocol "
        "ORDER BY seq DESC LIMIT 1");
    if (!all) return all.error();
    if (all->empty()) return std::optional<ClinicProtocol>();
    return std::optional<ClinicProtocol>(std::move(all->front()));
  }

  Result<std::vector<ClinicProtocol>> clinic_protocols() override {
    return read_protocols("SELECT seq, set_at, protocol, source FROM clinic_protocol ORDER BY seq");
  }

  Result<ClinicProtocol> add_clinic_protocol(const ClinicProtocol& protocol) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    ClinicProtocol stored = protocol;
    {
      auto next = db_.prepare("SELECT coalesce(max(seq), 0) + 1 FROM clinic_protocol");
      if (!next) return next.error();
      auto row = next->step();
      if (!row || !*row) return db_.error("storing the clinic's protocol");
      stored.seq = next->column_int(0);
    }
    auto insert = db_.prepare(
        "INSERT INTO clinic_protocol (seq, set_at, protocol, source) VALUES (?, ?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, stored.seq)
        .bind(2, to_unix(protocol.set_at))
        .bind(3, protocol.protocol_json)
        .bind(4, protocol.source);
    if (!insert->run()) return db_.error("storing the clinic's protocol");
    auto mark = db_.prepare("UPDATE patient SET judged = 0");
    if (!mark) return mark.error();
    if (!mark->run()) return db_.error("storing the clinic's protocol");
    AFTERCARE_TRY(transaction->commit());
    return stored;
  }

  Status record_import(const ImportRecord& record) override { return insert_record(record); }

  Result<std::unordered_set<std::string>> imported_digests() override {
    auto query = db_.prepare("SELECT sha256 FROM import_file");
    if (!query) return query.error();
    std::unordered_set<std::string> digests;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the imports");
      if (!*row) return digests;
      digests.insert(query->column_text(0));
    }
  }

  Result<std::optional<ImportRecord>> import_of(const std::string& sha256) override {
    auto query = db_.prepare(
        "SELECT file, pseudonym, outcome, reason, imported_at FROM import_file WHERE sha256 = ?");
    if (!query) return query.error();
    query->bind(1, sha256);
    auto row = query->step();
    if (!row) return db_.error("reading the imports");
    if (!*row) return std::optional<ImportRecord>();
    ImportRecord record;
    record.sha256 = sha256;
    record.file = query->column_text(0);
    record.pseudonym = query->column_text(1);
    const std::string outcome = query->column_text(2);
    record.outcome = import_outcome_named(outcome).value_or(ImportOutcome::kRejected);
    record.reason = query->column_text(3);
    record.imported_at = from_unix(query->column_int(4));
    return std::optional<ImportRecord>(std::move(record));
  }

 private:
  // The pseudonyms `sql` selects (its first column).
  Result<std::vector<std::string>> pseudonyms(const char* sql,
                                              std::optional<std::int64_t> parameter = {}) {
    auto query = db_.prepare(sql);
    if (!query) return query.error();
    if (parameter) query->bind(1, *parameter);
    std::vector<std::string> out;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the patients");
      if (!*row) return out;
      out.push_back(query->column_text(0));
    }
  }

  Result<std::vector<ClinicProtocol>> read_protocols(const char* sql) {
    auto query = db_.prepare(sql);
    if (!query) return query.error();
    std::vector<ClinicProtocol> out;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the clinic's protocol");
      if (!*row) return out;
      out.push_back({query->column_int(0), from_unix(query->column_int(1)), query->column_text(2),
                     query->column_text(3)});
    }
  }

  Status insert_pin(const std::string& pseudonym, const DevicePin& pin) {
    auto insert = db_.prepare(
        "INSERT INTO device_pin (pseudonym, seq, device, pinned_at, source, detail) "
        "SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5 FROM device_pin WHERE pseudonym = "
        "?1");
    if (!insert) return insert.error();
    insert->bind(1, pseudonym)
        .bind(2, pin.device)
        .bind(3, to_unix(pin.at))
        .bind(4, pin_source_name(pin.source))
        .bind(5, pin.detail);
    if (!insert->run()) return db_.error("storing the device pin");
    return {};
  }

  Status insert_record(const ImportRecord& record) {
    // The first outcome of a file is kept: handing in the same bytes again changes nothing.
    auto insert = db_.prepare(
        "INSERT INTO import_file (sha256, file, pseudonym, outcome, reason, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING");
    if (!insert) return insert.error();
    insert->bind(1, record.sha256)
        .bind(2, record.file)
        .bind(3, record.pseudonym)
        .bind(4, import_outcome_name(record.outcome))
        .bind(5, record.reason)
        .bind(6, to_unix(record.imported_at));
    if (!insert->run()) return db_.error("recording the import");
    return {};
  }

  Database db_;
};

}  // namespace

Result<std::unique_ptr<ClinicStore>> open_clinic_store(const std::filesystem::path& path) {
  auto db = Database::open_durable(path, "an aftercare clinic database");
  if (!db) return db.error();
  AFTERCARE_TRY(sqlite::migrate(*db, sqlite::kClinicApplicationId, sqlite::clinic_migrations()));
  return std::unique_ptr<ClinicStore>(new SqliteClinicStore(std::move(*db)));
}

}  // namespace aftercare
