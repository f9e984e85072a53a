#include <algorithm>

#include <catch2/catch.hpp>

#include "domain/protocol_loader.h"
#include "schedule/timeline.h"
#include "support/occurrences.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;
using test::find_item;
using test::make_plan;
using test::occurrences_of;
using test::zone;

const RestrictionItem& restriction(const Timeline& timeline, const std::string& id) {
  auto it = std::find_if(timeline.restrictions.begin(), timeline.restrictions.end(),
                         [&](const RestrictionItem& r) { return r.restriction->id.value() == id; });
  REQUIRE(it != timeline.restrictions.end());
  return *it;
}

Timeline timeline_at(const Plan& plan, const std::string& zone_name, const std::string& now,
                     const std::map<std::string, StepRecord>& records = {}) {
  const auto* z = zone(zone_name);
  return build_timeline(plan, ZoneHistory::constant(z), records, at(now, zone_name), z, Modes{});
}

// Issue #2's acceptance example.
TEST_CASE(
    "24 h without makeup ends at 22:00 EDT across the spring DST change, with the evening "
    "cleanse due",
    "[schedule][timeline][dst]") {
  const Plan plan = make_plan("America/Toronto", "2027-03-13T21:00");
  const Timeline timeline = timeline_at(plan, "America/Toronto", "2027-03-14T21:30");
  const auto& makeup = restriction(timeline, "no_makeup");
  CHECK(makeup.active);
  CHECK(format_iso(makeup.ends, timeline.zone) == "2027-03-14T22:00:00-04:00");
  const StepItem* cleanse = find_item(timeline.today_steps, "cleanse_pm@2027-03-14T20:00");
  REQUIRE(cleanse);
  CHECK(cleanse->status == OccurrenceStatus::kDue);
  CHECK(timeline.day_number == 0);
  REQUIRE(timeline.phase);
  CHECK(timeline.phase->id == "inflammation");
  CHECK(format_date(timeline.today) == "2027-03-14");
}

TEST_CASE("a daily 08:00 routine stays at 08:00 across the spring DST change",
          "[schedule][timeline][dst]") {
  const Plan plan = make_plan("America/Toronto", "2027-03-12T10:00");
  const auto* toronto = zone("America/Toronto");
  const auto all = expand_steps(plan, ZoneHistory::constant(toronto), at("2027-03-13T00:00Z"),
                                at("2027-03-15T00:00Z"), Modes{});
  const auto cleanse = occurrences_of(all, "cleanse_am");
  REQUIRE(cleanse.size() == 2);
  CHECK(format_iso(cleanse[0].scheduled, toronto) == "2027-03-13T08:00:00-05:00");
  CHECK(format_iso(cleanse[1].scheduled, toronto) == "2027-03-14T08:00:00-04:00");
  CHECK(cleanse[1].scheduled - cleanse[0].scheduled == std::chrono::hours(23));
}

TEST_CASE("a 02:30 routine on the spring-forward day happens at 03:30, once",
          "[schedule][timeline][dst]") {
  const std::string protocol = R"({"extends": "microneedling", "steps": {"night_check": {
      "title": "Night check", "instructions": "Look at the treated area.",
      "schedule": {"type": "daily", "times": ["02:30"]}, "until": "7d", "window": "1h"}}})";
  auto loaded = load_protocol(protocol, "night.json");
  REQUIRE(loaded.ok());
  const Plan plan = make_plan("America/Toronto", "2027-03-12T10:00", loaded->resolved_json);
  const auto* toronto = zone("America/Toronto");
  const auto night =
      occurrences_of(expand_steps(plan, ZoneHistory::constant(toronto), at("2027-03-13T00:00Z"),
                                  at("2027-03-16T00:00Z"), Modes{}),
                     "night_check");
  REQUIRE(night.size() == 3);
  CHECK(format_iso(night[0].scheduled, toronto) == "2027-03-13T02:30:00-05:00");
  CHECK(night[1].id == "night_check@2027-03-14T02:30");
  CHECK(format_iso(night[1].scheduled, toronto) == "2027-03-14T03:30:00-04:00");
  CHECK(format_iso(night[2].scheduled, toronto) == "2027-03-15T02:30:00-04:00");
}

