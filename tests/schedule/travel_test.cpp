// The travel rule of CLI.md ("Travel"): routines across zone changes and the date line, the day
// each occurrence is listed under, and the occurrence an action belongs to.
#include <algorithm>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "schedule/timeline.h"
#include "support/occurrences.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using std::chrono::hours;
using test::at;
using test::find_item;
using test::make_plan;
using test::occurrences_of;
using test::zone;

struct Stop {
  std::string local;  ///< When the app first runs there, local to `zone`.
  std::string zone;
};

ZoneHistory history_of(const std::vector<Stop>& stops) {
  std::vector<ZoneChange> changes;
  for (const auto& stop : stops) changes.push_back({at(stop.local, stop.zone), stop.zone});
  auto zones = ZoneHistory::make(changes, zone(stops.back().zone));
  REQUIRE(zones.ok());
  return *zones;
}

std::chrono::seconds half_spacing(const StepDef& step) {
  return std::chrono::seconds(hours(12)) / static_cast<long>(step.times.size());
}  // daily steps only: check_bounds passes over the others

// The bounds the rule promises, for every daily step of the plan: no step twice within half its
// spacing, no gap longer than its longest gap within one zone plus half its spacing, ids unique.
void check_bounds(const Plan& plan, const std::vector<Occurrence>& all) {
  std::set<std::string> ids;
  for (const auto& occurrence : all) {
    INFO(occurrence.id);
    CHECK(ids.insert(occurrence.id).second);
  }
  for (const auto& step : plan.protocol.steps) {
    if (step.kind != ScheduleKind::kDaily) continue;
    // The longest gap within one zone: from the last time of a day to the first of the next.
    std::chrono::minutes longest = hours(24) - step.times.back() + step.times.front();
    for (std::size_t i = 1; i < step.times.size(); ++i) {
      longest = std::max(longest, step.times[i] - step.times[i - 1]);
    }
    const auto mine = occurrences_of(all, step.id.value());
    for (std::size_t i = 1; i < mine.size(); ++i) {
      INFO(mine[i - 1].id << " then " << mine[i].id);
      const auto gap = mine[i].scheduled - mine[i - 1].scheduled;
      CHECK(gap >= half_spacing(step));
      CHECK(gap <= longest + half_spacing(step));
    }
  }
}

TEST_CASE("the date line eastward: nothing dated yesterday, no 35-hour gap, unique ids",
          "[schedule][travel]") {
  const Plan plan = make_plan("Pacific/Apia", "2027-03-15T21:00");
  const auto zones =
      history_of({{"2027-03-15T21:00", "Pacific/Apia"}, {"2027-03-18T10:00", "Pacific/Honolulu"}});
  const auto* honolulu = zone("Pacific/Honolulu");
  const auto all = expand_steps(plan, zones, plan.details.treated_at, plan_end(plan), Modes{});
  check_bounds(plan, all);

  // The morning cleanse done in Apia at 08:30 on the 19th: 09:30 on the 18th in Honolulu.
  std::map<std::string, StepRecord> records;
  records["cleanse_am@2027-03-19T08:00"] = {StepAction::kDone,
                                            at("2027-03-19T08:30", "Pacific/Apia")};
  const Timeline timeline = build_timeline(
      plan, zones, records, at("2027-03-18T10:00", "Pacific/Honolulu"), honolulu, Modes{});
  CHECK(format_date(timeline.today) == "2027-03-18");
  const StepItem* done = find_item(timeline.today_steps, "cleanse_am@2027-03-19T08:00");
  REQUIRE(done);
  CHECK(done->status == OccurrenceStatus::kDone);
  // Moisturizer at 08:15 Apia is 09:15 here, and due: under today, not elsewhere.
  const StepItem* moisturize = find_item(timeline.today_steps, "moisturize@2027-03-19T08:15");
  REQUIRE(moisturize);
  CHECK(moisturize->status == OccurrenceStatus::kDue);
  for (const auto& item : timeline.today_steps) {
    INFO(item.occurrence.id);
    CHECK(local_date(item.occurrence.scheduled, honolulu) <= timeline.today);
    if (item.status == OccurrenceStatus::kMissed) {
      CHECK(local_date(item.occurrence.scheduled, honolulu) == timeline.today);
    }
  }
  for (const auto& item : timeline.coming_days) {
    INFO(item.occurrence.id);
    CHECK(local_date(item.occurrence.scheduled, honolulu) > timeline.today);
    CHECK(item.status == OccurrenceStatus::kUpcoming);
  }
  // Honolulu's own morning cleanse on its 19th repeats the local date and time: its id adds the
  // offset, and it comes 23 h after the one done in Apia.
  const auto cleanse = occurrences_of(all, "cleanse_am");
  auto next = std::find_if(cleanse.begin(), cleanse.end(), [](const Occurrence& o) {
    return o.id == "cleanse_am@2027-03-19T08:00-10:00";
  });
  REQUIRE(next != cleanse.end());
  CHECK(format_iso(next->scheduled, honolulu) == "2027-03-19T08:00:00-10:00");
  CHECK(next->scheduled - at("2027-03-19T08:00", "Pacific/Apia") == hours(23));
}

