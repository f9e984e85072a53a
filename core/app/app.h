#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/services.h"
#include "base/clock.h"
#include "base/result.h"
#include "domain/plan.h"
#include "domain/protocol_loader.h"
#include "domain/step_log.h"
#include "domain/symptom_log.h"
#include "domain/verdict.h"
#include "exchange/chart.h"
#include "exchange/manifest.h"
#include "exchange/sealed_export.h"
#include "schedule/reminders.h"
#include "schedule/timeline.h"
#include "storage/backups.h"
#include "storage/patient_store.h"

namespace aftercare {

/// The timeline at one moment, with the plan it points into (kept alive by the snapshot).
struct TodaySnapshot {
  std::shared_ptr<const Plan> plan;
  Timeline timeline;
};

/// Which occurrence of a step an action is for; neither set: the one due now.
struct OccurrenceHint {
  std::optional<std::string> id;  ///< "cleanse_pm@2027-03-14T20:00", or a once step's own id.
  std::optional<Instant> at;      ///< Any instant in its window (its scheduled time, say).
  static OccurrenceHint of_id(std::string id) { return {std::move(id), std::nullopt}; }
  static OccurrenceHint of_time(Instant at) { return {std::nullopt, at}; }
};

/// The result of a check-off, skip or undo.
struct StepChange {
  StepEvent event;  ///< What was stored.
  std::shared_ptr<const Plan> plan;
  const StepDef* step = nullptr;                 ///< Points into `plan`.
  StepAction undone_action = StepAction::kDone;  ///< For an undo: what it reverted.
};

/// Reminders with their state at one moment.
struct ReminderSnapshot {
  std::shared_ptr<const Plan> plan;
  std::vector<ReminderItem> items;
  ReminderSettings settings;
};

/// What fired at one moment, and the missed ones collapsed into one summary.
struct DueSnapshot {
  std::shared_ptr<const Plan> plan;
  DueReminders due;
  /// The one notification that stands for every reminder in `due.missed`; absent when none.
  std::optional<Notification> missed_summary;
};

/// A symptom entry as stored, judged as of when it was felt, and the patient's state now.
struct EntryResult {
  std::shared_ptr<const Plan> plan;
  std::vector<SymptomVersion> stored;  ///< The versions just stored (several for a check-in).
  std::vector<Assessment> entry_assessments;  ///< One per stored version, as of when felt.
  Assessment now;
  /// A check-in checks off the check-in step open now: what it stored, or nothing when none was
  /// open (or the plan has no such step).
  std::optional<StepEvent> checked_off;
  /// The ratings are stored, but the open check-in step could not be checked off (the database
  /// failed): the front end says so; the step can be checked off by hand.
  std::optional<Error> check_off_failed;
};

/// Changes to an entry; absent fields keep their value.
struct EntryEdit {
  std::optional<SymptomId> symptom;
  std::optional<int> severity;
  std::optional<std::string> area;
  std::optional<std::string> note;
  std::optional<Instant> felt_at;
  std::optional<bool> relieved;
};

/// The whole log: every version of every entry, and the current entries.
struct LogSnapshot {
  std::shared_ptr<const Plan> plan;
  std::vector<SymptomVersion> versions;  ///< In the order stored.
  std::vector<SymptomEntry> entries;     ///< Current (deleted ones left out), by felt time.
  Assessment now;
  std::vector<SymptomChart> charts;  ///< One per symptom with ratings, in protocol order.
};

/// The export formats available so far.
enum class ExportFormat { kCsv, kJson, kFhir, kIcs, kPdf };

/// An export written to disk, with its manifest beside it.
struct ExportResult {
  std::filesystem::path file;
  std::filesystem::path manifest_file;  ///< Empty for a sealed export (the manifest is inside).
  ExportManifest manifest;
  std::string device;  ///< A sealed export's signing device key (hex).
};

/// A correction of the current plan: what is given replaces what the plan says.
struct PlanEdit {
  /// The plan the person was looking at: kConflict when another is current by now (a session
  /// started or a plan cancelled elsewhere). nullopt: whichever is current.
  std::optional<PlanId> plan;
  std::optional<std::string> clinic_name;
  std::optional<std::string> clinic_phone;
  std::optional<std::vector<std::string>> areas;
  std::optional<std::string> device;
  std::optional<std::string> products;
  std::optional<Instant> treated_at;
};

/// How the patient likes the apps to read: stored with the data, so every front end on the
/// device shows the same.
struct DisplayPreferences {
  std::string language = "en";  ///< "en" or "fr".
  bool clock_24h = true;
  bool large_text = false;
  bool include_name = false;  ///< The apps' exports carry the patient's name (their choice).
};

/// The facade the front ends use: every use case of the patient app, over one database.
/// Not thread-safe; a front end keeps one per data directory.
class App {
 public:
  /// The database file inside a data directory.
  static constexpr const char* kDatabaseFile = "aftercare.db";
  /// The device's signing key for sealed exports, owner-only, in the data directory.
  static constexpr const char* kDeviceKeyFile = "device.key";

