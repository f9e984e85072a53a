#include <algorithm>

#include <catch2/catch.hpp>

#include "domain/protocol_loader.h"
#include "schedule/reminders.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;
using test::make_plan;
using test::zone;

struct World {
  Plan plan;
  ZoneHistory zones;
  Modes modes;
  std::map<std::string, StepRecord> records;
  std::vector<ReminderEvent> events;
  ReminderSettings settings;

  World(const std::string& zone_name, const std::string& treated)
      : plan(make_plan(zone_name, treated)), zones(ZoneHistory::constant(zone(zone_name))) {}

  ReminderState state() const { return {plan, zones, modes, records, events, settings}; }

  DueReminders due(Instant now) {
    DueReminders result = due_reminders(state(), now);
    std::int64_t seq = static_cast<std::int64_t>(events.size());
    for (auto event : result.to_record) {
      event.seq = ++seq;
      events.push_back(event);
    }
    return result;
  }

  void act(const std::string& id, ReminderAction action, Instant now,
           std::optional<Instant> until = std::nullopt) {
    events.push_back(
        {static_cast<std::int64_t>(events.size()) + 1, plan.id, id, action, now, until});
  }
};

std::vector<std::string> ids(const std::vector<ReminderItem>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.reminder.id);
  return out;
}

const Reminder* find(const std::vector<Reminder>& reminders, const std::string& id) {
  auto it = std::find_if(reminders.begin(), reminders.end(),
                         [&](const Reminder& r) { return r.id == id; });
  return it == reminders.end() ? nullptr : &*it;
}

TEST_CASE("a restriction's end is a reminder at its exact instant, across the DST change",
          "[reminders][dst]") {
  const Plan plan = make_plan("America/Toronto", "2027-03-13T21:00");
  const auto* toronto = zone("America/Toronto");
  const auto reminders =
      expand_reminders(plan, ZoneHistory::constant(toronto), plan.details.treated_at,
                       plan.details.treated_at + date::days(40), Modes{});
  const Reminder* makeup = find(reminders, "lifted:no_makeup");
  REQUIRE(makeup);
  CHECK(makeup->kind == ReminderKind::kLifted);
  CHECK(format_iso(makeup->at, toronto) == "2027-03-14T22:00:00-04:00");
  CHECK(makeup->title == "You may wear makeup again.");
  CHECK(makeup->body == "Mineral makeup only at first.");
  const Reminder* session = find(reminders, "session:2");
  REQUIRE(session);
  CHECK(session->at == plan.details.treated_at + date::days(27));
}

TEST_CASE("sunscreen every 2 h outdoors stays on the wall clock on the spring-forward day",
          "[reminders][dst]") {
  const Plan plan = make_plan("America/Toronto", "2027-03-12T09:00");
  const auto* toronto = zone("America/Toronto");
  std::vector<std::string> times;
  for (const auto& r : expand_reminders(
           plan, ZoneHistory::constant(toronto), at("2027-03-14T00:00", "America/Toronto"),
           at("2027-03-15T00:00", "America/Toronto"), Modes::always({"outdoors"}))) {
    if (r.step && r.step->id.value() == "spf_reapply") times.push_back(format_iso(r.at, toronto));
  }
  CHECK(times == std::vector<std::string>{"2027-03-14T10:30:00-04:00", "2027-03-14T12:30:00-04:00",
                                          "2027-03-14T14:30:00-04:00", "2027-03-14T16:30:00-04:00",
                                          "2027-03-14T18:30:00-04:00"});
}

TEST_CASE("outdoors re-application follows the mode's history", "[reminders]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T06:00");
  const auto* london = zone("Europe/London");
  const Modes modes =
      Modes::from_changes({{at("2027-06-11T12:00", "Europe/London"), "outdoors", true},
                           {at("2027-06-11T15:00", "Europe/London"), "outdoors", false}});
  std::vector<std::string> times;
  for (const auto& r : expand_reminders(plan, ZoneHistory::constant(london),
                                        at("2027-06-11T00:00", "Europe/London"),
                                        at("2027-06-13T00:00", "Europe/London"), modes)) {
    if (r.step && r.step->id.value() == "spf_reapply") times.push_back(format_iso(r.at, london));
  }
  CHECK(times ==
        std::vector<std::string>{"2027-06-11T12:30:00+01:00", "2027-06-11T14:30:00+01:00"});
}