TEST_CASE("coming home from Tokyo: that evening is planned, the hours in Toronto are not missed",
          "[schedule][travel]") {
  const Plan plan = make_plan("America/Toronto", "2027-06-01T16:00");
  const auto zones = history_of({{"2027-06-01T16:00", "America/Toronto"},
                                 {"2027-06-03T10:00", "Asia/Tokyo"},
                                 {"2027-06-05T19:30", "America/Toronto"}});
  const auto* toronto = zone("America/Toronto");
  const auto all = expand_steps(plan, zones, plan.details.treated_at, plan_end(plan), Modes{});
  check_bounds(plan, all);

  const Timeline home =
      build_timeline(plan, zones, {}, at("2027-06-05T19:30", "America/Toronto"), toronto, Modes{});
  // Tokyo to Toronto crosses the date line eastward: Toronto's 5 June repeats Tokyo's, and its
  // occurrences add their offset.
  const StepItem* checkin = find_item(home.today_steps, "checkin@2027-06-05T19:00-04:00");
  REQUIRE(checkin);
  CHECK(checkin->status == OccurrenceStatus::kDue);
  const StepItem* cleanse = find_item(home.today_steps, "cleanse_pm@2027-06-05T20:00-04:00");
  REQUIRE(cleanse);
  CHECK(cleanse->status == OccurrenceStatus::kUpcoming);
  // The moisturizer Tokyo planned for its morning is this evening's, due at 19:15: Toronto's
  // 20:15 would come within 4 h of it.
  const StepItem* moisturize = find_item(home.today_steps, "moisturize@2027-06-06T08:15");
  REQUIRE(moisturize);
  CHECK(moisturize->status == OccurrenceStatus::kDue);
  CHECK(format_clock(moisturize->occurrence.scheduled, toronto) == "19:15");
  // Nothing of Toronto's wall clock after the trip whose window closed before the app knew it
  // was home.
  const Instant left = at("2027-06-03T10:00", "Asia/Tokyo");
  const Instant home_again = at("2027-06-05T19:30", "America/Toronto");
  for (const auto& occurrence : all) {
    if (occurrence.zone != toronto || occurrence.scheduled < left) continue;
    INFO(occurrence.id);
    CHECK(occurrence.due_until > home_again);
  }
  // Arriving in Tokyo at 10:00: none of Tokyo's steps of that day is missed.
  const auto* tokyo = zone("Asia/Tokyo");
  const Timeline arrival =
      build_timeline(plan, zones, {}, at("2027-06-03T10:00", "Asia/Tokyo"), tokyo, Modes{});
  int tokyo_items = 0;
  for (const auto& item : arrival.today_steps) {
    if (item.occurrence.zone != tokyo) continue;
    INFO(item.occurrence.id);
    ++tokyo_items;
    CHECK(item.status != OccurrenceStatus::kMissed);
  }
  CHECK(tokyo_items > 0);
}

TEST_CASE("a plan that never travels keeps its ids and a west trip plans no step twice",
          "[schedule][travel]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T06:00");
  const auto stay = expand_steps(plan, ZoneHistory::constant(zone("Europe/London")),
                                 plan.details.treated_at, plan_end(plan), Modes{});
  for (const auto& occurrence : stay) {
    INFO(occurrence.id);
    CHECK(occurrence.id.size() <= occurrence.step->id.value().size() + 17);
  }
  // London to Lord Howe and back: every bound holds.
  const auto zones = history_of({{"2027-06-10T06:00", "Europe/London"},
                                 {"2027-06-12T23:00", "Australia/Lord_Howe"},
                                 {"2027-06-15T07:45", "Europe/London"}});
  check_bounds(plan, expand_steps(plan, zones, plan.details.treated_at, plan_end(plan), Modes{}));
}

