#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "app/fhir_push.h"
#include "app/private_file.h"
#include "base/clock.h"
#include "base/result.h"
#include "domain/archive.h"
#include "domain/clinic.h"
#include "domain/plan.h"
#include "domain/verdict.h"
#include "exchange/chart.h"
#include "exchange/sealed_export.h"
#include "exchange/signatures.h"
#include "schedule/timeline.h"
#include "storage/clinic_store.h"

namespace aftercare {

/// The outcome of one `clinic import`.
struct ClinicImportReport {
  std::vector<ImportRecord> files;  ///< One per file, in the order handled.
  std::size_t count(ImportOutcome outcome) const;
};

/// How much an import reads: each export at most `export_bytes` (a manifest at most
/// kMaxManifestBytes), and of the files checked at once at most `bytes_in_flight` together
/// (beyond it, one at a time), so that memory stays bounded whatever the files hold.
struct ImportLimits {
  std::uintmax_t export_bytes = kMaxExportBytes;
  std::uintmax_t bytes_in_flight = kMaxExportBytes;
};

/// One calendar day's entries that were outside the usual course when logged.
struct DayFlags {
  date::year_month_day day;  ///< The patient's local date, in the zone the entry was felt in.
  std::vector<VerdictReason> reasons;
};

/// One patient opened in full: the stored export, parsed, judged as of its export.
struct ClinicPatientView {
  ClinicPatient patient;
  PatientArchive archive;
  std::vector<std::shared_ptr<const Plan>> plans;  ///< Every session, oldest first.
  /// The session the patient follows (the latest not cancelled), one of `plans`: the one
  /// judged below.
  std::shared_ptr<const Plan> current;
  std::vector<SymptomEntry> entries;  ///< The latest session's current entries.
  Assessment assessment;
  Timeline timeline;                 ///< The latest session as of its export.
  std::vector<SymptomChart> charts;  ///< The latest session's, one per symptom rated.
  std::vector<DayFlags> flags;       ///< Oldest day first; days without a flag left out.
  /// Every edit and delete of the patient's entries, every session, oldest first, with the old
  /// and new values (notes are in `entries` and in these).
  std::vector<EntryRevision> revisions;
  /// Each entry's verdict as of when it was felt (the same order as `entries`).
  std::vector<Verdict> entry_verdicts;
  /// The clinic's own protocol the verdicts were computed with; nullopt: the patient's.
  std::optional<ClinicProtocol> judged_with;
  /// Where the latest session's protocol differs from the clinic's (protocol_differences).
  std::vector<std::string> protocol_differences;
};

/// What setting or clearing the clinic's protocol did.
struct ClinicProtocolChange {
  ClinicProtocol protocol;
  std::size_t judged = 0;      ///< Patients judged again with it.
  std::size_t differing = 0;   ///< Of those, whose protocol differs from it.
  std::size_t unreadable = 0;  ///< Stored records that no longer read, left as they were.
};

/// One patient's stored record as read for a FHIR push: copied out of the clinic database, so
/// that its Bundle can be built on another thread (fhir_delivery).
struct FhirRecord {
  std::string pseudonym;
  std::string archive_json;
  Instant exported_at;
};

/// The record as a FHIR transaction Bundle (see write_fhir_transaction). Pure.
Result<FhirDelivery> fhir_delivery(const FhirRecord& record);

/// Which device the clinic accepts a patient's new export from.
struct PinDecision {
  std::optional<DevicePin> added;  ///< A pin to store with the export (first use, hand-over).
  std::string refusal;             ///< Why the export is refused; empty when accepted.
};

/// The clinic's rule (pure): the first signed export of a patient pins its device (`known`: the
/// clinic holds exports of it from before pins were kept); later ones must be signed by the
/// pinned device, or by one the pinned device handed over to (`hand_overs`, from the export's
/// manifest, each checked), which becomes the pin.
PinDecision decide_pin(const std::vector<DevicePin>& pins, bool known, const std::string& patient,
                       const std::string& signer, const std::vector<HandOver>& hand_overs,
                       Instant now);

/// The clinic's side: exports of many patients in one database (clinic.db in a folder).
class ClinicApp {
 public:
  static constexpr const char* kDatabaseFile = "clinic.db";
  /// The clinic's secret and public key for sealed exports, owner-only, in the clinic folder.
  static constexpr const char* kKeyFile = "clinic.key";

  /// Opens the clinic: its folder `clinic_dir` (created owner-only; it holds the clinic's key) and
  /// its database: `database` when given (a `postgresql://` URI, shared by several desktops, or
  /// a SQLite file), else `clinic.db` in the folder.
  static Result<std::unique_ptr<ClinicApp>> open(const std::filesystem::path& clinic_dir,
                                                 const Clock& clock,
                                                 const std::string& database = {});

