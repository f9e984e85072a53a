#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <thread>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/duration_text.h"
#include "commands.h"
#include "services/desktop_notifier.h"
#include "text_format.h"

namespace aftercare::cli {

namespace {

using Json = nlohmann::ordered_json;

Json item_to_json(const ReminderItem& item, const date::time_zone* zone) {
  Json out;
  out["reminder"] = item.reminder.id;
  out["kind"] = reminder_kind_name(item.reminder.kind);
  if (item.reminder.step) out["step"] = item.reminder.step->id.value();
  out["title"] = std::string(item.reminder.title);
  out["body"] = std::string(item.reminder.body);
  out["status"] = reminder_status_name(item.status);
  out["planned"] = format_iso(item.reminder.at, zone);
  out["fire_at"] = format_iso(item.fire_at, zone);
  out["expires"] = format_iso(item.expires, zone);
  out["fired_at"] = item.fired_at ? Json(format_iso(*item.fired_at, zone)) : Json(nullptr);
  return out;
}

Json items_to_json(const std::vector<ReminderItem>& items, const date::time_zone* zone) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(item_to_json(item, zone));
  return out;
}

void print_item(std::ostream& out, const ReminderItem& item, Instant now,
                const date::time_zone* zone) {
  std::string when = day_and_time(item.fire_at, now, zone);
  if (item.fire_at != item.reminder.at) {
    when += " (planned " + clock_time(item.reminder.at, zone) + ")";
  }
  std::string status = reminder_status_name(item.status);
  status.resize(10, ' ');
  out << "  " << status << " " << when << "  " << item.reminder.title << "  [" << item.reminder.id
      << "]\n";
}

}  // namespace

