#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "domain/protocol.h"

namespace aftercare {

/// What the clinic's table shows for one patient, as of the patient's latest export.
struct PatientSummary {
  Verdict verdict = Verdict::kExpected;
  std::vector<std::string> reasons;  ///< Plain words, most serious first.
  std::optional<Instant> last_checkin;
  std::optional<double> adherence;  ///< Share of settled steps done, 0 to 1.
  std::string worst_symptom;        ///< Empty when nothing was rated above 0.
  int worst_severity = 0;
  std::optional<Instant> worst_at;
  int session = 1;
  Instant treated_at;
  Instant exported_at;
};

/// One patient in the clinic's store: the latest export received, and its summary.
struct ClinicPatient {
  std::string pseudonym;
  std::string archive_json;  ///< The latest export, as received (empty in listings).
  std::string chain_head;
  std::int64_t chain_events = 0;
  /// Counts the writes of this record (1 when first stored): what an import compares with
  /// before it writes over it.
  std::int64_t revision = 0;
  Instant first_imported;
  Instant last_imported;
  PatientSummary summary;
};

/// Sort orders of the clinic's patient table.
enum class ClinicSort { kStatus, kPatient, kLastCheckin, kAdherence, kWorst };

/// What happened to one file of a clinic import.
enum class ImportOutcome {
  kImported,   ///< A patient new to the clinic.
  kExtended,   ///< A newer export of a known patient: its chain continues the stored one.
  kUnchanged,  ///< Already imported (the same file, or the same chain head): nothing changed.
  kOlder,      ///< An older export of a known patient: nothing changed.
  kRejected,   ///< Not merged: see the reason.
};

const char* import_outcome_name(ImportOutcome outcome);
/// The outcome `import_outcome_name` calls `name`; nullopt for any other text.
std::optional<ImportOutcome> import_outcome_named(const std::string& name);

struct ImportRecord {
  std::string file;
  std::string sha256;  ///< Of the file's bytes.
  std::string pseudonym;
  ImportOutcome outcome = ImportOutcome::kRejected;
  std::string reason;
  Instant imported_at;
};

}  // namespace aftercare
