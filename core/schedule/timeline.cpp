#include "schedule/timeline.h"
#include "base/names.h"

#include <algorithm>

namespace aftercare {

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

std::vector<TimeOfDay> times_of_day(const StepDef& step) {
  if (step.kind == ScheduleKind::kDaily) return step.times;
  std::vector<TimeOfDay> times;
  for (TimeOfDay t = step.between_start; t <= step.between_end; t += step.interval) {
    times.push_back(t);
  }
  return times;
}

void expand_step(const Plan& plan, const StepDef& step, const ZoneHistory& zones, Instant from,
                 Instant to, const Modes& modes, std::vector<Occurrence>& out) {
  auto mode_allows = [&](Instant at) {
    return !step.condition || modes.active(*step.condition, at);
  };
  const Instant treated = plan.details.treated_at;
  const Instant lo = std::max(from, treated + step.from);
  const Instant hi = step.until ? std::min(to, treated + *step.until) : to;
  if (lo >= hi) return;
  if (step.kind == ScheduleKind::kOnce) {
    const Instant at = treated + step.after;
    if (lo <= at && at < hi && mode_allows(at)) {
      const auto* zone = zones.zone_at(at);  // only for the calendar day it is listed under
      out.push_back({&step, step.id.value(), at, at + step.window, local_date(at, zone)});
    }
    return;
  }
  const auto times = times_of_day(step);
  // Ids only need checking across segments: one segment never plans a wall time twice.
  const bool several_zones = zones.segments().size() > 1;
  std::set<std::string> seen;
  for (const auto& segment : zones.segments()) {
    const Instant seg_lo = std::max(lo, segment.days_from);
    const Instant seg_hi = std::min(hi, segment.to);
    if (seg_lo >= seg_hi) continue;
    WallClockResolver wall_clock(segment.zone);
    // One day of slack on each side: a local day can start before or end after the range.
    const date::local_days first_day{date::floor<date::days>(to_local(seg_lo, segment.zone)) -
                                     date::days(1)};
    const date::local_days last_day{
        date::floor<date::days>(to_local(seg_hi - seconds(1), segment.zone)) + date::days(1)};
    out.reserve(out.size() +
                static_cast<std::size_t>((last_day - first_day).count() + 1) * times.size());
    for (date::local_days day = first_day; day <= last_day; day += date::days(1)) {
      for (const TimeOfDay time : times) {
        const LocalMinutes local{day.time_since_epoch() + time};
        const Instant at = wall_clock.resolve(local);
        if (at < seg_lo || at >= seg_hi || !mode_allows(at)) continue;
        const auto when = local_minute_chars(local);
        std::string id;
        id.reserve(step.id.value().size() + 1 + when.size());
        id.append(step.id.value()).append(1, '@').append(when.data(), when.size());
        if (several_zones && !seen.insert(id).second) continue;
        out.push_back({&step, std::move(id), at, at + step.window, date::year_month_day{day}});
      }
    }
  }
}

bool step_applies(const StepDef& step, const Modes& modes) {
  return !step.condition || modes.ever_active(*step.condition);
}

void count(Adherence& adherence, OccurrenceStatus status) {
  switch (status) {
    case OccurrenceStatus::kDone:
      ++adherence.done;
      break;
    case OccurrenceStatus::kSkipped:
      ++adherence.skipped;
      break;
    case OccurrenceStatus::kMissed:
      ++adherence.missed;
      break;
    case OccurrenceStatus::kUpcoming:
    case OccurrenceStatus::kDue:
      ++adherence.open;
      break;
  }
}

}  // namespace

Instant plan_end(const Plan& plan) {
  Offset latest{};
  for (const auto& step : plan.protocol.steps) {
    latest = std::max(latest, step.until.value_or(step.after + step.window));
  }
  return plan.details.treated_at + latest;
}

Instant plan_last_moment(const Plan& plan) {
  Offset latest{plan.protocol.series.interval};
  for (const auto& restriction : plan.protocol.restrictions) {
    latest = std::max(latest, restriction.duration);
  }
  return std::max(plan_end(plan), plan.details.treated_at + latest);
}