  /// Imports JSON exports: files, and folders (every *.json in them but manifests). Each file
  /// must match its manifest (SHA-256), parse, and carry an unbroken hash chain; a known
  /// patient's export must continue the chain already stored. A sealed export is opened with the
  /// clinic's key and its device signature checked first. Importing the same file twice
  /// changes nothing. `progress(done, total)` is called after each file.
  /// The clinic's public key for sealed exports (hex), created with its secret key on first
  /// use (owner-only `clinic.key` in the clinic folder). Patients seal exports for it.
  Result<std::string> public_key();

  /// In a folder, a link that leads out of it, and an entry named as an export that is not a
  /// regular file (a FIFO, a device), are reported rejected with the reason, never read.
  Result<ClinicImportReport> import(
      const std::vector<std::filesystem::path>& paths,
      const std::function<void(std::size_t, std::size_t)>& progress = {},
      const ImportLimits& limits = {});

  /// Makes `device_hex` (a device's public key, 64 hex digits) the device whose signature is
  /// accepted for the patient from now on: a new phone without a hand-over. Recorded with the
  /// earlier pins, and shown. kNotFound for an unknown pseudonym.
  Result<DevicePin> trust(const std::string& pseudonym, const std::string& device_hex);

  /// Sets the protocol the clinic issues, from `file` (a protocol document, or an override of the
  /// default one: see load_protocol): from now on the clinic's verdicts are computed with it
  /// (the steps and their adherence stay the patient's), and every stored patient is judged
  /// again. Kept beside the earlier settings. kInvalidInput naming the file and every problem
  /// otherwise, and nothing changes.
  Result<ClinicProtocolChange> set_protocol(const std::filesystem::path& file);
  /// Goes back to each patient's own protocol for verdicts (kept as a setting too).
  Result<ClinicProtocolChange> clear_protocol();
  /// The clinic's protocol (nullopt: none set, or cleared), and every setting, oldest first.
  Result<std::optional<ClinicProtocol>> protocol();
  Result<std::vector<ClinicProtocol>> protocol_history();

  /// The patient table: optionally only one status; sorted (status: urgent first, then contact,
  /// then those gone quiet as of the clinic's clock, then as expected).
  Result<std::vector<ClinicPatient>> list(std::optional<Verdict> status, ClinicSort sort);

  /// Every patient's record (or only `pseudonym`'s) as a FHIR transaction Bundle for the
  /// clinic's FHIR server (see write_fhir_transaction), as of the patient's latest export.
  /// kNotFound for an unknown pseudonym.
  Result<std::vector<FhirDelivery>> fhir_deliveries(const std::optional<std::string>& pseudonym);
  /// The same records, not yet made into Bundles (fhir_delivery does that, on any thread).
  Result<std::vector<FhirRecord>> fhir_records(const std::optional<std::string>& pseudonym);

  /// One patient in full. kNotFound for an unknown pseudonym.
  Result<ClinicPatientView> show(const std::string& pseudonym);

  /// What the opening found and mended, for the front end to tell (a database others could read,
  /// now owner-only: kFileMadeOwnerOnly).
  const std::vector<Notice>& opening_notices() const { return opening_notices_; }

 private:
  ClinicApp(std::unique_ptr<ClinicStore> store, const Clock& clock, std::filesystem::path dir)
      : store_(std::move(store)), clock_(clock), dir_(std::move(dir)) {}
  /// The clinic's keys, when created.
  Result<std::optional<ClinicKeys>> load_keys() const;
  struct Checked;
  /// The clinic's protocol as stored now, parsed (nullopt: none); kStorage when the stored one
  /// no longer loads (the database was changed outside the app).
  struct OwnProtocol {
    ClinicProtocol record;
    Protocol protocol;
  };
  Result<std::optional<OwnProtocol>> own_protocol();
  Result<ClinicProtocolChange> change_protocol(ClinicProtocol protocol);
  /// Judges again the patients not judged with the clinic's latest protocol setting (stored by
  /// an older version, or judged while the setting changed): patients_to_judge.
  struct Rejudged {
    std::size_t judged = 0;
    std::size_t differing = 0;
    std::size_t unreadable = 0;
  };
  Result<Rejudged> judge_stale();
  /// What can be checked of one file without the clinic database (digest, manifest, content,
  /// chain, verdict): pure, run on worker threads. `seen` holds the digests imported before;
  /// `own` (may be null) is the clinic's protocol the verdict is computed with.
  static Checked check_file(const std::filesystem::path& file, Instant now,
                            const std::unordered_set<std::string>& seen, const ClinicKeys* keys,
                            std::uintmax_t max_bytes, const OwnProtocol* own);
  static Checked check_file_unguarded(const std::filesystem::path& file, Instant now,
                                      const std::unordered_set<std::string>& seen,
                                      const ClinicKeys* keys, std::uintmax_t max_bytes,
                                      const OwnProtocol* own);
  /// Compares a checked file with the stored record of its patient and stores it: in file order,
  /// on the calling thread.
  ImportRecord merge(Checked checked);

  std::unique_ptr<ClinicStore> store_;
  const Clock& clock_;
  std::filesystem::path dir_;
  std::vector<Notice> opening_notices_;
};

}  // namespace aftercare
