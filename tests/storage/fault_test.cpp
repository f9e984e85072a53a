// Writes that fail part-way (a full disk, a failing fsync) at every point of an operation: each
// failure is a clear error, nothing half-written is visible afterwards, and the database stays
// usable (issue #7).
#include <sqlite3.h>

#include <fstream>
#include <functional>
#include <future>

#include <catch2/catch.hpp>

#include "app/app.h"
#include "services/cli_wording.h"
#include "storage/faulty_vfs.h"
#include "storage/sqlite/sqlite_db.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

std::string integrity(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, "unix");
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  std::string result = sqlite3_step(stmt) == SQLITE_ROW
                           ? reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))
                           : "no answer";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

struct Counts {
  std::size_t versions = 0;
  std::size_t step_events = 0;
  std::string quiet_hours;
  bool operator==(const Counts&) const = default;
};

Counts counts(App& app) {
  Counts c;
  c.versions = app.symptom_log()->versions.size();
  auto today = app.today();
  for (const auto& item : today->timeline.today_steps) c.step_events += item.record ? 1 : 0;
  auto settings = app.reminder_settings();
  c.quiet_hours = time_of_day_text(settings->quiet_start) + "-" +
                  time_of_day_text(settings->quiet_end) + (settings->quiet_hours ? "" : " off");
  return c;
}

// A patient's database with a plan (treated the day before, on the face).
void start_plan(App& app) {
  PlanDetails details;
  details.treated_at = at("2027-06-09T09:00", "Europe/London");
  details.areas = {"face"};
  REQUIRE(app.start_plan(details).ok());
}

struct Operation {
  const char* name;
  std::function<Status(App&)> run;
};

TEST_CASE("a full disk or a failing fsync at any point leaves nothing half-written", "[fault]") {
  const std::vector<Operation> operations = {
      {"log",
       [](App& app) -> Status {
         SymptomReport report;
         report.symptom = SymptomId("swelling");
         report.severity = 4;
         report.note = "after the fault";
         auto r = app.log_symptom(report, std::nullopt);
         return r ? Status() : Status(r.error());
       }},
      {"checkin",
       [](App& app) -> Status {
         auto r = app.check_in({{SymptomId("redness"), 2}, {SymptomId("swelling"), 1}}, "");
         return r ? Status() : Status(r.error());
       }},
      {"done",
       [](App& app) -> Status {
         auto r = app.check_off(StepId("cleanse_pm"), StepAction::kDone);
         return r ? Status() : Status(r.error());
       }},
      {"settings", [](App& app) -> Status {
         ReminderSettings settings;
         settings.quiet_start = std::chrono::minutes(21 * 60);
         settings.quiet_end = std::chrono::minutes(8 * 60);
         settings.snooze = std::chrono::minutes(15);
         return app.set_reminder_settings(settings);
       }}};
  int trials = 0, failed = 0;
  for (const auto& operation : operations) {
    for (const auto fault : {test::FaultyVfs::Fault::kWrite, test::FaultyVfs::Fault::kSync}) {
      for (int after = 0; after < 12; ++after) {
        INFO(operation.name << (fault == test::FaultyVfs::Fault::kWrite ? " write " : " fsync ")
                            << "fault after " << after);
        test::TempDir dir;
        FakeClock clock(at("2027-06-10T20:05", "Europe/London"));
        const FixedDeviceZone zone(std::string("Europe/London"));
        Counts before;
        {
          auto app = App::open(dir.path(), clock, zone);
          REQUIRE(app.ok());
          start_plan(**app);
          REQUIRE((*app)->check_in({{SymptomId("redness"), 3}}, "").ok());
          before = counts(**app);
        }
        test::FaultyVfs vfs;
        auto app = App::open(dir.path(), clock, zone);
        REQUIRE(app.ok());
        vfs.arm(fault, after);
        const Status status = operation.run(**app);
        vfs.disarm();
        ++trials;
        if (!status) {
          ++failed;
          INFO(status.error().message());
          CHECK(status.error().code() == ErrorCode::kStorage);
          const std::string message = status.error().message();
          CHECK((message.find("disk is full") != std::string::npos ||
                 message.find("disk I/O error") != std::string::npos));
          // Nothing of the failed operation is visible, through the same connection or a new
          // one, and the database takes the next write.
          CHECK(counts(**app) == before);
        }
        SymptomReport next;
        next.symptom = SymptomId("itching");
        next.severity = 1;
        CHECK((*app)->log_symptom(next).ok());
        app->reset();
        auto reopened = App::open(dir.path(), clock, zone);
        REQUIRE(reopened.ok());
        CHECK((*reopened)->verify_log()->ok);
        CHECK(integrity(dir.path() / App::kDatabaseFile) == "ok");
        const Counts now = counts(**reopened);
        if (!status) CHECK(now.versions == before.versions + 1);  // only `next`
      }
    }
  }
  CHECK(failed > 0);  // the faults did reach the operations
  WARN(trials << " faulted operations, " << failed << " of them failed cleanly");
}

