#include "domain/symptom_log.h"
#include "base/names.h"

#include <algorithm>
#include <map>

#include "domain/plan.h"

namespace aftercare {

namespace {
constexpr std::size_t kMaxNote = 2000;
constexpr EnumName<EntryAction> kActions[] = {
    {EntryAction::kLogged, "logged"},
    {EntryAction::kEdited, "edited"},
    {EntryAction::kDeleted, "deleted"},
};
}  // namespace

const char* severity_word(int severity) {
  if (severity <= 0) return "none";
  if (severity <= 3) return "mild";
  if (severity <= 6) return "moderate";
  return "severe";
}

const char* entry_action_name(EntryAction action) { return name_in(kActions, action); }

std::optional<EntryAction> entry_action_from(const std::string& name) {
  return value_named(kActions, name);
}

void apply_version(EntryMap& entries, const SymptomVersion& version) {
  auto it = entries.find(version.entry.value());
  if (it != entries.end() && version.version <= it->second.version) return;
  if (version.action == EntryAction::kDeleted) {
    if (it != entries.end()) entries.erase(it);
    return;
  }
  SymptomEntry& entry = entries[version.entry.value()];
  if (version.version == 1 || entry.first_recorded == Instant{}) {
    entry.first_recorded = version.recorded_at;
  }
  entry.entry = version.entry;
  entry.version = version.version;
  entry.report = version.report;
  entry.checkin = version.checkin;
  entry.recorded_at = version.recorded_at;
}

std::vector<SymptomEntry> sorted_entries(const EntryMap& entries) {
  std::vector<SymptomEntry> out;
  out.reserve(entries.size());
  for (const auto& [id, entry] : entries) out.push_back(entry);
  std::stable_sort(out.begin(), out.end(), [](const SymptomEntry& a, const SymptomEntry& b) {
    return a.report.felt_at < b.report.felt_at;
  });
  return out;
}

std::vector<SymptomEntry> current_entries(const std::vector<SymptomVersion>& versions) {
  EntryMap entries;
  std::map<std::int64_t, int> deleted_at;  // a deleted entry stays deleted
  for (const auto& version : versions) {
    auto gone = deleted_at.find(version.entry.value());
    if (gone != deleted_at.end() && version.version > gone->second) continue;
    if (version.action == EntryAction::kDeleted) {
      deleted_at[version.entry.value()] = version.version;
    }
    apply_version(entries, version);
  }
  return sorted_entries(entries);
}

Status validate_report(const Protocol& protocol, const SymptomReport& report) {
  if (!protocol.find_symptom(report.symptom)) {
    std::string known;
    for (const auto& s : protocol.symptoms) known += (known.empty() ? "" : ", ") + s.id.value();
    return invalid_input("symptom: unknown symptom \"" + report.symptom.value() +
                         "\" (known: " + known + ")");
  }
  if (report.severity < 0 || report.severity > kMaxSeverity) {
    return invalid_input("severity: must be a whole number from 0 (none) to 10 (worst), got " +
                         std::to_string(report.severity));
  }
  if (!report.area.empty()) {
    const auto& areas = treatment_areas();
    if (std::find(areas.begin(), areas.end(), report.area) == areas.end()) {
      return invalid_input("area: unknown area \"" + report.area + "\"");
    }
  }
  if (!is_valid_utf8(report.note)) return invalid_input("note: not valid UTF-8 text");
  if (report.note.size() > kMaxNote) {
    return invalid_input("note: at most 2000 characters, got " +
                         std::to_string(report.note.size()));
  }
  if (report.photo_sha256 &&
      (report.photo_sha256->size() != 64 ||
       !std::all_of(report.photo_sha256->begin(), report.photo_sha256->end(),
                    [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))) {
    return invalid_input("photo: not a SHA-256 digest");
  }
  return {};
}

std::vector<ReportChange> report_changes(const SymptomReport& before, const SymptomReport& after) {
  std::vector<ReportChange> out;
  const auto add = [&](const char* field, const std::string& a, const std::string& b) {
    if (a != b) out.push_back({field, a, b});
  };
  const auto relief = [](const std::optional<bool>& value) -> std::string {
    return value ? (*value ? "yes" : "no") : "";
  };
  add("symptom", before.symptom.value(), after.symptom.value());
  add("severity", std::to_string(before.severity), std::to_string(after.severity));
  add("area", before.area, after.area);
  add("note", before.note, after.note);
  add("photo", before.photo_sha256.value_or(""), after.photo_sha256.value_or(""));
  add("relieved", relief(before.relieved), relief(after.relieved));
  add("felt_at", plan_time_text(before.felt_at), plan_time_text(after.felt_at));
  return out;
}

std::vector<EntryRevision> entry_revisions(const std::vector<SymptomVersion>& versions) {
  std::map<std::int64_t, const SymptomVersion*> latest;  // by entry
  std::vector<EntryRevision> out;
  for (const auto& version : versions) {
    const SymptomVersion*& before = latest[version.entry.value()];
    if (before && version.action != EntryAction::kLogged) {
      EntryRevision revision{version, {}};
      if (version.action == EntryAction::kEdited) {
        revision.changes = report_changes(before->report, version.report);
      }
      out.push_back(std::move(revision));
    }
    before = &version;
  }
  return out;
}

}  // namespace aftercare
