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
  /// Its corrections, oldest first (PlanChange): `details` stays as first entered.
  std::vector<PlanChange> changes;
};

/// The plan a record describes, as corrected (its changes applied), its protocol parsed and
/// validated. kInvalidInput naming `source` when the stored protocol does not load.
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
  /// The record's states in the chain (RecordState), in storage order.
  std::vector<RecordState> record_states;
  /// False for an export written before plans, zones, modes and settings were chained
  /// (aftercare-export version 1): only its events are checked.
  bool record_chained = true;
};

/// Whether a setting changes verdicts or reminders (quiet hours, snooze, the notification
/// window) or who the record is (the pseudonym): such settings are under the chain.
bool is_chained_setting(const std::string& key);

/// Whether the archive holds anything a RecordState covers (a plan, a zone change, a mode change,
/// a chained setting): a record without any has no state to record.
bool has_chained_parts(const PatientArchive& archive);

/// The SHA-256 of each part of the record outside the event logs, one "NAME=SHA256" line each:
/// "plan 1", "plan 2", ... (every field as first entered, and the protocol), "plan 1 changes"
/// for a plan with corrections, "zone changes", "mode changes",
/// "setting KEY" for each chained setting. What a RecordState holds.
std::string record_sections(const PatientArchive& archive);

/// How the sections `current` differ from `recorded` (those of the state numbered `seq`), in
/// words naming the first part changed, removed or inserted; empty when they are the same.
std::string record_difference(const std::string& recorded, std::int64_t seq,
                              const std::string& current);

/// Checks the hash chain of every event the archive holds (verify_chain), then that its plans,
/// zone changes, modes and chained settings are the ones its latest RecordState recorded;
/// names the first part altered, removed or inserted.
ChainCheck verify_archive(const PatientArchive& archive);

}  // namespace aftercare
