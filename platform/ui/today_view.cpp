#include "ui/today_view.h"

#include "ui/widgets.h"

namespace aftercare::ui {

namespace {

ImU32 verdict_color(const Theme& theme, Verdict verdict) {
  switch (verdict) {
    case Verdict::kExpected:
      return theme.ok;
    case Verdict::kContactClinic:
      return theme.warn;
    case Verdict::kUrgent:
      return theme.urgent;
  }
  return theme.text;
}

ImU32 status_color(const Theme& theme, OccurrenceStatus status) {
  switch (status) {
    case OccurrenceStatus::kDue:
      return theme.accent;
    case OccurrenceStatus::kDone:
      return theme.ok;
    case OccurrenceStatus::kMissed:
      return theme.urgent;
    case OccurrenceStatus::kSkipped:
    case OccurrenceStatus::kUpcoming:
      break;
  }
  return theme.muted;
}

}  // namespace

TodayAction draw_today(const TodayModel& model, const Theme& theme, const Strings& strings) {
  TodayAction action;
  if (!model.has_plan) {
    text_wrapped(theme.text, strings.get("today.no_plan"));
    return action;
  }
  ImGui::TextUnformatted(model.heading.c_str());
  if (!model.phase.empty()) text_wrapped(theme.muted, model.phase);

  begin_card(theme, "verdict");
  text_wrapped(verdict_color(theme, model.verdict), model.verdict_title);
  text_wrapped(theme.text, model.advice);
  end_card(theme);

  ImGui::Spacing();
  ImGui::TextUnformatted(strings.get("today.steps").c_str());
  if (model.steps.empty()) text_wrapped(theme.muted, strings.get("today.no_steps"));
  for (const StepRow& row : model.steps) {
    begin_card(theme, row.occurrence.c_str());
    text_wrapped(theme.text, row.title);
    text_wrapped(status_color(theme, row.status), row.when);
    if (row.can_check_off) {
      if (touch_button(theme, strings.get("today.done").c_str(), 96)) {
        action = {TodayAction::Kind::kDone, row.step, row.occurrence};
      }
      ImGui::SameLine();
      if (touch_button(theme, strings.get("today.skip").c_str(), 96)) {
        action = {TodayAction::Kind::kSkip, row.step, row.occurrence};
      }
    }
    end_card(theme);
  }
  text_wrapped(theme.muted, model.adherence);
  if (touch_button(theme, strings.get("today.undo").c_str(), 96)) {
    action.kind = TodayAction::Kind::kUndo;
  }

  if (!model.restrictions.empty()) {
    ImGui::Spacing();
    ImGui::TextUnformatted(strings.get("today.restrictions").c_str());
    for (const RestrictionRow& row : model.restrictions) {
      begin_card(theme, row.title.c_str());
      text_wrapped(theme.text, row.title);
      text_wrapped(theme.warn, row.left);
      end_card(theme);
    }
  }
  ImGui::Spacing();
  if (touch_button(theme, strings.get("today.log_symptom").c_str(),
                   ImGui::GetContentRegionAvail().x / theme.scale)) {
    action.kind = TodayAction::Kind::kLogSymptom;
  }
  return action;
}

}  // namespace aftercare::ui