TEST_CASE("quiet hours defer a reminder to their end and never drop it", "[reminders]") {
  ReminderSettings settings;  // 22:00 to 07:00
  const auto zones = ZoneHistory::constant(zone("Europe/London"));
  const auto* london = zone("Europe/London");
  CHECK(format_iso(defer_past_quiet_hours(at("2027-06-10T22:00", "Europe/London"), settings, zones),
                   london) == "2027-06-11T07:00:00+01:00");
  CHECK(format_iso(defer_past_quiet_hours(at("2027-06-11T01:00", "Europe/London"), settings, zones),
                   london) == "2027-06-11T07:00:00+01:00");
  CHECK(defer_past_quiet_hours(at("2027-06-11T07:00", "Europe/London"), settings, zones) ==
        at("2027-06-11T07:00", "Europe/London"));
  CHECK(defer_past_quiet_hours(at("2027-06-11T21:59", "Europe/London"), settings, zones) ==
        at("2027-06-11T21:59", "Europe/London"));
  settings.quiet_start = std::chrono::hours(13);
  settings.quiet_end = std::chrono::hours(15);
  CHECK(format_iso(defer_past_quiet_hours(at("2027-06-11T14:00", "Europe/London"), settings, zones),
                   london) == "2027-06-11T15:00:00+01:00");
  settings.quiet_hours = false;
  CHECK(defer_past_quiet_hours(at("2027-06-11T14:00", "Europe/London"), settings, zones) ==
        at("2027-06-11T14:00", "Europe/London"));

  // The restriction that ends at 22:00 is told at 07:00, and is still current then.
  World world("Europe/London", "2027-06-09T22:00");
  const auto morning = world.due(at("2027-06-11T07:00", "Europe/London"));
  CHECK_THAT(ids(morning.firing), Catch::VectorContains(std::string("lifted:no_makeup")));
}

// Issue #15: quiet hours held only for a reminder planned inside them. One planned at 20:00 and
// first seen at 22:40 (the app was closed) fired then, with the summary of what was missed.
TEST_CASE("nothing is shown in quiet hours: what came due meanwhile and the summary wait",
          "[reminders]") {
  World world("America/Toronto", "2027-06-01T16:00");
  const auto night = world.due(at("2027-06-01T22:40", "America/Toronto"));
  CHECK(night.firing.empty());
  CHECK(night.missed.empty());
  CHECK(night.to_record.empty());
  REQUIRE(night.quiet_until);
  CHECK(format_iso(*night.quiet_until, zone("America/Toronto")) == "2027-06-02T07:00:00-04:00");
  const auto dawn = world.due(at("2027-06-02T06:59", "America/Toronto"));
  CHECK(dawn.to_record.empty());
  // At their end the evening's reminders come as one summary, and what is current fires.
  const auto morning = world.due(at("2027-06-02T07:00", "America/Toronto"));
  CHECK_THAT(ids(morning.missed),
             Catch::VectorContains(std::string("cleanse_pm@2027-06-01T20:00")));
  for (const auto& item : morning.missed) CHECK(item.reminder.at < at("2027-06-02T07:00Z"));
  // Quiet hours of 22:30-08:30: the 08:00 wash waits for 08:30.
  World late("America/Toronto", "2027-06-01T16:00");
  REQUIRE(parse_quiet_hours("22:30-08:30", late.settings));
  CHECK(late.due(at("2027-06-02T08:05", "America/Toronto")).firing.empty());
  CHECK_THAT(ids(late.due(at("2027-06-02T08:30", "America/Toronto")).firing),
             Catch::VectorContains(std::string("cleanse_am@2027-06-02T08:00")));
}

