#include "exchange/chart.h"

#include <algorithm>
#include <cmath>

#include "domain/verdict.h"

namespace aftercare {

SymptomChart symptom_chart(const SymptomDef& symptom, const std::vector<SymptomEntry>& entries,
                           Instant treated_at) {
  SymptomChart chart;
  chart.title = symptom.title;
  double hours = 96;
  for (const auto& point : symptom.course) {
    hours = std::max(hours, std::chrono::duration<double, std::ratio<3600>>(point.at).count());
  }
  std::vector<const SymptomEntry*> mine;
  for (const auto& entry : entries) {
    if (entry.report.symptom != symptom.id) continue;
    mine.push_back(&entry);
    const double at =
        std::chrono::duration<double, std::ratio<3600>>(entry.report.felt_at - treated_at).count();
    hours = std::max(hours, at);
  }
  // Whole days, plus room so the last rating is not on the edge.
  chart.hours = std::ceil((hours + 12) / 24) * 24;
  const auto x_of = [&](double h) { return std::clamp(h / chart.hours, 0.0, 1.0); };
  // The band: the course is linear between its points, so its points (and the two ends) draw
  // it exactly, with a handful of vertices however long the chart.
  const auto band_at = [&](double h) {
    const auto since = std::chrono::seconds(static_cast<std::int64_t>(h * 3600));
    chart.band.push_back({x_of(h), expected_max_severity(symptom, since) / kMaxSeverity});
  };
  band_at(0);
  for (const CoursePoint& point : symptom.course) {
    const double h = std::chrono::duration<double, std::ratio<3600>>(point.at).count();
    if (h > 0 && h < chart.hours) band_at(h);
  }
  band_at(chart.hours);
  std::stable_sort(mine.begin(), mine.end(), [](const SymptomEntry* a, const SymptomEntry* b) {
    return a->report.felt_at < b->report.felt_at;
  });
  for (const auto* entry : mine) {
    const double at =
        std::chrono::duration<double, std::ratio<3600>>(entry->report.felt_at - treated_at).count();
    chart.ratings.push_back({x_of(at), static_cast<double>(entry->report.severity) / kMaxSeverity});
    chart.rating_values.push_back(entry->report.severity);
  }
  const int days = static_cast<int>(chart.hours / 24);
  // At most about a dozen day marks, however long the log.
  const int step = days <= 10 ? 1 : days <= 30 ? 7 : days <= 120 ? 14 : 30;
  for (int day = 0; day <= days; day += step) chart.day_ticks.push_back({x_of(day * 24.0), day});
  return chart;
}

std::vector<SymptomChart> symptom_charts(const Protocol& protocol,
                                         const std::vector<SymptomEntry>& entries,
                                         Instant treated_at) {
  std::vector<SymptomChart> charts;
  for (const SymptomDef& symptom : protocol.symptoms) {
    std::vector<SymptomEntry> own;
    for (const SymptomEntry& entry : entries) {
      if (entry.report.symptom == symptom.id) own.push_back(entry);
    }
    if (!own.empty()) charts.push_back(symptom_chart(symptom, own, treated_at));
  }
  return charts;
}

}  // namespace aftercare
