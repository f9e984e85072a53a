#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

/// Every symptom's entries in time order (stable in entry id order): what judging reads, kept so
/// that judging a new entry does not walk the whole log again. It points into the entries it was
/// built from: rebuild it when one of them changes or goes; `append` a newly added one.
class SymptomSeries {
 public:
  explicit SymptomSeries(const EntryMap& entries);
  explicit SymptomSeries(const std::vector<SymptomEntry>& entries);

  /// Adds an entry felt no earlier than its symptom's latest; false, adding nothing, when it was
  /// felt earlier (a back-dated entry: rebuild instead).
  [[nodiscard]] bool append(const SymptomEntry& entry);

 private:
  friend Assessment assess(const Plan& plan, const SymptomSeries& series, Instant now);
  friend Assessment assess_entry(const Plan& plan, const SymptomSeries& series,
                                 const SymptomEntry& entry);

  std::vector<const SymptomEntry*>& series_of(std::string_view symptom);
  const std::vector<const SymptomEntry*>* find(std::string_view symptom) const;
  void add(const SymptomEntry& entry);
  void finish();

  /// By symptom id, in id order (a handful of symptoms: a vector beats a map).
  std::vector<std::pair<std::string, std::vector<const SymptomEntry*>>> by_symptom_;
};

/// The patient's state at `now`: each symptom's latest entry felt at or before `now`, judged
/// with the entries before it (for trends) against every rule of the protocol.
Assessment assess(const Plan& plan, const std::vector<SymptomEntry>& entries, Instant now);

/// The same over the current entries by id (no copies; what the app keeps up to date).
Assessment assess(const Plan& plan, const EntryMap& entries, Instant now);

/// The same over a kept series: no walk over the whole log.
Assessment assess(const Plan& plan, const SymptomSeries& series, Instant now);

/// One entry judged as of when it was felt, with the entries before it.
Assessment assess_entry(const Plan& plan, const std::vector<SymptomEntry>& entries,
                        const SymptomEntry& entry);
Assessment assess_entry(const Plan& plan, const EntryMap& entries, const SymptomEntry& entry);
Assessment assess_entry(const Plan& plan, const SymptomSeries& series, const SymptomEntry& entry);

}  // namespace aftercare