// Issue #15: the reminder a day before a session at 22:00 fell in quiet hours and was put off to
// 07:00 on the session's day, still saying "tomorrow".
TEST_CASE("\"Next session tomorrow\" comes the evening before, ahead of quiet hours",
          "[reminders]") {
  const auto* toronto = zone("America/Toronto");
  // Treated 21:00 EST; 28 days later is 22:00 EDT, so the reminder falls at 22:00 the day before.
  World evening("America/Toronto", "2027-03-13T21:00");
  const auto items = reminder_items(evening.state(), at("2027-04-09T00:00", "America/Toronto"),
                                    at("2027-04-11T00:00", "America/Toronto"),
                                    at("2027-04-09T12:00", "America/Toronto"));
  const auto session = std::find_if(
      items.begin(), items.end(), [](const auto& item) { return item.reminder.id == "session:2"; });
  REQUIRE(session != items.end());
  CHECK(format_iso(session->reminder.expires, toronto) == "2027-04-10T22:00:00-04:00");
  CHECK(format_iso(session->fire_at, toronto) == "2027-04-09T21:30:00-04:00");
  // One outside quiet hours stays where it is.
  World afternoon("America/Toronto", "2027-03-13T15:00");
  for (const auto& item : reminder_items(
           afternoon.state(), at("2027-04-09T00:00", "America/Toronto"),
           at("2027-04-11T00:00", "America/Toronto"), at("2027-04-09T12:00", "America/Toronto"))) {
    if (item.reminder.id == "session:2") CHECK(item.fire_at == item.reminder.at);
  }
}

TEST_CASE("a reminder fires once, again only after a snooze, never after a dismiss",
          "[reminders]") {
  World world("Europe/London", "2027-06-10T06:00");
  const std::string id = "cleanse_pm@2027-06-10T20:00";
  auto first = world.due(at("2027-06-10T20:00", "Europe/London"));
  CHECK_THAT(ids(first.firing), Catch::VectorContains(id));
  auto again = world.due(at("2027-06-10T20:01", "Europe/London"));
  CHECK_THAT(ids(again.firing), !Catch::VectorContains(id));

  world.act(id, ReminderAction::kSnoozed, at("2027-06-10T20:02", "Europe/London"),
            at("2027-06-10T20:12", "Europe/London"));
  CHECK_THAT(ids(world.due(at("2027-06-10T20:11", "Europe/London")).firing),
             !Catch::VectorContains(id));
  CHECK_THAT(ids(world.due(at("2027-06-10T20:12", "Europe/London")).firing),
             Catch::VectorContains(id));
  CHECK_THAT(ids(world.due(at("2027-06-10T20:13", "Europe/London")).firing),
             !Catch::VectorContains(id));

  const std::string other = "moisturize@2027-06-10T20:15";
  world.act(other, ReminderAction::kDismissed, at("2027-06-10T20:14", "Europe/London"));
  for (const char* t : {"2027-06-10T20:15", "2027-06-10T21:00", "2027-06-11T09:00"}) {
    const auto due = world.due(at(t, "Europe/London"));
    CHECK_THAT(ids(due.firing), !Catch::VectorContains(other));
    CHECK_THAT(ids(due.missed), !Catch::VectorContains(other));
  }
}

TEST_CASE("checking a step off completes its reminder", "[reminders]") {
  World world("Europe/London", "2027-06-10T06:00");
  world.records["cleanse_pm@2027-06-10T20:00"] = {StepAction::kDone,
                                                  at("2027-06-10T19:50", "Europe/London"), 1};
  const auto due = world.due(at("2027-06-10T20:00", "Europe/London"));
  CHECK_THAT(ids(due.firing), !Catch::VectorContains(std::string("cleanse_pm@2027-06-10T20:00")));
  const auto items = reminder_items(world.state(), at("2027-06-10T19:00", "Europe/London"),
                                    at("2027-06-10T21:00", "Europe/London"),
                                    at("2027-06-10T20:00", "Europe/London"));
  auto it = std::find_if(items.begin(), items.end(), [](const ReminderItem& i) {
    return i.reminder.id == "cleanse_pm@2027-06-10T20:00";
  });
  REQUIRE(it != items.end());
  CHECK(it->status == ReminderStatus::kCompleted);
}