  /// Opens the patient database in `data_dir`, creating the directory (owner-only, 0700) and the
  /// database on first run. Reads the device zone; every use case below first re-reads it and
  /// records a change (at clock.now()), so a trip moves the wall-clock routines from then on.
  static Result<std::unique_ptr<App>> open(const std::filesystem::path& data_dir,
                                           const Clock& clock, const DeviceZone& device_zone);
  /// The same over a given store (an in-memory one in tests).
  static Result<std::unique_ptr<App>> open(std::unique_ptr<PatientStore> store, const Clock& clock,
                                           const DeviceZone& device_zone);

  /// Makes a backup now (PatientBackups: the newest few kept); its path.
  Result<std::filesystem::path> back_up();

  /// The device's zone for this moment.
  const date::time_zone* zone() const { return zone_; }
  Instant now() const { return clock_.now(); }
  /// Parses a moment as the CLI's --at does: ISO 8601 with an offset, or local in zone().
  Result<Instant> parse_time(std::string_view text) const;
  /// ISO 8601 with the offset of zone() at that instant.
  std::string format_time(Instant instant) const;

  /// Starts a plan (the next session of the series) with the default protocol, or the one in
  /// `protocol_file` (complete, or an override with "extends"). Validates everything before
  /// storing anything. `details.zone` empty means the device zone.
  Result<std::shared_ptr<const Plan>> start_plan(
      PlanDetails details, const std::optional<std::filesystem::path>& protocol_file = {});

  /// Corrects the current plan: each field given that differs becomes a PlanChange (history,
  /// in the chain and every export). The treatment time moves at most kMaxTreatmentCorrection
  /// from the one first entered and stays after the session before. kInvalidInput (with a
  /// notice) for nothing to change or a time out of bounds; the plan as corrected.
  Result<std::shared_ptr<const Plan>> edit_plan(const PlanEdit& edit);
  /// Cancels the current plan, started by mistake: it stays in the history and exports, marked
  /// cancelled, and is no longer followed or judged; the session before becomes current again.
  /// Returns the cancelled plan.
  Result<std::shared_ptr<const Plan>> cancel_plan(std::optional<PlanId> expected = {});

  /// The current plan (the latest session not cancelled), or nullptr before the first.
  Result<std::shared_ptr<const Plan>> current_plan();
  /// Every plan of the series, oldest first, cancelled ones too.
  Result<std::vector<std::shared_ptr<const Plan>>> plans();

  /// The timeline now. kNotFound before a plan is started.
  Result<TodaySnapshot> today();

  /// Marks an occurrence of `step` done or skipped, at now(): the one `which` names, else the
  /// one due now.
  Result<StepChange> check_off(const StepId& step, StepAction action,
                               const OccurrenceHint& which = {});
  /// Reverts the latest check-off or skip still in effect, by appending an undo event.
  Result<StepChange> undo();

  /// Reminders planned in [from, to), with their state now.
  Result<ReminderSnapshot> reminders(Instant from, Instant to);
  /// Fires what is due now (each occurrence once; again only after a snooze) and reports the
  /// reminders missed since last time, once each. Stores both before returning.
  Result<DueSnapshot> fire_due_reminders();
  /// The next `limit` reminders (default: the settings' window) for the OS to show.
  Result<ReminderSnapshot> reminder_window(std::optional<int> limit);
  /// Snoozes a reminder for `minutes` (default: the settings' snooze) from now.
  Result<ReminderItem> snooze_reminder(const std::string& id,
                                       std::optional<std::chrono::minutes> minutes);
  Result<ReminderItem> dismiss_reminder(const std::string& id);
  /// Completes a reminder: for a step, checks the step off (so `undo` takes both back).
  Result<ReminderItem> complete_reminder(const std::string& id);
  /// Re-plans the OS notifications: hands `center` the current window. Call on launch, after
  /// every action, and on a time or zone change.
  Status replan(NotificationCenter& center);

