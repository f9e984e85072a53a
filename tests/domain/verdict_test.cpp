#include <algorithm>

#include <catch2/catch.hpp>

#include "domain/verdict.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

struct Rating {
  const char* symptom;
  int severity;
  double hours;  // after the treatment
  std::optional<bool> relieved = std::nullopt;
};

struct VerdictCase {
  const char* name;
  std::vector<Rating> ratings;
  Verdict verdict;
  std::vector<const char*> rules;  // the rules that must hold (others may not)
};

std::vector<SymptomEntry> entries_of(const Plan& plan, const std::vector<Rating>& ratings) {
  std::vector<SymptomEntry> entries;
  std::int64_t id = 0;
  for (const auto& rating : ratings) {
    SymptomEntry entry;
    entry.entry = EntryId(++id);
    entry.report.symptom = SymptomId(rating.symptom);
    entry.report.severity = rating.severity;
    entry.report.relieved = rating.relieved;
    entry.report.felt_at = plan.details.treated_at +
                           std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::duration<double, std::ratio<3600>>(rating.hours));
    entries.push_back(entry);
  }
  return entries;
}

TEST_CASE("each red-flag rule and its boundary gives the verdict the protocol says",
          "[domain][verdict]") {
  const VerdictCase cases[] = {
      {"redness 3 on day 0 is expected", {{"redness", 3, 10}}, Verdict::kExpected, {}},
      {"redness 6 right after treatment is still the usual course",
       {{"redness", 6, 1}},
       Verdict::kExpected,
       {}},
      {"redness 7 is severe at any time", {{"redness", 7, 1}}, Verdict::kContactClinic, {"severe"}},
      {"dryness 7 on day 1 is severe", {{"dryness", 7, 30}}, Verdict::kContactClinic, {"severe"}},
      {"redness 5 at 80 h is stronger than usual",
       {{"redness", 5, 80}},
       Verdict::kContactClinic,
       {"above_course"}},
      {"redness 3 at 80 h is within the tolerance", {{"redness", 3, 80}}, Verdict::kExpected, {}},
      {"redness worse after day 2",
       {{"redness", 2, 50}, {"redness", 3, 60}},
       Verdict::kContactClinic,
       {"worse_after_day_2"}},
      {"redness worse before 48 h is not a flag",
       {{"redness", 3, 40}, {"redness", 4, 47}},
       Verdict::kExpected,
       {}},
      {"redness the same after day 2 is not worse",
       {{"redness", 2, 50}, {"redness", 2, 60}},
       Verdict::kExpected,
       {}},
      {"swelling that fell to 1 and is back at 4 came back",
       {{"swelling", 4, 10}, {"swelling", 1, 20}, {"swelling", 4, 30}},
       Verdict::kContactClinic,
       {"came_back"}},
      {"swelling that fell by only 1 has not come back",
       {{"swelling", 4, 10}, {"swelling", 3, 20}, {"swelling", 4, 30}},
       Verdict::kExpected,
       {}},
      {"redness still there after day 4",
       {{"redness", 1, 97}},
       Verdict::kContactClinic,
       {"past_window"}},
      {"redness at 95 h is inside its window plus margin",
       {{"redness", 1, 95}},
       Verdict::kExpected,
       {}},
      {"swelling still there after day 5",
       {{"swelling", 1, 121}},
       Verdict::kContactClinic,
       {"past_window"}},
      {"swelling at 119 h is inside its window plus margin",
       {{"swelling", 1, 119}},
       Verdict::kExpected,
       {}},
      {"redness gone (0) late is fine", {{"redness", 0, 200}}, Verdict::kExpected, {}},
      {"any pus is urgent", {{"pus", 1, 30}}, Verdict::kUrgent, {"infection_sign"}},
      {"any fever is urgent", {{"fever", 2, 50}}, Verdict::kUrgent, {"infection_sign"}},
      {"spreading redness is urgent",
       {{"spreading_redness", 3, 50}},
       Verdict::kUrgent,
       {"infection_sign"}},
      {"warmth rated 0 is no sign", {{"warmth", 0, 50}}, Verdict::kExpected, {}},
      {"pain 5 not relieved by paracetamol",
       {{"pain", 5, 1, false}},
       Verdict::kContactClinic,
       {"pain_unrelieved"}},
      {"pain 5 relieved right after treatment is expected",
       {{"pain", 5, 1, true}},
       Verdict::kExpected,
       {}},
      {"pain 3 not relieved is below the threshold",
       {{"pain", 3, 1, false}},
       Verdict::kExpected,
       {}},
      {"an old severe rating that has settled no longer flags",
       {{"redness", 7, 1}, {"redness", 2, 30}},
       Verdict::kExpected,
       {}},
      {"urgent outranks contact",
       {{"redness", 8, 5}, {"fever", 1, 6}},
       Verdict::kUrgent,
       {"severe", "infection_sign"}},
  };
  const Plan plan = test::make_plan("UTC", "2027-06-10T12:00");
  for (const auto& c : cases) {
    INFO(c.name);
    const auto entries = entries_of(plan, c.ratings);
    const Assessment assessment = assess(plan, entries, entries.back().report.felt_at);
    CHECK(assessment.verdict == c.verdict);
    for (const char* rule : c.rules) {
      INFO(rule);
      CHECK(std::any_of(assessment.reasons.begin(), assessment.reasons.end(),
                        [&](const VerdictReason& r) { return r.rule == rule; }));
    }
    if (c.verdict == Verdict::kExpected) CHECK(assessment.reasons.empty());
  }
}

