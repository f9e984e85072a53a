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

// The id of a routine's occurrence: the step and the local wall time it was planned at.
std::string occurrence_id(const StepDef& step, LocalMinutes local) {
  const auto when = local_minute_chars(local);
  std::string id;
  id.reserve(step.id.value().size() + 1 + when.size() + 6);
  id.append(step.id.value()).append(1, '@').append(when.data(), when.size());
  return id;
}

// "+13:00": with the local time, names one instant, when a trip repeats a local date and time.
void append_offset(std::string& id, LocalMinutes local, Instant at) {
  const auto offset = local.time_since_epoch() - date::floor<minutes>(at.time_since_epoch());
  const auto total = std::chrono::abs(offset).count();
  const char text[] = {
      offset.count() < 0 ? '-' : '+',           static_cast<char>('0' + total / 600),
      static_cast<char>('0' + total / 60 % 10), ':',
      static_cast<char>('0' + total % 60 / 10), static_cast<char>('0' + total % 10)};
  id.append(text, sizeof text);
}

// Half a routine's spacing: 24 h divided by its times a day, halved; for a step repeated at an
// interval, half the interval (its own occurrences come that close within one zone).
seconds half_spacing(const StepDef& step, std::size_t times) {
  if (step.kind == ScheduleKind::kEvery) return seconds(step.interval) / 2;
  return seconds(hours(12)) / static_cast<seconds::rep>(std::max<std::size_t>(1, times));
}

// A routine's wall-clock occurrence in one zone, before it is planned.
struct Candidate {
  Instant at;
  LocalMinutes local;
  date::local_days day;
  const date::time_zone* zone;
};

// The wall-clock occurrences of `times` in `zone` scheduled in [lo, hi), in order.
template <typename Visit>
void each_wall_time(const std::vector<TimeOfDay>& times, const date::time_zone* zone, Instant lo,
                    Instant hi, Visit&& visit) {
  if (lo >= hi) return;
  WallClockResolver wall_clock(zone);
  // One day of slack on each side: a local day can start before or end after the range.
  const date::local_days first_day{date::floor<date::days>(to_local(lo, zone)) - date::days(1)};
  const date::local_days last_day{date::floor<date::days>(to_local(hi - seconds(1), zone)) +
                                  date::days(1)};
  for (date::local_days day = first_day; day <= last_day; day += date::days(1)) {
    for (const TimeOfDay time : times) {
      const LocalMinutes local{day.time_since_epoch() + time};
      const Instant at = wall_clock.resolve(local);
      if (lo <= at && at < hi) visit(Candidate{at, local, day, zone});
    }
  }
}

// CLI.md's travel rule for one routine. What a zone plans depends on what the zones before it
// planned, so every segment is planned from the step's start to the segment's end whatever
// [lo, hi) asks for; only [lo, hi) is kept.
//
// Occurrences planned before a change keep their instants: those of the old zone before the
// change, and its next ones until the new zone's first, which the app had already announced.
// Read that way, the rule's bounds hold (no step twice within half its spacing, no gap longer
// than its longest within one zone plus half its spacing): without the old zone's next one, a
// change seen hours after the old zone's last occurrence would leave nearly two spacings empty.
void expand_travelling(const Plan& plan, const StepDef& step, const std::vector<TimeOfDay>& times,
                       const ZoneHistory& zones, Instant lo, Instant hi, const Modes& modes,
                       std::vector<Occurrence>& out) {
  const Instant treated = plan.details.treated_at;
  const Instant step_lo = treated + step.from;
  const Instant step_hi = step.until ? treated + *step.until : Instant::max();
  const seconds half = half_spacing(step, times.size());
  const auto& segments = zones.segments();
  std::vector<Instant> before;          // this step's planned occurrences, in order
  std::vector<Candidate> continuation;  // the previous zone's, from its segment's end on
  std::set<std::string> ids;
  auto plan_one = [&](const Candidate& c) {
    before.insert(std::upper_bound(before.begin(), before.end(), c.at), c.at);
    std::string id = occurrence_id(step, c.local);
    if (!ids.insert(id).second) {  // the date line eastward repeats a local date and time
      append_offset(id, c.local, c.at);
      ids.insert(id);
    }
    if (lo <= c.at && c.at < hi) {
      out.push_back(
          {&step, std::move(id), c.at, c.at + step.window, date::year_month_day{c.day}, c.zone});
    }
  };
  auto too_close = [&](Instant at) {
    const auto next = std::lower_bound(before.begin(), before.end(), at);
    return (next != before.end() && *next - at < half) ||
           (next != before.begin() && at - *std::prev(next) < half);
  };
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const auto& segment = segments[k];
    const bool last = k + 1 == segments.size();
    // After a change, an occurrence whose window is still open at the change is planned too.
    const Instant seg_lo =
        k == 0 ? step_lo : std::max(step_lo, segment.from - step.window + seconds(1));
    const Instant seg_hi = last ? std::min(hi, step_hi) : std::min(step_hi, segment.to);
    // Two days past the segment's end: the next segment's continuation.
    const Instant wall_hi = last ? seg_hi : std::min(step_hi, segment.to + date::days(2));
    std::vector<Candidate> mine;
    std::vector<Candidate> beyond;
    each_wall_time(times, segment.zone, seg_lo, wall_hi, [&](const Candidate& c) {
      if (step.condition && !modes.active(*step.condition, c.at)) return;
      (c.at < seg_hi ? mine : beyond).push_back(c);
    });
    const Instant first_new = mine.empty() ? seg_hi : mine.front().at;
    for (const auto& c : continuation) {
      if (segment.from <= c.at && c.at < first_new) plan_one(c);
    }
    for (const auto& c : mine) {
      if (k == 0 || !too_close(c.at)) plan_one(c);
    }
    continuation = std::move(beyond);
  }
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
      out.push_back({&step, step.id.value(), at, at + step.window, local_date(at, zone), zone});
    }
    return;
  }
  const auto times = times_of_day(step);
  if (times.empty()) return;
  if (zones.segments().size() > 1) {
    expand_travelling(plan, step, times, zones, lo, hi, modes, out);
    return;
  }
  const auto* zone = zones.segments().front().zone;
  out.reserve(out.size() + static_cast<std::size_t>((hi - lo) / date::days(1) + 3) * times.size());
  each_wall_time(times, zone, lo, hi, [&](const Candidate& c) {
    if (!mode_allows(c.at)) return;
    out.push_back({&step, occurrence_id(step, c.local), c.at, c.at + step.window,
                   date::year_month_day{c.day}, zone});
  });
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