TEST_CASE("a daily backup that cannot be made does not keep the app from opening, and says so",
          "[fault][backup]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T08:00", "Europe/London"));
  const FixedDeviceZone zone(std::string("Europe/London"));
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    start_plan(**app);
  }
  // The backups folder is in the way (a file of that name): the next day's backup fails.
  std::filesystem::remove_all(dir.path() / PatientBackups::kDir);
  std::ofstream(dir.path() / PatientBackups::kDir) << "not a folder";
  clock.advance(std::chrono::hours(25));
  auto app = App::open(dir.path(), clock, zone);
  REQUIRE(app.ok());
  REQUIRE((*app)->opening_notices().size() == 1);
  const Notice& notice = (*app)->opening_notices().front();
  CHECK(notice.id == NoticeId::kDailyBackupFailed);
  CHECK_THAT(fill_placeholders(notice_english(notice.id), notice.args),
             Catch::StartsWith("today's backup could not be made (") &&
                 Catch::Contains("is not a folder"));
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 2;
  CHECK((*app)->log_symptom(report).ok());  // the patient carries on
}

TEST_CASE("a damaged or foreign database file is refused at open, with what is wrong", "[fault]") {
  FakeClock clock(at("2027-06-10T20:05", "Europe/London"));
  const FixedDeviceZone zone(std::string("Europe/London"));
  test::TempDir dir;
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    start_plan(**app);
  }
  const auto file = dir.path() / App::kDatabaseFile;
  SECTION("cut in half") {
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
  }
  SECTION("overwritten with something else") {
    std::filesystem::remove(file.string() + "-wal");
    std::filesystem::remove(file.string() + "-shm");
    std::ofstream(file, std::ios::binary | std::ios::trunc) << std::string(5000, 'x');
  }
  auto opened = App::open(dir.path(), clock, zone);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code() == ErrorCode::kStorage);
  CHECK_THAT(opened.error().message(),
             Catch::StartsWith(file.string() + ": not an aftercare database, or damaged"));
}

