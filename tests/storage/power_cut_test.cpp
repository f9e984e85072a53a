// Simulated power cuts (issue #18, item 3): every sync point of every operation that stores
// something is, in turn, the moment the power goes, with the writes since each file's last sync
// dropped or torn; then the database must open, pass integrity_check, verify its chain, and hold
// everything an operation acknowledged (it returned) and nothing half of one that did not.
// The same sync points also fail once, as a failing disk does: the operation must report it.
#include <sqlite3.h>

#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "app/app.h"
#include "app/clinic_app.h"
#include "storage/power_cut_vfs.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

namespace fs = std::filesystem;
using test::at;
using test::PowerCutVfs;

// Reads a database file as a tool would, through SQLite's own VFS (not the one under test).
class Raw {
 public:
  explicit Raw(const fs::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, "unix") != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
  }
  ~Raw() { sqlite3_close(db_); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  // The rows of `sql`, one line each, columns separated by '|'; "error: ..." when it fails.
  std::string rows(const std::string& sql) {
    if (!db_) return "error: cannot open";
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return std::string("error: ") + sqlite3_errmsg(db_);
    }
    std::string out;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = sqlite3_column_text(stmt, i);
        out += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "");
      }
      out += "\n";
    }
    if (rc != SQLITE_DONE) out += std::string("error: ") + sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// What a database holds: its schema version, each table's row count, and the settings (values
// made at random, the pseudonym, left out); "damaged: ..." unless integrity_check passes.
std::string stored(const fs::path& file) {
  if (!fs::exists(file)) return "nothing\n";
  Raw raw(file);
  const std::string integrity = raw.rows("PRAGMA integrity_check");
  if (integrity != "ok\n") return "damaged: " + integrity;
  std::string out = "version " + raw.rows("PRAGMA user_version");
  std::istringstream tables(
      raw.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
  for (std::string table; std::getline(tables, table);) {
    out += table + ": " + raw.rows("SELECT count(*) FROM \"" + table + "\"");
  }
  if (out == "version 0\n") return "nothing\n";  // an empty file, as the first open creates
  if (out.find("\nsetting: ") != std::string::npos) {
    out += raw.rows(
        "SELECT key, CASE WHEN key LIKE '%pseudonym%' THEN '' ELSE value END FROM setting "
        "ORDER BY key");
  }
  return out;
}

// True when `state` (of `stored`) counts no row in any table.
bool holds_no_rows(const std::string& state) {
  std::istringstream lines(state);
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(": ");
    if (line.rfind("version ", 0) == 0) continue;
    if (colon == std::string::npos || line.substr(colon + 2) != "0") return false;
  }
  return true;
}

// The live database, and every listed backup as stored (a listed backup must be whole).
std::string patient_state(const fs::path& dir) {
  std::string out = stored(dir / App::kDatabaseFile);
  auto backups = PatientBackups::list(dir);
  if (!backups) return out + "backups: " + backups.error().message();
  for (const auto& backup : *backups) {
    const std::string state = stored(backup.file);
    if (state.rfind("version ", 0) != 0) {
      out += backup.file.filename().string() + " " + state;
    }
  }
  return out;
}

const FixedDeviceZone& london() {
  static const FixedDeviceZone zone(std::string("Europe/London"));
  return zone;
}
Instant prepared_at() { return at("2027-06-10T20:00", "Europe/London"); }
Instant run_at() { return at("2027-06-10T20:05", "Europe/London"); }

// A patient's database as the operations find it: a plan (treated the day before) and a
// check-in, taken today's backup.
void patient(const fs::path& dir) {
  FakeClock clock(prepared_at());
  auto app = App::open(dir, clock, london());
  REQUIRE(app.ok());
  PlanDetails details;
  details.treated_at = at("2027-06-09T09:00", "Europe/London");
  details.areas = {"face"};
  REQUIRE((*app)->start_plan(details).ok());
  REQUIRE((*app)->check_in({{SymptomId("redness"), 3}}, "").ok());
}

using Step = std::function<Status(App&, const fs::path&)>;
using Acknowledged = std::function<void()>;

