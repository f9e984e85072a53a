#include <catch2/catch.hpp>

#include "app/app.h"
#include "services/cli_wording.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

struct Fixture {
  FakeClock clock{at("2027-03-13T21:30", "America/Toronto")};
  FixedDeviceZone device{std::string("America/Toronto")};
  std::unique_ptr<App> app;

  Fixture() {
    auto store = open_memory_patient_store();
    REQUIRE(store.ok());
    auto opened = App::open(std::move(*store), clock, device);
    REQUIRE(opened.ok());
    app = std::move(*opened);
  }

  std::shared_ptr<const Plan> start(const std::string& treated = "2027-03-13T21:00") {
    PlanDetails details;
    details.treated_at = at(treated, "America/Toronto");
    details.areas = {"face"};
    details.clinic_phone = "+1 416 555 0100";
    auto plan = app->start_plan(details, std::nullopt);
    if (!plan) FAIL(plan.error().message());
    return *plan;
  }

  const StepItem* today_item(const std::string& id) {
    auto snapshot = app->today();
    REQUIRE(snapshot.ok());
    last_ = std::move(*snapshot);
    for (const auto& item : last_.timeline.today_steps) {
      if (item.occurrence.id == id) return &item;
    }
    return nullptr;
  }

 private:
  TodaySnapshot last_;
};

TEST_CASE("before a plan, today says how to start one", "[app]") {
  Fixture f;
  auto today = f.app->today();
  REQUIRE_FALSE(today.ok());
  CHECK(today.error().code() == ErrorCode::kNotFound);
  REQUIRE(today.error().notice());
  CHECK(today.error().notice()->id == NoticeId::kNoPlan);
  CHECK_THAT(cli::cli_words(today.error()), Catch::Contains("aftercare plan start"));
}

TEST_CASE("a step checked off shows as done, and undo brings it back as due", "[app]") {
  Fixture f;
  f.start();
  f.clock.set(at("2027-03-14T20:10", "America/Toronto"));
  auto done = f.app->check_off(StepId("cleanse_pm"), StepAction::kDone);
  REQUIRE(done.ok());
  CHECK(done->event.occurrence == "cleanse_pm@2027-03-14T20:00");
  const StepItem* item = f.today_item("cleanse_pm@2027-03-14T20:00");
  REQUIRE(item);
  CHECK(item->status == OccurrenceStatus::kDone);
  REQUIRE(item->record);
  CHECK(item->record->at == at("2027-03-14T20:10", "America/Toronto"));

  auto again = f.app->check_off(StepId("cleanse_pm"), StepAction::kSkipped,
                                OccurrenceHint::of_time(at("2027-03-14T20:00", "America/Toronto")));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code() == ErrorCode::kConflict);

  auto undone = f.app->undo();
  REQUIRE(undone.ok());
  CHECK(undone->undone_action == StepAction::kDone);
  item = f.today_item("cleanse_pm@2027-03-14T20:00");
  REQUIRE(item);
  CHECK(item->status == OccurrenceStatus::kDue);

  auto nothing = f.app->undo();
  REQUIRE_FALSE(nothing.ok());
  CHECK(nothing.error().code() == ErrorCode::kConflict);
}

TEST_CASE("undo takes back check-offs latest first", "[app]") {
  Fixture f;
  f.start();
  f.clock.set(at("2027-03-14T20:30", "America/Toronto"));
  REQUIRE(f.app->check_off(StepId("cleanse_pm"), StepAction::kDone).ok());
  REQUIRE(f.app->check_off(StepId("moisturize"), StepAction::kSkipped).ok());
  auto first = f.app->undo();
  REQUIRE(first.ok());
  CHECK(first->event.step.value() == "moisturize");
  auto second = f.app->undo();
  REQUIRE(second.ok());
  CHECK(second->event.step.value() == "cleanse_pm");
}

TEST_CASE("a second plan starts the next session and keeps the first in the history", "[app]") {
  Fixture f;
  auto first = f.start();
  f.clock.set(at("2027-04-10T22:00", "America/Toronto"));
  auto second = f.start("2027-04-10T21:00");
  CHECK(second->session_number == 2);
  auto plans = f.app->plans();
  REQUIRE(plans.ok());
  REQUIRE(plans->size() == 2);
  CHECK((*plans)[0]->details.treated_at == first->details.treated_at);
  auto today = f.app->today();
  REQUIRE(today.ok());
  CHECK(today->plan->id == second->id);
  CHECK(today->timeline.day_number == 0);
}

TEST_CASE("bad plan details are rejected and nothing is stored", "[app]") {
  Fixture f;
  PlanDetails details;
  details.treated_at = at("2027-03-13T21:00", "America/Toronto");
  details.areas = {"elbow"};
  auto plan = f.app->start_plan(details, std::nullopt);
  REQUIRE_FALSE(plan.ok());
  CHECK_THAT(plan.error().message(), Catch::Contains("unknown area \"elbow\""));
  details.areas = {"face"};
  details.zone = "Mars/Base";
  CHECK_FALSE(f.app->start_plan(details).ok());
  details.zone = "";
  details.clinic_phone = "call me";
  CHECK_FALSE(f.app->start_plan(details).ok());
  CHECK_FALSE(
      f.app->start_plan(details, test::fixtures_dir() / "protocols" / "wrong_type.json").ok());
  auto current = f.app->current_plan();
  REQUIRE(current.ok());
  CHECK(*current == nullptr);
}

TEST_CASE("a plan from a clinic override file follows the clinic's numbers", "[app]") {
  Fixture f;
  PlanDetails details;
  details.treated_at = at("2027-03-13T21:00", "America/Toronto");
  details.areas = {"face"};
  auto plan =
      f.app->start_plan(details, test::fixtures_dir() / "protocols" / "clinic_override.json");
  REQUIRE(plan.ok());
  f.clock.set(at("2027-03-15T12:00", "America/Toronto"));
  auto today = f.app->today();
  REQUIRE(today.ok());
  bool makeup_active = false;
  for (const auto& r : today->timeline.restrictions) {
    if (r.restriction->id.value() == "no_makeup") makeup_active = r.active;
  }
  CHECK(makeup_active);  // 48 h in the override, 24 h by default
}

}  // namespace
}  // namespace aftercare

namespace aftercare {
namespace {

TEST_CASE("a running app notices a session started by another process", "[app]") {
  test::TempDir dir;
  FakeClock clock(test::at("2027-03-13T21:30", "America/Toronto"));
  FixedDeviceZone device(std::string("America/Toronto"));
  auto watcher = App::open(dir.path(), clock, device);
  auto other = App::open(dir.path(), clock, device);
  REQUIRE(watcher.ok());
  REQUIRE(other.ok());
  PlanDetails details;
  details.treated_at = test::at("2027-03-13T21:00", "America/Toronto");
  details.areas = {"face"};
  REQUIRE((*watcher)->start_plan(details).ok());
  details.treated_at = test::at("2027-04-10T21:00", "America/Toronto");
  clock.set(test::at("2027-04-10T21:30", "America/Toronto"));
  REQUIRE((*other)->start_plan(details).ok());
  auto plan = (*watcher)->current_plan();
  REQUIRE(plan.ok());
  REQUIRE(*plan);
  CHECK((*plan)->session_number == 2);
}

}  // namespace
}  // namespace aftercare