TEST_CASE("an expansion of part of a trip gives the same occurrences as of the whole",
          "[schedule][travel]") {
  const Plan plan = make_plan("America/Toronto", "2027-06-01T16:00");
  const auto zones = history_of({{"2027-06-01T16:00", "America/Toronto"},
                                 {"2027-06-03T10:00", "Asia/Tokyo"},
                                 {"2027-06-05T19:30", "America/Toronto"}});
  const auto all = expand_steps(plan, zones, plan.details.treated_at, plan_end(plan), Modes{});
  // Ranges ending inside a segment, just before a change, and after the trip.
  for (const auto& [from_text, to_text] : std::vector<std::pair<std::string, std::string>>{
           {"2027-06-02T00:00Z", "2027-06-03T00:00Z"},
           {"2027-06-02T12:00Z", "2027-06-03T00:30Z"},
           {"2027-06-04T00:00Z", "2027-06-06T00:00Z"},
           {"2027-06-05T23:00Z", "2027-06-09T00:00Z"}}) {
    const Instant from = at(from_text);
    const Instant to = at(to_text);
    const auto part = expand_steps(plan, zones, from, to, Modes{});
    std::vector<std::string> expected, got;
    for (const auto& o : all) {
      if (from <= o.scheduled && o.scheduled < to) expected.push_back(o.id);
    }
    for (const auto& o : part) got.push_back(o.id);
    INFO(from_text << " to " << to_text);
    CHECK(got == expected);
  }
}

TEST_CASE("an action belongs to the occurrence whose window holds it, else the nearest",
          "[schedule][travel]") {
  const Plan plan = make_plan("America/Toronto", "2027-06-01T16:00");
  const auto* toronto = zone("America/Toronto");
  const auto zones = ZoneHistory::constant(toronto);
  auto pick = [&](const std::string& step, const std::string& when) {
    return select_occurrence(plan, zones, {}, StepId(step), at(when, "America/Toronto"), toronto,
                             Modes{}, std::nullopt, std::nullopt);
  };
  // A check-in at 00:30 counts, late, for the evening before (its window closed at 23:00).
  auto checkin = pick("checkin", "2027-06-03T00:30");
  REQUIRE(checkin.ok());
  CHECK(checkin->occurrence.id == "checkin@2027-06-02T19:00");
  CHECK(timing_of(at("2027-06-03T00:30", "America/Toronto"), checkin->occurrence) == Timing::kLate);
  // In its window: that one.
  auto evening = pick("cleanse_pm", "2027-06-03T21:10");
  REQUIRE(evening.ok());
  CHECK(evening->occurrence.id == "cleanse_pm@2027-06-03T20:00");
  CHECK(timing_of(at("2027-06-03T21:10", "America/Toronto"), evening->occurrence) ==
        Timing::kInWindow);
  // Before the evening's window, nearer to it than to last night's: early.
  auto early = pick("cleanse_pm", "2027-06-03T17:30");
  REQUIRE(early.ok());
  CHECK(early->occurrence.id == "cleanse_pm@2027-06-03T20:00");
  CHECK(timing_of(at("2027-06-03T17:30", "America/Toronto"), early->occurrence) == Timing::kEarly);
  // Nearer to last night's end (23:00) than to tonight: late for last night.
  auto late = pick("cleanse_pm", "2027-06-03T07:00");
  REQUIRE(late.ok());
  CHECK(late->occurrence.id == "cleanse_pm@2027-06-02T20:00");
  // At 03:00, 5 h from either moisturizer's window (more than half its 8 h spacing): none, and
  // the message says when the next one is.
  auto night = pick("moisturize", "2027-06-04T03:00");
  REQUIRE_FALSE(night.ok());
  CHECK_THAT(night.error().message(), Catch::Contains("the next one is at 2027-06-04T08:15"));
  // Long after the routine's last day, nothing.
  auto after = pick("cleanse_pm", "2027-06-20T20:00");
  REQUIRE_FALSE(after.ok());
}

}  // namespace
}  // namespace aftercare
