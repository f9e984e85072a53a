#pragma once

#include <string>
#include <vector>

#include "domain/protocol.h"
#include "domain/symptom_log.h"

namespace aftercare {

/// A point of a chart in its own unit box: x and y from 0 to 1, y up.
struct ChartPoint {
  double x = 0;
  double y = 0;
};

/// The geometry of one symptom's chart, independent of how it is drawn (PDF, ImGui): the
/// expected course as an upper band, the patient's ratings, and the axis ticks.
struct SymptomChart {
  std::string title;
  double hours = 0;                 ///< The x axis spans 0 .. hours after the treatment.
  std::vector<ChartPoint> band;     ///< The expected maximum, left to right.
  std::vector<ChartPoint> ratings;  ///< The patient's ratings, in time order.
  std::vector<int> rating_values;   ///< Severity of each rating, 0 to 10.
  std::vector<std::pair<double, int>> day_ticks;  ///< x of each day mark, and its day number.
};

/// The chart of one symptom: the x axis covers the ratings and the usual course (at least four
/// days); y is severity 0 (bottom) to 10 (top).
SymptomChart symptom_chart(const SymptomDef& symptom, const std::vector<SymptomEntry>& entries,
                           Instant treated_at);

/// One chart per symptom of `protocol` that has entries, in the protocol's order.
std::vector<SymptomChart> symptom_charts(const Protocol& protocol,
                                         const std::vector<SymptomEntry>& entries,
                                         Instant treated_at);

}  // namespace aftercare
