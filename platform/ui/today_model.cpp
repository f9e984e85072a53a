#include "ui/today_model.h"

#include "base/duration_text.h"

namespace aftercare::ui {

std::string clock_time(Instant instant, const date::time_zone* zone, bool clock_24h) {
  const auto local = zone->to_local(instant);
  const auto minutes = date::floor<std::chrono::minutes>(local - date::floor<date::days>(local));
  const int hour = static_cast<int>(minutes.count() / 60);
  const int minute = static_cast<int>(minutes.count() % 60);
  char text[16];
  if (clock_24h) {
    std::snprintf(text, sizeof text, "%02d:%02d", hour, minute);
  } else {
    std::snprintf(text, sizeof text, "%d:%02d %s", hour % 12 == 0 ? 12 : hour % 12, minute,
                  hour < 12 ? "AM" : "PM");
  }
  return text;
}

std::string day_and_time(Instant instant, const date::time_zone* zone, bool clock_24h) {
  const auto day = date::floor<date::days>(zone->to_local(instant));
  return format_date(date::year_month_day(day)) + " " + clock_time(instant, zone, clock_24h);
}

TodayModel make_today_model(const TodaySnapshot& today, const Assessment& now,
                            const Strings& strings, bool clock_24h) {
  TodayModel model;
  if (!today.plan) return model;
  model.has_plan = true;
  const Timeline& timeline = today.timeline;
  model.heading = timeline.since_treatment.count() < 0
                      ? strings.get("today.before")
                      : strings.format("today.day", {{"day", std::to_string(timeline.day_number)}});
  if (timeline.phase)
    model.phase = strings.format("today.phase", {{"phase", timeline.phase->title}});
  model.planned = timeline.since_treatment.count() < 0;
  if (model.planned) {
    model.countdown = strings.format(
        "today.countdown",
        {{"left", describe_duration(-timeline.since_treatment)},
         {"time", day_and_time(today.plan->details.treated_at, timeline.zone, clock_24h)}});
    for (const PreparationItem& item : timeline.preparation) {
      model.preparation.push_back(
          {item.def->title, item.def->instructions,
           item.active
               ? strings.get("today.preparation_now")
               : strings.format("today.preparation_from",
                                {{"time", day_and_time(item.from, timeline.zone, clock_24h)}}),
           item.active});
    }
  }
  for (const StepItem& item : timeline.today_steps) {
    StepRow row;
    row.step = item.occurrence.step->id.value();
    row.occurrence = item.occurrence.id;
    row.title = item.occurrence.step->title;
    row.status = item.status;
    switch (item.status) {
      case OccurrenceStatus::kUpcoming:
        row.when = strings.format(
            "status.upcoming",
            {{"time", clock_time(item.occurrence.scheduled, timeline.zone, clock_24h)}});
        row.can_check_off = true;
        break;
      case OccurrenceStatus::kDue:
        row.when = strings.get("status.due");
        row.can_check_off = true;
        break;
      case OccurrenceStatus::kDone:
        row.when = strings.get("status.done");
        break;
      case OccurrenceStatus::kSkipped:
        row.when = strings.get("status.skipped");
        break;
      case OccurrenceStatus::kMissed:
        row.when = strings.get("status.missed");
        break;
    }
    model.steps.push_back(std::move(row));
  }
  for (const RestrictionItem& item : timeline.restrictions) {
    RestrictionRow row;
    row.title = item.restriction->title;
    row.active = item.active;
    row.left =
        item.active
            ? strings.format(
                  "today.ends_in",
                  {{"left", describe_duration(std::chrono::duration_cast<std::chrono::seconds>(
                                item.ends - timeline.now))}})
            : strings.get("today.ended");
    if (item.active) model.restrictions.push_back(std::move(row));
  }
  const Adherence& day = timeline.today_adherence;
  model.adherence = strings.format("today.adherence", {{"done", std::to_string(day.done)},
                                                       {"skipped", std::to_string(day.skipped)},
                                                       {"missed", std::to_string(day.missed)}});
  model.verdict = now.verdict;
  model.verdict_title = strings.get(std::string("verdict.") + verdict_name(now.verdict));
  for (const VerdictReason& reason : now.reasons) model.reasons.push_back(reason.message);
  model.advice = now.advice;
  if (now.verdict != Verdict::kExpected) {
    const std::string& phone = today.plan->details.clinic_phone;
    if (!phone.empty()) {
      model.call_number = phone;
      model.call_label = strings.format("today.call", {{"phone", phone}});
    } else {
      model.call_missing = strings.get("today.call_missing");
    }
  }
  return model;
}

}  // namespace aftercare::ui