namespace {

int reminders_list(Context& context) {
  App& app = context.app;
  const auto& args = context.args;
  const auto* zone = app.zone();
  const Instant now = app.now();
  // Default: today and the next 7 days, as local days in the current zone.
  const date::local_days today = date::floor<date::days>(to_local(now, zone));
  Instant from = resolve_local(LocalMinutes{today.time_since_epoch()}, zone);
  Instant to = resolve_local(LocalMinutes{(today + date::days(8)).time_since_epoch()}, zone);
  if (auto text = args.option("--from")) {
    auto parsed = app.parse_time(*text);
    if (!parsed) return report(parsed.error().with_context("--from"), context.err);
    from = *parsed;
  }
  if (auto text = args.option("--to")) {
    auto parsed = app.parse_time(*text);
    if (!parsed) return report(parsed.error().with_context("--to"), context.err);
    to = *parsed;
  }
  auto snapshot = app.reminders(from, to);
  if (!snapshot) return report(snapshot.error(), context.err);
  if (args.global.json) {
    Json doc;
    doc["now"] = format_iso(now, zone);
    doc["zone"] = std::string(zone->name());
    doc["from"] = format_iso(from, zone);
    doc["to"] = format_iso(to, zone);
    doc["reminders"] = items_to_json(snapshot->items, zone);
    print_json(context.out, doc);
    return kExitOk;
  }
  if (snapshot->items.empty()) context.out << "No reminders in that range.\n";
  for (const auto& item : snapshot->items) print_item(context.out, item, now, zone);
  return kExitOk;
}

int reminders_due(Context& context) {
  App& app = context.app;
  const auto& args = context.args;
  const auto* zone = app.zone();
  const Instant now = app.now();
  auto snapshot = app.fire_due_reminders();
  if (!snapshot) return report(snapshot.error(), context.err);
  const auto& due = snapshot->due;
  if (args.flags.count("--notify")) {
    platform::FreedesktopNotifier notifier;
    if (!platform::FreedesktopNotifier::available()) {
      context.err << "aftercare: no desktop notification service on this session; printing "
                     "only\n";
    }
    for (const auto& item : due.firing) {
      notifier.show({item.reminder.id, std::string(item.reminder.title),
                     std::string(item.reminder.body), now});
    }
    if (snapshot->missed_summary) notifier.show(*snapshot->missed_summary);
  }
  if (args.global.json) {
    Json doc;
    doc["now"] = format_iso(now, zone);
    doc["firing"] = items_to_json(due.firing, zone);
    doc["quiet_until"] = due.quiet_until ? Json(format_iso(*due.quiet_until, zone)) : Json(nullptr);
    if (snapshot->missed_summary) {
      Json missed;
      missed["count"] = due.missed.size();
      missed["title"] = snapshot->missed_summary->title;
      missed["body"] = snapshot->missed_summary->body;
      Json ids = Json::array();
      for (const auto& item : due.missed) ids.push_back(item.reminder.id);
      missed["reminders"] = ids;
      doc["missed"] = missed;
    } else {
      doc["missed"] = nullptr;
    }
    print_json(context.out, doc);
    return kExitOk;
  }
  if (due.quiet_until) {
    context.out << "Quiet hours until " << day_and_time(*due.quiet_until, now, zone)
                << ": reminders wait for their end.\n";
    return kExitOk;
  }
  if (due.firing.empty() && !snapshot->missed_summary) {
    context.out << "Nothing to remind you of right now.\n";
  }
  for (const auto& item : due.firing) {
    context.out << "Now: " << join_sentences(item.reminder.title, item.reminder.body) << "\n"
                << "     aftercare reminders complete " << item.reminder.id
                << " | snooze | dismiss\n";
  }
  if (snapshot->missed_summary) {
    context.out << snapshot->missed_summary->title << ": " << snapshot->missed_summary->body
                << "\n";
  }
  return kExitOk;
}

int reminders_window(Context& context) {
  App& app = context.app;
  const auto& args = context.args;
  const auto* zone = app.zone();
  const Instant now = app.now();
  auto limit = int_option(args, "--limit", 1, 60);
  if (!limit) return report(limit.error(), context.err);
  auto snapshot = app.reminder_window(*limit ? std::optional<int>(*limit) : std::optional<int>());
  if (!snapshot) return report(snapshot.error(), context.err);
  if (args.global.json) {
    Json doc;
    doc["now"] = format_iso(now, zone);
    doc["limit"] = *limit ? *limit : snapshot->settings.window;
    doc["notifications"] = items_to_json(snapshot->items, zone);
    print_json(context.out, doc);
    return kExitOk;
  }
  context.out << "The next " << snapshot->items.size()
              << " reminders, for the phone or desktop to show:\n";
  for (const auto& item : snapshot->items) print_item(context.out, item, now, zone);
  return kExitOk;
}

int reminders_act(Context& context, const std::string& sub) {
  App& app = context.app;
  const auto& args = context.args;
  const auto* zone = app.zone();
  const Instant now = app.now();
  const std::string id = args.words.back();
  Result<ReminderItem> item = invalid_input("unreachable");
  if (sub == "snooze") {
    auto minutes = int_option(args, "--minutes", 1, 1440);
    if (!minutes) return report(minutes.error(), context.err);
    item = app.snooze_reminder(
        id, *minutes ? std::optional<std::chrono::minutes>(*minutes) : std::nullopt);
  } else if (sub == "dismiss") {
    item = app.dismiss_reminder(id);
  } else {
    item = app.complete_reminder(id);
  }
  if (!item) return report(item.error(), context.err);
  if (args.global.json) {
    print_json(context.out, item_to_json(*item, zone));
  } else if (sub == "snooze") {
    context.out << "Snoozed: " << item->reminder.title << " until "
                << day_and_time(item->fire_at, now, zone) << ".\n";
  } else {
    context.out << (sub == "dismiss" ? "Dismissed: " : "Completed: ") << item->reminder.title
                << ".\n";
  }
  return kExitOk;
}

int reminders_settings(Context& context) {
  App& app = context.app;
  const auto& args = context.args;
  auto settings = app.reminder_settings();
  if (!settings) return report(settings.error(), context.err);
  bool changed = false;
  if (auto quiet = args.option("--quiet")) {
    changed = true;
    if (!parse_quiet_hours(*quiet, *settings)) {
      return report(invalid_input("--quiet: expected HH:MM-HH:MM (like 22:00-07:00) or off, "
                                  "got \"" +
                                  *quiet + "\""),
                    context.err);
    }
  }
  auto snooze = int_option(args, "--snooze", 1, 1440);
  if (!snooze) return report(snooze.error(), context.err);
  if (*snooze) {
    changed = true;
    settings->snooze = std::chrono::minutes(*snooze);
  }
  auto window = int_option(args, "--window", 1, 60);
  if (!window) return report(window.error(), context.err);
  if (*window) {
    changed = true;
    settings->window = *window;
  }
  if (changed) {
    if (auto s = app.set_reminder_settings(*settings); !s) return report(s.error(), context.err);
  }
  if (args.global.json) {
    Json doc;
    doc["quiet_hours"] = quiet_hours_text(*settings);
    doc["snooze_minutes"] = settings->snooze.count();
    doc["window"] = settings->window;
    print_json(context.out, doc);
    return kExitOk;
  }
  context.out << "Quiet hours: "
              << (settings->quiet_hours ? time_of_day_text(settings->quiet_start) + " to " +
                                              time_of_day_text(settings->quiet_end) +
                                              " (reminders wait until they end)"
                                        : std::string("off"))
              << "\nSnooze: " << settings->snooze.count()
              << " min\nNotification window: " << settings->window << " reminders\n";
  return kExitOk;
}

}  // namespace

