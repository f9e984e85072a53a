
#include <algorithm>

#include "base/files.h"
#include "storage/backups.h"
#include "storage/backups_internal.h"
#include "storage/patient_store.h"
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

constexpr const char* kPlanColumns =
    "id, session_number, treated_at, zone, areas, clinic_name, clinic_phone, device, products, "
    "protocol_json, created_at";

PlanRecord read_plan(const Statement& row) {
  PlanRecord plan;
  plan.id = PlanId(row.column_int(0));
  plan.session_number = static_cast<int>(row.column_int(1));
  plan.details.treated_at = from_unix(row.column_int(2));
  plan.details.zone = row.column_text(3);
  plan.details.areas = split(row.column_text(4), ',');
  plan.details.clinic_name = row.column_text(5);
  plan.details.clinic_phone = row.column_text(6);
  plan.details.device = row.column_text(7);
  plan.details.products = row.column_text(8);
  plan.protocol_json = row.column_text(9);
  plan.created_at = from_unix(row.column_int(10));
  return plan;
}

Result<std::vector<PlanRecord>> read_plans(Database& db) {
  auto query = db.prepare(std::string("SELECT ") + kPlanColumns + " FROM plan ORDER BY id");
  if (!query) return query.error();
  std::vector<PlanRecord> plans;
  for (;;) {
    auto row = query->step();
    if (!row) return db.error("reading the plans");
    if (!*row) break;
    plans.push_back(read_plan(*query));
  }
  // Migrating to schema 4 records the record's state before schema 5 adds the changes.
  auto has_changes = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'plan_change'");
  if (!has_changes) return has_changes.error();
  auto exists = has_changes->step();
  if (!exists) return db.error("reading the plans' changes");
  if (!*exists) return plans;
  auto changes =
      db.prepare("SELECT id, plan_id, field, before, after, at FROM plan_change ORDER BY id");
  if (!changes) return changes.error();
  for (;;) {
    auto row = changes->step();
    if (!row) return db.error("reading the plans' changes");
    if (!*row) return plans;
    PlanChange change;
    change.id = changes->column_int(0);
    change.plan = PlanId(changes->column_int(1));
    const auto field = plan_field_named(changes->column_text(2));
    change.before = changes->column_text(3);
    change.after = changes->column_text(4);
    change.at = from_unix(changes->column_int(5));
    const auto plan = std::find_if(plans.begin(), plans.end(),
                                   [&](const PlanRecord& p) { return p.id == change.plan; });
    if (!field || plan == plans.end()) {
      return Error(ErrorCode::kStorage, db.name() + ": plan change " + std::to_string(change.id) +
                                            " names no plan or field it can have");
    }
    change.field = *field;
    plan->changes.push_back(std::move(change));
  }
}

