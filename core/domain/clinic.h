#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "domain/archive.h"
#include "domain/protocol.h"

namespace aftercare {

/// What the clinic's table shows for one patient, as of the patient's latest export.
struct PatientSummary {
  Verdict verdict = Verdict::kExpected;
  std::vector<std::string> reasons;  ///< Plain words, most serious first.
  std::optional<Instant> last_checkin;
  std::optional<double> adherence;  ///< Share of settled steps done, 0 to 1.
  std::string worst_symptom;        ///< Empty when nothing was rated above 0.
  int worst_severity = 0;
  std::optional<Instant> worst_at;
  int session = 1;
  Instant treated_at;
  Instant exported_at;
  /// Where the patient was at each of these times (IANA names), to show each as it was there;
  /// empty in a row stored before they were kept, until ClinicApp::open fills them in.
  std::string exported_zone;      ///< At the export.
  std::string treated_zone;       ///< The plan's.
  std::string last_checkin_zone;  ///< The check-in's, as logged.
  std::string worst_zone;         ///< The worst rating's, as logged.
  /// The clinic has its own protocol, and the one the patient's latest session follows is not
  /// it: the verdict is the clinic's, the steps were the patient's.
  bool protocol_differs = false;
  /// From this instant on (with no newer export), the patient has gone quiet: the last check-in
  /// (or the treatment, for a patient who never checked in) is older than the protocol's
  /// triage.silent_after while its check-ins were still due. nullopt: never (check-ins ended
  /// first, or the protocol asks for none).
  std::optional<Instant> silent_from;
  /// The clinic protocol setting (its seq) this was judged with; 0: none was ever set.
  std::int64_t judged_with = 0;
  /// The patient's name, when the latest export stored was one the patient chose to name;
  /// empty otherwise (the pseudonym alone).
  std::string name;
};

/// Whether the patient counts as gone quiet at `now` (see PatientSummary::silent_from).
inline bool is_silent(const PatientSummary& summary, Instant now) {
  return summary.silent_from && now >= *summary.silent_from;
}

/// A protocol the clinic issues, as set (`clinic protocol set`): every setting is kept, the
/// latest holds, and every patient is judged with it (PatientSummary::judged_with). A cleared one
/// (no protocol of the clinic's from then on) has no document.
struct ClinicProtocol {
  std::int64_t seq = 0;  ///< 1, 2, ... in the order set.
  Instant set_at;
  std::string protocol_json;  ///< The resolved document; empty: cleared.
  std::string source;         ///< The file it was read from, as given.
};

/// How the clinic came to trust a device for a patient.
enum class PinSource {
  kFirstUse,  ///< The first signed export of the pseudonym (trust on first use).
  kHandOver,  ///< The pinned device signed a hand-over to this one.
  kClinic,    ///< The clinic chose it (`clinic trust`).
};
const char* pin_source_name(PinSource source);
std::optional<PinSource> pin_source_named(const std::string& name);

/// One decision about which device's signature the clinic accepts for a patient; the latest one
/// holds, the earlier ones stay as history.
struct DevicePin {
  std::string device;  ///< The device's public key, hex.
  Instant at;
  PinSource source = PinSource::kFirstUse;
  std::string detail;  ///< In words: which hand-over, or who chose.
};

/// One patient in the clinic's store: the latest export received, and its summary.
struct ClinicPatient {
  std::string pseudonym;
  std::string archive_json;  ///< The latest export, as received (empty in listings).
  std::string chain_head;
  std::int64_t chain_events = 0;
  /// Counts the writes of this record (1 when first stored): what an import compares with
  /// before it writes over it.
  std::int64_t revision = 0;
  Instant first_imported;
  Instant last_imported;
  PatientSummary summary;
  /// Every device pin, oldest first; the last one holds. Empty for a record stored before pins
  /// were kept (its next signed export pins its device). Filled by ClinicStore::patient only.
  std::vector<DevicePin> pins;
  /// Gone quiet as of the clinic's clock when listed (ClinicApp::list; not stored).
  bool silent = false;
};

/// Sort orders of the clinic's patient table.
enum class ClinicSort { kStatus, kPatient, kLastCheckin, kAdherence, kWorst };

/// The sort `clinic_sort_names` calls `name` ("status", "last_checkin", ...); nullopt otherwise.
std::optional<ClinicSort> clinic_sort_named(const std::string& name);
/// Every sort order's name, the default (status) first.
std::vector<std::string> clinic_sort_names();

/// What happened to one file of a clinic import.
enum class ImportOutcome {
  kImported,   ///< A patient new to the clinic.
  kExtended,   ///< A newer export of a known patient: its chain continues the stored one.
  kUnchanged,  ///< Already imported (the same file, or the same chain head): nothing changed.
  kOlder,      ///< An older export of a known patient: nothing changed.
  kRejected,   ///< Not merged: see the reason.
};

const char* import_outcome_name(ImportOutcome outcome);
/// The outcome `import_outcome_name` calls `name`; nullopt for any other text.
std::optional<ImportOutcome> import_outcome_named(const std::string& name);

struct ImportRecord {
  std::string file;
  std::string sha256;  ///< Of the file's bytes.
  std::string pseudonym;
  ImportOutcome outcome = ImportOutcome::kRejected;
  std::string reason;
  Instant imported_at;
};

/// How a patient's new export (its chain checked) stands to the record the clinic has stored
/// under the same pseudonym.
enum class MergeDecision {
  kExtends,          ///< It continues the stored chain, or is a later export of the same one.
  kSame,             ///< The same chain and no later: nothing to store.
  kOlder,            ///< Its chain is the start of the stored one: nothing to store.
  kPlansDiffer,      ///< Same chain, other plans: another patient, or rewritten history.
  kDoesNotContinue,  ///< Longer, but not from the stored head.
  kDoesNotMatch,     ///< Shorter, and not the start of the stored chain.
};

/// The stored side of a merge: the record as stored, and its archive parsed.
struct StoredRecord {
  const PatientArchive& archive;
  std::string chain_head;
  std::int64_t chain_events = 0;
  Instant exported_at;
};

/// The new side: the export's archive, its verified chain, and the time it is as of.
struct IncomingExport {
  const PatientArchive& archive;
  const ChainCheck& chain;  ///< verify_archive's result; `ok` is required.
  Instant as_of;
};

/// The clinic's rule for a known patient's new export (pure; ClinicApp stores the outcome).
/// Plans are only ever added, so the stored ones must come first, unchanged.
MergeDecision decide_merge(const StoredRecord& stored, const IncomingExport& incoming);

}  // namespace aftercare
