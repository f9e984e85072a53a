#pragma once

#include <chrono>
#include <cstdint>
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

/// What a correction of a started plan changes (`plan edit`, `plan cancel`).
enum class PlanField {
  kClinicName,
  kClinicPhone,
  kAreas,
  kDevice,
  kProducts,
  kTreatedAt,
  kStatus,  ///< "active" or "cancelled": a plan started by mistake.
};

const char* plan_field_name(PlanField field);
std::optional<PlanField> plan_field_named(std::string_view name);

/// One correction of a plan, appended and never changed: the plan's row keeps what was first
/// entered, and the plan as it is now is that row with every change applied in order. Values are
/// text: areas comma-joined, a treatment time as UTC ISO 8601 ("2027-06-01T16:00:00Z"), a
/// status "active" or "cancelled".
struct PlanChange {
  std::int64_t id = 0;  ///< Storage order, 1, 2, 3, ... over every plan.
  PlanId plan;
  PlanField field = PlanField::kClinicName;
  std::string before;
  std::string after;
  Instant at;  ///< When it was made.
};

/// The text a change holds for a treatment time, and back (nullopt when not one).
std::string plan_time_text(Instant at);
std::optional<Instant> plan_time_from(std::string_view text);

/// How far a treatment time may be corrected, either way, from the one first entered: a typo
/// of the hour or the day, not a different treatment (that is `plan cancel` and `plan start`).
inline constexpr std::chrono::hours kMaxTreatmentCorrection{24};

/// How far from now a new plan's treatment may be: a planned one ahead, or one entered late.
inline constexpr std::chrono::days kMaxTreatmentDistance{366};

/// `details` with every change of `changes` applied in order; `cancelled` says whether the last
/// status change cancelled the plan. kInvalidInput naming the change that does not apply (an
/// unreadable time).
Result<PlanDetails> apply_plan_changes(PlanDetails details, const std::vector<PlanChange>& changes,
                                       bool& cancelled);

/// Checks corrections as the app makes them, for a plan's changes read from a file: ids rising,
/// each field's value valid (validate_plan_details on the result), a treatment time within
/// kMaxTreatmentCorrection of the one first entered, at most one status change, active to
/// cancelled. kInvalidInput naming the change otherwise.
Status validate_plan_changes(const PlanDetails& entered, const std::vector<PlanChange>& changes);

/// A started plan: one treatment of a series and the protocol it follows.
struct Plan {
  PlanId id;
  int session_number = 1;           ///< 1 for the first treatment of the series.
  PlanDetails details;              ///< As corrected: the first entry with every change applied.
  PlanDetails entered;              ///< As first entered.
  std::vector<PlanChange> changes;  ///< Its corrections, oldest first.
  bool cancelled = false;           ///< Started by mistake: kept in the history, not followed.
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

/// The setting the patient's name is kept under (optional, on this device): it leaves the device
/// only in an export the patient chose to name (`--include-name`, the Settings switch).
inline constexpr const char* kPatientNameSetting = "patient_name";

/// Checks a patient's name: UTF-8 text of at most 200 bytes without control characters
/// (empty: no name). kInvalidInput naming `field` otherwise.
Status validate_patient_name(const std::string& name, const std::string& field = "name");

/// "Day N after treatment" (CLI.md): the N-th 24-hour period after the treatment instant, so day
/// 0 is its first 24 hours whatever the zone or a DST change; negative before the treatment.
/// Every front end, export and rule counts days with this one function.
int day_after_treatment(const Plan& plan, Instant at);

}  // namespace aftercare