TEST_CASE("rolling backups: one a day at open, seven kept, and a damaged database restored",
          "[fault][backup]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T08:00", "Europe/London"));
  const FixedDeviceZone zone(std::string("Europe/London"));
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    start_plan(**app);
    REQUIRE((*app)->check_in({{SymptomId("redness"), 3}}, "").ok());
  }
  CHECK(PatientBackups::list(dir.path())->size() == 1);  // the first open of the day
  for (int day = 1; day <= 9; ++day) {
    clock.set(at("2027-06-10T08:00", "Europe/London") + date::days(day));
    REQUIRE(App::open(dir.path(), clock, zone).ok());
    clock.advance(std::chrono::hours(2));
    REQUIRE(App::open(dir.path(), clock, zone).ok());  // the same day: no second backup
  }
  auto kept = PatientBackups::list(dir.path());
  REQUIRE(kept.ok());
  REQUIRE(kept->size() == static_cast<std::size_t>(PatientBackups::kKept));
  CHECK(kept->front().taken_at == at("2027-06-19T08:00", "Europe/London"));
  for (const auto& backup : *kept) {
    CHECK((std::filesystem::status(backup.file).permissions() &
           (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
          std::filesystem::perms::none);
  }

  // The database is damaged: opening says so and points to the backups.
  const auto file = dir.path() / App::kDatabaseFile;
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << std::string(4096, '\x7f');
  auto broken = App::open(dir.path(), clock, zone);
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(cli::cli_words(broken.error()), Catch::Contains("`aftercare restore FILE`"));
  CHECK_THAT(broken.error().message(), Catch::Contains("A backup can put an earlier copy back"));

  // Something that is not a backup is refused, and nothing moves.
  const auto junk = dir.path() / "junk.db";
  std::ofstream(junk) << "junk";
  CHECK_FALSE(
      PatientBackups::restore(dir.path(), dir.path() / App::kDatabaseFile, junk, clock.now()).ok());
  CHECK(std::filesystem::file_size(file) == 4096);

  auto aside = PatientBackups::restore(dir.path(), dir.path() / App::kDatabaseFile,
                                       kept->front().file, clock.now());
  REQUIRE(aside.ok());
  CHECK(std::filesystem::file_size(*aside) == 4096);  // the damaged one, kept
  auto app = App::open(dir.path(), clock, zone);
  REQUIRE(app.ok());
  CHECK((*app)->verify_log()->ok);
  CHECK((*app)->symptom_log()->entries.size() == 1);
  app->reset();

  // A second restore in the same second sets the restored database aside under a new name:
  // neither copy set aside replaces the other.
  auto again = PatientBackups::restore(dir.path(), dir.path() / App::kDatabaseFile,
                                       kept->front().file, clock.now());
  REQUIRE(again.ok());
  CHECK(*again != *aside);
  CHECK(*again == aside->string() + "-2");
  CHECK(std::filesystem::file_size(*aside) == 4096);  // the damaged one, still there
  CHECK(std::filesystem::exists(*again));
}

// Another program's connection to a database, as the sqlite3 shell or a second app would hold it.
class OtherProgram {
 public:
  explicit OtherProgram(const std::filesystem::path& file) {
    sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~OtherProgram() { sqlite3_close(db_); }
  OtherProgram(const OtherProgram&) = delete;
  OtherProgram& operator=(const OtherProgram&) = delete;
  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  // The first column of the first row of `sql`, or -1.
  std::int64_t number(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    const std::int64_t value =
        sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string probe(const std::string& key) {
  return "INSERT INTO setting (key, value, updated_at) VALUES ('" + key + "', '1', 0)";
}
std::string probes(const std::string& key) {
  return "SELECT count(*) FROM setting WHERE key = '" + key + "'";
}

TEST_CASE("a restore waits for another program's write: its commit kept aside, its next write live",
          "[fault][backup]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T08:00", "Europe/London"));
  const FixedDeviceZone zone(std::string("Europe/London"));
  std::filesystem::path backup;
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    start_plan(**app);
    REQUIRE((*app)->check_in({{SymptomId("redness"), 3}}, "").ok());
    auto taken = (*app)->back_up();
    REQUIRE(taken.ok());
    backup = *taken;
    SymptomReport later;
    later.symptom = SymptomId("swelling");
    later.severity = 2;
    REQUIRE((*app)->log_symptom(later).ok());  // after the backup: only in the database
  }
  const auto file = dir.path() / App::kDatabaseFile;
  OtherProgram writer(file);
  REQUIRE(writer.exec("BEGIN IMMEDIATE") == SQLITE_OK);
  REQUIRE(writer.exec(probe("probe.before")) == SQLITE_OK);
  auto restoring = std::async(std::launch::async, [&] {
    return PatientBackups::restore(dir.path(), file, backup, clock.now());
  });
  // The restore waits for the write lock; the writer's commit then comes before it.
  CHECK(restoring.wait_for(std::chrono::milliseconds(500)) == std::future_status::timeout);
  REQUIRE(writer.exec("COMMIT") == SQLITE_OK);
  auto aside = restoring.get();
  INFO((aside ? std::string() : aside.error().message()));
  REQUIRE(aside.ok());
  {
    // Everything acknowledged before the restore is in the copy set aside.
    OtherProgram copy(*aside);
    CHECK(copy.number(probes("probe.before")) == 1);
    CHECK(copy.number("SELECT count(*) FROM symptom_entry") == 2);
  }
  // The same open connection writes on, into the live database (its file never moved), which
  // now holds the backup's rows.
  CHECK(writer.number("SELECT count(*) FROM symptom_entry") == 1);
  REQUIRE(writer.exec(probe("probe.after")) == SQLITE_OK);
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    CHECK((*app)->verify_log()->ok);
    CHECK((*app)->symptom_log()->entries.size() == 1);
  }
  CHECK(writer.number(probes("probe.after")) == 1);
  CHECK(writer.number(probes("probe.before")) == 0);

  // A writer that holds on past the wait: the restore is refused, saying why, and changes
  // nothing; the writer's commit lands in the live database.
  REQUIRE(writer.exec("BEGIN IMMEDIATE") == SQLITE_OK);
  REQUIRE(writer.exec(probe("probe.held")) == SQLITE_OK);
  auto refused = PatientBackups::restore(dir.path(), file, backup, clock.now());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kConflict);
  CHECK_THAT(refused.error().message(), Catch::Contains("cannot take the write lock") &&
                                            Catch::Contains("nothing was restored"));
  REQUIRE(writer.exec("COMMIT") == SQLITE_OK);
  CHECK(writer.number(probes("probe.held")) == 1);
  CHECK(writer.number(probes("probe.after")) == 1);
  int set_aside = 0;
  for (const auto& item : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = item.path().filename().string();
    set_aside += name.find(".before-restore-") != std::string::npos;
    CHECK(name.find(".restoring") == std::string::npos);  // no checked copy left behind
  }
  CHECK(set_aside == 1);
}