std::vector<Occurrence> expand_steps(const Plan& plan, const ZoneHistory& zones, Instant from,
                                     Instant to, const Modes& modes) {
  std::vector<Occurrence> all;
  for (const auto& step : plan.protocol.steps) {
    if (step_applies(step, modes)) expand_step(plan, step, zones, from, to, modes, all);
  }
  // Sort keys, then move each occurrence once: moving whole occurrences while sorting cost more
  // than making them.
  std::vector<std::pair<Instant, std::uint32_t>> order;
  order.reserve(all.size());
  for (std::uint32_t i = 0; i < all.size(); ++i) order.emplace_back(all[i].scheduled, i);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Occurrence> out;
  out.reserve(all.size());
  for (const auto& [at, index] : order) out.push_back(std::move(all[index]));
  return out;
}

namespace {
constexpr EnumName<OccurrenceStatus> kStatuses[] = {
    {OccurrenceStatus::kUpcoming, "upcoming"}, {OccurrenceStatus::kDue, "due"},
    {OccurrenceStatus::kDone, "done"},         {OccurrenceStatus::kSkipped, "skipped"},
    {OccurrenceStatus::kMissed, "missed"},
};
}  // namespace

const char* occurrence_status_name(OccurrenceStatus status) { return name_in(kStatuses, status); }

StepItem classify(const Occurrence& occurrence, const std::map<std::string, StepRecord>& records,
                  Instant now) {
  StepItem item{occurrence, OccurrenceStatus::kUpcoming, std::nullopt};
  if (auto it = records.find(occurrence.id); it != records.end()) {
    item.record = it->second;
    item.status = it->second.action == StepAction::kSkipped ? OccurrenceStatus::kSkipped
                                                            : OccurrenceStatus::kDone;
  } else if (now >= occurrence.due_until) {
    item.status = OccurrenceStatus::kMissed;
  } else if (now >= occurrence.scheduled) {
    item.status = OccurrenceStatus::kDue;
  }
  return item;
}

std::optional<double> Adherence::ratio() const {
  const int settled = done + skipped + missed;
  if (settled == 0) return std::nullopt;
  return static_cast<double>(done) / settled;
}

Timeline build_timeline(const Plan& plan, const ZoneHistory& zones,
                        const std::map<std::string, StepRecord>& records, Instant now,
                        const date::time_zone* zone, const Modes& modes) {
  Timeline timeline;
  const Instant treated = plan.details.treated_at;
  timeline.now = now;
  timeline.zone = zone;
  timeline.today = local_date(now, zone);
  timeline.since_treatment = now - treated;
  timeline.day_number = day_after_treatment(plan, now);

  if (now >= treated) {
    const Offset elapsed = date::floor<minutes>(now - treated);
    for (const auto& phase : plan.protocol.phases) {
      if (elapsed >= phase.from && (!phase.until || elapsed < *phase.until)) {
        timeline.phase = &phase;
        if (phase.until) timeline.phase_ends = treated + *phase.until;
      }
    }
  }

  // Everything from the treatment to the end of the day after tomorrow, local.
  const date::local_days today_start{timeline.today};
  const Instant horizon =
      std::min(resolve_local(LocalMinutes{(today_start + date::days(3)).time_since_epoch()}, zone),
               std::max(plan_end(plan), now));
  const date::year_month_day treated_day = local_date(treated, zones.zone_at(treated));
  std::map<date::sys_days, Adherence> by_day;
  for (const auto& occurrence : expand_steps(plan, zones, treated, horizon, modes)) {
    StepItem item = classify(occurrence, records, now);
    // A window that closed before the plan was entered was not the patient's to miss.
    if (item.status == OccurrenceStatus::kMissed && occurrence.due_until <= plan.created_at) {
      continue;
    }
    const auto day = occurrence.local_day;
    if (day > timeline.today) {
      timeline.coming_days.push_back(std::move(item));
      continue;
    }
    if (day == timeline.today) {
      timeline.today_steps.push_back(item);
      count(timeline.today_adherence, item.status);
    } else if (item.status == OccurrenceStatus::kMissed) {
      timeline.earlier_missed.push_back(item);
    }
    if (day < treated_day) continue;
    count(timeline.overall_adherence, item.status);
    count(by_day.try_emplace(date::sys_days{day}, Adherence{day}).first->second, item.status);
  }
  for (auto& [day, adherence] : by_day) timeline.adherence_by_day.push_back(adherence);
  std::reverse(timeline.earlier_missed.begin(), timeline.earlier_missed.end());
  timeline.today_adherence.day = timeline.today;

  for (const auto& restriction : plan.protocol.restrictions) {
    const Instant ends = treated + restriction.duration;
    timeline.restrictions.push_back({&restriction, ends, now >= treated && now < ends});
  }
  std::stable_sort(timeline.restrictions.begin(), timeline.restrictions.end(),
                   [](const RestrictionItem& a, const RestrictionItem& b) {
                     if (a.active != b.active) return a.active;
                     return a.active ? a.ends < b.ends : a.ends > b.ends;
                   });

  if (plan.session_number < plan.protocol.series.sessions) {
    const Instant next = treated + plan.protocol.series.interval;
    timeline.next_session = NextSession{plan.session_number + 1, next, local_date(next, zone)};
  }
  return timeline;
}

