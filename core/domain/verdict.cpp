#include "domain/verdict.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <string_view>

namespace aftercare {

namespace {

using std::chrono::hours;
using std::chrono::seconds;

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
           std::span<const SymptomEntry* const> series) {
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

// One symptom's entries up to a moment, in time order, and the symptom's definition.
struct SeriesView {
  std::string_view symptom;
  const SymptomDef* definition = nullptr;
  std::span<const SymptomEntry* const> entries;
};

Assessment judge(const Plan& plan, const std::vector<SeriesView>& by_symptom, Instant at) {
  Assessment assessment;
  for (const auto& rule : plan.protocol.rules) {
    for (const auto& [symptom_id, symptom, series] : by_symptom) {
      if (!symptom || series.empty() || !applies_to(rule, *symptom)) continue;
      if (!holds(rule, plan, *symptom, series)) continue;
      const SymptomEntry& latest = *series.back();
      assessment.reasons.push_back({rule.id, rule.verdict, symptom->id, latest.entry,
                                    fill(rule.message, *symptom, latest.report.severity,
                                         day_after_treatment(plan, latest.report.felt_at))});
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
                          std::to_string(std::max(0, day_after_treatment(plan, at))) +
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

bool felt_earlier(const SymptomEntry* a, const SymptomEntry* b) {
  return a->report.felt_at < b->report.felt_at;
}

// A series' entries felt at or before `until`.
std::span<const SymptomEntry* const> until_moment(const std::vector<const SymptomEntry*>& entries,
                                                  Instant until) {
  const auto end = std::upper_bound(
      entries.begin(), entries.end(), until,
      [](Instant at, const SymptomEntry* entry) { return at < entry->report.felt_at; });
  return {entries.data(), static_cast<std::size_t>(end - entries.begin())};
}

}  // namespace

SymptomSeries::SymptomSeries(const EntryMap& entries) {
  for (const auto& [id, entry] : entries) add(entry);
  finish();
}

SymptomSeries::SymptomSeries(const std::vector<SymptomEntry>& entries) {
  for (const auto& entry : entries) add(entry);
  finish();
}

std::vector<const SymptomEntry*>& SymptomSeries::series_of(std::string_view symptom) {
  for (auto& [id, series] : by_symptom_) {
    if (id == symptom) return series;
  }
  const auto at =
      std::lower_bound(by_symptom_.begin(), by_symptom_.end(), symptom,
                       [](const auto& item, std::string_view id) { return item.first < id; });
  return by_symptom_.insert(at, {std::string(symptom), {}})->second;
}

const std::vector<const SymptomEntry*>* SymptomSeries::find(std::string_view symptom) const {
  for (const auto& [id, series] : by_symptom_) {
    if (id == symptom) return &series;
  }
  return nullptr;
}

void SymptomSeries::add(const SymptomEntry& entry) {
  series_of(entry.report.symptom.value()).push_back(&entry);
}

void SymptomSeries::finish() {
  // Entries are mostly logged in time order: sort only when they are not.
  for (auto& [id, series] : by_symptom_) {
    if (!std::is_sorted(series.begin(), series.end(), felt_earlier)) {
      std::stable_sort(series.begin(), series.end(), felt_earlier);
    }
  }
}

bool SymptomSeries::append(const SymptomEntry& entry) {
  auto& series = series_of(entry.report.symptom.value());
  if (!series.empty() && entry.report.felt_at < series.back()->report.felt_at) return false;
  series.push_back(&entry);
  return true;
}

Assessment assess(const Plan& plan, const SymptomSeries& series, Instant now) {
  std::vector<SeriesView> views;
  for (const auto& [symptom, entries] : series.by_symptom_) {
    views.push_back(
        {symptom, plan.protocol.find_symptom(SymptomId(symptom)), until_moment(entries, now)});
  }
  return judge(plan, views, now);
}

namespace {

// `entry` judged with `before` (its symptom's other entries felt no later, in time order).
Assessment judge_entry(const Plan& plan, std::vector<const SymptomEntry*> before,
                       const SymptomEntry& entry) {
  before.push_back(&entry);
  const std::vector<SeriesView> views{
      {entry.report.symptom.value(), plan.protocol.find_symptom(entry.report.symptom), before}};
  return judge(plan, views, entry.report.felt_at);
}

// The entry's symptom only, straight from a log: what one entry's verdict needs, without
// indexing every symptom (exports judge each row this way).
template <typename Range, typename Get>
Assessment assess_entry_in(const Plan& plan, const Range& entries, Get get,
                           const SymptomEntry& entry) {
  std::vector<const SymptomEntry*> before;
  for (const auto& item : entries) {
    const SymptomEntry& other = get(item);
    if (other.report.symptom == entry.report.symptom && other.entry != entry.entry &&
        other.report.felt_at <= entry.report.felt_at) {
      before.push_back(&other);
    }
  }
  if (!std::is_sorted(before.begin(), before.end(), felt_earlier)) {
    std::stable_sort(before.begin(), before.end(), felt_earlier);
  }
  return judge_entry(plan, std::move(before), entry);
}

}  // namespace

Assessment assess_entry(const Plan& plan, const SymptomSeries& series, const SymptomEntry& entry) {
  // As of when it was felt: the entries before it, then the entry.
  std::vector<const SymptomEntry*> before;
  if (const auto* all = series.find(entry.report.symptom.value())) {
    for (const SymptomEntry* other : until_moment(*all, entry.report.felt_at)) {
      if (other->entry != entry.entry) before.push_back(other);
    }
  }
  return judge_entry(plan, std::move(before), entry);
}

Assessment assess(const Plan& plan, const std::vector<SymptomEntry>& entries, Instant now) {
  return assess(plan, SymptomSeries(entries), now);
}

Assessment assess(const Plan& plan, const EntryMap& entries, Instant now) {
  return assess(plan, SymptomSeries(entries), now);
}

Assessment assess_entry(const Plan& plan, const std::vector<SymptomEntry>& entries,
                        const SymptomEntry& entry) {
  return assess_entry_in(
      plan, entries, [](const SymptomEntry& item) -> const SymptomEntry& { return item; }, entry);
}

Assessment assess_entry(const Plan& plan, const EntryMap& entries, const SymptomEntry& entry) {
  return assess_entry_in(
      plan, entries, [](const auto& item) -> const SymptomEntry& { return item.second; }, entry);
}

}  // namespace aftercare