int reminders(Context& context, const std::string& sub) {
  if (sub == "list") return reminders_list(context);
  if (sub == "due") return reminders_due(context);
  if (sub == "window") return reminders_window(context);
  if (sub == "snooze" || sub == "dismiss" || sub == "complete") return reminders_act(context, sub);
  return reminders_settings(context);
}

int reminders_watch(Context& context) {
  const auto& args = context.args;
  const bool once = args.flags.count("--once") > 0;
  if (args.global.at && !once) {
    return report(invalid_input("reminders watch follows the real clock; with --at, add --once"),
                  context.err);
  }
  platform::FreedesktopNotifier notifier;
  for (;;) {
    if (!args.global.at) context.clock.set(SystemClock().now());
    auto due = context.app.fire_due_reminders();
    if (!due) return report(due.error(), context.err);
    const auto* zone = context.app.zone();
    for (const auto& item : due->due.firing) {
      const Notification shown{item.reminder.id, std::string(item.reminder.title),
                               std::string(item.reminder.body), context.app.now()};
      notifier.show(shown);
      context.out << "[" << clock_time(shown.at, zone) << "] "
                  << join_sentences(shown.title, shown.body) << "\n";
    }
    if (due->missed_summary) {
      notifier.show(*due->missed_summary);
      context.out << "[" << clock_time(context.app.now(), zone) << "] "
                  << due->missed_summary->title << ": " << due->missed_summary->body << "\n";
    }
    // Re-plan after every pass: a zone or clock change moves the next reminders.
    if (auto planned = context.app.replan(notifier); !planned) {
      return report(planned.error(), context.err);
    }
    context.out << std::flush;
    if (once) {
      if (!notifier.pending().empty()) {
        context.out << "Next, "
                    << day_and_time(notifier.pending().front().at, context.app.now(), zone) << ": "
                    << notifier.pending().front().title << "\n";
      }
      return kExitOk;
    }
    // Sleep until the next reminder, but wake at least every minute to notice a trip or a
    // clock change.
    auto wait = std::chrono::seconds(60);
    if (!notifier.pending().empty()) {
      wait = std::clamp(std::chrono::duration_cast<std::chrono::seconds>(
                            notifier.pending().front().at - context.app.now()),
                        std::chrono::seconds(1), std::chrono::seconds(60));
    }
    std::this_thread::sleep_for(wait);
  }
}

int outdoors(Context& context, const std::string& sub) {
  if (sub != "status") {
    if (auto s = context.app.set_mode("outdoors", sub == "on"); !s) {
      return report(s.error(), context.err);
    }
  }
  auto on = context.app.mode_on("outdoors");
  if (!on) return report(on.error(), context.err);
  if (context.args.global.json) {
    Json doc;
    doc["mode"] = "outdoors";
    doc["on"] = *on;
    print_json(context.out, doc);
  } else {
    context.out << (*on ? "Outdoors mode is on: sunscreen re-application every 2 h.\n"
                        : "Outdoors mode is off.\n");
  }
  return kExitOk;
}

}  // namespace aftercare::cli
