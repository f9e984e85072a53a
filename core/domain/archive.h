#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "domain/journal.h"
#include "domain/modes.h"
#include "domain/plan.h"
#include "domain/reminder.h"
#include "domain/step_log.h"
#include "domain/symptom_log.h"
#include "domain/zone_change.h"

namespace aftercare {

/// A plan as stored: its details and the resolved protocol document, not yet parsed.
struct PlanRecord {
  PlanId id;
  int session_number = 1;
  PlanDetails details;
  std::string protocol_json;
  Instant created_at;
};

/// The plan a record describes, its protocol parsed and validated. kInvalidInput naming
/// `source` when the stored protocol does not load.
Result<std::shared_ptr<const Plan>> plan_from_record(const PlanRecord& record,
                                                     const std::string& source);

/// Everything a patient's database holds, as one value: what the JSON export writes, what an
/// import restores, what a clinic receives. Every list is in storage order.
struct PatientArchive {
  std::vector<PlanRecord> plans;
  std::vector<ZoneChange> zone_changes;
  std::vector<ModeChange> mode_changes;
  std::vector<StepEvent> step_events;
  std::vector<SymptomVersion> symptom_versions;
  std::vector<ReminderEvent> reminder_events;
  std::map<std::string, std::string> settings;
};

/// Checks the hash chain of every event the archive holds (verify_chain).
ChainCheck verify_archive(const PatientArchive& archive);

}  // namespace aftercare
