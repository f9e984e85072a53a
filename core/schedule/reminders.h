#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/modes.h"
#include "domain/plan.h"
#include "domain/reminder.h"
#include "domain/step_log.h"
#include "schedule/zone_history.h"

namespace aftercare {

/// One planned reminder occurrence, before any state.
struct Reminder {
  /// Stable across restarts, clock jumps and zone changes: the step occurrence id
  /// ("cleanse_pm@2027-03-14T20:00"), "lifted:<restriction>" or "session:<number>".
  std::string id;
  ReminderKind kind = ReminderKind::kStep;
  /// Texts point into the plan's protocol (or into `owned`); the plan must outlive them.
  std::string_view title;
  std::string_view body;
  Instant at;       ///< When it is planned.
  Instant expires;  ///< When its window closes (a step's window; a day for the others).
  const StepDef* step = nullptr;             ///< kStep only; points into the plan.
  std::shared_ptr<const std::string> owned;  ///< Text composed for this reminder, if any.
};

/// Every reminder of `plan` planned in [from, to), in time order: each step occurrence (routines
/// follow the zone of the day, see expand_steps), the end of each restriction at its exact
/// instant, and the next session of the series a day before it.
std::vector<Reminder> expand_reminders(const Plan& plan, const ZoneHistory& zones, Instant from,
                                       Instant to, const Modes& modes);

/// `at`, or the end of the quiet hours when `at` falls in them (local wall time of the zone the
/// device is in then). Quiet hours defer; they never drop a reminder.
Instant defer_past_quiet_hours(Instant at, const ReminderSettings& settings,
                               const ZoneHistory& zones);

enum class ReminderStatus {
  kScheduled,  ///< Not fired yet (fire_at may already be due).
  kSnoozed,    ///< Snoozed until fire_at.
  kFired,      ///< Shown; waiting for an answer.
  kCompleted,  ///< Done (for a step: checked off or skipped).
  kDismissed,
  kMissed,  ///< Its window closed unanswered.
};

const char* reminder_status_name(ReminderStatus status);

/// A reminder and where it stands at one moment.
struct ReminderItem {
  Reminder reminder;
  ReminderStatus status = ReminderStatus::kScheduled;
  /// When it fires (next): planned or snoozed time, past quiet hours; "Next session tomorrow"
  /// that quiet hours would carry onto the session's day comes half an hour before them instead.
  Instant fire_at;
  Instant expires;                  ///< Its window's close, never before fire_at + 30 min.
  std::optional<Instant> fired_at;  ///< The latest firing.
  bool missed_reported = false;
};

/// Everything that decides reminder state; references must outlive the call.
struct ReminderState {
  const Plan& plan;
  const ZoneHistory& zones;
  const Modes& modes;
  const std::map<std::string, StepRecord>& step_records;
  const std::vector<ReminderEvent>& events;  ///< Ascending seq.
  const ReminderSettings& settings;
};

/// The reminders planned in [from, to) with their state at `now`. Windows that closed before
/// the plan was entered are left out: they were never the patient's to miss.
std::vector<ReminderItem> reminder_items(const ReminderState& state, Instant from, Instant to,
                                         Instant now);

/// What `reminders due` does at `now`.
struct DueReminders {
  std::vector<ReminderItem> firing;  ///< Fire now, each once (again only after a snooze).
  /// Closed unanswered and not reported before: shown as one summary, never one by one.
  std::vector<ReminderItem> missed;
  std::vector<ReminderEvent> to_record;  ///< kFired and kMissedReported events to store.
  /// Set in quiet hours, when nothing is shown: the moment they end.
  std::optional<Instant> quiet_until;
};

/// Nothing fires and nothing is reported in quiet hours, whatever it is (what came due while the
/// app was closed, a snooze's end, the missed summary): it all waits for their end.
DueReminders due_reminders(const ReminderState& state, Instant now);

/// The next `limit` reminders to mirror into the operating system: not yet fired, answered or
/// missed, firing after `now`, soonest first.
std::vector<ReminderItem> notification_window(const ReminderState& state, Instant now, int limit);

}  // namespace aftercare
