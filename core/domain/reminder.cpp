#include "domain/reminder.h"
#include "base/names.h"

#include <cctype>
#include <cstdio>

namespace aftercare {

namespace {
constexpr EnumName<ReminderKind> kKinds[] = {
    {ReminderKind::kStep, "step"},
    {ReminderKind::kLifted, "lifted"},
    {ReminderKind::kSession, "session"},
};
constexpr EnumName<ReminderAction> kActions[] = {
    {ReminderAction::kFired, "fired"},
    {ReminderAction::kSnoozed, "snoozed"},
    {ReminderAction::kDismissed, "dismissed"},
    {ReminderAction::kCompleted, "completed"},
    {ReminderAction::kMissedReported, "missed_reported"},
};
}  // namespace

const char* reminder_kind_name(ReminderKind kind) { return name_in(kKinds, kind); }

const char* reminder_action_name(ReminderAction action) { return name_in(kActions, action); }

std::optional<ReminderAction> reminder_action_from(const std::string& name) {
  return value_named(kActions, name);
}

std::string time_of_day_text(TimeOfDay time) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(time.count() / 60 % 24),
                static_cast<int>(time.count() % 60));
  return text;
}

std::optional<TimeOfDay> parse_time_of_day(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return TimeOfDay(hours * 60 + minutes);
}

std::string quiet_hours_text(const ReminderSettings& settings) {
  if (!settings.quiet_hours) return "off";
  return time_of_day_text(settings.quiet_start) + "-" + time_of_day_text(settings.quiet_end);
}

bool parse_quiet_hours(const std::string& text, ReminderSettings& settings) {
  if (text == "off") {
    settings.quiet_hours = false;
    return true;
  }
  if (text.size() != 11 || text[5] != '-') return false;
  const auto start = parse_time_of_day(text.substr(0, 5));
  const auto end = parse_time_of_day(text.substr(6));
  if (!start || !end) return false;
  settings.quiet_hours = true;
  settings.quiet_start = *start;
  settings.quiet_end = *end;
  return true;
}

}  // namespace aftercare