  /// Switches a mode ("outdoors") on or off from now.
  Status set_mode(const std::string& mode, bool on);
  Result<bool> mode_on(const std::string& mode);
  Result<ReminderSettings> reminder_settings();
  Status set_reminder_settings(const ReminderSettings& settings);

  Result<DisplayPreferences> display_preferences();
  /// kInvalidInput for a language other than "en" or "fr".
  Status set_display_preferences(const DisplayPreferences& preferences);
  /// The plan's reminders as an RFC 5545 calendar in the device's current zone.
  Result<std::string> export_ics();
  /// Writes an export of every session's events to `out` (owner-only, atomically) and its
  /// manifest to `<out>.manifest.json`. Refuses when the log does not verify.
  /// With `include_name`, the patient's name (patient_name()) goes into this export (JSON
  /// settings, the FHIR Patient, the PDF's header); otherwise no export holds it.
  Result<ExportResult> export_to(ExportFormat format, const std::filesystem::path& out,
                                 bool include_name = false);
  /// The same, as `aftercare.<csv|json|fhir.json|ics|pdf>` in `folder` (created owner-only,
  /// 0700, when missing): how the apps export, with no file name to type.
  Result<ExportResult> export_into(ExportFormat format, const std::filesystem::path& folder,
                                   bool include_name = false);
  /// The JSON export and its manifest sealed for one clinic (its public key, hex, from
  /// `aftercare clinic keys`) and signed with this device's key (created owner-only in the data
  /// folder on first use): only that clinic can read it, and it can tell the sender and that
  /// nothing changed. One file, written owner-only.
  Result<ExportResult> export_sealed(const std::filesystem::path& out,
                                     const std::string& clinic_public_key_hex,
                                     bool include_name = false);
  /// The patient's name as entered (onboarding, Settings, `aftercare name`); empty when none.
  Result<std::string> patient_name();
  /// Keeps the name on this device (empty: forget it). kInvalidInput for a name that is not
  /// plain text of at most 200 bytes.
  Status set_patient_name(const std::string& name);
  /// This device's signing key (hex, created on first use) and the patient's pseudonym (empty
  /// before the first export or import: it is not made here).
  struct DeviceInfo {
    std::string key;
    std::string patient;
    std::vector<HandOver> hand_overs;  ///< Accepted on this device (and restored with the record).
  };
  Result<DeviceInfo> device();
  /// This device's public key alone (hex), created on first use; stores nothing in the database.
  Result<std::string> device_key();
  /// Signs a hand-over of this patient's record to another device (its key from `aftercare
  /// device show` there), for a clinic that pinned this one.
  Result<HandOver> hand_over_to(const std::string& new_device_key_hex);
  /// Keeps a hand-over made by the old device for this one: its exports carry it from now on.
  /// kInvalidInput, storing nothing, for one whose signature does not hold, made for another
  /// device, or for another patient.
  Result<HandOver> accept_hand_over(const std::filesystem::path& file);

  /// What checking an export file found (verify_export).
  struct ExportCheck {
    std::string format;
    std::string patient;
    std::string device;  ///< The signing device (hex); empty when not signed.
    bool this_device = false;
    std::int64_t events = 0;  ///< A JSON export's chain events, verified.
  };
  /// Checks an export and its manifest as a clinic would: the digest, the device's signature
  /// over the manifest, and (JSON) its hash chain against the manifest's head. kInvalidInput
  /// naming what fails.
  Result<ExportCheck> verify_export(const std::filesystem::path& file);

  /// Restores a JSON export into this (empty) database: every plan, event, hash and setting.
  /// Refuses, changing nothing, a file whose manifest digest or hash chain does not hold, or a
  /// database that already has a plan. Returns what was imported.
  Result<PatientArchive> import_archive(const std::filesystem::path& file);

  /// Logs one symptom. `report.felt_at` unset (epoch) means now; `report.zone` is filled in.
  /// With `photo`, the file is copied into the data directory under its SHA-256 (owner-only)
  /// and the entry stores the digest. Nothing is stored when anything is invalid.
  Result<EntryResult> log_symptom(SymptomReport report,
                                  const std::optional<std::filesystem::path>& photo = {});
  /// A daily check-in: several ratings at once (zeros included), stored together, and the
  /// check-in step of today marked done when one is open.
  Result<EntryResult> check_in(const std::vector<std::pair<SymptomId, int>>& ratings,
                               const std::string& note);
  /// A new version of an entry; the earlier ones stay in the history.
  Result<EntryResult> edit_entry(EntryId entry, const EntryEdit& edit);
  /// Marks an entry deleted; every version stays in the history.
  Result<EntryResult> delete_entry(EntryId entry);
  /// The verdict now with its reasons, and the log.
  Result<LogSnapshot> symptom_log();
  /// Checks the tamper-evident chain over every stored event.
  Result<ChainCheck> verify_log();

