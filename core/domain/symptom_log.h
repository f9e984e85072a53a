#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "domain/protocol.h"
#include "domain/step_log.h"

namespace aftercare {

/// A symptom entry as the patient sees it: the same id across its edits.
using EntryId = StrongId<struct EntryIdTag, std::int64_t>;

/// The highest severity of the 0 to 10 numeric rating scale.
constexpr int kMaxSeverity = 10;

/// "none" (0), "mild" (1 to 3), "moderate" (4 to 6), "severe" (7 to 10).
const char* severity_word(int severity);

enum class EntryAction { kLogged, kEdited, kDeleted };
const char* entry_action_name(EntryAction action);
std::optional<EntryAction> entry_action_from(const std::string& name);

/// What the patient says about one symptom.
struct SymptomReport {
  SymptomId symptom;
  int severity = 0;                         ///< 0 to 10.
  std::string area;                         ///< A treated area ("face"); may be empty.
  std::string note;                         ///< Free text; may be empty.
  std::optional<std::string> photo_sha256;  ///< Lower-case hex of the photo file's SHA-256.
  std::optional<bool> relieved;             ///< Pain: relieved by acetaminophen/paracetamol?
  Instant felt_at;                          ///< When it was felt (UTC).
  std::string zone;                         ///< The device zone then, for its calendar day.
};

/// One stored version of an entry. Versions are only ever appended: an edit is a new version,
/// a delete is a last version marked deleted, and every earlier one stays.
struct SymptomVersion {
  std::int64_t row = 0;  ///< Its place in the event sequence (shared with step events).
  EntryId entry;
  int version = 1;
  PlanId plan;
  EntryAction action = EntryAction::kLogged;
  SymptomReport report;
  std::optional<std::int64_t> checkin;  ///< Entries of one check-in share this.
  Instant recorded_at;
  ChainStamp chain;
};

/// An entry's current state: its latest version, unless deleted.
struct SymptomEntry {
  EntryId entry;
  int version = 1;
  SymptomReport report;
  std::optional<std::int64_t> checkin;
  Instant first_recorded;
  Instant recorded_at;
};

/// Current entries by entry id, kept up to date one version at a time.
using EntryMap = std::map<std::int64_t, SymptomEntry>;

/// Applies the next stored version of an entry: a newer version replaces the entry, a delete
/// removes it, an older version changes nothing.
void apply_version(EntryMap& entries, const SymptomVersion& version);

/// The entries of `map`, ordered by felt_at (stable in entry id order).
std::vector<SymptomEntry> sorted_entries(const EntryMap& entries);

/// The current entries (deleted ones left out), ordered by felt_at then id.
std::vector<SymptomEntry> current_entries(const std::vector<SymptomVersion>& versions);

/// One field an edit changed, as text: a severity as its number, "yes"/"no"/"" for relief, a
/// photo by its SHA-256, a felt time as UTC ISO 8601 (plan_time_text).
struct ReportChange {
  std::string field;  ///< "symptom", "severity", "area", "note", "photo", "relieved", "felt_at"
  std::string before;
  std::string after;
};

/// What changed from `before` to `after`, in the order of the fields above.
std::vector<ReportChange> report_changes(const SymptomReport& before, const SymptomReport& after);

/// An edit or a delete of an entry, with what it changed from the version before.
struct EntryRevision {
  SymptomVersion version;             ///< The edit (or delete) itself.
  std::vector<ReportChange> changes;  ///< Empty for a delete.
};

/// Every edit and delete among `versions` (storage order), oldest first.
std::vector<EntryRevision> entry_revisions(const std::vector<SymptomVersion>& versions);

/// Checks a report against the protocol: a known symptom, severity 0 to 10, a known area (or
/// empty), a note of at most 2,000 characters. kInvalidInput naming the field otherwise.
Status validate_report(const Protocol& protocol, const SymptomReport& report);

}  // namespace aftercare