Timing timing_of(Instant at, const Occurrence& occurrence) {
  if (at < occurrence.scheduled) return Timing::kEarly;
  return at < occurrence.due_until ? Timing::kInWindow : Timing::kLate;
}

Timing event_timing(const StepEvent& event, const StepDef& step) {
  if (event.at < event.scheduled_at) return Timing::kEarly;
  return event.at < event.scheduled_at + step.window ? Timing::kInWindow : Timing::kLate;
}

namespace {
constexpr EnumName<Timing> kTimings[] = {
    {Timing::kEarly, "early"}, {Timing::kInWindow, "in_window"}, {Timing::kLate, "late"}};
}  // namespace

const char* timing_name(Timing timing) { return name_in(kTimings, timing); }

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
  const date::year_month_day treated_day = local_date(treated, zone);
  std::map<date::sys_days, Adherence> by_day;
  for (const auto& occurrence : expand_steps(plan, zones, treated, horizon, modes)) {
    StepItem item = classify(occurrence, records, now);
    // A window that closed before the plan was entered was not the patient's to miss.
    if (item.status == OccurrenceStatus::kMissed && occurrence.due_until <= plan.created_at) {
      continue;
    }
    // Listed under the local date of its instant in the current zone; one due now, or marked
    // today (early or late), under today. Adherence counts it on its own date, wherever listed.
    const auto day = local_date(occurrence.scheduled, zone);
    const bool listed_today = day == timeline.today || item.status == OccurrenceStatus::kDue ||
                              (item.record && local_date(item.record->at, zone) == timeline.today);
    if (day == timeline.today) count(timeline.today_adherence, item.status);
    if (day <= timeline.today && day >= treated_day) {
      count(timeline.overall_adherence, item.status);
      count(by_day.try_emplace(date::sys_days{day}, Adherence{day}).first->second, item.status);
    }
    if (listed_today) {
      timeline.today_steps.push_back(std::move(item));
    } else if (day > timeline.today) {
      if (!item.record) timeline.coming_days.push_back(std::move(item));
    } else if (item.status == OccurrenceStatus::kMissed) {
      timeline.earlier_missed.push_back(std::move(item));
    }
  }
  for (auto& [day, adherence] : by_day) timeline.adherence_by_day.push_back(adherence);
  std::reverse(timeline.earlier_missed.begin(), timeline.earlier_missed.end());
  timeline.today_adherence.day = timeline.today;

  if (now < treated) {
    for (const auto& item : plan.protocol.preparation) {
      const Instant from = treated - item.before;
      timeline.preparation.push_back({&item, from, now >= from});
    }
  }
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
  // The action belongs to the occurrence whose window holds the moment (the first not yet marked
  // when windows overlap); outside every window, to the nearest one, late or early.
  const StepItem* holding = nullptr;
  for (const auto& item : items) {
    if (timing_of(now, item.occurrence) != Timing::kInWindow) continue;
    if (!item.record) return item;
    if (!holding) holding = &item;
  }
  if (holding) return *holding;
  const StepItem* nearest = nullptr;
  seconds nearest_distance = seconds::max();
  for (const auto& item : items) {
    const seconds distance = now < item.occurrence.scheduled ? item.occurrence.scheduled - now
                                                             : now - item.occurrence.due_until;
    // At equal distance, one not yet marked.
    if (distance < nearest_distance ||
        (distance == nearest_distance && nearest->record && !item.record)) {
      nearest = &item;
      nearest_distance = distance;
    }
  }
  // Beyond half the step's spacing (a one-off's: 12 h) the moment belongs to none of them: before
  // the plan's first one, after its last, or a night between two of a step planned several times
  // a day.
  const seconds limit = def->kind == ScheduleKind::kOnce
                            ? seconds(hours(12))
                            : half_spacing(*def, times_of_day(*def).size());
  if (nearest && nearest_distance <= limit) return *nearest;
  for (const auto& item : items) {
    if (item.status != OccurrenceStatus::kUpcoming) continue;
    return invalid_input(NoticeId::kNothingToCheckOff,
                         {{"step", step.value()},
                          {"time", format_iso(item.occurrence.scheduled, zone)},
                          {"clock", format_clock(item.occurrence.scheduled, zone)}});
  }
  return invalid_input(NoticeId::kNotPlannedNow, {{"step", step.value()}});
}

}  // namespace aftercare
