#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "domain/protocol.h"

namespace aftercare {

/// What the patient (or the clinic's plan file) says about one treatment.
struct PlanDetails {
  Instant treated_at;              ///< The treatment instant, UTC.
  std::string zone;                ///< The patient's IANA zone when the plan was made.
  std::vector<std::string> areas;  ///< Treated areas, from kTreatmentAreas.
  std::string clinic_name;         ///< May be empty.
  std::string clinic_phone;        ///< May be empty.
  std::string device;              ///< Pen or roller and needle depth, free text; may be empty.
  std::string products;            ///< Serums or PRP applied, free text; may be empty.
};

/// A started plan: one treatment of a series and the protocol it follows.
struct Plan {
  PlanId id;
  int session_number = 1;  ///< 1 for the first treatment of the series.
  PlanDetails details;
  Protocol protocol;
  std::string protocol_json;  ///< The resolved protocol document, as stored.
  Instant created_at;
};

/// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

/// The treatment areas the app knows, in display order.
const std::vector<std::string>& treatment_areas();

/// Checks the details of a new plan; kInvalidInput naming the field otherwise. The zone name is
/// checked by the schedule layer, which knows the time zone database.
Status validate_plan_details(const PlanDetails& details);

/// "Day N after treatment" (CLI.md): the N-th 24-hour period after the treatment instant, so day
/// 0 is its first 24 hours whatever the zone or a DST change; negative before the treatment.
/// Every front end, export and rule counts days with this one function.
int day_after_treatment(const Plan& plan, Instant at);

}  // namespace aftercare