// The patient's app opened, the steps run in order until one fails (`acknowledged()` after
// each that returned), and the app closed, as a session in the app or a run of the CLI.
Status with_app(const fs::path& dir, const Acknowledged& acknowledged,
                const std::vector<Step>& steps) {
  FakeClock clock(run_at());
  auto app = App::open(dir, clock, london());
  if (!app) return app.error();
  for (const auto& step : steps) {
    const Status status = step(**app, dir);
    if (!status) return status;
    acknowledged();
    clock.advance(std::chrono::minutes(1));
  }
  return {};
}

template <typename T>
Status status_of(const Result<T>& result) {
  return result ? Status() : Status(result.error());
}

// The database opens, its chain verifies, and it takes the next entry.
void patient_usable(const fs::path& dir) {
  FakeClock clock(run_at() + std::chrono::hours(1));
  auto app = App::open(dir, clock, london());
  REQUIRE(app.ok());
  auto verified = (*app)->verify_log();
  REQUIRE(verified.ok());
  CHECK(verified->ok);
  SymptomReport next;
  next.symptom = SymptomId("itching");
  next.severity = 1;
  CHECK((*app)->log_symptom(next).ok());
}

struct Scenario {
  std::string name;
  std::function<void(const fs::path&)> prepare;  // run before the power can go
  // Runs its operations in order until one fails, calling `acknowledged()` after each that
  // returned; the status of the last one run.
  std::function<Status(const fs::path&, const Acknowledged&)> run;
  std::function<std::string(const fs::path&)> state;
  std::function<void(const fs::path&)> usable;
};

Scenario patient_scenario(std::string name, std::vector<Step> steps,
                          std::function<std::string(const fs::path&)> state = patient_state) {
  return {std::move(name), patient,
          [steps](const fs::path& dir, const Acknowledged& acknowledged) {
            return with_app(dir, acknowledged, steps);
          },
          std::move(state), patient_usable};
}

Status log_swelling(App& app, const fs::path&) {
  SymptomReport report;
  report.symptom = SymptomId("swelling");
  report.severity = 4;
  report.note = "before the cut";
  return status_of(app.log_symptom(report, std::nullopt));
}
Status check_in(App& app, const fs::path&) {
  return status_of(app.check_in({{SymptomId("redness"), 2}, {SymptomId("swelling"), 1}}, ""));
}
Status edit_first(App& app, const fs::path&) {
  auto log = app.symptom_log();
  if (!log) return log.error();
  EntryEdit edit;
  edit.severity = 2;
  edit.note = "less red";
  return status_of(app.edit_entry(log->entries.front().entry, edit));
}
Status delete_last(App& app, const fs::path&) {
  auto log = app.symptom_log();
  if (!log) return log.error();
  return status_of(app.delete_entry(log->entries.back().entry));
}
Status done_evening(App& app, const fs::path&) {
  return status_of(app.check_off(StepId("cleanse_pm"), StepAction::kDone));
}
Status skip_moisturizer(App& app, const fs::path&) {
  return status_of(app.check_off(StepId("moisturize"), StepAction::kSkipped));
}
Status undo(App& app, const fs::path&) { return status_of(app.undo()); }
Status quiet_hours(App& app, const fs::path&) {
  ReminderSettings settings;
  settings.quiet_start = std::chrono::minutes(21 * 60);
  settings.quiet_end = std::chrono::minutes(8 * 60);
  settings.snooze = std::chrono::minutes(15);
  return app.set_reminder_settings(settings);
}
Status outdoors(App& app, const fs::path&) { return app.set_mode("outdoors", true); }
Status french(App& app, const fs::path&) {
  DisplayPreferences preferences;
  preferences.language = "fr";
  preferences.large_text = true;
  return app.set_display_preferences(preferences);
}
Status export_json(App& app, const fs::path& dir) {
  return status_of(app.export_to(ExportFormat::kJson, dir / "export.json"));
}
Status back_up(App& app, const fs::path&) { return status_of(app.back_up()); }