  /// Loads and validates a protocol file without storing anything.
  static Result<LoadedProtocol> check_protocol_file(const std::filesystem::path& path);

  /// What the opening found, for the front end to tell: a database others could read, now
  /// owner-only (kFileMadeOwnerOnly); a daily backup that could not be made (kDailyBackupFailed).
  const std::vector<Notice>& opening_notices() const { return opening_notices_; }

 private:
  App(std::unique_ptr<PatientStore> store, const Clock& clock, const DeviceZone& device_zone)
      : store_(std::move(store)), clock_(clock), device_zone_(device_zone) {}

  /// The current plan's symptom versions and entries, loaded once and kept up to date.
  struct LogCache {
    PlanId plan;
    std::vector<SymptomVersion> versions;
    EntryMap entries;
    std::optional<SymptomSeries> series;  // over `entries`: rebuilt when one changes or goes
  };
  Result<LogCache*> log_cache(const Plan& plan);
  /// kInvalidInput when a symptom is said to be felt in the future or before the treatment.
  Status check_felt(const Plan& plan, Instant felt_at) const;
  Result<SymptomVersion> latest_version(const Plan& plan, EntryId entry);
  Result<EntryResult> store_versions(const std::shared_ptr<const Plan>& plan,
                                     std::vector<SymptomVersion> versions, bool as_checkin);
  Result<std::string> import_photo(const std::filesystem::path& photo);
  /// Everything of an export but the writing: its text in `text`, its manifest in the result.
  Result<ExportResult> build_export(ExportFormat format, const std::filesystem::path& out,
                                    std::string& text, bool include_name);
  Result<DeviceKeys> device_keys();
  /// The patient's pseudonym, made once on first use.
  Result<std::string> pseudonym();
  Result<std::vector<HandOver>> stored_hand_overs();

  /// Resolves the device zone (or the last one seen, or UTC); with `record`, stores a change, at
  /// `at` (the moment of the action that records it) or now.
  Status sync_zone(bool record, std::optional<Instant> at = std::nullopt);
  Result<ZoneHistory> zone_history();
  /// "no plan yet: start one with ...", for every use case that needs a plan.
  static Error no_plan();

  /// What the step use cases (today, check-off) start from: the zone synced (and a change
  /// recorded with `record_zone`), the current plan (no_plan() without one), its zones, step
  /// records and modes.
  struct StepState {
    std::shared_ptr<const Plan> plan;
    ZoneHistory zones;
    std::map<std::string, StepRecord> records;
    Modes modes;
  };
  Result<StepState> load_step_state(bool record_zone);

  /// Everything reminder state depends on, loaded once per use case.
  struct PlanState {
    std::shared_ptr<const Plan> plan;
    ZoneHistory zones;
    Modes modes;
    std::map<std::string, StepRecord> step_records;
    std::vector<ReminderEvent> events;
    ReminderSettings settings;
    ReminderState view() const {
      return ReminderState{*plan, zones, modes, step_records, events, settings};
    }
  };
  Result<PlanState> load_state();
  Result<ReminderItem> find_reminder(const PlanState& state, const std::string& id);
  Result<ReminderItem> append_reminder_action(const std::string& id, ReminderAction action,
                                              std::optional<Instant> until);
  Result<std::vector<StepEvent>> events_of_current_plan(const Plan& plan);

  std::unique_ptr<PatientStore> store_;
  const Clock& clock_;
  const DeviceZone& device_zone_;
  const date::time_zone* zone_ = nullptr;
  std::shared_ptr<const Plan> plan_;                     // cached current plan
  std::pair<std::int64_t, std::int64_t> plan_revision_;  // of plan_ (plan_revision())
  std::filesystem::path data_dir_;                       // empty for an in-memory store
  std::optional<LogCache> log_cache_;
  std::optional<std::vector<ZoneChange>> zone_changes_;  // as stored; reloaded after a write
  std::optional<DeviceKeys> device_keys_;                // read or made once (device_keys)
  std::vector<Notice> opening_notices_;
};

}  // namespace aftercare
