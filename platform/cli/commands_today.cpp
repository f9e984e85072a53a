#include <cmath>
#include <iomanip>

#include "base/duration_text.h"
#include "commands.h"
#include "exchange/timeline_json.h"
#include "text_format.h"

namespace aftercare::cli {

namespace {

constexpr std::size_t kComingLimit = 6;

std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

void print_items(std::ostream& out, const std::string& heading,
                 const std::vector<const StepItem*>& items, const Timeline& timeline) {
  if (items.empty()) return;
  out << heading << "\n";
  const auto* zone = timeline.zone;
  // Under today, a time of another day (a window past midnight, a late check-off) names its day.
  auto clock_or_day = [&](Instant instant) {
    return local_date(instant, zone) == timeline.today ? clock_time(instant, zone)
                                                       : day_and_time(instant, timeline.now, zone);
  };
  for (const auto* item : items) {
    const auto& occurrence = item->occurrence;
    std::string mark;
    std::string when;
    std::string hint;
    switch (item->status) {
      case OccurrenceStatus::kDue:
        mark = "[ ]";
        when = clock_or_day(occurrence.scheduled) + " until " + clock_or_day(occurrence.due_until);
        hint = "aftercare done " + occurrence.step->id.value();
        break;
      case OccurrenceStatus::kDone:
      case OccurrenceStatus::kSkipped:
        mark = item->status == OccurrenceStatus::kDone ? "[x]" : "[-]";
        when = clock_or_day(occurrence.scheduled) + ", " +
               (item->status == OccurrenceStatus::kDone ? "done " : "skipped ") +
               day_and_time(item->record->at, timeline.now, zone);
        break;
      case OccurrenceStatus::kMissed:
        mark = "[!]";
        when = day_and_time(occurrence.scheduled, timeline.now, zone);
        break;
      case OccurrenceStatus::kUpcoming:
        mark = "   ";
        when = day_and_time(occurrence.scheduled, timeline.now, zone);
        break;
    }
    out << "  " << mark << " " << padded(occurrence.step->title, 20)
        << (hint.empty() ? when : padded(when, 30) + hint) << "\n";
  }
  out << "\n";
}

std::string percent(const Adherence& adherence) {
  const auto ratio = adherence.ratio();
  if (!ratio) return "nothing settled yet";
  const int settled = adherence.done + adherence.skipped + adherence.missed;
  return std::to_string(static_cast<int>(std::lround(*ratio * 100))) + " % (" +
         std::to_string(adherence.done) + " of " + std::to_string(settled) + " done)";
}

void print_timeline(std::ostream& out, const Plan& plan, const Timeline& timeline) {
  const auto* zone = timeline.zone;
  const Instant now = timeline.now;
  out << long_date(timeline.today) << ", " << clock_time(now, zone) << " "
      << zone_abbreviation(now, zone) << " (" << zone->name() << ")\n";
  if (timeline.since_treatment.count() < 0) {
    out << "Your treatment is " << day_and_time(plan.details.treated_at, now, zone) << ", in "
        << describe_duration(-timeline.since_treatment) << ": your aftercare plan starts then.\n\n";
    if (!timeline.preparation.empty()) out << "Before your treatment\n";
    for (const auto& item : timeline.preparation) {
      out << "  " << item.def->title << " ("
          << (item.active ? std::string("now") : "from " + day_and_time(item.from, now, zone))
          << ")\n    " << item.def->instructions << "\n";
    }
    if (!timeline.preparation.empty()) out << "\n";
  } else {
    out << "Day " << timeline.day_number << " after your treatment ("
        << describe_duration(timeline.since_treatment) << " ago)";
    if (timeline.phase) out << ", " << timeline.phase->title << " phase";
    out << "\n";
    if (timeline.phase) out << "  " << timeline.phase->description << "\n";
    out << "\n";
  }

  std::vector<const StepItem*> due, done, missed, coming;
  for (const auto& item : timeline.today_steps) {
    switch (item.status) {
      case OccurrenceStatus::kDue:
        due.push_back(&item);
        break;
      case OccurrenceStatus::kDone:
      case OccurrenceStatus::kSkipped:
        done.push_back(&item);
        break;
      case OccurrenceStatus::kMissed:
        missed.push_back(&item);
        break;
      case OccurrenceStatus::kUpcoming:
        coming.push_back(&item);
        break;
    }
  }
  for (const auto& item : timeline.coming_days) {
    if (coming.size() >= kComingLimit) break;
    coming.push_back(&item);
  }
  print_items(out, "Due now", due, timeline);
  print_items(out, "Done today", done, timeline);
  print_items(out, "Missed today", missed, timeline);
  print_items(out, "Coming up", coming, timeline);
  if (due.empty() && done.empty() && missed.empty() && coming.empty()) {
    out << "No aftercare steps left: your plan's daily routine is complete.\n\n";
  }

  bool any_active = false;
  for (const auto& item : timeline.restrictions) {
    if (!item.active) continue;
    if (!any_active) out << "Not yet\n";
    any_active = true;
    out << "  "
        << join_sentences(item.restriction->title + ": until " +
                              day_and_time(item.ends, now, zone) + " (in " +
                              describe_duration(item.ends - now) + ")",
                          item.restriction->afterwards)
        << "\n";
  }
  if (any_active) out << "\n";

  out << "Adherence: today " << percent(timeline.today_adherence) << "; overall "
      << percent(timeline.overall_adherence) << "\n";
  if (!timeline.earlier_missed.empty()) {
    out << "  Missed on earlier days: " << timeline.earlier_missed.size() << "\n";
  }
  if (timeline.next_session) {
    out << "Next session: " << long_date(timeline.next_session->day) << " (session "
        << timeline.next_session->number << " of " << plan.protocol.series.sessions << ")\n";
  }
  if (!plan.details.clinic_name.empty() || !plan.details.clinic_phone.empty()) {
    out << "Clinic: " << plan.details.clinic_name
        << (plan.details.clinic_name.empty() || plan.details.clinic_phone.empty() ? "" : ", ")
        << plan.details.clinic_phone << "\n";
  }
}

}  // namespace

int today(Context& context, bool home) {
  auto snapshot = context.app.today();
  if (!snapshot) {
    if (home && snapshot.error().code() == ErrorCode::kNotFound) {
      if (context.args.global.json) {
        nlohmann::ordered_json document;
        document["plan"] = nullptr;
        document["next"] = "aftercare plan start --treated TIME";
        print_json(context.out, document);
        return kExitOk;
      }
      context.out << "Welcome to aftercare.\n\n"
                     "Start your plan with the time your microneedling treatment ended, e.g.\n"
                     "  aftercare plan start --treated 2027-03-13T21:00 --areas face,neck \\\n"
                     "      --clinic \"Your clinic\" --clinic-phone \"+1 555 0100\"\n\n"
                     "Then `aftercare today` shows what to do now and what to avoid until when.\n"
                     "`aftercare --help` lists every command.\n";
      return kExitOk;
    }
    return report(snapshot.error(), context.err);
  }
  if (context.args.global.json) {
    print_json(context.out, timeline_to_json(*snapshot->plan, snapshot->timeline));
  } else {
    print_timeline(context.out, *snapshot->plan, snapshot->timeline);
  }
  return kExitOk;
}

int check_off(Context& context, StepAction action) {
  const StepId step(context.args.words.back());
  // --occurrence: an occurrence id (it has an @, or is a once step's own id), else a time.
  OccurrenceHint which;
  if (auto text = context.args.option("--occurrence")) {
    if (text->find('@') != std::string::npos || *text == step.value()) {
      which = OccurrenceHint::of_id(*text);
    } else {
      auto time = context.app.parse_time(*text);
      if (!time) return report(time.error().with_context("--occurrence"), context.err);
      which = OccurrenceHint::of_time(*time);
    }
  }
  auto change = context.app.check_off(step, action, which);
  if (!change) return report(change.error(), context.err);
  const auto* zone = context.app.zone();
  if (context.args.global.json) {
    print_json(context.out, step_event_to_json(change->event, change->step, std::nullopt, zone));
    return kExitOk;
  }
  context.out << (action == StepAction::kDone ? "Done: " : "Skipped: ") << change->step->title
              << timing_words(change->event, *change->step) << " (planned "
              << day_and_time(change->event.scheduled_at, context.app.now(), zone)
              << "), recorded at " << clock_time(change->event.at, zone)
              << ". `aftercare undo` takes it back.\n";
  return kExitOk;
}

int undo(Context& context) {
  auto change = context.app.undo();
  if (!change) return report(change.error(), context.err);
  const auto* zone = context.app.zone();
  if (context.args.global.json) {
    print_json(context.out,
               step_event_to_json(change->event, change->step, change->undone_action, zone));
    return kExitOk;
  }
  context.out << "Undone: " << (change->step ? change->step->title : change->event.step.value())
              << " (planned " << day_and_time(change->event.scheduled_at, context.app.now(), zone)
              << ") is no longer marked " << step_action_name(change->undone_action) << ".\n";
  return kExitOk;
}

}  // namespace aftercare::cli
