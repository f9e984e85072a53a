#include "domain/clinic.h"

namespace aftercare {

const char* import_outcome_name(ImportOutcome outcome) {
  switch (outcome) {
    case ImportOutcome::kImported:
      return "imported";
    case ImportOutcome::kExtended:
      return "extended";
    case ImportOutcome::kUnchanged:
      return "unchanged";
    case ImportOutcome::kOlder:
      return "older";
    case ImportOutcome::kRejected:
      return "rejected";
  }
  return "rejected";
}

std::optional<ImportOutcome> import_outcome_named(const std::string& name) {
  for (auto outcome :
       {ImportOutcome::kImported, ImportOutcome::kExtended, ImportOutcome::kUnchanged,
        ImportOutcome::kOlder, ImportOutcome::kRejected}) {
    if (name == import_outcome_name(outcome)) return outcome;
  }
  return std::nullopt;
}

}  // namespace aftercare
