#include <catch2/catch.hpp>

#include "domain/verdict.h"
#include "exchange/chart.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

std::vector<SymptomEntry> daily(const Plan& plan, const char* symptom, int days) {
  std::vector<SymptomEntry> entries;
  for (int day = 0; day < days; ++day) {
    SymptomEntry entry;
    entry.entry = EntryId(day + 1);
    entry.report.symptom = SymptomId(symptom);
    entry.report.severity = std::max(0, 6 - day);
    entry.report.felt_at = plan.details.treated_at + date::days(day) + std::chrono::hours(9);
    entries.push_back(entry);
  }
  return entries;
}

TEST_CASE("a chart's band follows the expected course exactly, at its points", "[chart]") {
  const Plan plan = test::make_plan("UTC", "2027-06-10T12:00");
  const SymptomDef& redness = *plan.protocol.find_symptom(SymptomId("redness"));
  const SymptomChart chart =
      symptom_chart(redness, daily(plan, "redness", 3), plan.details.treated_at);
  CHECK(chart.hours >= 96);
  REQUIRE(chart.band.size() >= 2);
  CHECK(chart.band.front().x == 0);
  CHECK(chart.band.back().x == Approx(1));
  // Anywhere between two band points the line gives the course's own bound.
  for (double hours : {0.0, 5.0, 30.0, 61.5, 90.0}) {
    const double x = hours / chart.hours;
    std::size_t i = 1;
    while (i + 1 < chart.band.size() && chart.band[i].x < x) ++i;
    const ChartPoint& a = chart.band[i - 1];
    const ChartPoint& b = chart.band[i];
    const double y = a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x);
    CHECK(y * 10 == Approx(expected_max_severity(
                               redness, std::chrono::seconds(static_cast<long>(hours * 3600))))
                        .margin(1e-6));
  }
  REQUIRE(chart.ratings.size() == 3);
  CHECK(chart.ratings.front().y == Approx(0.6));
  CHECK(chart.rating_values == std::vector<int>{6, 5, 4});
}

TEST_CASE("a year of ratings makes a chart of bounded size", "[chart]") {
  // Regression (issue #6): the band was sampled every 2 h, 4,380 points for a year, which
  // overflowed ImGui's 16-bit vertex indices on the Progress screen.
  const Plan plan = test::make_plan("UTC", "2027-06-10T12:00");
  const SymptomDef& redness = *plan.protocol.find_symptom(SymptomId("redness"));
  const SymptomChart chart =
      symptom_chart(redness, daily(plan, "redness", 365), plan.details.treated_at);
  CHECK(chart.ratings.size() == 365);
  CHECK(chart.band.size() <= redness.course.size() + 2);
  CHECK(chart.day_ticks.size() <= 14);
  CHECK(chart.day_ticks.front().second == 0);
}

}  // namespace
}  // namespace aftercare
