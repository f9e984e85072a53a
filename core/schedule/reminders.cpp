#include "schedule/reminders.h"
#include "base/names.h"

#include <algorithm>

#include "schedule/timeline.h"

namespace aftercare {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr minutes kMinimumWindow{30};
constexpr hours kInformationWindow{24};  // how long a "restriction ended" note stays current

bool in_quiet_hours(TimeOfDay time, const ReminderSettings& settings) {
  if (settings.quiet_start == settings.quiet_end) return false;
  if (settings.quiet_start < settings.quiet_end) {
    return time >= settings.quiet_start && time < settings.quiet_end;
  }
  return time >= settings.quiet_start || time < settings.quiet_end;
}

// The local time of day of `at` in the zone the device is in then, and its local date.
std::pair<date::local_days, TimeOfDay> local_day_and_time(Instant at, const ZoneHistory& zones) {
  const LocalSeconds local = to_local(at, zones.zone_at(at));
  const date::local_days day = date::floor<date::days>(local);
  return {day, date::floor<minutes>(local - day)};
}

bool quiet_at(Instant at, const ReminderSettings& settings, const ZoneHistory& zones) {
  return settings.quiet_hours && in_quiet_hours(local_day_and_time(at, zones).second, settings);
}

// How long before quiet hours a reminder that may not wait for their end comes instead.
constexpr minutes kBeforeQuietHours{30};

// Half an hour before the quiet hours that hold `at` began (`at` is in them).
Instant before_quiet_hours(Instant at, const ReminderSettings& settings, const ZoneHistory& zones) {
  const auto [day, time] = local_day_and_time(at, zones);
  // The morning part of quiet hours that wrap midnight began the evening before.
  const bool began_yesterday =
      settings.quiet_start > settings.quiet_end && time < settings.quiet_end;
  const date::local_days start_day = began_yesterday ? day - date::days(1) : day;
  return resolve_local(LocalMinutes{start_day.time_since_epoch() + settings.quiet_start},
                       zones.zone_at(at)) -
         kBeforeQuietHours;
}

// When `reminder` fires, first or again after a snooze until `snoozed_until`: past quiet hours,
// except that "Next session tomorrow" is never carried onto the session's own day; it comes
// before quiet hours the evening before instead.
Instant fire_time(const Reminder& reminder, std::optional<Instant> snoozed_until,
                  const ReminderSettings& settings, const ZoneHistory& zones) {
  const Instant planned = snoozed_until ? std::max(reminder.at, *snoozed_until) : reminder.at;
  const Instant deferred = defer_past_quiet_hours(planned, settings, zones);
  if (reminder.kind != ReminderKind::kSession || deferred == planned || snoozed_until) {
    return deferred;
  }
  const auto session_day = local_day_and_time(reminder.expires, zones).first;
  if (local_day_and_time(deferred, zones).first < session_day) return deferred;
  return before_quiet_hours(planned, settings, zones);
}

// A little after the plan's last moment: the reminder a day before the next session included.
Instant plan_horizon(const Plan& plan) { return plan_last_moment(plan) + date::days(2); }

}  // namespace

std::vector<Reminder> expand_reminders(const Plan& plan, const ZoneHistory& zones, Instant from,
                                       Instant to, const Modes& modes) {
  auto occurrences = expand_steps(plan, zones, from, to, modes);
  std::vector<Reminder> out;
  out.reserve(occurrences.size() + plan.protocol.restrictions.size() + 1);
  for (auto& occurrence : occurrences) {
    out.push_back({std::move(occurrence.id), ReminderKind::kStep, occurrence.step->title,
                   occurrence.step->instructions, occurrence.scheduled, occurrence.due_until,
                   occurrence.step, nullptr});
  }
  const auto steps_end = static_cast<std::ptrdiff_t>(out.size());
  const Instant treated = plan.details.treated_at;
  for (const auto& restriction : plan.protocol.restrictions) {
    const Instant ends = treated + restriction.duration;
    if (ends < from || ends >= to || restriction.duration == Offset{}) continue;
    // "You may wear makeup again." / "Mineral makeup only at first."
    out.push_back({"lifted:" + restriction.id.value(), ReminderKind::kLifted,
                   restriction.ended.empty() ? restriction.title : restriction.ended,
                   restriction.afterwards, ends, ends + kInformationWindow, nullptr, nullptr});
  }
  if (plan.session_number < plan.protocol.series.sessions) {
    const int next = plan.session_number + 1;
    const Instant session = treated + plan.protocol.series.interval;
    const Instant at = session - date::days(1);
    if (at >= from && at < to) {
      std::string body = "Session " + std::to_string(next) + " of " +
                         std::to_string(plan.protocol.series.sessions) + " is due tomorrow";
      if (!plan.details.clinic_name.empty()) body += " at " + plan.details.clinic_name;
      body += ".";
      if (!plan.details.clinic_phone.empty()) {
        body += " Call " + plan.details.clinic_phone + " to confirm the time.";
      }
      auto owned = std::make_shared<const std::string>(std::move(body));
      out.push_back({"session:" + std::to_string(next), ReminderKind::kSession,
                     "Next session tomorrow", *owned, at, session, nullptr, owned});
    }
  }
  // Step occurrences come sorted; only the few one-offs need placing among them.
  const auto earlier = [](const Reminder& a, const Reminder& b) { return a.at < b.at; };
  std::stable_sort(out.begin() + steps_end, out.end(), earlier);
  std::inplace_merge(out.begin(), out.begin() + steps_end, out.end(), earlier);
  return out;
}

