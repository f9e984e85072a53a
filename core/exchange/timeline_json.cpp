#include "exchange/timeline_json.h"

#include "base/duration_text.h"
#include "domain/reminder.h"

namespace aftercare {

namespace {

using Json = nlohmann::ordered_json;

Json adherence_to_json(const Adherence& adherence) {
  Json out;
  if (adherence.day.ok()) out["date"] = format_date(adherence.day);
  out["done"] = adherence.done;
  out["skipped"] = adherence.skipped;
  out["missed"] = adherence.missed;
  out["open"] = adherence.open;
  const auto ratio = adherence.ratio();
  out["ratio"] = ratio ? Json(*ratio) : Json(nullptr);
  return out;
}

Json items_to_json(const std::vector<StepItem>& items, const date::time_zone* zone,
                   std::optional<OccurrenceStatus> only = std::nullopt) {
  Json out = Json::array();
  for (const auto& item : items) {
    if (!only || item.status == *only) out.push_back(step_item_to_json(item, zone));
  }
  return out;
}

}  // namespace

Json plan_to_json(const Plan& plan, const date::time_zone* zone) {
  Json out;
  out["plan"] = plan.id.value();
  out["session"] = plan.session_number;
  out["sessions"] = plan.protocol.series.sessions;
  out["treated_at"] = format_iso(plan.details.treated_at, zone);
  out["zone"] = plan.details.zone;
  out["areas"] = plan.details.areas;
  out["clinic"] = plan.details.clinic_name;
  out["clinic_phone"] = plan.details.clinic_phone;
  out["device"] = plan.details.device;
  out["products"] = plan.details.products;
  out["protocol"] = plan.protocol.id;
  out["protocol_name"] = plan.protocol.name;
  out["created_at"] = format_iso(plan.created_at, zone);
  out["cancelled"] = plan.cancelled;
  Json changes = Json::array();
  for (const auto& change : plan.changes) {
    Json c;
    c["at"] = format_iso(change.at, zone);
    c["field"] = plan_field_name(change.field);
    const auto value = [&](const std::string& text) -> Json {
      if (change.field == PlanField::kTreatedAt) {
        if (const auto at = plan_time_from(text)) return format_iso(*at, zone);
      }
      return text;
    };
    c["before"] = value(change.before);
    c["after"] = value(change.after);
    changes.push_back(std::move(c));
  }
  out["changes"] = std::move(changes);
  Json steps = Json::array();
  for (const auto& step : plan.protocol.steps) {
    Json s;
    s["step"] = step.id.value();
    s["title"] = step.title;
    s["instructions"] = step.instructions;
    Json schedule;
    switch (step.kind) {
      case ScheduleKind::kOnce:
        schedule["type"] = "once";
        schedule["after"] = duration_to_text(step.after);
        break;
      case ScheduleKind::kDaily: {
        schedule["type"] = "daily";
        Json times = Json::array();
        for (const auto time : step.times) times.push_back(time_of_day_text(time));
        schedule["times"] = std::move(times);
        break;
      }
      case ScheduleKind::kEvery:
        schedule["type"] = "every";
        schedule["interval"] = duration_to_text(step.interval);
        schedule["between"] = {time_of_day_text(step.between_start),
                               time_of_day_text(step.between_end)};
        break;
    }
    s["schedule"] = std::move(schedule);
    s["from"] = duration_to_text(step.from);
    s["until"] = step.until ? Json(duration_to_text(*step.until)) : Json(nullptr);
    s["window"] = duration_to_text(step.window);
    s["condition"] = step.condition ? Json(*step.condition) : Json(nullptr);
    steps.push_back(std::move(s));
  }
  out["steps"] = std::move(steps);
  Json restrictions = Json::array();
  for (const auto& restriction : plan.protocol.restrictions) {
    Json r;
    r["restriction"] = restriction.id.value();
    r["title"] = restriction.title;
    r["duration"] = duration_to_text(restriction.duration);
    r["ends"] = format_iso(plan.details.treated_at + restriction.duration, zone);
    restrictions.push_back(std::move(r));
  }
  out["restrictions"] = std::move(restrictions);
  Json series;
  series["interval"] = duration_to_text(plan.protocol.series.interval);
  series["sessions"] = plan.protocol.series.sessions;
  out["series"] = std::move(series);
  return out;
}

Json step_item_to_json(const StepItem& item, const date::time_zone* zone) {
  Json out;
  out["step"] = item.occurrence.step->id.value();
  out["occurrence"] = item.occurrence.id;
  out["title"] = item.occurrence.step->title;
  out["status"] = occurrence_status_name(item.status);
  out["scheduled"] = format_iso(item.occurrence.scheduled, zone);
  out["due_until"] = format_iso(item.occurrence.due_until, zone);
  out["date"] = format_date(local_date(item.occurrence.scheduled, zone));
  if (item.record) out["recorded_at"] = format_iso(item.record->at, zone);
  return out;
}

Json timeline_to_json(const Plan& plan, const Timeline& timeline) {
  const auto* zone = timeline.zone;
  Json out;
  out["now"] = format_iso(timeline.now, zone);
  out["zone"] = std::string(zone->name());
  out["date"] = format_date(timeline.today);
  out["plan"] = plan.id.value();
  out["session"] = plan.session_number;
  out["treated_at"] = format_iso(plan.details.treated_at, zone);
  out["day"] = timeline.day_number;
  out["hours_since_treatment"] = static_cast<double>(timeline.since_treatment.count()) / 3600.0;
  out["treatment_in_minutes"] =
      timeline.since_treatment.count() < 0
          ? Json(
                std::chrono::duration_cast<std::chrono::minutes>(-timeline.since_treatment).count())
          : Json(nullptr);
  Json preparation = Json::array();
  for (const auto& item : timeline.preparation) {
    preparation.push_back({{"preparation", item.def->id},
                           {"title", item.def->title},
                           {"instructions", item.def->instructions},
                           {"from", format_iso(item.from, timeline.zone)},
                           {"active", item.active}});
  }
  out["preparation"] = std::move(preparation);
  if (timeline.phase) {
    Json phase;
    phase["phase"] = timeline.phase->id;
    phase["title"] = timeline.phase->title;
    phase["description"] = timeline.phase->description;
    phase["ends"] =
        timeline.phase_ends ? Json(format_iso(*timeline.phase_ends, zone)) : Json(nullptr);
    out["phase"] = std::move(phase);
  } else {
    out["phase"] = nullptr;
  }
  out["due"] = items_to_json(timeline.today_steps, zone, OccurrenceStatus::kDue);
  out["done"] = items_to_json(timeline.today_steps, zone, OccurrenceStatus::kDone);
  out["skipped"] = items_to_json(timeline.today_steps, zone, OccurrenceStatus::kSkipped);
  out["missed"] = items_to_json(timeline.today_steps, zone, OccurrenceStatus::kMissed);
  Json upcoming = items_to_json(timeline.today_steps, zone, OccurrenceStatus::kUpcoming);
  for (auto& item : items_to_json(timeline.coming_days, zone)) upcoming.push_back(item);
  out["upcoming"] = std::move(upcoming);
  out["earlier_missed"] = items_to_json(timeline.earlier_missed, zone);
  Json active = Json::array();
  Json lifted = Json::array();
  for (const auto& item : timeline.restrictions) {
    Json r;
    r["restriction"] = item.restriction->id.value();
    r["title"] = item.restriction->title;
    r["ends"] = format_iso(item.ends, zone);
    if (item.active) {
      const auto left = item.ends - timeline.now;
      r["remaining_minutes"] = std::chrono::duration_cast<std::chrono::minutes>(left).count();
      r["remaining"] = describe_duration(left);
      r["detail"] = item.restriction->detail;
      active.push_back(std::move(r));
    } else {
      r["afterwards"] = item.restriction->afterwards;
      lifted.push_back(std::move(r));
    }
  }
  out["restrictions"] = std::move(active);
  out["lifted"] = std::move(lifted);
  if (timeline.next_session) {
    Json next;
    next["session"] = timeline.next_session->number;
    next["at"] = format_iso(timeline.next_session->at, zone);
    next["date"] = format_date(timeline.next_session->day);
    out["next_session"] = std::move(next);
  } else {
    out["next_session"] = nullptr;
  }
  Json adherence;
  adherence["today"] = adherence_to_json(timeline.today_adherence);
  adherence["overall"] = adherence_to_json(timeline.overall_adherence);
  Json days = Json::array();
  for (const auto& day : timeline.adherence_by_day) days.push_back(adherence_to_json(day));
  adherence["by_day"] = std::move(days);
  out["adherence"] = std::move(adherence);
  out["clinic"] = plan.details.clinic_name;
  out["clinic_phone"] = plan.details.clinic_phone;
  return out;
}

Json step_event_to_json(const StepEvent& event, const StepDef* step,
                        std::optional<StepAction> reverted, const date::time_zone* zone) {
  Json out;
  out["step"] = event.step.value();
  out["occurrence"] = event.occurrence;
  if (step) out["title"] = step->title;
  out["action"] = step_action_name(event.action);
  if (reverted) out["reverted"] = step_action_name(*reverted);
  out["scheduled"] = format_iso(event.scheduled_at, zone);
  out["at"] = format_iso(event.at, zone);
  if (step && !reverted) out["timing"] = timing_name(event_timing(event, *step));
  out["seq"] = event.seq;
  return out;
}

}  // namespace aftercare