TEST_CASE("a 01:30 routine on the fall-back day happens once, at the first 01:30",
          "[schedule][timeline][dst]") {
  const std::string protocol = R"({"extends": "microneedling", "steps": {"night_check": {
      "title": "Night check", "instructions": "Look at the treated area.",
      "schedule": {"type": "daily", "times": ["01:30"]}, "until": "7d", "window": "1h"}}})";
  auto loaded = load_protocol(protocol, "night.json");
  REQUIRE(loaded.ok());
  const Plan plan = make_plan("America/Toronto", "2027-11-05T10:00", loaded->resolved_json);
  const auto* toronto = zone("America/Toronto");
  const auto night =
      occurrences_of(expand_steps(plan, ZoneHistory::constant(toronto), at("2027-11-06T12:00Z"),
                                  at("2027-11-08T12:00Z"), Modes{}),
                     "night_check");
  REQUIRE(night.size() == 2);
  CHECK(format_iso(night[0].scheduled, toronto) == "2027-11-07T01:30:00-04:00");
  CHECK(format_iso(night[1].scheduled, toronto) == "2027-11-08T01:30:00-05:00");
}

TEST_CASE("today is the local date, not the UTC date, on both sides of midnight",
          "[schedule][timeline]") {
  const Plan plan = make_plan("America/Toronto", "2027-05-01T10:00");
  // 23:59 EDT is already 03:59 UTC on the next day.
  const Timeline before = timeline_at(plan, "America/Toronto", "2027-05-02T23:59");
  CHECK(format_date(before.today) == "2027-05-02");
  CHECK(find_item(before.today_steps, "cleanse_pm@2027-05-02T20:00"));
  CHECK_FALSE(find_item(before.today_steps, "cleanse_am@2027-05-03T08:00"));
  const Timeline after = timeline_at(plan, "America/Toronto", "2027-05-03T00:00");
  CHECK(format_date(after.today) == "2027-05-03");
  CHECK(find_item(after.today_steps, "cleanse_am@2027-05-03T08:00"));
  CHECK_FALSE(find_item(after.today_steps, "cleanse_pm@2027-05-02T20:00"));
  // Yesterday's unchecked evening cleanse now counts as missed on its own day.
  CHECK(find_item(after.earlier_missed, "cleanse_pm@2027-05-02T20:00"));
}

TEST_CASE("after flying east, routines follow the new zone and restrictions do not move",
          "[schedule][timeline][travel]") {
  const Plan plan = make_plan("America/Toronto", "2027-05-01T10:00");
  const auto* paris = zone("Europe/Paris");
  auto zones = ZoneHistory::make(
      {{plan.details.treated_at, "America/Toronto"}, {at("2027-05-03T02:00Z"), "Europe/Paris"}},
      paris);
  REQUIRE(zones.ok());
  const auto cleanse = occurrences_of(
      expand_steps(plan, *zones, plan.details.treated_at, at("2027-05-05T00:00Z"), Modes{}),
      "cleanse_am");
  REQUIRE(cleanse.size() == 3);
  CHECK(format_iso(cleanse[0].scheduled, zone("America/Toronto")) == "2027-05-02T08:00:00-04:00");
  CHECK(format_iso(cleanse[1].scheduled, paris) == "2027-05-03T08:00:00+02:00");
  CHECK(format_iso(cleanse[2].scheduled, paris) == "2027-05-04T08:00:00+02:00");

  const Timeline timeline =
      build_timeline(plan, *zones, {}, at("2027-05-02T12:00", "Europe/Paris"), paris, Modes{});
  const auto& makeup = restriction(timeline, "no_makeup");
  CHECK(makeup.ends == plan.details.treated_at + std::chrono::hours(24));
  CHECK(format_iso(makeup.ends, paris) == "2027-05-02T16:00:00+02:00");
  CHECK(makeup.active);
}

