#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "domain/plan.h"
#include "domain/symptom_log.h"
#include "domain/verdict.h"
#include "schedule/timeline.h"

namespace aftercare {

/// What the clinician's report shows.
struct ReportInput {
  const Plan* plan = nullptr;  ///< The current session.
  std::string pseudonym;
  std::string patient_name;  ///< Only when the patient chose to name this report; may be empty.
  Instant generated_at;
  const date::time_zone* zone = nullptr;  ///< Times are shown in this zone.
  Assessment now;                         ///< The verdict at generated_at.
  std::vector<SymptomEntry> entries;      ///< The session's current entries.
  /// Index N: day N after treatment (the N-th 24 h), as in the header, the flags and the charts.
  std::vector<Adherence> adherence_by_day;
  Adherence overall;
};

/// A printable PDF (A4) a clinician reads in a minute: the plan, the current verdict and its
/// reasons, flags by day, adherence per day, and a chart of each logged symptom against its
/// expected course. Drawn with cairo and pango. kInternal if cairo fails; kNotFound in a build
/// without cairo (pdf_report_available()).
Result<std::string> write_pdf_report(const ReportInput& input);

/// False in a build without cairo and pango (the web app): no PDF report there.
bool pdf_report_available();

}  // namespace aftercare
