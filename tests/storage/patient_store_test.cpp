#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include "storage/patient_store.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

PlanDetails sample_details() {
  PlanDetails details;
  details.treated_at = at("2027-03-13T21:00", "America/Toronto");
  details.zone = "America/Toronto";
  details.areas = {"face", "neck"};
  details.clinic_name = "Glow Clinic";
  details.clinic_phone = "+1 416 555 0100";
  details.device = "pen, 1.0 mm";
  details.products = "hyaluronic acid";
  return details;
}

StepEvent sample_event(PlanId plan, const std::string& occurrence, StepAction action) {
  StepEvent event;
  event.plan = plan;
  event.step = StepId(occurrence.substr(0, occurrence.find('@')));
  event.occurrence = occurrence;
  event.scheduled_at = at("2027-03-14T20:00", "America/Toronto");
  event.action = action;
  event.at = at("2027-03-14T20:05", "America/Toronto");
  event.recorded_at = at("2027-03-14T20:06", "America/Toronto");
  return event;
}

void exec_sql(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

TEST_CASE("plans round-trip and each new plan is the next session of the series", "[storage]") {
  auto store = open_memory_patient_store();
  REQUIRE(store.ok());
  auto& repo = **store;
  auto none = repo.latest_plan();
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());

  const PlanDetails details = sample_details();
  auto first = repo.add_plan(details, "{\"p\":1}", at("2027-03-13T21:30Z"));
  REQUIRE(first.ok());
  PlanDetails second_details = details;
  second_details.treated_at = at("2027-04-10T21:00", "America/Toronto");
  second_details.areas = {"face"};
  auto second = repo.add_plan(second_details, "{\"p\":2}", at("2027-04-10T21:30Z"));
  REQUIRE(second.ok());

  auto latest = repo.latest_plan();
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->id == *second);
  CHECK((*latest)->session_number == 2);
  CHECK((*latest)->protocol_json == "{\"p\":2}");

  auto all = repo.plans();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  const PlanRecord& stored = all->front();
  CHECK(stored.session_number == 1);
  CHECK(stored.details.treated_at == details.treated_at);
  CHECK(stored.details.zone == details.zone);
  CHECK(stored.details.areas == details.areas);
  CHECK(stored.details.clinic_name == details.clinic_name);
  CHECK(stored.details.clinic_phone == details.clinic_phone);
  CHECK(stored.details.device == details.device);
  CHECK(stored.details.products == details.products);
  CHECK(stored.created_at == at("2027-03-13T21:30Z"));
}

TEST_CASE("step events are appended and read back in order, per plan", "[storage]") {
  auto store = open_memory_patient_store();
  REQUIRE(store.ok());
  auto& repo = **store;
  auto plan = repo.add_plan(sample_details(), "{}", at("2027-03-13T21:30Z"));
  auto other = repo.add_plan(sample_details(), "{}", at("2027-03-13T21:31Z"));
  REQUIRE(plan.ok());
  REQUIRE(other.ok());
  const std::vector<StepEvent> events = {
      sample_event(*plan, "cleanse_pm@2027-03-14T20:00", StepAction::kDone),
      sample_event(*other, "cleanse_am@2027-03-15T08:00", StepAction::kSkipped),
      sample_event(*plan, "cleanse_pm@2027-03-14T20:00", StepAction::kUndone),
  };
  for (const auto& event : events) REQUIRE(repo.append_step_event(event).ok());
  auto read = repo.step_events(*plan);
  REQUIRE(read.ok());
  REQUIRE(read->size() == 2);
  CHECK((*read)[0].seq < (*read)[1].seq);
  CHECK((*read)[0].action == StepAction::kDone);
  CHECK((*read)[1].action == StepAction::kUndone);
  CHECK((*read)[0].occurrence == "cleanse_pm@2027-03-14T20:00");
  CHECK((*read)[0].step.value() == "cleanse_pm");
  CHECK((*read)[0].scheduled_at == events[0].scheduled_at);
  CHECK((*read)[0].at == events[0].at);
  CHECK((*read)[0].recorded_at == events[0].recorded_at);
}

TEST_CASE("zone changes come back in time order", "[storage]") {
  auto store = open_memory_patient_store();
  REQUIRE(store.ok());
  REQUIRE((*store)->record_zone({at("2027-05-03T02:00Z"), "Europe/Paris"}).ok());
  REQUIRE((*store)->record_zone({at("2027-05-01T00:00Z"), "America/Toronto"}).ok());
  auto history = (*store)->zone_history();
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].zone == "America/Toronto");
  CHECK((*history)[1].zone == "Europe/Paris");
}

TEST_CASE("the database file is created owner-only and survives reopening", "[storage]") {
  test::TempDir dir;
  const auto file = dir.path() / "aftercare.db";
  {
    auto store = open_patient_store(file);
    REQUIRE(store.ok());
    REQUIRE((*store)->add_plan(sample_details(), "{}", at("2027-03-13T21:30Z")).ok());
  }
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  auto reopened = open_patient_store(file);
  REQUIRE(reopened.ok());
  auto plans = (*reopened)->plans();
  REQUIRE(plans.ok());
  CHECK(plans->size() == 1);
}

