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

}  // namespace aftercare