TEST_CASE("after days without the app, missed reminders come as one summary, once", "[reminders]") {
  World world("Europe/London", "2027-06-10T06:00");
  const auto back = world.due(at("2027-06-13T09:00", "Europe/London"));
  CHECK(back.missed.size() > 15);
  for (const auto& item : back.missed)
    CHECK(item.reminder.at < at("2027-06-13T09:00", "Europe/London"));
  // What is current now still fires on its own.
  CHECK_THAT(ids(back.firing), Catch::VectorContains(std::string("cleanse_am@2027-06-13T08:00")));
  const auto later = world.due(at("2027-06-13T09:05", "Europe/London"));
  CHECK(later.missed.empty());
  CHECK(later.firing.empty());
  // Setting the clock back does not fire what was reported missed.
  const auto rewound = world.due(at("2027-06-11T08:05", "Europe/London"));
  CHECK(rewound.firing.empty());
  CHECK(rewound.missed.empty());
}

TEST_CASE("the notification window is the next N, soonest first, stable ids", "[reminders]") {
  World world("Europe/London", "2027-06-10T06:00");
  const Instant now = at("2027-06-11T09:00", "Europe/London");
  const auto window = notification_window(world.state(), now, 48);
  REQUIRE(window.size() == 48);
  CHECK(std::is_sorted(window.begin(), window.end(),
                       [](const auto& a, const auto& b) { return a.fire_at < b.fire_at; }));
  std::set<std::string> unique;
  for (const auto& item : window) {
    CHECK(item.fire_at > now);
    unique.insert(item.reminder.id);
  }
  CHECK(unique.size() == window.size());
  const auto again = notification_window(world.state(), now, 48);
  CHECK(ids(again) == ids(window));
  CHECK(notification_window(world.state(), now, 5).size() == 5);
}

TEST_CASE("after flying west a routine fired in the old zone does not fire again",
          "[reminders][travel]") {
  World world("Europe/Paris", "2027-05-01T10:00");
  auto fired = world.due(at("2027-05-03T08:00", "Europe/Paris"));
  CHECK_THAT(ids(fired.firing), Catch::VectorContains(std::string("cleanse_am@2027-05-03T08:00")));
  auto zones = ZoneHistory::make({{world.plan.details.treated_at, "Europe/Paris"},
                                  {at("2027-05-03T10:00Z"), "America/Toronto"}},
                                 zone("America/Toronto"));
  REQUIRE(zones.ok());
  world.zones = *zones;
  const auto in_toronto = world.due(at("2027-05-03T08:00", "America/Toronto"));
  CHECK_THAT(ids(in_toronto.firing),
             !Catch::VectorContains(std::string("cleanse_am@2027-05-03T08:00")));
}

}  // namespace
}  // namespace aftercare

namespace aftercare {
namespace {

// Issue #13: quiet hours were read from text in two places (the CLI's --quiet and the stored
// setting); one parser now serves both.
TEST_CASE("quiet hours read back as written, and other text changes nothing", "[reminders]") {
  ReminderSettings settings;
  REQUIRE(parse_quiet_hours("22:30-08:30", settings));
  CHECK(settings.quiet_hours);
  CHECK(quiet_hours_text(settings) == "22:30-08:30");
  REQUIRE(parse_quiet_hours("off", settings));
  CHECK_FALSE(settings.quiet_hours);
  CHECK(quiet_hours_text(settings) == "off");
  for (const char* bad : {"", "22:30", "22:30-8:30", "24:00-07:00", "22:30~08:30", "22:3x-08:30",
                          "22:30-08:60", "OFF"}) {
    INFO(bad);
    ReminderSettings unchanged;
    CHECK_FALSE(parse_quiet_hours(bad, unchanged));
    CHECK(quiet_hours_text(unchanged) == "22:00-07:00");
  }
}

}  // namespace
}  // namespace aftercare
