#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "app/app.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

class MovableZone final : public DeviceZone {
 public:
  std::optional<std::string> current() const override { return zone; }
  std::string zone = "America/Toronto";
};

// Random sequences of fire, snooze, dismiss, complete, restarts, clock jumps (both ways) and zone
// changes, checked against a plain model: no occurrence fires twice without a snooze between,
// every missed one is reported once, and none is lost.
TEST_CASE("random actions, restarts, clock jumps and trips never fire twice or lose a reminder",
          "[reminders][state-machine]") {
  const std::vector<std::string> zones = {"America/Toronto",     "Europe/Paris",
                                          "Australia/Lord_Howe", "Asia/Kolkata",
                                          "America/St_Johns",    "Europe/London"};
  for (unsigned seed = 1; seed <= 12; ++seed) {
    INFO("seed " << seed);
    std::mt19937 random(seed);
    auto chance = [&](int percent) {
      return std::uniform_int_distribution<int>(1, 100)(random) <= percent;
    };
    test::TempDir dir;
    FakeClock clock(at("2027-03-10T09:00", "America/Toronto"));
    MovableZone device;
    auto open = [&] {
      auto app = App::open(dir.path(), clock, device);
      REQUIRE(app.ok());
      return std::move(*app);
    };
    auto app = open();
    PlanDetails details;
    details.treated_at = clock.now();
    details.areas = {"face"};
    REQUIRE(app->start_plan(details, std::nullopt).ok());
    if (chance(50)) REQUIRE(app->set_mode("outdoors", true).ok());

    std::map<std::string, bool> fired_since_snooze;
    std::set<std::string> reported_missed;
    std::set<std::string> answered;
    std::vector<std::string> fired_list;

    for (int step = 0; step < 70; ++step) {
      const int dice = std::uniform_int_distribution<int>(1, 100)(random);
      if (dice <= 45) {
        const int minutes = chance(10) ? std::uniform_int_distribution<int>(1440, 4 * 1440)(random)
                                       : std::uniform_int_distribution<int>(1, 600)(random);
        clock.advance(std::chrono::minutes(minutes));
      } else if (dice <= 50) {
        clock.advance(-std::chrono::minutes(std::uniform_int_distribution<int>(1, 180)(random)));
      } else if (dice <= 55) {
        device.zone =
            zones[std::uniform_int_distribution<std::size_t>(0, zones.size() - 1)(random)];
      } else if (dice <= 62) {
        app.reset();
        app = open();
      } else if (dice <= 72 && !fired_list.empty()) {
        const std::string id = fired_list[std::uniform_int_distribution<std::size_t>(
            0, fired_list.size() - 1)(random)];
        const int what = std::uniform_int_distribution<int>(0, 2)(random);
        Result<ReminderItem> result = what == 0 ? app->snooze_reminder(id, std::chrono::minutes(15))
                                      : what == 1 ? app->dismiss_reminder(id)
                                                  : app->complete_reminder(id);
        if (result.ok()) {
          if (what == 0) {
            fired_since_snooze[id] = false;
          } else {
            answered.insert(id);
          }
        } else {
          CHECK((result.error().code() == ErrorCode::kConflict ||
                 result.error().code() == ErrorCode::kInvalidInput));
        }
      }
      auto due = app->fire_due_reminders();
      REQUIRE(due.ok());
      for (const auto& item : due->due.firing) {
        INFO("fired twice: " << item.reminder.id);
        CHECK_FALSE(fired_since_snooze[item.reminder.id]);
        CHECK_FALSE(answered.count(item.reminder.id));
        fired_since_snooze[item.reminder.id] = true;
        fired_list.push_back(item.reminder.id);
      }
      for (const auto& item : due->due.missed) {
        INFO("reported missed twice: " << item.reminder.id);
        CHECK(reported_missed.insert(item.reminder.id).second);
      }
      if (!due->due.missed.empty()) CHECK(due->missed_summary.has_value());
    }

    // Long after the plan: every reminder the final history plans was fired, answered or
    // reported missed. Two looks 12 h apart: nothing is shown in quiet hours (22:00-07:00), so
    // one of them may show nothing; the other is outside them.
    clock.set(clock.now() + date::days(60));
    app.reset();
    app = open();
    for (int look = 0; look < 2; ++look, clock.advance(std::chrono::hours(12))) {
      auto last = app->fire_due_reminders();
      REQUIRE(last.ok());
      for (const auto& item : last->due.missed) {
        CHECK(reported_missed.insert(item.reminder.id).second);
      }
      CHECK(last->due.firing.empty());
    }
    auto all = app->reminders(details.treated_at, clock.now());
    REQUIRE(all.ok());
    for (const auto& item : all->items) {
      INFO("lost: " << item.reminder.id);
      const bool accounted =
          fired_since_snooze.count(item.reminder.id) || reported_missed.count(item.reminder.id) ||
          answered.count(item.reminder.id) || item.status == ReminderStatus::kCompleted;
      CHECK(accounted);
    }
  }
}

}  // namespace
}  // namespace aftercare
