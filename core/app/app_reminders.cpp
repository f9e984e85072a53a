// The reminder use cases of App: state, firing, the OS window, snooze/dismiss/complete,
// modes and settings.
#include <charconv>

#include "app/app.h"
#include "base/duration_text.h"
#include "exchange/ics_writer.h"

namespace aftercare {

namespace {

constexpr const char* kQuietHoursKey = "quiet_hours";
constexpr const char* kSnoozeKey = "snooze_minutes";
constexpr const char* kWindowKey = "notification_window";
constexpr int kMaxWindow = 60;  // iOS drops pending notifications past 64
constexpr std::chrono::minutes kMaxSnooze{24 * 60};

std::optional<int> parse_int(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Notification to_notification(const ReminderItem& item) {
  return {item.reminder.id, std::string(item.reminder.title), std::string(item.reminder.body),
          item.fire_at};
}

}  // namespace

Result<App::PlanState> App::load_state() {
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  auto zones = zone_history();
  if (!zones) return zones.error();
  auto steps = store_->step_events((*plan)->id);
  if (!steps) return steps.error();
  auto modes = store_->mode_changes();
  if (!modes) return modes.error();
  auto events = store_->reminder_events((*plan)->id);
  if (!events) return events.error();
  auto settings = reminder_settings();
  if (!settings) return settings.error();
  return PlanState{*plan,
                   std::move(*zones),
                   Modes::from_changes(std::move(*modes)),
                   fold_step_events(*steps),
                   std::move(*events),
                   *settings};
}

Result<ReminderSnapshot> App::reminders(Instant from, Instant to) {
  if (to <= from) return invalid_input(NoticeId::kWindowOrder);
  AFTERCARE_TRY(sync_zone(true));
  auto state = load_state();
  if (!state) return state.error();
  return ReminderSnapshot{state->plan, reminder_items(state->view(), from, to, clock_.now()),
                          state->settings};
}

Result<DueSnapshot> App::fire_due_reminders() {
  AFTERCARE_TRY(sync_zone(true));
  auto state = load_state();
  if (!state) return state.error();
  const Instant now = clock_.now();
  DueSnapshot snapshot{state->plan, due_reminders(state->view(), now), std::nullopt};
  // Stored in one transaction before anything is shown: a crash cannot show a reminder twice.
  AFTERCARE_TRY(store_->append_reminder_events(snapshot.due.to_record));
  const auto& missed = snapshot.due.missed;
  if (!missed.empty()) {
    std::string body = missed.size() == 1 ? std::string(missed.front().reminder.title)
                                          : std::to_string(missed.size()) + " reminders";
    body += " went unanswered since " +
            date::format("%a %d %b %H:%M", to_local(missed.front().reminder.at, zone_)) +
            ". Open aftercare to see today's steps.";
    snapshot.missed_summary =
        Notification{"missed:" + std::to_string(now.time_since_epoch().count()),
                     missed.size() == 1 ? "Missed reminder" : "Missed reminders", body, now};
  }
  return snapshot;
}

Result<ReminderSnapshot> App::reminder_window(std::optional<int> limit) {
  if (limit && (*limit < 1 || *limit > kMaxWindow)) {
    return invalid_input(NoticeId::kLimitRange,
                         {{"max", std::to_string(kMaxWindow)}, {"got", std::to_string(*limit)}});
  }
  AFTERCARE_TRY(sync_zone(true));
  auto state = load_state();
  if (!state) return state.error();
  const int size = limit.value_or(state->settings.window);
  return ReminderSnapshot{state->plan, notification_window(state->view(), clock_.now(), size),
                          state->settings};
}

Result<ReminderItem> App::find_reminder(const PlanState& state, const std::string& id) {
  const Instant from = state.plan->details.treated_at;
  const Instant to = std::max(from, clock_.now()) + date::days(400);
  for (auto& item : reminder_items(state.view(), from, to, clock_.now())) {
    if (item.reminder.id == id) return item;
  }
  return invalid_input(NoticeId::kUnknownReminder, {{"reminder", id}});
}

Result<ReminderItem> App::append_reminder_action(const std::string& id, ReminderAction action,
                                                 std::optional<Instant> until) {
  AFTERCARE_TRY(sync_zone(false));
  auto state = load_state();
  if (!state) return state.error();
  auto item = find_reminder(*state, id);
  if (!item) return item.error();
  if (item->status == ReminderStatus::kCompleted || item->status == ReminderStatus::kDismissed) {
    return Error(ErrorCode::kConflict,
                 Notice{NoticeId::kReminderSettled,
                        {{"reminder", id}, {"status", reminder_status_name(item->status)}}});
  }
  if (item->status == ReminderStatus::kMissed && action == ReminderAction::kSnoozed) {
    return Error(ErrorCode::kConflict, Notice{NoticeId::kReminderMissed, {{"reminder", id}}});
  }
  const Instant now = clock_.now();
  AFTERCARE_TRY(sync_zone(true));
  auto seq = store_->append_reminder_event({0, state->plan->id, id, action, now, until});
  if (!seq) return seq.error();
  state = load_state();
  if (!state) return state.error();
  return find_reminder(*state, id);
}

Result<ReminderItem> App::snooze_reminder(const std::string& id,
                                          std::optional<std::chrono::minutes> minutes) {
  auto settings = reminder_settings();
  if (!settings) return settings.error();
  const auto length = minutes.value_or(settings->snooze);
  if (length < std::chrono::minutes(1) || length > kMaxSnooze) {
    return invalid_input(NoticeId::kSnoozeRange, {{"got", std::to_string(length.count())}});
  }
  return append_reminder_action(id, ReminderAction::kSnoozed, clock_.now() + length);
}

Result<ReminderItem> App::dismiss_reminder(const std::string& id) {
  return append_reminder_action(id, ReminderAction::kDismissed, std::nullopt);
}

Result<ReminderItem> App::complete_reminder(const std::string& id) {
  auto state = load_state();
  if (!state) return state.error();
  auto item = find_reminder(*state, id);
  if (!item) return item.error();
  if (item->reminder.kind != ReminderKind::kStep) {
    return append_reminder_action(id, ReminderAction::kCompleted, std::nullopt);
  }
  auto change = check_off(item->reminder.step->id, StepAction::kDone, OccurrenceHint::of_id(id));
  if (!change) return change.error();
  state = load_state();
  if (!state) return state.error();
  return find_reminder(*state, id);
}

Status App::replan(NotificationCenter& center) {
  auto window = reminder_window(std::nullopt);
  if (!window) {
    if (window.error().code() != ErrorCode::kNotFound) return window.error();
    center.schedule({});
    return {};
  }
  std::vector<Notification> notifications;
  for (const auto& item : window->items) notifications.push_back(to_notification(item));
  center.schedule(notifications);
  return {};
}

Status App::set_mode(const std::string& mode, bool on) {
  if (mode != "outdoors") {
    return invalid_input(NoticeId::kUnknownMode, {{"mode", mode}});
  }
  auto current = mode_on(mode);
  if (!current) return current.error();
  if (*current == on) return {};
  AFTERCARE_TRY(sync_zone(true));
  return store_->record_mode({clock_.now(), mode, on});
}

Result<bool> App::mode_on(const std::string& mode) {
  auto changes = store_->mode_changes();
  if (!changes) return changes.error();
  return Modes::from_changes(std::move(*changes)).active(mode, clock_.now());
}

Result<ReminderSettings> App::reminder_settings() {
  ReminderSettings settings;
  auto quiet = store_->setting(kQuietHoursKey);
  if (!quiet) return quiet.error();
  // A stored value that does not read (written by hand) leaves the default quiet hours.
  if (*quiet) parse_quiet_hours(**quiet, settings);
  auto snooze = store_->setting(kSnoozeKey);
  if (!snooze) return snooze.error();
  if (*snooze) {
    if (auto value = parse_int(**snooze)) settings.snooze = std::chrono::minutes(*value);
  }
  auto window = store_->setting(kWindowKey);
  if (!window) return window.error();
  if (*window) {
    if (auto value = parse_int(**window)) settings.window = *value;
  }
  return settings;
}

Status App::set_reminder_settings(const ReminderSettings& settings) {
  if (settings.snooze < std::chrono::minutes(1) || settings.snooze > kMaxSnooze) {
    return invalid_input(NoticeId::kSnoozeSetting);
  }
  if (settings.window < 1 || settings.window > kMaxWindow) {
    return invalid_input(NoticeId::kWindowSetting, {{"max", std::to_string(kMaxWindow)}});
  }
  if (settings.quiet_hours && settings.quiet_start == settings.quiet_end) {
    return invalid_input(NoticeId::kQuietHoursEqual);
  }
  const Instant now = clock_.now();
  return store_->set_settings({{kQuietHoursKey, quiet_hours_text(settings)},
                               {kSnoozeKey, std::to_string(settings.snooze.count())},
                               {kWindowKey, std::to_string(settings.window)}},
                              now);
}

Result<std::string> App::export_ics() {
  AFTERCARE_TRY(sync_zone(true));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  auto zones = zone_history();
  if (!zones) return zones.error();
  return write_ics(**plan, *zones, zone_, clock_.now());
}

}  // namespace aftercare
