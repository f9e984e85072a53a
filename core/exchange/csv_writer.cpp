#include "exchange/csv_writer.h"

#include <algorithm>
#include <string_view>

#include "domain/verdict.h"

namespace aftercare {

namespace {

struct Row {
  Instant sort_at;
  std::int64_t order = 0;
  std::vector<std::string> fields;
};

const Plan* plan_of(const ExportSnapshot& snapshot, PlanId id) {
  for (const Plan* plan : snapshot.plans) {
    if (plan->id == id) return plan;
  }
  return nullptr;
}

std::string day_of(const Plan* plan, Instant at) {
  if (!plan) return "";
  return std::to_string(day_after_treatment(*plan, at));
}

}  // namespace

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> kColumns = {
      "event_time", "local_date",     "zone",      "recorded_at",
      "kind",       "action",         "session",   "day",
      "step",       "occurrence",     "scheduled", "symptom",
      "severity",   "severity_words", "area",      "note",
      "relieved",   "photo_sha256",   "entry",     "version",
      "checkin",    "verdict",        "event_seq", "hash"};
  return kColumns;
}

std::string csv_field(const std::string& value) {
  const bool formula =
      !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
  if (!formula && value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = formula ? "\"'" : "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string write_csv(const ExportSnapshot& snapshot) {
  const auto iso = [&](Instant at) { return format_iso(at, snapshot.zones.zone_at(at)); };
  const auto date_at = [&](Instant at, const date::time_zone* zone) {
    return format_date(local_date(at, zone));
  };
  std::vector<Row> rows;
  for (const auto& event : snapshot.step_events) {
    const Plan* plan = plan_of(snapshot, event.plan);
    const auto* zone = snapshot.zones.zone_at(event.at);
    rows.push_back({event.at,
                    event.seq,
                    {format_iso(event.at, zone),
                     date_at(event.at, zone),
                     std::string(zone->name()),
                     iso(event.recorded_at),
                     "step",
                     step_action_name(event.action),
                     plan ? std::to_string(plan->session_number) : "",
                     day_of(plan, event.at),
                     event.step.value(),
                     event.occurrence,
                     iso(event.scheduled_at),
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     std::to_string(event.seq),
                     event.chain.hash}});
  }
  for (const auto& [plan, item] : snapshot.missed) {
    const auto& occurrence = item.occurrence;
    const auto* zone = snapshot.zones.zone_at(occurrence.due_until);
    rows.push_back({occurrence.due_until,
                    0,
                    {format_iso(occurrence.due_until, zone),
                     date_at(occurrence.due_until, zone),
                     std::string(zone->name()),
                     "",
                     "step",
                     "missed",
                     std::to_string(plan->session_number),
                     day_of(plan, occurrence.scheduled),
                     occurrence.step->id.value(),
                     occurrence.id,
                     iso(occurrence.scheduled),
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     "",
                     ""}});
  }
  // Each symptom version, judged as of when it was felt against the entries current then.
  std::map<std::int64_t, EntryMap> entries_by_plan;
  for (const auto& version : snapshot.symptom_versions) {
    const Plan* plan = plan_of(snapshot, version.plan);
    EntryMap& entries = entries_by_plan[version.plan.value()];
    apply_version(entries, version);
    std::string verdict;
    if (plan && version.action != EntryAction::kDeleted) {
      auto it = entries.find(version.entry.value());
      if (it != entries.end()) {
        verdict = verdict_name(assess_entry(*plan, entries, it->second).verdict);
      }
    }
    const SymptomReport& report = version.report;
    const auto* zone = zone_or(report.zone, snapshot.zones.zone_at(report.felt_at));
    rows.push_back({report.felt_at,
                    version.row,
                    {format_iso(report.felt_at, zone),
                     date_at(report.felt_at, zone),
                     std::string(zone->name()),
                     iso(version.recorded_at),
                     "symptom",
                     entry_action_name(version.action),
                     plan ? std::to_string(plan->session_number) : "",
                     day_of(plan, report.felt_at),
                     "",
                     "",
                     "",
                     report.symptom.value(),
                     std::to_string(report.severity),
                     severity_word(report.severity),
                     report.area,
                     report.note,
                     report.relieved ? (*report.relieved ? "yes" : "no") : "",
                     report.photo_sha256.value_or(""),
                     std::to_string(version.entry.value()),
                     std::to_string(version.version),
                     version.checkin ? std::to_string(*version.checkin) : "",
                     verdict,
                     std::to_string(version.row),
                     version.chain.hash}});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.sort_at != b.sort_at ? a.sort_at < b.sort_at : a.order < b.order;
  });
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark, for spreadsheet programs
  const auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += csv_field(fields[i]);
    }
    out += "\r\n";
  };
  line(csv_columns());
  for (const auto& row : rows) line(row.fields);
  return out;
}

}  // namespace aftercare