// The database and how many backups are listed (an acknowledged backup must be one of them).
std::string backup_state(const fs::path& dir) {
  auto backups = PatientBackups::list(dir);
  int unverified = 0;
  for (const auto& backup : backups ? *backups : std::vector<BackupInfo>()) {
    unverified += backup.file.filename().string().find("-unverified") != std::string::npos;
  }
  // A full disk during a backup's check says nothing of the backup: it is no backup, never
  // an "unverified" one that pushes out a good one.
  return patient_state(dir) + "listed: " + std::to_string(backups ? backups->size() : 0) +
         ", unverified: " + std::to_string(unverified) + "\n";
}

// Restore: the backup holds one entry, the database two; the database's rows must survive in
// it or in the copy set aside, whatever the moment of the cut.
std::string restore_state(const fs::path& dir) {
  std::string live = stored(dir / App::kDatabaseFile);
  std::int64_t most = 0;
  for (const auto& item : fs::directory_iterator(dir)) {
    const std::string name = item.path().filename().string();
    if (name != App::kDatabaseFile && name.find(".before-restore-") == std::string::npos) continue;
    if (name.find("-wal") != std::string::npos || name.find("-shm") != std::string::npos) continue;
    Raw raw(item.path());
    const std::string count = raw.rows("SELECT count(*) FROM symptom_entry");
    if (count.rfind("error", 0) != 0) most = std::max<std::int64_t>(most, std::stoll(count));
  }
  return live + (most == 2 ? "" : "the database's rows lost: at most " + std::to_string(most));
}

