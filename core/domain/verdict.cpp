#include "domain/verdict.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace aftercare {

namespace {

using std::chrono::hours;
using std::chrono::seconds;

int day_of(const Plan& plan, Instant at) {
  return static_cast<int>(std::floor(
      std::chrono::duration<double, std::ratio<86400>>(at - plan.details.treated_at).count()));
}

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] + 32);
  return text;
}

std::string fill(const std::string& pattern, const SymptomDef& symptom, int severity, int day) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      if (close != std::string::npos) {
        const std::string key = pattern.substr(i + 1, close - i - 1);
        if (key == "symptom") {
          out += out.empty() ? symptom.title : lower_first(symptom.title);
        } else if (key == "severity") {
          out += std::to_string(severity);
        } else if (key == "day") {
          out += std::to_string(day);
        } else {
          out += pattern.substr(i, close - i + 1);
        }
        i = close;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

bool applies_to(const RuleDef& rule, const SymptomDef& symptom) {
  if (rule.symptoms.empty()) return !symptom.infection_sign;
  return std::find(rule.symptoms.begin(), rule.symptoms.end(), symptom.id) != rule.symptoms.end();
}

// Whether `rule` holds for the latest of `series` (one symptom's entries up to the moment, in
// time order).
bool holds(const RuleDef& rule, const Plan& plan, const SymptomDef& symptom,
           const std::vector<const SymptomEntry*>& series) {
  const SymptomEntry& latest = *series.back();
  const int severity = latest.report.severity;
  const auto since = latest.report.felt_at - plan.details.treated_at;
  switch (rule.kind) {
    case RuleKind::kSeverityAtLeast:
    case RuleKind::kPresent:
      return severity >= rule.threshold;
    case RuleKind::kAboveCourse:
      if (symptom.course.empty() || severity == 0) return false;
      return severity > expected_max_severity(symptom, since) + rule.tolerance;
    case RuleKind::kWorsening: {
      if (series.size() < 2 || since <= rule.after) return false;
      const int previous = series[series.size() - 2]->report.severity;
      return severity - previous >= rule.min_change;
    }
    case RuleKind::kRebound: {
      // A peak, a fall of at least min_change, then a rise of at least min_change from the
      // lowest point since that peak.
      int peak = -1;
      int trough = kMaxSeverity + 1;
      bool fell = false;
      for (std::size_t i = 0; i + 1 < series.size(); ++i) {
        const int value = series[i]->report.severity;
        if (!fell && value > peak) peak = value;
        if (peak >= 0 && peak - value >= rule.min_change) fell = true;
        if (fell) trough = std::min(trough, value);
      }
      return fell && severity - trough >= rule.min_change;
    }
    case RuleKind::kPastWindow:
      if (!symptom.normal_until || severity == 0) return false;
      return since > *symptom.normal_until + rule.margin;
    case RuleKind::kUnrelieved:
      return severity >= rule.threshold && latest.report.relieved == false;
  }
  return false;
}

Assessment judge(const Plan& plan,
                 const std::map<std::string, std::vector<const SymptomEntry*>>& by_symptom,
                 Instant at) {
  Assessment assessment;
  for (const auto& rule : plan.protocol.rules) {
    for (const auto& [symptom_id, series] : by_symptom) {
      const SymptomDef* symptom = plan.protocol.find_symptom(SymptomId(symptom_id));
      if (!symptom || series.empty() || !applies_to(rule, *symptom)) continue;
      if (!holds(rule, plan, *symptom, series)) continue;
      const SymptomEntry& latest = *series.back();
      assessment.reasons.push_back({rule.id, rule.verdict, symptom->id, latest.entry,
                                    fill(rule.message, *symptom, latest.report.severity,
                                         day_of(plan, latest.report.felt_at))});
      assessment.verdict = std::max(assessment.verdict, rule.verdict);
    }
  }
  std::stable_sort(
      assessment.reasons.begin(), assessment.reasons.end(),
      [](const VerdictReason& a, const VerdictReason& b) { return a.verdict > b.verdict; });
  const std::string& phone = plan.details.clinic_phone;
  const std::string clinic =
      plan.details.clinic_name.empty() ? "your clinic" : plan.details.clinic_name;
  const std::string call = phone.empty() ? "Call " + clinic : "Call " + clinic + " at " + phone;
  switch (assessment.verdict) {
    case Verdict::kExpected:
      assessment.advice = "Within the usual course for day " +
                          std::to_string(std::max(0, day_of(plan, at))) +
                          " after treatment. Keep following your aftercare steps.";
      break;
    case Verdict::kContactClinic:
      assessment.advice = "Outside the usual course of healing. " + call + ".";
      break;
    case Verdict::kUrgent:
      assessment.advice =
          call + " now. If it is severe or you cannot reach them, seek urgent care.";
      break;
  }
  return assessment;
}

}  // namespace

