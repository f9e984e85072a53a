// Writes that fail part-way (a full disk, a failing fsync) at every point of an operation: each
// failure is a clear error, nothing half-written is visible afterwards, and the database stays
// usable (issue #7).
#include <sqlite3.h>

#include <fstream>
#include <functional>

#include <catch2/catch.hpp>

#include "app/app.h"
#include "services/cli_wording.h"
#include "storage/faulty_vfs.h"
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

}  // namespace
}  // namespace aftercare