TEST_CASE("a write into a database file that was set aside under it is refused",
          "[fault][backup]") {
  test::TempDir dir;
  const auto file = dir.path() / "moved.db";
  auto db = sqlite::Database::open_durable(file, "a test database");
  REQUIRE(db.ok());
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").ok());
  std::filesystem::rename(file, dir.path() / "moved.db.aside");
  auto transaction = sqlite::Transaction::begin(*db);
  REQUIRE_FALSE(transaction.ok());
  CHECK(transaction.error().code() == ErrorCode::kConflict);
  CHECK_THAT(transaction.error().message(), Catch::Contains("nothing was stored"));
}

TEST_CASE("a backup of a log that does not verify does not count, nor pushes out the last good one",
          "[fault][backup]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T08:00", "Europe/London"));
  const FixedDeviceZone zone(std::string("Europe/London"));
  std::filesystem::path good;
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    start_plan(**app);
    REQUIRE((*app)->check_in({{SymptomId("redness"), 3}}, "").ok());
    auto taken = (*app)->back_up();
    REQUIRE(taken.ok());
    good = *taken;
  }
  {
    // Changed by hand: the log no longer verifies.
    OtherProgram editor(dir.path() / App::kDatabaseFile);
    REQUIRE(editor.exec("UPDATE symptom_entry SET severity = 1") == SQLITE_OK);
  }
  clock.advance(std::chrono::minutes(5));
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    auto refused = (*app)->back_up();
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message(), Catch::Contains("does not count as a backup") &&
                                              Catch::Contains("its log does not verify") &&
                                              Catch::Contains("-unverified.db"));
  }
  for (int day = 1; day <= 9; ++day) {
    clock.set(at("2027-06-10T08:00", "Europe/London") + date::days(day));
    REQUIRE(App::open(dir.path(), clock, zone).ok());  // a backup that does not count: it opens
  }
  auto kept = PatientBackups::list(dir.path());
  REQUIRE(kept.ok());
  // The newest seven (all unverified), and the good one, ten days old.
  REQUIRE(kept->size() == static_cast<std::size_t>(PatientBackups::kKept) + 1);
  for (int i = 0; i < PatientBackups::kKept; ++i) {
    CHECK_THAT((*kept)[i].file.filename().string(), Catch::EndsWith("-unverified.db"));
  }
  CHECK(kept->back().file == good);
  for (const auto& item : std::filesystem::directory_iterator(dir.path() / PatientBackups::kDir)) {
    CHECK(item.path().filename().string().find(".checking") == std::string::npos);
  }
  // Restoring an unverified one is refused; the good one restores.
  CHECK_FALSE(PatientBackups::restore(dir.path(), dir.path() / App::kDatabaseFile,
                                      kept->front().file, clock.now())
                  .ok());
  REQUIRE(
      PatientBackups::restore(dir.path(), dir.path() / App::kDatabaseFile, good, clock.now()).ok());
  auto app = App::open(dir.path(), clock, zone);
  REQUIRE(app.ok());
  CHECK((*app)->verify_log()->ok);
}