Status insert_plan_change(Database& db, const PlanChange& change) {
  auto insert = db.prepare(
      "INSERT INTO plan_change (id, plan_id, field, before, after, at) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  insert->bind(1, change.id)
      .bind(2, change.plan.value())
      .bind(3, plan_field_name(change.field))
      .bind(4, change.before)
      .bind(5, change.after)
      .bind(6, to_unix(change.at));
  if (!insert->run())
    return db.error("storing a change of plan " + std::to_string(change.plan.value()));
  return {};
}

Result<std::vector<ZoneChange>> read_zones(Database& db) {
  auto query = db.prepare("SELECT at, zone FROM zone_change ORDER BY at, id");
  if (!query) return query.error();
  std::vector<ZoneChange> changes;
  for (;;) {
    auto row = query->step();
    if (!row) return db.error("reading the time zones");
    if (!*row) return changes;
    changes.push_back({from_unix(query->column_int(0)), query->column_text(1)});
  }
}

Result<std::vector<ModeChange>> read_modes(Database& db) {
  auto query = db.prepare("SELECT at, mode, is_on FROM mode_change ORDER BY at, id");
  if (!query) return query.error();
  std::vector<ModeChange> changes;
  for (;;) {
    auto row = query->step();
    if (!row) return db.error("reading the modes");
    if (!*row) return changes;
    changes.push_back(
        {from_unix(query->column_int(0)), query->column_text(1), query->column_int(2) != 0});
  }
}

Status read_settings(Database& db, PatientArchive& archive) {
  auto settings = db.prepare("SELECT key, value FROM setting ORDER BY key");
  if (!settings) return settings.error();
  for (;;) {
    auto row = settings->step();
    if (!row) return db.error("reading the settings");
    if (!*row) return {};
    archive.settings[settings->column_text(0)] = settings->column_text(1);
  }
}

// The last stored event's number and hash (0 and the genesis hash before the first): one rowid
// lookup per log (a UNION with ORDER BY here made SQLite build a sorter on every write).
Result<std::pair<std::int64_t, std::string>> last_event(Database& db) {
  std::pair<std::int64_t, std::string> last(0, kGenesisHash);
  for (const char* sql : {"SELECT seq, hash FROM step_event ORDER BY seq DESC LIMIT 1",
                          "SELECT row, hash FROM symptom_entry ORDER BY row DESC LIMIT 1",
                          "SELECT seq, hash FROM record_state ORDER BY seq DESC LIMIT 1"}) {
    auto query = db.prepare(sql);
    if (!query) return query.error();
    auto row = query->step();
    if (!row) return db.error("reading the log");
    if (*row && query->column_int(0) > last.first) {
      last = {query->column_int(0), query->column_text(1)};
    }
  }
  return last;
}

Status insert_state(Database& db, const RecordState& state) {
  auto insert = db.prepare(
      "INSERT INTO record_state (seq, sections, recorded_at, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  insert->bind(1, state.seq)
      .bind(2, state.sections)
      .bind(3, to_unix(state.recorded_at))
      .bind(4, state.chain.prev_hash)
      .bind(5, state.chain.hash);
  if (!insert->run()) return db.error("storing the record's state");
  return {};
}

Result<std::optional<RecordState>> latest_state(Database& db) {
  auto query = db.prepare(
      "SELECT seq, sections, recorded_at, prev_hash, hash FROM record_state "
      "ORDER BY seq DESC LIMIT 1");
  if (!query) return query.error();
  auto row = query->step();
  if (!row) return db.error("reading the record's state");
  if (!*row) return std::optional<RecordState>();
  return std::optional<RecordState>(RecordState{query->column_int(0),
                                                query->column_text(1),
                                                from_unix(query->column_int(2)),
                                                {query->column_text(3), query->column_text(4)}});
}

// The record outside the event logs, as stored now.
Result<PatientArchive> record_parts(Database& db) {
  PatientArchive parts;
  auto plans = read_plans(db);
  if (!plans) return plans.error();
  parts.plans = std::move(*plans);
  auto zones = read_zones(db);
  if (!zones) return zones.error();
  parts.zone_changes = std::move(*zones);
  auto modes = read_modes(db);
  if (!modes) return modes.error();
  parts.mode_changes = std::move(*modes);
  AFTERCARE_TRY(read_settings(db, parts));
  return parts;
}

}  // namespace

namespace sqlite {

Instant wall_clock_now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

Status record_state(Database& db, Instant at) {
  auto parts = record_parts(db);
  if (!parts) return parts.error();
  RecordState state;
  state.sections = record_sections(*parts);
  auto latest = latest_state(db);
  if (!latest) return latest.error();
  if (*latest ? (*latest)->sections == state.sections : !has_chained_parts(*parts)) return {};
  auto last = last_event(db);
  if (!last) return last.error();
  state.seq = last->first + 1;
  state.recorded_at = at;
  state.chain = stamp(state.seq, ChainKind::kRecord, canonical_text(state), last->second);
  return insert_state(db, state);
}

Status record_unaltered(Database& db) {
  auto latest = latest_state(db);
  if (!latest) return latest.error();
  if (!*latest) return {};
  auto parts = record_parts(db);
  if (!parts) return parts.error();
  const std::string difference =
      record_difference((*latest)->sections, (*latest)->seq, record_sections(*parts));
  if (difference.empty()) return {};
  return Error(ErrorCode::kStorage, db.name() + ": the record was changed outside the app (" +
                                        difference + "); nothing was stored. Restore a backup.");
}

}  // namespace sqlite

namespace {

class SqlitePatientStore final : public PatientStore {
 public:
  explicit SqlitePatientStore(Database db) : db_(std::move(db)) {}

  Result<PlanId> add_plan(const PlanDetails& details, const std::string& protocol_json,
                          Instant created_at) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    AFTERCARE_TRY(sqlite::record_unaltered(db_));
    // A cancelled plan is not a session of the series: the next one takes its number.
    auto next = db_.prepare(
        "SELECT coalesce(max(session_number), 0) + 1 FROM plan WHERE id NOT IN (SELECT plan_id "
        "FROM plan_change "
        "WHERE field = 'status' AND id IN (SELECT max(id) FROM plan_change WHERE field = "
        "'status' GROUP BY plan_id) AND after = 'cancelled')");
    if (!next) return next.error();
    if (auto row = next->step(); !row || !*row) return db_.error("numbering the session");
    const std::int64_t session = next->column_int(0);
    auto insert = db_.prepare(
        "INSERT INTO plan (session_number, treated_at, zone, areas, clinic_name, clinic_phone, "
        "device, products, protocol_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, session)
        .bind(2, to_unix(details.treated_at))
        .bind(3, details.zone)
        .bind(4, join(details.areas, ','))
        .bind(5, details.clinic_name)
        .bind(6, details.clinic_phone)
        .bind(7, details.device)
        .bind(8, details.products)
        .bind(9, protocol_json)
        .bind(10, to_unix(created_at));
    if (!insert->run()) return db_.error("storing the plan");
    const PlanId id(db_.last_insert_rowid());
    AFTERCARE_TRY(sqlite::record_state(db_, created_at));
    AFTERCARE_TRY(transaction->commit());
    return id;
  }

  Result<std::optional<PlanId>> latest_plan_id() override {
    auto query = db_.prepare("SELECT max(id) FROM plan");
    if (!query) return query.error();
    auto row = query->step();
    if (!row || !*row) return db_.error("reading the plan");
    if (query->column_is_null(0)) return std::optional<PlanId>();
    return std::optional<PlanId>(PlanId(query->column_int(0)));
  }

  Result<std::optional<PlanRecord>> latest_plan() override {
    auto query =
        db_.prepare(std::string("SELECT ") + kPlanColumns + " FROM plan ORDER BY id DESC LIMIT 1");
    if (!query) return query.error();
    auto row = query->step();
    if (!row) return db_.error("reading the plan");
    if (!*row) return std::optional<PlanRecord>();
    return std::optional<PlanRecord>(read_plan(*query));
  }

  Result<std::vector<PlanRecord>> plans() override { return read_plans(db_); }

  Status add_plan_changes(PlanId plan, const std::vector<PlanChange>& changes,
                          Instant at) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    AFTERCARE_TRY(sqlite::record_unaltered(db_));
    auto next = scalar("SELECT coalesce(max(id), 0) + 1 FROM plan_change");
    if (!next) return next.error();
    std::int64_t id = *next;
    for (PlanChange change : changes) {
      change.id = id++;
      change.plan = plan;
      change.at = at;
      AFTERCARE_TRY(insert_plan_change(db_, change));
    }
    AFTERCARE_TRY(sqlite::record_state(db_, at));
    return transaction->commit();
  }

  Result<std::pair<std::int64_t, std::int64_t>> plan_revision() override {
    auto query = db_.prepare(
        "SELECT (SELECT coalesce(max(id), 0) FROM plan), "
        "(SELECT coalesce(max(id), 0) FROM plan_change)");
    if (!query) return query.error();
    auto row = query->step();
    if (!row || !*row) return db_.error("reading the plan");
    return std::pair<std::int64_t, std::int64_t>(query->column_int(0), query->column_int(1));
  }

  Result<std::int64_t> append_step_event(const StepEvent& event) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    auto last = last_event(db_);
    if (!last) return last.error();
    StepEvent stored = event;
    stored.seq = last->first + 1;
    stored.chain = stamp(stored.seq, ChainKind::kStep, canonical_text(stored), last->second);
    AFTERCARE_TRY(insert_step_event(stored, "storing the step"));
    AFTERCARE_TRY(transaction->commit());
    return stored.seq;
  }

  Result<std::vector<SymptomVersion>> append_symptom_versions(std::vector<SymptomVersion> versions,
                                                              bool as_checkin) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    std::optional<std::int64_t> checkin;
    if (as_checkin) {
      auto next = scalar("SELECT coalesce(max(checkin_id), 0) + 1 FROM symptom_entry");
      if (!next) return next.error();
      checkin = *next;
    }
    for (auto& version : versions) {
      if (version.entry.value() == 0) {
        auto next = scalar("SELECT coalesce(max(entry_id), 0) + 1 FROM symptom_entry");
        if (!next) return next.error();
        version.entry = EntryId(*next);
        version.version = 1;
      } else {
        auto latest = db_.prepare(
            "SELECT coalesce(max(version), 0) FROM symptom_entry "
            "WHERE entry_id = ?");
        if (!latest) return latest.error();
        latest->bind(1, version.entry.value());
        if (auto row = latest->step(); !row || !*row) return db_.error("reading an entry");
        if (latest->column_int(0) + 1 != version.version) {
          return Error(ErrorCode::kConflict, "entry " + std::to_string(version.entry.value()) +
                                                 " changed meanwhile; look at its history again");
        }
      }
      if (checkin) version.checkin = checkin;
      auto last = last_event(db_);
      if (!last) return last.error();
      version.row = last->first + 1;
      version.chain =
          stamp(version.row, ChainKind::kSymptom, canonical_text(version), last->second);
      AFTERCARE_TRY(insert_symptom_version(version));
    }
    AFTERCARE_TRY(transaction->commit());
    return versions;
  }

  Result<std::vector<SymptomVersion>> symptom_versions(PlanId plan) override {
    auto versions = read_symptom_versions(" WHERE plan_id = ?", plan.value());
    if (!versions) return versions.error();
    return std::move(*versions);
  }

  Result<std::map<std::int64_t, StepEvent>> all_step_events() override {
    auto plans = this->plans();
    if (!plans) return plans.error();
    std::map<std::int64_t, StepEvent> events;
    for (const auto& plan : *plans) {
      auto some = step_events(plan.id);
      if (!some) return some.error();
      for (auto& event : *some) events.emplace(event.seq, std::move(event));
    }
    return events;
  }

  Result<std::map<std::int64_t, SymptomVersion>> all_symptom_versions() override {
    auto versions = read_symptom_versions("", 0);
    if (!versions) return versions.error();
    std::map<std::int64_t, SymptomVersion> by_row;
    for (auto& version : *versions) by_row.emplace(version.row, std::move(version));
    return by_row;
  }

  Result<std::vector<StepEvent>> step_events(PlanId plan) override {
    auto query = db_.prepare(
        "SELECT seq, step, occurrence, scheduled_at, action, at, recorded_at, prev_hash, hash "
        "FROM step_event WHERE plan_id = ? ORDER BY seq");
    if (!query) return query.error();
    query->bind(1, plan.value());
    std::vector<StepEvent> events;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the steps");
      if (!*row) return events;
      StepEvent event;
      event.seq = query->column_int(0);
      event.plan = plan;
      event.step = StepId(query->column_text(1));
      event.occurrence = query->column_text(2);
      event.scheduled_at = from_unix(query->column_int(3));
      const auto action = step_action_named(query->column_text(4));
      if (!action) return db_.error("reading step event " + std::to_string(event.seq));
      event.action = *action;
      event.at = from_unix(query->column_int(5));
      event.recorded_at = from_unix(query->column_int(6));
      event.chain = {query->column_text(7), query->column_text(8)};
      events.push_back(std::move(event));
    }
  }

  Status record_zone(const ZoneChange& change) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    AFTERCARE_TRY(sqlite::record_unaltered(db_));
    AFTERCARE_TRY(write_zone(change));
    AFTERCARE_TRY(sqlite::record_state(db_, change.at));
    return transaction->commit();
  }

  Result<std::vector<ZoneChange>> zone_history() override { return read_zones(db_); }

  Result<std::int64_t> append_reminder_event(const ReminderEvent& event) override {
    AFTERCARE_TRY(insert_reminder_event(event));
    return db_.last_insert_rowid();
  }

  Status append_reminder_events(const std::vector<ReminderEvent>& events) override {
    if (events.empty()) return {};
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    for (const auto& event : events) AFTERCARE_TRY(insert_reminder_event(event));
    return transaction->commit();
  }

  Result<std::vector<ReminderEvent>> reminder_events(PlanId plan) override {
    auto query = db_.prepare(
        "SELECT seq, reminder, action, at, until FROM reminder_event WHERE plan_id = ? "
        "ORDER BY seq");
    if (!query) return query.error();
    query->bind(1, plan.value());
    std::vector<ReminderEvent> events;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the reminders");
      if (!*row) return events;
      ReminderEvent event;
      event.seq = query->column_int(0);
      event.plan = plan;
      event.reminder = query->column_text(1);
      const auto action = reminder_action_from(query->column_text(2));
      if (!action) return db_.error("reading reminder event " + std::to_string(event.seq));
      event.action = *action;
      event.at = from_unix(query->column_int(3));
      if (!query->column_is_null(4)) event.until = from_unix(query->column_int(4));
      events.push_back(std::move(event));
    }
  }

  Status record_mode(const ModeChange& change) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    AFTERCARE_TRY(sqlite::record_unaltered(db_));
    AFTERCARE_TRY(write_mode(change));
    AFTERCARE_TRY(sqlite::record_state(db_, change.at));
    return transaction->commit();
  }

  Result<std::vector<ModeChange>> mode_changes() override { return read_modes(db_); }

  Result<std::optional<std::string>> setting(const std::string& key) override {
    auto query = db_.prepare("SELECT value FROM setting WHERE key = ?");
    if (!query) return query.error();
    query->bind(1, key);
    auto row = query->step();
    if (!row) return db_.error("reading a setting");
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(query->column_text(0));
  }

  Status set_setting(const std::string& key, const std::string& value, Instant at) override {
    return set_settings({{key, value}}, at);
  }

  Result<std::string> setting_once(const std::string& key, const std::string& value,
                                   Instant at) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    if (is_chained_setting(key)) AFTERCARE_TRY(sqlite::record_unaltered(db_));
    auto insert = db_.prepare(
        "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO NOTHING");
    if (!insert) return insert.error();
    insert->bind(1, key).bind(2, value).bind(3, to_unix(at));
    if (!insert->run()) return db_.error("storing a setting");
    auto stored = setting(key);
    if (!stored) return stored.error();
    if (!*stored) return db_.error("reading a setting");
    if (is_chained_setting(key)) AFTERCARE_TRY(sqlite::record_state(db_, at));
    AFTERCARE_TRY(transaction->commit());
    return **stored;
  }

  Status backup_to(const std::filesystem::path& file) override { return db_.backup_to(file); }

  Status set_settings(const std::vector<std::pair<std::string, std::string>>& values,
                      Instant at) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    bool chained = false;
    for (const auto& [key, value] : values) chained = chained || is_chained_setting(key);
    if (chained) AFTERCARE_TRY(sqlite::record_unaltered(db_));
    for (const auto& [key, value] : values) {
      AFTERCARE_TRY(write_setting(key, value, at));
    }
    if (chained) AFTERCARE_TRY(sqlite::record_state(db_, at));
    return transaction->commit();
  }

  Result<PatientArchive> archive() override {
    // One transaction: a consistent snapshot even while another process writes.
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    PatientArchive archive;
    auto plans = this->plans();
    if (!plans) return plans.error();
    archive.plans = std::move(*plans);
    auto zones = zone_history();
    if (!zones) return zones.error();
    archive.zone_changes = std::move(*zones);
    auto modes = mode_changes();
    if (!modes) return modes.error();
    archive.mode_changes = std::move(*modes);
    auto steps = all_step_events();
    if (!steps) return steps.error();
    for (auto& [seq, event] : *steps) archive.step_events.push_back(std::move(event));
    auto symptoms = read_symptom_versions("", 0);
    if (!symptoms) return symptoms.error();
    archive.symptom_versions = std::move(*symptoms);
    for (const auto& plan : archive.plans) {
      auto events = reminder_events(plan.id);
      if (!events) return events.error();
      for (auto& event : *events) archive.reminder_events.push_back(std::move(event));
    }
    std::stable_sort(archive.reminder_events.begin(), archive.reminder_events.end(),
                     [](const ReminderEvent& a, const ReminderEvent& b) { return a.seq < b.seq; });
    AFTERCARE_TRY(read_settings(db_, archive));
    auto states = record_states();
    if (!states) return states.error();
    archive.record_states = std::move(*states);
    AFTERCARE_TRY(transaction->commit());
    return archive;
  }

  Status restore(const PatientArchive& archive) override {
    auto transaction = Transaction::begin(db_);
    if (!transaction) return transaction.error();
    auto count = scalar("SELECT count(*) FROM plan");
    if (!count) return count.error();
    if (*count > 0) {
      return Error(ErrorCode::kConflict,
                   db_.name() + ": already holds a plan; import only into an empty database");
    }
    for (const auto& plan : archive.plans) {
      auto insert = db_.prepare(
          "INSERT INTO plan (id, session_number, treated_at, zone, areas, clinic_name, "
          "clinic_phone, device, products, protocol_json, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      if (!insert) return insert.error();
      insert->bind(1, plan.id.value())
          .bind(2, plan.session_number)
          .bind(3, to_unix(plan.details.treated_at))
          .bind(4, plan.details.zone)
          .bind(5, join(plan.details.areas, ','))
          .bind(6, plan.details.clinic_name)
          .bind(7, plan.details.clinic_phone)
          .bind(8, plan.details.device)
          .bind(9, plan.details.products)
          .bind(10, plan.protocol_json)
          .bind(11, to_unix(plan.created_at));
      if (!insert->run()) return db_.error("restoring plan " + std::to_string(plan.id.value()));
    }
    for (const auto& plan : archive.plans) {
      for (const auto& change : plan.changes) AFTERCARE_TRY(insert_plan_change(db_, change));
    }
    // A database without a plan may still hold zones, modes, settings and the record's states
    // (a new phone asked for its key, or opened, before the import): the archive's replace them,
    // so that its numbering and chain are the database's.
    AFTERCARE_TRY(
        db_.exec("DELETE FROM zone_change; DELETE FROM mode_change; DELETE FROM record_state; "
                 "DELETE FROM reminder_event; DELETE FROM step_event; DELETE FROM symptom_entry"));
    for (const auto& change : archive.zone_changes) AFTERCARE_TRY(write_zone(change));
    for (const auto& change : archive.mode_changes) AFTERCARE_TRY(write_mode(change));
    for (const auto& state : archive.record_states) AFTERCARE_TRY(insert_state(db_, state));
    for (const auto& event : archive.step_events) {
      AFTERCARE_TRY(insert_step_event(event, "restoring step event " + std::to_string(event.seq)));
    }
    for (const auto& version : archive.symptom_versions) {
      AFTERCARE_TRY(insert_symptom_version(version));
    }
    for (const auto& event : archive.reminder_events) {
      // A JSON export carries no numbers for reminder events (0): those are numbered afresh.
      AFTERCARE_TRY(insert_reminder_event(event, true));
    }
    for (const auto& [key, value] : archive.settings) {
      AFTERCARE_TRY(write_setting(key, value, Instant{}));
    }
    // An export from before the record was chained gets its first state now; one that has
    // states matches its latest, and gets none.
    AFTERCARE_TRY(sqlite::record_state(db_, sqlite::wall_clock_now()));
    return transaction->commit();
  }

 private:
  Status write_zone(const ZoneChange& change) {
    auto insert = db_.prepare("INSERT INTO zone_change (at, zone) VALUES (?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, to_unix(change.at)).bind(2, change.zone);
    if (!insert->run()) return db_.error("storing the time zone");
    return {};
  }

  Status write_mode(const ModeChange& change) {
    auto insert = db_.prepare("INSERT INTO mode_change (at, mode, is_on) VALUES (?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, to_unix(change.at)).bind(2, change.mode).bind(3, change.on ? 1 : 0);
    if (!insert->run()) return db_.error("storing the mode");
    return {};
  }

  Status write_setting(const std::string& key, const std::string& value, Instant at) {
    auto upsert = db_.prepare(
        "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
    if (!upsert) return upsert.error();
    upsert->bind(1, key).bind(2, value).bind(3, to_unix(at));
    if (!upsert->run()) return db_.error("storing a setting");
    return {};
  }

  Result<std::vector<RecordState>> record_states() {
    auto query = db_.prepare(
        "SELECT seq, sections, recorded_at, prev_hash, hash FROM record_state ORDER BY seq");
    if (!query) return query.error();
    std::vector<RecordState> states;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the record's states");
      if (!*row) return states;
      states.push_back({query->column_int(0),
                        query->column_text(1),
                        from_unix(query->column_int(2)),
                        {query->column_text(3), query->column_text(4)}});
    }
  }

  Status insert_symptom_version(const SymptomVersion& version) {
    auto insert = db_.prepare(
        "INSERT INTO symptom_entry (entry_id, version, plan_id, action, symptom, severity, "
        "area, note, photo_sha256, relieved, felt_at, zone, checkin_id, recorded_at, row, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    const SymptomReport& report = version.report;
    insert->bind(1, version.entry.value())
        .bind(2, version.version)
        .bind(3, version.plan.value())
        .bind(4, entry_action_name(version.action))
        .bind(5, report.symptom.value())
        .bind(6, report.severity)
        .bind(7, report.area)
        .bind(8, report.note);
    if (report.photo_sha256) insert->bind(9, *report.photo_sha256);
    if (report.relieved) insert->bind(10, *report.relieved ? 1 : 0);
    insert->bind(11, to_unix(report.felt_at)).bind(12, report.zone);
    if (version.checkin) insert->bind(13, *version.checkin);
    insert->bind(14, to_unix(version.recorded_at))
        .bind(15, version.row)
        .bind(16, version.chain.prev_hash)
        .bind(17, version.chain.hash);
    if (!insert->run()) return db_.error("storing the symptom entry");
    return {};
  }

  Result<std::int64_t> scalar(const char* sql) {
    auto query = db_.prepare(sql);
    if (!query) return query.error();
    auto row = query->step();
    if (!row || !*row) return db_.error("reading the database");
    return query->column_int(0);
  }

  Result<std::vector<SymptomVersion>> read_symptom_versions(const std::string& where,
                                                            std::int64_t plan) {
    auto query = db_.prepare(
        "SELECT row, entry_id, version, plan_id, action, symptom, severity, area, note, "
        "photo_sha256, relieved, felt_at, zone, checkin_id, recorded_at, prev_hash, hash "
        "FROM symptom_entry" +
        where + " ORDER BY row");
    if (!query) return query.error();
    if (!where.empty()) query->bind(1, plan);
    std::vector<SymptomVersion> versions;
    for (;;) {
      auto row = query->step();
      if (!row) return db_.error("reading the symptom log");
      if (!*row) return versions;
      SymptomVersion v;
      v.row = query->column_int(0);
      v.entry = EntryId(query->column_int(1));
      v.version = static_cast<int>(query->column_int(2));
      v.plan = PlanId(query->column_int(3));
      const auto action = entry_action_from(query->column_text(4));
      if (!action) return db_.error("reading symptom entry row " + std::to_string(v.row));
      v.action = *action;
      v.report.symptom = SymptomId(query->column_text(5));
      v.report.severity = static_cast<int>(query->column_int(6));
      v.report.area = query->column_text(7);
      v.report.note = query->column_text(8);
      if (!query->column_is_null(9)) v.report.photo_sha256 = query->column_text(9);
      if (!query->column_is_null(10)) v.report.relieved = query->column_int(10) != 0;
      v.report.felt_at = from_unix(query->column_int(11));
      v.report.zone = query->column_text(12);
      if (!query->column_is_null(13)) v.checkin = query->column_int(13);
      v.recorded_at = from_unix(query->column_int(14));
      v.chain = {query->column_text(15), query->column_text(16)};
      versions.push_back(std::move(v));
    }
  }

  /// Stores a step event as it is (its number and chain stamp given); `what` names it in the
  /// error.
  Status insert_step_event(const StepEvent& event, const std::string& what) {
    auto insert = db_.prepare(
        "INSERT INTO step_event (seq, plan_id, step, occurrence, scheduled_at, action, at, "
        "recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, event.seq)
        .bind(2, event.plan.value())
        .bind(3, event.step.value())
        .bind(4, event.occurrence)
        .bind(5, to_unix(event.scheduled_at))
        .bind(6, step_action_name(event.action))
        .bind(7, to_unix(event.at))
        .bind(8, to_unix(event.recorded_at))
        .bind(9, event.chain.prev_hash)
        .bind(10, event.chain.hash);
    if (!insert->run()) return db_.error(what);
    return {};
  }

  /// A new event is numbered by the database; a restored one keeps its number (`keep_seq`)
  /// when it has one. An unbound seq is NULL, which SQLite numbers as the next rowid.
  Status insert_reminder_event(const ReminderEvent& event, bool keep_seq = false) {
    auto insert = db_.prepare(
        "INSERT INTO reminder_event (plan_id, reminder, action, at, until, seq) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, event.plan.value())
        .bind(2, event.reminder)
        .bind(3, reminder_action_name(event.action))
        .bind(4, to_unix(event.at));
    if (event.until) insert->bind(5, to_unix(*event.until));
    if (keep_seq && event.seq > 0) insert->bind(6, event.seq);
    if (!insert->run()) return db_.error("storing the reminder");
    return {};
  }

  Database db_;
};

Result<std::unique_ptr<PatientStore>> finish_open(Database db,
                                                  const sqlite::BeforeMigrating& before = {}) {
  AFTERCARE_TRY(db.exec("PRAGMA foreign_keys = ON"));
  AFTERCARE_TRY(
      sqlite::migrate(db, sqlite::kPatientApplicationId, sqlite::patient_migrations(), before));
  return std::unique_ptr<PatientStore>(new SqlitePatientStore(std::move(db)));
}

}  // namespace

Result<std::unique_ptr<PatientStore>> open_patient_store(const std::filesystem::path& path) {
  auto db = Database::open_durable(path, "an aftercare database");
  if (!db) return db.error();
  // Before a migration, the database as it was goes beside the daily backups (tagged with its
  // schema): a restore can take it back should the migration, or the newer app, go wrong.
  const auto before = [&path](Database& current, int version) -> Status {
    const auto dir = path.parent_path() / PatientBackups::kDir;
    AFTERCARE_TRY(ensure_private_directory(dir));
    return current.backup_to(dir / backup_file_name(std::chrono::floor<std::chrono::seconds>(
                                                        std::chrono::system_clock::now()),
                                                    "schema-" + std::to_string(version)));
  };
  return finish_open(std::move(*db), before);
}

Result<std::unique_ptr<PatientStore>> open_patient_store_copy(const std::filesystem::path& path) {
  auto db = Database::open_durable(path, "an aftercare database");
  if (!db) return db.error();
  return finish_open(std::move(*db));
}

Result<std::unique_ptr<PatientStore>> open_memory_patient_store() {
  auto db = Database::open(":memory:", "in-memory database");
  if (!db) return db.error();
  return finish_open(std::move(*db));
}

}  // namespace aftercare
