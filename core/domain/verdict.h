#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "domain/plan.h"
#include "domain/symptom_log.h"

namespace aftercare {

/// Why a verdict is what it is: one red-flag rule that held, for one symptom.
struct VerdictReason {
  std::string rule;  ///< The protocol's rule id ("severe", "came_back").
  Verdict verdict = Verdict::kContactClinic;
  SymptomId symptom;
  std::optional<EntryId> entry;  ///< The entry that made it hold.
  std::string message;           ///< What was seen, in plain words; never a diagnosis.
};

/// A verdict with its reasons, most serious first.
struct Assessment {
  Verdict verdict = Verdict::kExpected;
  std::vector<VerdictReason> reasons;
  /// What the patient should do, in plain words, with the clinic's phone when the plan has one.
  std::string advice;
};

/// The expected upper bound of `symptom`'s severity `since` the treatment (linear between the
/// course points; 0 past the last one, and for signs with no course).
double expected_max_severity(const SymptomDef& symptom, std::chrono::seconds since);

/// The patient's state at `now`: each symptom's latest entry felt at or before `now`, judged
/// with the entries before it (for trends) against every rule of the protocol.
Assessment assess(const Plan& plan, const std::vector<SymptomEntry>& entries, Instant now);

/// The same over the current entries by id (no copies; what the app keeps up to date).
Assessment assess(const Plan& plan, const EntryMap& entries, Instant now);

/// One entry judged as of when it was felt, with the entries before it.
Assessment assess_entry(const Plan& plan, const std::vector<SymptomEntry>& entries,
                        const SymptomEntry& entry);
Assessment assess_entry(const Plan& plan, const EntryMap& entries, const SymptomEntry& entry);

}  // namespace aftercare
