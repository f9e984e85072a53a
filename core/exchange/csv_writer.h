#pragma once

#include <string>
#include <vector>

#include "domain/plan.h"
#include "domain/step_log.h"
#include "domain/symptom_log.h"
#include "schedule/timeline.h"

namespace aftercare {

/// An occurrence whose window closed unanswered, with the session it belongs to.
struct MissedStep {
  const Plan* plan = nullptr;
  StepItem item;
};

/// Everything a patient export holds, taken from one snapshot of the database.
struct ExportSnapshot {
  std::vector<const Plan*> plans;      ///< Every session of the series, oldest first.
  std::vector<StepEvent> step_events;  ///< Every plan's, by seq.
  std::vector<MissedStep> missed;
  std::vector<SymptomVersion> symptom_versions;  ///< Every version, by row.
  Instant taken_at;
  /// Where the patient was: each time is written with the offset of the zone at that instant.
  ZoneHistory zones;
};

/// The column names of the CSV export, in their stable order.
const std::vector<std::string>& csv_columns();

/// RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, a header row, one row per event:
/// each check-off, skip, undo and missed step, and each logged, edited and deleted symptom
/// version, in time order. Times are ISO 8601 with the UTC offset of the zone the patient was in
/// at that instant (a symptom's: the zone it was logged in); each row gives the local date and
/// the zone name of its event_time.
std::string write_csv(const ExportSnapshot& snapshot);

/// One CSV field, quoted when it holds a comma, a quote, CR or LF (quotes doubled). A value a
/// spreadsheet would run as a formula (beginning with =, +, -, @, tab or CR) is neutralised as
/// OWASP's CSV injection guidance says: an apostrophe before it, and the field quoted.
std::string csv_field(const std::string& value);

}  // namespace aftercare