Result<StepItem> select_occurrence(const Plan& plan, const ZoneHistory& zones,
                                   const std::map<std::string, StepRecord>& records,
                                   const StepId& step, Instant now, const date::time_zone* zone,
                                   const Modes& modes, const std::optional<Instant>& hint_time,
                                   const std::optional<std::string>& hint_id) {
  const StepDef* def = plan.protocol.find_step(step);
  if (!def) {
    std::string known;
    for (const auto& s : plan.protocol.steps) known += (known.empty() ? "" : ", ") + s.id.value();
    return invalid_input(NoticeId::kUnknownStep, {{"step", step.value()}, {"known", known}});
  }
  if (def->condition && !modes.active(*def->condition, hint_time.value_or(now))) {
    return invalid_input(NoticeId::kStepNeedsMode,
                         {{"step", step.value()}, {"mode", *def->condition}});
  }
  const Instant centre = hint_time.value_or(now);
  std::vector<StepItem> items;
  for (const auto& occurrence :
       expand_steps(plan, zones, centre - date::days(3), centre + date::days(3), modes)) {
    if (occurrence.step == def) items.push_back(classify(occurrence, records, now));
  }
  if (hint_id) {
    for (const auto& item : items) {
      if (item.occurrence.id == *hint_id) return item;
    }
    // Ids of far-away occurrences: search the whole plan once.
    for (const auto& occurrence :
         expand_steps(plan, zones, plan.details.treated_at, plan_end(plan), modes)) {
      if (occurrence.id == *hint_id) return classify(occurrence, records, now);
    }
    return invalid_input(NoticeId::kNotAnOccurrence,
                         {{"occurrence", *hint_id}, {"step", step.value()}});
  }
  if (hint_time) {
    for (const auto& item : items) {
      if (item.occurrence.scheduled == *hint_time) return item;
    }
    for (const auto& item : items) {
      if (item.occurrence.scheduled <= *hint_time && *hint_time < item.occurrence.due_until) {
        return item;
      }
    }
    return invalid_input(NoticeId::kNoOccurrenceAt, {{"step", step.value()},
                                                     {"time", format_iso(*hint_time, zone)},
                                                     {"clock", format_clock(*hint_time, zone)}});
  }
  const auto today = local_date(now, zone);
  for (const auto& item : items) {
    if (item.status == OccurrenceStatus::kDue) return item;
  }
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (it->status == OccurrenceStatus::kMissed && it->occurrence.local_day == today) return *it;
  }
  for (const auto& item : items) {
    if (item.status == OccurrenceStatus::kUpcoming &&
        (item.occurrence.local_day == today || item.occurrence.scheduled - now <= hours(3))) {
      return item;
    }
  }
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (it->occurrence.local_day == today && it->record) {
      return invalid_input(
          NoticeId::kTodayAlreadyMarked,
          {{"step", step.value()}, {"action", step_action_name(it->record->action)}});
    }
  }
  for (const auto& item : items) {
    if (item.status == OccurrenceStatus::kUpcoming) {
      return invalid_input(NoticeId::kNothingToCheckOff,
                           {{"step", step.value()},
                            {"time", format_iso(item.occurrence.scheduled, zone)},
                            {"clock", format_clock(item.occurrence.scheduled, zone)}});
    }
  }
  return invalid_input(NoticeId::kNotPlannedNow, {{"step", step.value()}});
}

}  // namespace aftercare