TEST_CASE("after flying west, a routine already done that calendar day is not planned again",
          "[schedule][timeline][travel]") {
  const Plan plan = make_plan("Europe/Paris", "2027-05-01T10:00");
  const auto* toronto = zone("America/Toronto");
  // 08:00 in Paris on May 3, then a flight that lands in Toronto before 08:00 there.
  auto zones = ZoneHistory::make(
      {{plan.details.treated_at, "Europe/Paris"}, {at("2027-05-03T10:00Z"), "America/Toronto"}},
      toronto);
  REQUIRE(zones.ok());
  const auto cleanse = occurrences_of(
      expand_steps(plan, *zones, plan.details.treated_at, at("2027-05-05T00:00Z"), Modes{}),
      "cleanse_am");
  const auto on_may_3 = std::count_if(cleanse.begin(), cleanse.end(), [](const Occurrence& o) {
    return format_date(o.local_day) == "2027-05-03";
  });
  CHECK(on_may_3 == 1);
  REQUIRE(cleanse.size() == 3);
  CHECK(format_iso(cleanse[1].scheduled, zone("Europe/Paris")) == "2027-05-03T08:00:00+02:00");
  CHECK(format_iso(cleanse[2].scheduled, toronto) == "2027-05-04T08:00:00-04:00");
  // The one-off first wash is tied to the treatment instant whatever the zone history.
  const auto wash = occurrences_of(
      expand_steps(plan, *zones, plan.details.treated_at, at("2027-05-05T00:00Z"), Modes{}),
      "first_wash");
  REQUIRE(wash.size() == 1);
  CHECK(wash[0].scheduled == plan.details.treated_at + std::chrono::hours(4));
}

TEST_CASE("Lord Howe's 30-minute DST change keeps 08:00 at 08:00 and 24 h at 24 h",
          "[schedule][timeline][dst]") {
  const Plan plan = make_plan("Australia/Lord_Howe", "2027-04-03T21:00");
  const auto* lord_howe = zone("Australia/Lord_Howe");
  CHECK(format_iso(plan.details.treated_at, lord_howe) == "2027-04-03T21:00:00+11:00");
  const Timeline timeline = timeline_at(plan, "Australia/Lord_Howe", "2027-04-04T12:00");
  CHECK(format_iso(restriction(timeline, "no_makeup").ends, lord_howe) ==
        "2027-04-04T20:30:00+10:30");
  const StepItem* cleanse = find_item(timeline.today_steps, "cleanse_am@2027-04-04T08:00");
  REQUIRE(cleanse);
  CHECK(format_iso(cleanse->occurrence.scheduled, lord_howe) == "2027-04-04T08:00:00+10:30");
  CHECK(cleanse->status == OccurrenceStatus::kMissed);
}

TEST_CASE("St. John's half-hour offset and its DST change", "[schedule][timeline][dst]") {
  const Plan plan = make_plan("America/St_Johns", "2027-03-13T21:00");
  const Timeline timeline = timeline_at(plan, "America/St_Johns", "2027-03-14T21:30");
  CHECK(format_iso(restriction(timeline, "no_makeup").ends, timeline.zone) ==
        "2027-03-14T22:00:00-02:30");
  const StepItem* cleanse = find_item(timeline.today_steps, "cleanse_pm@2027-03-14T20:00");
  REQUIRE(cleanse);
  CHECK(cleanse->status == OccurrenceStatus::kDue);
}

TEST_CASE("a zone without DST has every routine at the same UTC time each day",
          "[schedule][timeline]") {
  const Plan plan = make_plan("Asia/Kolkata", "2027-03-13T21:00");
  const auto* kolkata = zone("Asia/Kolkata");
  const auto cleanse =
      occurrences_of(expand_steps(plan, ZoneHistory::constant(kolkata), plan.details.treated_at,
                                  plan.details.treated_at + date::days(30), Modes{}),
                     "cleanse_am");
  // Daily for the first 7 days after treatment (until 7d), from 4 h after it.
  REQUIRE(cleanse.size() == 7);
  for (std::size_t i = 1; i < cleanse.size(); ++i) {
    CHECK(cleanse[i].scheduled - cleanse[i - 1].scheduled == std::chrono::hours(24));
  }
  CHECK(format_iso(cleanse.front().scheduled, kolkata) == "2027-03-14T08:00:00+05:30");
  CHECK(format_iso(cleanse.back().scheduled, kolkata) == "2027-03-20T08:00:00+05:30");
}