double expected_max_severity(const SymptomDef& symptom, seconds since) {
  const auto& course = symptom.course;
  if (course.empty()) return 0;
  const double at = std::chrono::duration<double, std::ratio<60>>(since).count();
  if (at <= static_cast<double>(course.front().at.count())) return course.front().max_severity;
  for (std::size_t i = 1; i < course.size(); ++i) {
    const double end = static_cast<double>(course[i].at.count());
    if (at <= end) {
      const double start = static_cast<double>(course[i - 1].at.count());
      const double share = (at - start) / (end - start);
      return course[i - 1].max_severity +
             share * (course[i].max_severity - course[i - 1].max_severity);
    }
  }
  return course.back().max_severity;
}

namespace {

using Series = std::map<std::string, std::vector<const SymptomEntry*>>;

// Each symptom's entries felt at or before `until` (and not `skip`), in time order.
template <typename Range, typename Get>
Series series_until(const Range& entries, Get get, Instant until,
                    const std::optional<EntryId>& skip, const SymptomId* only) {
  Series by_symptom;
  for (const auto& item : entries) {
    const SymptomEntry& entry = get(item);
    if (entry.report.felt_at > until || (skip && entry.entry == *skip)) continue;
    if (only && entry.report.symptom != *only) continue;
    by_symptom[entry.report.symptom.value()].push_back(&entry);
  }
  for (auto& [symptom, series] : by_symptom) {
    std::stable_sort(series.begin(), series.end(),
                     [](const SymptomEntry* a, const SymptomEntry* b) {
                       return a->report.felt_at < b->report.felt_at;
                     });
  }
  return by_symptom;
}

const SymptomEntry& from_vector(const SymptomEntry& entry) { return entry; }
const SymptomEntry& from_map(const std::pair<const std::int64_t, SymptomEntry>& item) {
  return item.second;
}

}  // namespace

Assessment assess(const Plan& plan, const std::vector<SymptomEntry>& entries, Instant now) {
  return judge(plan, series_until(entries, from_vector, now, std::nullopt, nullptr), now);
}

Assessment assess(const Plan& plan, const EntryMap& entries, Instant now) {
  return judge(plan, series_until(entries, from_map, now, std::nullopt, nullptr), now);
}

Assessment assess_entry(const Plan& plan, const std::vector<SymptomEntry>& entries,
                        const SymptomEntry& entry) {
  auto by_symptom =
      series_until(entries, from_vector, entry.report.felt_at, entry.entry, &entry.report.symptom);
  by_symptom[entry.report.symptom.value()].push_back(&entry);
  return judge(plan, by_symptom, entry.report.felt_at);
}

Assessment assess_entry(const Plan& plan, const EntryMap& entries, const SymptomEntry& entry) {
  auto by_symptom =
      series_until(entries, from_map, entry.report.felt_at, entry.entry, &entry.report.symptom);
  by_symptom[entry.report.symptom.value()].push_back(&entry);
  return judge(plan, by_symptom, entry.report.felt_at);
}

}  // namespace aftercare