std::vector<Scenario> scenarios() {
  std::vector<Scenario> all;
  all.push_back(patient_scenario("log", {log_swelling}));
  all.push_back(patient_scenario("checkin", {check_in}));
  all.push_back(patient_scenario("edit", {edit_first}));
  all.push_back(patient_scenario("delete", {delete_last}));
  all.push_back(patient_scenario("done", {done_evening}));
  all.push_back(patient_scenario("skip", {skip_moisturizer}));
  all.push_back(patient_scenario("undo", {done_evening, undo}));
  all.push_back(patient_scenario("settings", {quiet_hours}));
  all.push_back(patient_scenario("outdoors", {outdoors}));
  all.push_back(patient_scenario("display", {french}));
  all.push_back(patient_scenario("export", {export_json}));
  all.push_back(patient_scenario("backup", {back_up}, backup_state));
  // An evening in the app: every change in turn, each acknowledged one kept whatever comes
  // after it.
  all.push_back(patient_scenario(
      "evening",
      {log_swelling, check_in, done_evening, edit_first, quiet_hours, skip_moisturizer, undo,
       delete_last, outdoors, export_json, back_up, log_swelling},
      backup_state));
  all.push_back({"first open and import",
                 [](const fs::path& dir) {
                   patient(dir / "old");
                   FakeClock clock(prepared_at());
                   auto app = App::open(dir / "old", clock, london());
                   REQUIRE(app.ok());
                   REQUIRE((*app)->export_to(ExportFormat::kJson, dir / "old.json").ok());
                 },
                 [](const fs::path& dir, const Acknowledged& acknowledged) {
                   FakeClock clock(run_at());
                   auto app = App::open(dir / "new", clock, london());
                   if (!app) return Status(app.error());
                   acknowledged();
                   return status_of((*app)->import_archive(dir / "old.json"));
                 },
                 [](const fs::path& dir) {
                   // A new database's schema is made one migration at a time: one cut between
                   // two holds no rows yet, and the next open goes on from there.
                   const std::string state = patient_state(dir / "new");
                   return holds_no_rows(state) ? std::string("nothing\n") : state;
                 },
                 [](const fs::path& dir) {
                   // Imported, or the import can be made again.
                   FakeClock clock(run_at() + std::chrono::hours(1));
                   auto app = App::open(dir / "new", clock, london());
                   REQUIRE(app.ok());
                   if ((*app)->plans()->empty()) {
                     REQUIRE((*app)->import_archive(dir / "old.json").ok());
                   }
                   app->reset();
                   patient_usable(dir / "new");
                 }});

  all.push_back({"restore",
                 [](const fs::path& dir) {
                   patient(dir);
                   FakeClock clock(prepared_at() + std::chrono::minutes(1));
                   auto app = App::open(dir, clock, london());
                   REQUIRE(app.ok());
                   auto backup = (*app)->back_up();
                   REQUIRE(backup.ok());
                   fs::rename(*backup, dir / "chosen.db");  // kept out of the rotation
                   SymptomReport later;
                   later.symptom = SymptomId("swelling");
                   later.severity = 2;
                   REQUIRE((*app)->log_symptom(later).ok());
                 },
                 [](const fs::path& dir, const Acknowledged&) {
                   return status_of(PatientBackups::restore(dir, dir / App::kDatabaseFile,
                                                            dir / "chosen.db", run_at()));
                 },
                 restore_state, patient_usable});

  all.push_back({"migration",
                 [](const fs::path& dir) {
                   fs::copy_file(test::fixtures_dir() / "db" / "patient_v2.db",
                                 dir / App::kDatabaseFile);
                 },
                 [](const fs::path& dir, const Acknowledged&) {
                   FakeClock clock(at("2027-03-20T08:00", "America/Toronto"));
                   const FixedDeviceZone zone(std::string("America/Toronto"));
                   return status_of(App::open(dir, clock, zone));
                 },
                 patient_state,
                 [](const fs::path& dir) {
                   FakeClock clock(at("2027-03-20T08:01", "America/Toronto"));
                   const FixedDeviceZone zone(std::string("America/Toronto"));
                   auto app = App::open(dir, clock, zone);
                   REQUIRE(app.ok());
                   auto verified = (*app)->verify_log();
                   REQUIRE(verified.ok());
                   CHECK(verified->ok);
                   CHECK_FALSE((*app)->plans()->empty());
                 }});

  all.push_back({"clinic import",
                 [](const fs::path& dir) {
                   patient(dir / "phone");
                   FakeClock clock(prepared_at());
                   auto app = App::open(dir / "phone", clock, london());
                   REQUIRE(app.ok());
                   fs::create_directories(dir / "exports");
                   REQUIRE((*app)->export_to(ExportFormat::kJson, dir / "exports" / "p.json").ok());
                   REQUIRE(ClinicApp::open(dir / "clinic", clock).ok());
                 },
                 [](const fs::path& dir, const Acknowledged&) {
                   FakeClock clock(run_at());
                   auto clinic = ClinicApp::open(dir / "clinic", clock);
                   if (!clinic) return Status(clinic.error());
                   auto report = (*clinic)->import({dir / "exports"});
                   if (!report) return Status(report.error());
                   if (report->count(ImportOutcome::kImported) != 1) {
                     return Status(Error(ErrorCode::kStorage, report->files.empty()
                                                                  ? std::string("no file")
                                                                  : report->files.front().reason));
                   }
                   return Status();
                 },
                 [](const fs::path& dir) { return stored(dir / "clinic" / "clinic.db"); },
                 [](const fs::path& dir) {
                   FakeClock clock(run_at() + std::chrono::minutes(1));
                   auto clinic = ClinicApp::open(dir / "clinic", clock);
                   REQUIRE(clinic.ok());
                   auto again = (*clinic)->import({dir / "exports"});
                   REQUIRE(again.ok());
                   auto patients = (*clinic)->list(std::nullopt, ClinicSort::kStatus);
                   REQUIRE(patients.ok());
                   CHECK(patients->size() == 1);
                 }});
  return all;
}

struct Loss {
  PowerCutVfs::Loss loss;
  std::uint32_t seed;
  const char* name;
};

struct Tally {
  int trials = 0, points = 0, kept = 0;
  std::map<std::string, std::string> by_scenario;
  std::set<std::string> messages;  // of the operations that failed
};