TEST_CASE("before the treatment nothing is active and the day number is negative",
          "[schedule][timeline]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T15:00");
  const Timeline timeline = timeline_at(plan, "Europe/London", "2027-06-10T13:00");
  CHECK(timeline.day_number == -1);
  CHECK(timeline.phase == nullptr);
  CHECK(std::none_of(timeline.restrictions.begin(), timeline.restrictions.end(),
                     [](const RestrictionItem& r) { return r.active; }));
}

TEST_CASE("day N is the N-th 24 h after the treatment and phases follow hours since it",
          "[schedule][timeline]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T15:00");
  CHECK(timeline_at(plan, "Europe/London", "2027-06-11T14:59").day_number == 0);
  CHECK(timeline_at(plan, "Europe/London", "2027-06-11T15:00").day_number == 1);
  const Timeline day3 = timeline_at(plan, "Europe/London", "2027-06-13T15:00");
  CHECK(day3.day_number == 3);
  REQUIRE(day3.phase);
  CHECK(day3.phase->id == "proliferation");
  CHECK(timeline_at(plan, "Europe/London", "2027-07-10T12:00").phase->id == "remodelling");
}

TEST_CASE("restrictions end exactly at treatment plus their duration and are then lifted",
          "[schedule][timeline]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T15:00");
  const Timeline just_before = timeline_at(plan, "Europe/London", "2027-06-12T14:59");
  CHECK(restriction(just_before, "no_exercise").active);
  const Timeline at_end = timeline_at(plan, "Europe/London", "2027-06-12T15:00");
  CHECK_FALSE(restriction(at_end, "no_exercise").active);
  CHECK(at_end.restrictions.front().active);  // active ones are listed first
}

TEST_CASE("done, skipped and missed occurrences make up adherence per day and overall",
          "[schedule][timeline][adherence]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T03:00");
  const Instant now = at("2027-06-10T23:30", "Europe/London");
  std::map<std::string, StepRecord> records;
  records["cleanse_am@2027-06-10T08:00"] = {StepAction::kDone, now, 1};
  records["moisturize@2027-06-10T13:00"] = {StepAction::kSkipped, now, 2};
  const auto* london = zone("Europe/London");
  const Timeline timeline =
      build_timeline(plan, ZoneHistory::constant(london), records, now, london, Modes{});
  // June 10 from 07:00 (4 h after treatment): cleanse_am, moisturize x3, checkin, cleanse_pm,
  // and the first wash, still open until 03:00. Sunscreen starts 12 h after treatment.
  CHECK(timeline.today_adherence.done == 1);
  CHECK(timeline.today_adherence.skipped == 1);
  CHECK(timeline.today_adherence.missed == 4);
  CHECK(timeline.today_adherence.open == 1);
  REQUIRE(timeline.today_adherence.ratio());
  CHECK(*timeline.today_adherence.ratio() == Approx(1.0 / 6));
  REQUIRE(timeline.adherence_by_day.size() == 1);
  CHECK(timeline.overall_adherence.done == 1);
  CHECK(timeline.overall_adherence.missed == 4);
}

TEST_CASE("a plan entered after the treatment does not count earlier windows as missed",
          "[schedule][timeline][adherence]") {
  Plan plan = make_plan("Europe/London", "2027-06-10T06:00");
  plan.created_at = at("2027-06-11T12:00", "Europe/London");
  const Timeline timeline = timeline_at(plan, "Europe/London", "2027-06-11T12:00");
  CHECK(timeline.earlier_missed.empty());
  CHECK(timeline.today_adherence.missed == 0);
  CHECK(find_item(timeline.today_steps, "moisturize@2027-06-11T13:00"));
}