TEST_CASE("a migration is preceded by a copy of the database as it was, which restores",
          "[fault][backup][migration]") {
  test::TempDir dir;
  const auto file = dir.path() / App::kDatabaseFile;
  std::filesystem::copy_file(test::fixtures_dir() / "db" / "patient_v2.db", file);
  FakeClock clock(at("2027-03-20T08:00", "America/Toronto"));
  const FixedDeviceZone zone(std::string("America/Toronto"));
  const auto schema_copies = [&] {
    std::vector<std::filesystem::path> found;
    for (const auto& item :
         std::filesystem::directory_iterator(dir.path() / PatientBackups::kDir)) {
      if (item.path().filename().string().find("-schema-2.db") != std::string::npos) {
        found.push_back(item.path());
      }
    }
    return found;
  };
  REQUIRE(App::open(dir.path(), clock, zone).ok());
  auto copies = schema_copies();
  REQUIRE(copies.size() == 1);
  {
    OtherProgram copy(copies.front());
    CHECK(copy.number("PRAGMA user_version") == 2);  // as it was before the migration
  }
  {
    OtherProgram migrated(file);
    CHECK(migrated.number("PRAGMA user_version") == PatientStore::kSchemaVersion);
  }
  REQUIRE(App::open(dir.path(), clock, zone).ok());  // migrated already: no second copy
  CHECK(schema_copies().size() == 1);
  auto restored = PatientBackups::restore(dir.path(), file, copies.front(), clock.now());
  INFO((restored ? std::string() : restored.error().message()));
  REQUIRE(restored.ok());
  CHECK(schema_copies().size() == 1);  // checking the copy (which migrates it) makes no copy
  auto app = App::open(dir.path(), clock, zone);
  REQUIRE(app.ok());
  CHECK((*app)->verify_log()->ok);
  CHECK_FALSE((*app)->plans()->empty());
}

TEST_CASE("a database that opens but is damaged inside is set aside as it is, and restored",
          "[fault][backup]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T08:00", "Europe/London"));
  const FixedDeviceZone zone(std::string("Europe/London"));
  std::filesystem::path good;
  {
    auto app = App::open(dir.path(), clock, zone);
    REQUIRE(app.ok());
    start_plan(**app);
    REQUIRE((*app)->check_in({{SymptomId("redness"), 3}}, "").ok());
    good = *(*app)->back_up();
  }
  const auto file = dir.path() / App::kDatabaseFile;
  REQUIRE_FALSE(std::filesystem::exists(file.string() + "-wal"));  // checkpointed at close
  const auto size = std::filesystem::file_size(file);
  REQUIRE(size >= 4 * 4096);
  {
    // Its header and schema intact (it still opens), its last page overwritten.
    std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(static_cast<std::streamoff>(size - 4096));
    out << std::string(4096, '\xff');
  }
  CHECK(integrity(file) != "ok");
  auto aside = PatientBackups::restore(dir.path(), file, good, clock.now());
  INFO((aside ? std::string() : aside.error().message()));
  REQUIRE(aside.ok());
  CHECK(std::filesystem::file_size(*aside) == size);  // the damaged file itself, kept
  CHECK(integrity(file) == "ok");
  auto app = App::open(dir.path(), clock, zone);
  REQUIRE(app.ok());
  CHECK((*app)->verify_log()->ok);
  CHECK((*app)->symptom_log()->entries.size() == 1);
}

}  // namespace
}  // namespace aftercare