Instant defer_past_quiet_hours(Instant at, const ReminderSettings& settings,
                               const ZoneHistory& zones) {
  if (!quiet_at(at, settings, zones)) return at;
  const auto [day, time] = local_day_and_time(at, zones);
  // Evening part of quiet hours that wrap midnight: they end tomorrow.
  const bool ends_tomorrow =
      settings.quiet_start > settings.quiet_end && time >= settings.quiet_start;
  const date::local_days end_day = ends_tomorrow ? day + date::days(1) : day;
  return resolve_local(LocalMinutes{end_day.time_since_epoch() + settings.quiet_end},
                       zones.zone_at(at));
}

namespace {
constexpr EnumName<ReminderStatus> kStatuses[] = {
    {ReminderStatus::kScheduled, "scheduled"}, {ReminderStatus::kSnoozed, "snoozed"},
    {ReminderStatus::kFired, "fired"},         {ReminderStatus::kCompleted, "completed"},
    {ReminderStatus::kDismissed, "dismissed"}, {ReminderStatus::kMissed, "missed"},
};
}  // namespace

const char* reminder_status_name(ReminderStatus status) { return name_in(kStatuses, status); }

std::vector<ReminderItem> reminder_items(const ReminderState& state, Instant from, Instant to,
                                         Instant now) {
  struct Folded {
    bool completed = false;
    bool dismissed = false;
    bool missed_reported = false;
    std::optional<Instant> snoozed_until;
    std::optional<Instant> fired_at;
    bool fired_since_snooze = false;
  };
  std::map<std::string, Folded> folded;
  for (const auto& event : state.events) {
    Folded& f = folded[event.reminder];
    switch (event.action) {
      case ReminderAction::kFired:
        f.fired_at = event.at;
        f.fired_since_snooze = true;
        break;
      case ReminderAction::kSnoozed:
        f.snoozed_until = event.until;
        f.fired_since_snooze = false;
        break;
      case ReminderAction::kDismissed:
        f.dismissed = true;
        break;
      case ReminderAction::kCompleted:
        f.completed = true;
        break;
      case ReminderAction::kMissedReported:
        f.missed_reported = true;
        break;
    }
  }
  std::vector<ReminderItem> items;
  for (auto& reminder : expand_reminders(state.plan, state.zones, from, to, state.modes)) {
    if (reminder.expires <= state.plan.created_at) continue;
    const Folded f = folded.count(reminder.id) ? folded.at(reminder.id) : Folded{};
    ReminderItem item;
    item.fire_at = fire_time(reminder, f.snoozed_until, state.settings, state.zones);
    item.expires = std::max(reminder.expires, item.fire_at + kMinimumWindow);
    item.fired_at = f.fired_at;
    item.missed_reported = f.missed_reported;
    const bool step_settled =
        reminder.kind == ReminderKind::kStep && state.step_records.count(reminder.id) > 0;
    if (f.completed || step_settled) {
      item.status = ReminderStatus::kCompleted;
    } else if (f.dismissed) {
      item.status = ReminderStatus::kDismissed;
    } else if (now >= item.expires) {
      item.status = ReminderStatus::kMissed;
    } else if (f.snoozed_until && !f.fired_since_snooze) {
      item.status = ReminderStatus::kSnoozed;
    } else if (f.fired_at) {
      item.status = ReminderStatus::kFired;
    }
    item.reminder = std::move(reminder);
    items.push_back(std::move(item));
  }
  return items;
}

DueReminders due_reminders(const ReminderState& state, Instant now) {
  DueReminders due;
  // Nothing is shown in quiet hours, whatever it is: what came due while the app was closed and
  // the summary of what was missed wait for their end with the rest.
  if (quiet_at(now, state.settings, state.zones)) {
    due.quiet_until = defer_past_quiet_hours(now, state.settings, state.zones);
    return due;
  }
  const Instant from = state.plan.details.treated_at;
  for (auto& item : reminder_items(state, from, std::max(now, from) + date::days(2), now)) {
    // Once reported missed, a reminder stays missed even if the clock is set back.
    const bool waiting =
        (item.status == ReminderStatus::kScheduled || item.status == ReminderStatus::kSnoozed) &&
        !item.missed_reported;
    if (waiting && item.fire_at <= now) {
      due.to_record.push_back(
          {0, state.plan.id, item.reminder.id, ReminderAction::kFired, now, std::nullopt});
      item.status = ReminderStatus::kFired;
      item.fired_at = now;
      due.firing.push_back(std::move(item));
    } else if (item.status == ReminderStatus::kMissed && !item.missed_reported) {
      due.to_record.push_back(
          {0, state.plan.id, item.reminder.id, ReminderAction::kMissedReported, now, std::nullopt});
      item.missed_reported = true;
      due.missed.push_back(std::move(item));
    }
  }
  return due;
}

std::vector<ReminderItem> notification_window(const ReminderState& state, Instant now, int limit) {
  std::vector<ReminderItem> window;
  const Instant end = std::max(plan_horizon(state.plan), now + date::days(1));
  for (auto& item : reminder_items(state, now - date::days(2), end, now)) {
    const bool waiting =
        item.status == ReminderStatus::kScheduled || item.status == ReminderStatus::kSnoozed;
    if (waiting && item.fire_at > now) window.push_back(std::move(item));
  }
  std::stable_sort(window.begin(), window.end(), [](const ReminderItem& a, const ReminderItem& b) {
    return a.fire_at < b.fire_at;
  });
  if (window.size() > static_cast<std::size_t>(std::max(limit, 0))) window.resize(limit);
  return window;
}

}  // namespace aftercare