TEST_CASE("steps with a mode occur only while it is on", "[schedule][timeline]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T06:00");
  const auto* london = zone("Europe/London");
  const auto from = at("2027-06-11T00:00", "Europe/London");
  const auto to = at("2027-06-12T00:00", "Europe/London");
  CHECK(occurrences_of(expand_steps(plan, ZoneHistory::constant(london), from, to, Modes{}),
                       "spf_reapply")
            .empty());
  const auto outdoors = occurrences_of(
      expand_steps(plan, ZoneHistory::constant(london), from, to, Modes::always({"outdoors"})),
      "spf_reapply");
  REQUIRE(outdoors.size() == 5);  // 10:30, 12:30, 14:30, 16:30, 18:30
  CHECK(format_iso(outdoors.back().scheduled, london) == "2027-06-11T18:30:00+01:00");
}

TEST_CASE("a check-off without a time picks the occurrence due now, else today's",
          "[schedule][timeline]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T06:00");
  const auto* london = zone("Europe/London");
  const auto zones = ZoneHistory::constant(london);
  const Instant evening = at("2027-06-11T20:30", "Europe/London");
  auto due = select_occurrence(plan, zones, {}, StepId("cleanse_pm"), evening, london, Modes{},
                               std::nullopt, std::nullopt);
  REQUIRE(due.ok());
  CHECK(due->occurrence.id == "cleanse_pm@2027-06-11T20:00");
  // Early in the evening: the one planned later today.
  auto early = select_occurrence(plan, zones, {}, StepId("cleanse_pm"),
                                 at("2027-06-11T18:00", "Europe/London"), london, Modes{},
                                 std::nullopt, std::nullopt);
  REQUIRE(early.ok());
  CHECK(early->occurrence.id == "cleanse_pm@2027-06-11T20:00");
  // Late morning, after its window: today's missed one.
  auto late = select_occurrence(plan, zones, {}, StepId("cleanse_am"),
                                at("2027-06-11T12:30", "Europe/London"), london, Modes{},
                                std::nullopt, std::nullopt);
  REQUIRE(late.ok());
  CHECK(late->status == OccurrenceStatus::kMissed);
  // By time and by id.
  auto by_time = select_occurrence(plan, zones, {}, StepId("moisturize"), evening, london, Modes{},
                                   at("2027-06-11T13:30", "Europe/London"), std::nullopt);
  REQUIRE(by_time.ok());
  CHECK(by_time->occurrence.id == "moisturize@2027-06-11T13:00");
  auto by_id = select_occurrence(plan, zones, {}, StepId("moisturize"), evening, london, Modes{},
                                 std::nullopt, std::string("moisturize@2027-06-10T20:15"));
  REQUIRE(by_id.ok());
  CHECK(by_id->occurrence.id == "moisturize@2027-06-10T20:15");
}

TEST_CASE("a check-off of an unknown step or one not planned now says why",
          "[schedule][timeline]") {
  const Plan plan = make_plan("Europe/London", "2027-06-10T06:00");
  const auto* london = zone("Europe/London");
  const auto zones = ZoneHistory::constant(london);
  const Instant now = at("2027-06-11T20:30", "Europe/London");
  auto unknown = select_occurrence(plan, zones, {}, StepId("cleanse_noon"), now, london, Modes{},
                                   std::nullopt, std::nullopt);
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error().message(), Catch::Contains("unknown step \"cleanse_noon\""));
  auto outdoors = select_occurrence(plan, zones, {}, StepId("spf_reapply"), now, london, Modes{},
                                    std::nullopt, std::nullopt);
  REQUIRE_FALSE(outdoors.ok());
  CHECK_THAT(outdoors.error().message(), Catch::Contains("outdoors"));
  auto wash = select_occurrence(plan, zones, {}, StepId("first_wash"), now, london, Modes{},
                                std::nullopt, std::nullopt);
  REQUIRE_FALSE(wash.ok());
  auto far = select_occurrence(plan, zones, {}, StepId("cleanse_am"), now, london, Modes{},
                               at("2027-06-11T03:00", "Europe/London"), std::nullopt);
  REQUIRE_FALSE(far.ok());
  CHECK_THAT(far.error().message(), Catch::Contains("no occurrence of cleanse_am"));
}

}  // namespace
}  // namespace aftercare