TEST_CASE("the verdict speaks plainly and gives the clinic's phone, never a diagnosis",
          "[domain][verdict]") {
  Plan plan = test::make_plan("UTC", "2027-06-10T12:00");
  plan.details.clinic_name = "Glow Clinic";
  plan.details.clinic_phone = "+1 416 555 0100";
  const auto urgent = assess(plan, entries_of(plan, {{"pus", 1, 30}}),
                             plan.details.treated_at + std::chrono::hours(31));
  CHECK_THAT(urgent.advice, Catch::Contains("+1 416 555 0100"));
  CHECK_THAT(urgent.advice, Catch::Contains("seek urgent care"));
  REQUIRE(urgent.reasons.size() == 1);
  CHECK(urgent.reasons.front().message == "Pus or oozing can be a sign of infection.");
  const auto contact = assess(plan, entries_of(plan, {{"redness", 5, 80}}),
                              plan.details.treated_at + std::chrono::hours(81));
  CHECK_THAT(contact.advice, Catch::Contains("Call Glow Clinic at +1 416 555 0100"));
  CHECK(contact.reasons.front().message ==
        "Redness at 5 of 10 on day 3 is stronger than usual at this point.");
  const auto fine = assess(plan, entries_of(plan, {{"redness", 3, 10}}),
                           plan.details.treated_at + std::chrono::hours(11));
  CHECK_THAT(fine.advice, Catch::Contains("Within the usual course for day 0"));
}

TEST_CASE("a rating later than the moment asked about is not counted", "[domain][verdict]") {
  const Plan plan = test::make_plan("UTC", "2027-06-10T12:00");
  const auto entries = entries_of(plan, {{"redness", 2, 10}, {"fever", 1, 50}});
  CHECK(assess(plan, entries, plan.details.treated_at + std::chrono::hours(20)).verdict ==
        Verdict::kExpected);
  CHECK(assess(plan, entries, plan.details.treated_at + std::chrono::hours(51)).verdict ==
        Verdict::kUrgent);
}

TEST_CASE("a kept series judges like the whole log, and refuses a back-dated entry",
          "[domain][verdict]") {
  const Plan plan = test::make_plan("UTC", "2027-06-10T12:00");
  // Swelling rises, falls, and comes back; redness stays usual; out of time order on purpose.
  const auto all = entries_of(plan, {{"swelling", 3, 5},
                                     {"redness", 4, 6},
                                     {"swelling", 1, 60},
                                     {"swelling", 5, 30},
                                     {"swelling", 4, 80}});
  EntryMap map;
  for (const auto& entry : all) map[entry.entry.value()] = entry;
  const Instant now = plan.details.treated_at + std::chrono::hours(90);
  const SymptomSeries built(map);
  const auto whole = assess(plan, all, now);
  const auto kept = assess(plan, built, now);
  CHECK(kept.verdict == Verdict::kContactClinic);
  CHECK(kept.verdict == whole.verdict);
  REQUIRE(kept.reasons.size() == whole.reasons.size());
  for (std::size_t i = 0; i < kept.reasons.size(); ++i) {
    CHECK(kept.reasons[i].rule == whole.reasons[i].rule);
    CHECK(kept.reasons[i].entry == whole.reasons[i].entry);
  }
  for (const auto& entry : all) {
    CHECK(assess_entry(plan, built, entry).verdict == assess_entry(plan, all, entry).verdict);
  }

  // Extended one entry at a time in time order, it gives the same verdict as built at once.
  EntryMap grown;
  std::vector<SymptomEntry> in_time = all;
  std::stable_sort(in_time.begin(), in_time.end(), [](const auto& a, const auto& b) {
    return a.report.felt_at < b.report.felt_at;
  });
  SymptomSeries series{grown};
  for (const auto& entry : in_time) {
    CHECK(series.append(grown.emplace(entry.entry.value(), entry).first->second));
  }
  CHECK(assess(plan, series, now).verdict == kept.verdict);
  CHECK(assess(plan, series, now).reasons.size() == kept.reasons.size());

  // An entry felt before its symptom's latest does not fit at the end: the app rebuilds.
  SymptomEntry late = all.front();
  late.entry = EntryId(99);
  late.report.felt_at = plan.details.treated_at + std::chrono::hours(1);
  CHECK_FALSE(series.append(grown.emplace(99, late).first->second));
}

TEST_CASE("the expected course is linear between its points", "[domain][verdict]") {
  const Plan plan = test::make_plan("UTC", "2027-06-10T12:00");
  const SymptomDef& redness = *plan.protocol.find_symptom(SymptomId("redness"));
  CHECK(expected_max_severity(redness, std::chrono::hours(0)) == Approx(6));
  CHECK(expected_max_severity(redness, std::chrono::hours(12)) == Approx(5.5));
  CHECK(expected_max_severity(redness, std::chrono::hours(84)) == Approx(1));
  CHECK(expected_max_severity(redness, std::chrono::hours(500)) == Approx(0));
}

TEST_CASE("severity words follow the 0 to 10 scale", "[domain][verdict]") {
  CHECK(std::string(severity_word(0)) == "none");
  CHECK(std::string(severity_word(1)) == "mild");
  CHECK(std::string(severity_word(3)) == "mild");
  CHECK(std::string(severity_word(4)) == "moderate");
  CHECK(std::string(severity_word(6)) == "moderate");
  CHECK(std::string(severity_word(7)) == "severe");
  CHECK(std::string(severity_word(10)) == "severe");
}

}  // namespace
}  // namespace aftercare
