#include <algorithm>

#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

namespace {

std::string status_text(const Strings& strings, const ReminderItem& item,
                        const date::time_zone* zone, bool clock_24h) {
  const std::string time = clock_time(item.fire_at, zone, clock_24h);
  switch (item.status) {
    case ReminderStatus::kScheduled:
      return strings.format("reminder.scheduled", {{"time", time}});
    case ReminderStatus::kSnoozed:
      return strings.format("reminder.snoozed", {{"time", time}});
    case ReminderStatus::kFired:
      return strings.get("reminder.fired");
    case ReminderStatus::kCompleted:
      return strings.get("reminder.completed");
    case ReminderStatus::kDismissed:
      return strings.get("reminder.dismissed");
    case ReminderStatus::kMissed:
      return strings.get("reminder.missed");
  }
  return {};
}

// The window the phone hands to the OS, soonest first; the first 20 on screen, each with its
// state, and Snooze and Dismiss while it is open.
void draw_reminder_cards(ViewContext& view, const PatientSnapshot& patient, Action& action) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  const date::time_zone* zone = patient.today->timeline.zone;
  std::size_t shown = 0;
  for (const ReminderItem& item : patient.reminders->items) {
    if (++shown > 20) break;
    begin_card(theme, item.reminder.id.c_str());
    text_wrapped(theme.text, std::string(item.reminder.title));
    text_wrapped(item.status == ReminderStatus::kFired ? theme.accent : theme.muted,
                 status_text(strings, item, zone, view.state.clock_24h));
    const bool open = item.status == ReminderStatus::kScheduled ||
                      item.status == ReminderStatus::kSnoozed ||
                      item.status == ReminderStatus::kFired;
    if (open) {
      if (touch_button(theme, strings.get("reminders.snooze").c_str(), 96)) {
        action = Action::of(Action::Kind::kSnooze);
        action.id = item.reminder.id;
      }
      ImGui::SameLine();
      if (touch_button(theme, strings.get("reminders.dismiss").c_str(), 96, false)) {
        action = Action::of(Action::Kind::kDismiss);
        action.id = item.reminder.id;
      }
    }
    end_card(theme);
  }
}

}  // namespace

Action draw_reminders(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  Action action;
  title(theme, strings.get("reminders.title"));
  const ReminderSettings& settings = patient.settings;
  if (touch_toggle(theme, strings.get("reminders.outdoors").c_str(), patient.outdoors)) {
    action = Action::of(Action::Kind::kSetOutdoors);
    action.flag = !patient.outdoors;
  }
  const auto change = [&](ReminderSettings next) {
    action = Action::of(Action::Kind::kSetReminderSettings);
    action.reminder_settings = next;
  };
  if (touch_toggle(theme, strings.get("reminders.quiet_on").c_str(), settings.quiet_hours)) {
    ReminderSettings next = settings;
    next.quiet_hours = !settings.quiet_hours;
    change(next);
  }
  // Quiet hours and the snooze length, a step at a time: half hours, five minutes.
  const auto stepper = [&](const char* id, const std::string& text, ReminderSettings less,
                           ReminderSettings more) {
    ImGui::PushID(id);
    if (touch_button(theme, "-", 0, false)) change(less);
    ImGui::SameLine();
    if (touch_button(theme, "+", 0, false)) change(more);
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    text_wrapped(theme.text, text);
    ImGui::PopID();
  };
  const auto shift = [](TimeOfDay time, int minutes) {
    constexpr int kDay = 24 * 60;
    return TimeOfDay((time.count() + minutes + kDay) % kDay);
  };
  if (settings.quiet_hours) {
    ReminderSettings earlier = settings, later = settings;
    earlier.quiet_start = shift(settings.quiet_start, -30);
    later.quiet_start = shift(settings.quiet_start, 30);
    stepper(
        "start",
        strings.format("reminders.quiet_from", {{"time", time_of_day_text(settings.quiet_start)}}),
        earlier, later);
    earlier = later = settings;
    earlier.quiet_end = shift(settings.quiet_end, -30);
    later.quiet_end = shift(settings.quiet_end, 30);
    stepper(
        "end",
        strings.format("reminders.quiet_until", {{"time", time_of_day_text(settings.quiet_end)}}),
        earlier, later);
  }
  ReminderSettings shorter = settings, longer = settings;
  shorter.snooze = std::max(std::chrono::minutes(5), settings.snooze - std::chrono::minutes(5));
  longer.snooze = std::min(std::chrono::minutes(120), settings.snooze + std::chrono::minutes(5));
  stepper("snooze",
          strings.format("reminders.snooze_for",
                         {{"minutes", std::to_string(settings.snooze.count())}}),
          shorter, longer);
  ImGui::Spacing();
  if (!patient.reminders || patient.reminders->items.empty() || !patient.today) {
    text_wrapped(theme.muted, strings.get("reminders.none"));
    return action;
  }
  draw_reminder_cards(view, patient, action);
  return action;
}

}  // namespace aftercare::ui