TEST_CASE("a schema v1 database kept in tests/ opens with every row", "[storage][migration]") {
  test::TempDir dir;
  const auto file = dir.path() / "aftercare.db";
  std::filesystem::copy_file(test::fixtures_dir() / "db" / "patient_v1.db", file);
  auto store = open_patient_store(file);
  REQUIRE(store.ok());
  auto plans = (*store)->plans();
  REQUIRE(plans.ok());
  REQUIRE(plans->size() == 1);
  const PlanRecord& plan = plans->front();
  CHECK(plan.details.zone == "America/Toronto");
  CHECK(plan.details.areas == std::vector<std::string>{"face", "neck"});
  CHECK(plan.details.clinic_name == "Glow Clinic");
  CHECK(plan.details.treated_at == at("2027-03-13T21:00", "America/Toronto"));
  auto events = (*store)->step_events(plan.id);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 3);
  CHECK((*events)[0].occurrence == "cleanse_pm@2027-03-14T20:00");
  CHECK((*events)[0].action == StepAction::kDone);
  CHECK((*events)[1].action == StepAction::kDone);
  CHECK((*events)[2].action == StepAction::kUndone);
  auto zones = (*store)->zone_history();
  REQUIRE(zones.ok());
  REQUIRE(zones->size() == 2);
  CHECK(zones->back().zone == "Europe/Paris");
}

int user_version(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const int version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return version;
}

TEST_CASE("every earlier schema's fixture migrates to the newest and takes new rows",
          "[storage][migration]") {
  for (int version = 1; version <= PatientStore::kSchemaVersion; ++version) {
    INFO("schema v" << version);
    test::TempDir dir;
    const auto file = dir.path() / "aftercare.db";
    std::filesystem::copy_file(
        test::fixtures_dir() / "db" / ("patient_v" + std::to_string(version) + ".db"), file);
    CHECK(user_version(file) == version);
    {
      auto store = open_patient_store(file);
      REQUIRE(store.ok());
      auto plans = (*store)->plans();
      REQUIRE(plans.ok());
      REQUIRE(plans->size() == 1);
      auto events = (*store)->step_events(plans->front().id);
      REQUIRE(events.ok());
      CHECK_FALSE(events->empty());
      REQUIRE((*store)
                  ->append_reminder_event({0, plans->front().id, "lifted:no_makeup",
                                           ReminderAction::kCompleted, at("2027-03-15T12:00Z"),
                                           std::nullopt})
                  .ok());
      REQUIRE((*store)->record_mode({at("2027-03-15T12:00Z"), "outdoors", false}).ok());
      // Events stored before the chain existed were chained by the migration, in order; the
      // plans, zones, modes and settings joined it as the record's first state (the v4 fixture
      // has it already), then the mode just switched made a second.
      auto archive = (*store)->archive();
      REQUIRE(archive.ok());
      const ChainCheck check = verify_archive(*archive);
      INFO(check.problem);
      CHECK(check.ok);
      CHECK(archive->record_states.size() == 2);
      CHECK(check.events == archive->step_events.size() + archive->symptom_versions.size() +
                                archive->record_states.size());
    }
    CHECK(user_version(file) == PatientStore::kSchemaVersion);
  }
}

TEST_CASE("a schema v2 database kept in tests/ opens with its reminders, modes and settings",
          "[storage][migration]") {
  test::TempDir dir;
  const auto file = dir.path() / "aftercare.db";
  std::filesystem::copy_file(test::fixtures_dir() / "db" / "patient_v2.db", file);
  auto store = open_patient_store(file);
  REQUIRE(store.ok());
  auto plan = (*store)->latest_plan();
  REQUIRE(plan.ok());
  REQUIRE(plan->has_value());
  auto events = (*store)->reminder_events((*plan)->id);
  REQUIRE(events.ok());
  CHECK(events->size() == 7);
  const auto snoozed = std::find_if(events->begin(), events->end(), [](const ReminderEvent& e) {
    return e.action == ReminderAction::kSnoozed;
  });
  REQUIRE(snoozed != events->end());
  CHECK(snoozed->reminder == "moisturize@2027-03-14T20:15");
  REQUIRE(snoozed->until);
  CHECK(*snoozed->until - snoozed->at == std::chrono::minutes(10));
  auto modes = (*store)->mode_changes();
  REQUIRE(modes.ok());
  REQUIRE(modes->size() == 1);
  CHECK(modes->front().on);
  auto quiet = (*store)->setting("quiet_hours");
  REQUIRE(quiet.ok());
  CHECK(*quiet == std::optional<std::string>("23:00-06:30"));
}

TEST_CASE("a database of another program is refused and left unchanged", "[storage]") {
  test::TempDir dir;
  const auto file = dir.path() / "other.db";
  exec_sql(file, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');");
  const auto size = std::filesystem::file_size(file);
  auto store = open_patient_store(file);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code() == ErrorCode::kStorage);
  CHECK_THAT(store.error().message(), Catch::Contains("another program"));
  CHECK_THAT(store.error().message(), Catch::Contains(file.string()));
  CHECK(std::filesystem::file_size(file) == size);
}

TEST_CASE("a file that is not a database is refused with its name", "[storage]") {
  test::TempDir dir;
  const auto file = dir.path() / "aftercare.db";
  std::ofstream(file) << "this is not a database, just some text that is long enough to matter";
  auto store = open_patient_store(file);
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.error().message(), Catch::Contains(file.string()));
  CHECK_THAT(store.error().message(), Catch::Contains("not an aftercare database"));
}

TEST_CASE("a database from a newer program is refused, not downgraded", "[storage][migration]") {
  test::TempDir dir;
  const auto file = dir.path() / "aftercare.db";
  { REQUIRE(open_patient_store(file).ok()); }
  exec_sql(file, "PRAGMA user_version = 99;");
  auto store = open_patient_store(file);
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.error().message(), Catch::Contains("newer aftercare (schema 99)"));
}

}  // namespace
}  // namespace aftercare
