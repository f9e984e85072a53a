#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "domain/archive.h"
#include "domain/journal.h"
#include "domain/modes.h"
#include "domain/plan.h"
#include "domain/reminder.h"
#include "domain/step_log.h"
#include "domain/zone_change.h"

namespace aftercare {

/// The treatments of the patient's series. Plans are only added, never changed or removed: a
/// correction is a PlanChange appended beside the plan's row.
class PlanRepository {
 public:
  virtual ~PlanRepository() = default;
  /// Stores a new plan as the next session of the series and returns its id.
  virtual Result<PlanId> add_plan(const PlanDetails& details, const std::string& protocol_json,
                                  Instant created_at) = 0;
  /// The id of the most recent plan (cheap: for noticing a plan started by another process).
  virtual Result<std::optional<PlanId>> latest_plan_id() = 0;
  /// The most recent plan, or nullopt before the first one.
  virtual Result<std::optional<PlanRecord>> latest_plan() = 0;
  /// Every plan, oldest first, each with its changes.
  virtual Result<std::vector<PlanRecord>> plans() = 0;
  /// Appends corrections of plan `plan` (their ids are assigned), in one transaction with the
  /// record's new state in the chain. kStorage when the record was changed outside the app.
  virtual Status add_plan_changes(PlanId plan, const std::vector<PlanChange>& changes,
                                  Instant at) = 0;
  /// Changes whenever a plan is started or corrected, by this process or another (cheap).
  virtual Result<std::pair<std::int64_t, std::int64_t>> plan_revision() = 0;
};

/// The append-only log of check-offs, skips and undos.
class StepEventRepository {
 public:
  virtual ~StepEventRepository() = default;
  /// Appends an event, chained after the last stored event, durably (it survives a crash once
  /// this returns), and returns its seq.
  virtual Result<std::int64_t> append_step_event(const StepEvent& event) = 0;
  /// A plan's events, ascending seq.
  virtual Result<std::vector<StepEvent>> step_events(PlanId plan) = 0;
};

/// Where the device has been: the zone changes seen by the app.
class ZoneRepository {
 public:
  virtual ~ZoneRepository() = default;
  virtual Status record_zone(const ZoneChange& change) = 0;
  /// Every change, ascending time.
  virtual Result<std::vector<ZoneChange>> zone_history() = 0;
};

/// What happened to each reminder: fired, snoozed, dismissed, completed, reported missed.
class ReminderRepository {
 public:
  virtual ~ReminderRepository() = default;
  /// Appends durably and returns the seq.
  virtual Result<std::int64_t> append_reminder_event(const ReminderEvent& event) = 0;
  /// Appends several in one transaction: all or none.
  virtual Status append_reminder_events(const std::vector<ReminderEvent>& events) = 0;
  /// A plan's reminder events, ascending seq.
  virtual Result<std::vector<ReminderEvent>> reminder_events(PlanId plan) = 0;
};

/// Symptom entries, as append-only versions.
class SymptomRepository {
 public:
  virtual ~SymptomRepository() = default;
  /// Appends versions, chained, in one durable transaction: all or none. A version
  /// with entry id 0 starts a new entry (its id is assigned); another must be the entry's next
  /// version number (kConflict otherwise). With `as_checkin`, all share a new check-in id.
  /// Returns the versions as stored (rows, entry ids, check-in id filled in).
  virtual Result<std::vector<SymptomVersion>> append_symptom_versions(
      std::vector<SymptomVersion> versions, bool as_checkin) = 0;
  /// A plan's versions, in the order stored.
  virtual Result<std::vector<SymptomVersion>> symptom_versions(PlanId plan) = 0;
};

/// Every stored event, for checking the tamper-evident chain they carry.
class ChainRepository {
 public:
  virtual ~ChainRepository() = default;
  /// Every step event and every symptom version of every plan, by seq / row (one numbering).
  virtual Result<std::map<std::int64_t, StepEvent>> all_step_events() = 0;
  virtual Result<std::map<std::int64_t, SymptomVersion>> all_symptom_versions() = 0;
};

/// Modes switched on and off ("outdoors").
class ModeRepository {
 public:
  virtual ~ModeRepository() = default;
  virtual Status record_mode(const ModeChange& change) = 0;
  /// Every change, ascending time.
  virtual Result<std::vector<ModeChange>> mode_changes() = 0;
};

/// Preferences as text by key ("quiet_hours" = "22:00-07:00").
class SettingsRepository {
 public:
  virtual ~SettingsRepository() = default;
  virtual Result<std::optional<std::string>> setting(const std::string& key) = 0;
  virtual Status set_setting(const std::string& key, const std::string& value, Instant at) = 0;
  /// The setting's value; when it has none yet, `value` stored first. Of processes doing this at
  /// once, one stores its value and every one gets that value (a pseudonym made once).
  virtual Result<std::string> setting_once(const std::string& key, const std::string& value,
                                           Instant at) = 0;
  /// A consistent copy of the whole database at `file` (SQLite's online backup), owner-only,
  /// written beside and renamed into place so that a crash leaves no half backup.
  virtual Status backup_to(const std::filesystem::path& file) = 0;
  /// Several settings in one transaction: all of them or, on failure, none.
  virtual Status set_settings(const std::vector<std::pair<std::string, std::string>>& values,
                              Instant at) = 0;
};

/// The whole database as one value, and back: exports, backups and restores.
class ArchiveRepository {
 public:
  virtual ~ArchiveRepository() = default;
  /// Everything, read in one transaction (a consistent snapshot).
  virtual Result<PatientArchive> archive() = 0;
  /// Writes `archive` into an empty database in one transaction, keeping every id, number and
  /// hash. kConflict when the database already holds a plan.
  virtual Status restore(const PatientArchive& archive) = 0;
};

/// The patient's database: one connection serving every repository.
class PatientStore : public PlanRepository,
                     public StepEventRepository,
                     public ZoneRepository,
                     public ReminderRepository,
                     public SymptomRepository,
                     public ChainRepository,
                     public ArchiveRepository,
                     public ModeRepository,
                     public SettingsRepository {
 public:
  /// The schema version this program writes.
  static constexpr int kSchemaVersion = 5;
};

/// Opens (creating if needed) the SQLite database at `path`, migrating it to kSchemaVersion.
/// A new file is created owner-only (0600). Writes are durable (WAL, synchronous=FULL).
/// kStorage with the file name when the file is not a database or is newer than this program.
Result<std::unique_ptr<PatientStore>> open_patient_store(const std::filesystem::path& path);

/// A private in-memory database with the same schema and behaviour, for tests.
Result<std::unique_ptr<PatientStore>> open_memory_patient_store();

}  // namespace aftercare
