#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

namespace {

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

// One step of today: its title and when, and Done and Skip while it can be checked off.
void draw_step_card(ViewContext& view, const StepRow& row, Action& action) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  begin_card(theme, row.occurrence.c_str());
  text_wrapped(theme.text, row.title);
  text_wrapped(status_color(theme, row.status), row.when);
  if (row.can_check_off) {
    if (touch_button(theme, strings.get("today.done").c_str(), 96)) {
      action = Action::of(Action::Kind::kCheckOff);
      action.step = row.step;
      action.id = row.occurrence;
      action.step_action = StepAction::kDone;
    }
    ImGui::SameLine();
    if (touch_button(theme, strings.get("today.skip").c_str(), 96, false)) {
      action = Action::of(Action::Kind::kCheckOff);
      action.step = row.step;
      action.id = row.occurrence;
      action.step_action = StepAction::kSkipped;
    }
  }
  end_card(theme);
}

}  // namespace

Action draw_today(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  const TodayModel& model = patient.today_model;
  Action action;
  // The desktop's wide window: what is to do on the left, what is not allowed yet on the right.
  const bool wide = view.state.layout == Layout::kDesktop;
  if (wide) {
    ImGui::BeginChild("today", ImVec2(ImGui::GetContentRegionAvail().x * 0.62f, 0), false);
  }
  title(theme, model.heading);
  if (!model.phase.empty()) text_wrapped(theme.muted, model.phase);
  if (model.planned) {
    // A treatment still ahead: what to do before it, and when the plan starts.
    text_wrapped(theme.text, model.countdown);
    for (const PreparationRow& row : model.preparation) {
      begin_card(theme, row.title.c_str());
      text_wrapped(theme.text, row.title);
      text_wrapped(theme.muted, row.instructions);
      text_wrapped(row.active ? theme.warn : theme.muted, row.when);
      end_card(theme);
    }
    ImGui::Spacing();
    title(theme, strings.get("today.after_treatment"));
    for (const StepRow& row : model.steps) draw_step_card(view, row, action);
    if (model.steps.empty()) text_wrapped(theme.muted, strings.get("today.plan_starts"));
    if (wide) ImGui::EndChild();
    return action;
  }

  begin_card(theme, "verdict");
  text_wrapped(verdict_color(theme, model.verdict), model.verdict_title);
  for (const std::string& reason : model.reasons) text_wrapped(theme.text, reason);
  text_wrapped(theme.muted, model.advice);
  // The call, as large as a tap target: the web app dials it (tel:), the desktop copies it.
  if (!model.call_number.empty()) {
    if (touch_button(theme, model.call_label.c_str(),
                     (ImGui::GetContentRegionAvail().x - theme.px(12)) / theme.scale)) {
      action = Action::of(Action::Kind::kCallClinic);
      action.id = model.call_number;
    }
  } else if (!model.call_missing.empty()) {
    text_wrapped(theme.warn, model.call_missing);
  }
  end_card(theme);

  // Logging starts here: the three usual symptoms, one tap each to the Log screen with it
  // chosen; every other symptom one tap further.
  text_wrapped(theme.muted, strings.get("today.how_is_skin"));
  if (patient.plan) {
    int shown = 0;
    Flow flow(theme);
    for (const SymptomDef& symptom : patient.plan->protocol.symptoms) {
      if (symptom.infection_sign) continue;
      if (shown++ == 3) break;
      flow.next(symptom.title.c_str());
      if (touch_button(theme, symptom.title.c_str(), 0, false)) {
        view.state.log = LogForm{symptom.id.value(), 0, "", ""};
        action = Action::go(Screen::kLog);
      }
    }
    flow.next(strings.get("today.other_symptom").c_str());
    if (touch_button(theme, strings.get("today.other_symptom").c_str(), 0, false)) {
      view.state.log = LogForm{};
      action = Action::go(Screen::kLog);
    }
  }

  ImGui::Spacing();
  title(theme, strings.get("today.steps"));
  if (model.steps.empty()) text_wrapped(theme.muted, strings.get("today.no_steps"));
  for (const StepRow& row : model.steps) draw_step_card(view, row, action);
  text_wrapped(theme.muted, model.adherence);
  if (touch_button(theme, strings.get("today.undo").c_str(), 96, false)) {
    action = Action::of(Action::Kind::kUndo);
  }

  if (wide) {
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("restrictions", ImVec2(0, 0), false);
  }
  if (!model.restrictions.empty()) {
    if (!wide) ImGui::Spacing();
    title(theme, strings.get("today.restrictions"));
    for (const RestrictionRow& row : model.restrictions) {
      begin_card(theme, row.title.c_str());
      text_wrapped(theme.text, row.title);
      text_wrapped(theme.warn, row.left);
      end_card(theme);
    }
  }
  if (wide) ImGui::EndChild();
  return action;
}

}  // namespace aftercare::ui
