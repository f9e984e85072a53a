#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/ids.h"
#include "domain/protocol.h"

namespace aftercare {

/// What a reminder is about.
enum class ReminderKind {
  kStep,     ///< An occurrence of a step; its id is the occurrence id.
  kLifted,   ///< A restriction has ended ("you may wear makeup again"); id "lifted:<restriction>".
  kSession,  ///< The next session of the series, a day ahead; id "session:<number>".
};

const char* reminder_kind_name(ReminderKind kind);

/// What happened to a reminder, as stored (append-only).
enum class ReminderAction {
  kFired,           ///< Handed to the patient (notification shown, `reminders due`).
  kSnoozed,         ///< Fire again at `until`.
  kDismissed,       ///< Not wanted; never fires again.
  kCompleted,       ///< Acknowledged as done (a step reminder is completed by its check-off).
  kMissedReported,  ///< Its window closed unanswered and a missed-summary told the patient.
};

const char* reminder_action_name(ReminderAction action);
std::optional<ReminderAction> reminder_action_from(const std::string& name);

struct ReminderEvent {
  std::int64_t seq = 0;
  PlanId plan;
  std::string reminder;  ///< The reminder id.
  ReminderAction action = ReminderAction::kFired;
  Instant at;
  std::optional<Instant> until;  ///< kSnoozed only.
};

/// The patient's reminder preferences.
struct ReminderSettings {
  bool quiet_hours = true;
  TimeOfDay quiet_start{22 * 60};  ///< Local wall time; may be after quiet_end (wraps midnight).
  TimeOfDay quiet_end{7 * 60};
  std::chrono::minutes snooze{10};
  /// How many upcoming reminders a platform mirrors into the OS (iOS keeps at most 64).
  int window = 48;
};

/// "22:00" from minutes after midnight; `parse_time_of_day` reads it back.
std::string time_of_day_text(TimeOfDay time);
std::optional<TimeOfDay> parse_time_of_day(const std::string& text);

/// Quiet hours as text: "22:00-07:00", or "off". The one reading of that text, for what is
/// stored and what the CLI's --quiet takes.
std::string quiet_hours_text(const ReminderSettings& settings);
/// Sets `settings`' quiet hours from that text; false (and `settings` unchanged) for any other.
bool parse_quiet_hours(const std::string& text, ReminderSettings& settings);

}  // namespace aftercare