// Every scenario once without a fault (what it stores after each operation, how many syncs and
// writes it makes), then once per fault: at each sync point with each of `losses`, or, with
// `disk_full`, the disk full from each write on.
Tally sweep(const std::vector<Loss>& losses, bool disk_full) {
  PowerCutVfs vfs;
  Tally tally;
  for (const auto& scenario : scenarios()) {
    std::vector<std::string> states;
    int sync_points = 0, write_points = 0;
    {
      test::TempDir dir;
      scenario.prepare(dir.path());
      states.push_back(scenario.state(dir.path()));
      vfs.count_only();
      const Status status =
          scenario.run(dir.path(), [&] { states.push_back(scenario.state(dir.path())); });
      INFO(scenario.name << ": " << (status ? std::string() : status.error().message()));
      REQUIRE(status.ok());
      sync_points = vfs.syncs();
      write_points = vfs.writes();
      states.push_back(scenario.state(dir.path()));  // after the close
    }
    INFO(scenario.name << " before:\n" << states.front() << "after:\n" << states.back());
    REQUIRE(states.front() != states.back());  // the operations store something
    REQUIRE(sync_points > 0);
    const int points = disk_full ? write_points : sync_points;
    tally.by_scenario[scenario.name] = std::to_string(points) + (disk_full ? " writes" : " syncs");
    tally.points += points;
    std::vector<std::pair<int, Loss>> trials;
    for (int point = 1; point <= points; ++point) {
      if (disk_full) trials.emplace_back(point, Loss{PowerCutVfs::Loss::kDiskFull, 1, "disk full"});
      for (const auto& loss : disk_full ? std::vector<Loss>() : losses) {
        trials.emplace_back(point, loss);
      }
    }
    for (const auto& [point, loss] : trials) {
      INFO(scenario.name << ", " << (disk_full ? "write " : "sync point ") << point << " of "
                         << points << ", " << loss.name);
      test::TempDir dir;
      scenario.prepare(dir.path());
      vfs.arm(point, loss.loss, loss.seed);
      std::size_t acknowledged = 0;
      const Status status = scenario.run(dir.path(), [&] { ++acknowledged; });
      REQUIRE(vfs.reached());
      vfs.power_on();
      ++tally.trials;
      tally.kept += static_cast<int>(acknowledged);
      const std::string now = scenario.state(dir.path());
      INFO("status: " << (status ? std::string("ok") : status.error().message()) << ", "
                      << acknowledged << " acknowledged\nnow:\n"
                      << now);
      // Every acknowledged operation is there; of the one that failed, all or nothing.
      if (status) {
        CHECK(now == states.back());
      } else {
        std::string message = status.error().message();
        for (auto at = message.find(dir.path().string()); at != std::string::npos;
             at = message.find(dir.path().string())) {
          message.replace(at, dir.path().string().size(), "DIR");
        }
        tally.messages.insert(scenario.name + ": " + message);
        CHECK((now == states[acknowledged] || now == states[acknowledged + 1]));
      }
      scenario.usable(dir.path());
    }
  }
  return tally;
}

std::string table(const Tally& tally) {
  std::ostringstream out;
  for (const auto& [name, points] : tally.by_scenario)
    out << "  " << name << ": " << points << "\n";
  return out.str();
}

TEST_CASE("a power cut at any sync point loses nothing acknowledged", "[fault][power]") {
  const Tally tally = sweep({{PowerCutVfs::Loss::kDrop, 1, "dropped"},
                             {PowerCutVfs::Loss::kTear, 1, "torn (1)"},
                             {PowerCutVfs::Loss::kTear, 2, "torn (2)"},
                             {PowerCutVfs::Loss::kTear, 3, "torn (3)"},
                             {PowerCutVfs::Loss::kTear, 4, "torn (4)"},
                             {PowerCutVfs::Loss::kTear, 5, "torn (5)"},
                             {PowerCutVfs::Loss::kTear, 6, "torn (6)"},
                             {PowerCutVfs::Loss::kFailOnce, 1, "fsync failed once"}},
                            false);
  WARN(tally.trials << " power cuts and failed fsyncs over " << tally.points << " sync points; "
                    << tally.kept
                    << " operations acknowledged before them, 0 lost (a loss fails the test)."
                    << " Sync points by scenario:\n"
                    << table(tally));
  CHECK(tally.trials >= 1000);
}

TEST_CASE("a disk full at any write loses nothing acknowledged and says so", "[fault][power]") {
  const Tally tally = sweep({}, true);
  std::string messages;
  for (const auto& message : tally.messages) {
    messages += "  " + message + "\n";
    CHECK_THAT(message, Catch::Contains("full"));
  }
  WARN(tally.trials << " full disks, one from each write on; " << tally.kept
                    << " operations acknowledged before them, 0 lost. Writes by scenario:\n"
                    << table(tally) << "What the failed operations said:\n"
                    << messages);
  CHECK(tally.trials >= 400);
}

}  // namespace
}  // namespace aftercare
