#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "base/visible_text.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Action draw_log(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  LogForm& form = view.state.log;
  Action action;
  title(theme, strings.get("log.title"));
  if (!patient.plan) return action;
  const Protocol& protocol = patient.plan->protocol;
  if (form.symptom.empty() && !protocol.symptoms.empty()) {
    form.symptom = protocol.symptoms.front().id.value();
  }

  text_wrapped(theme.muted, strings.get("log.symptom"));
  const float width = ImGui::GetContentRegionAvail().x;
  Flow flow(theme);
  for (const SymptomDef& symptom : protocol.symptoms) {
    flow.next(symptom.title.c_str());
    ImGui::PushID(symptom.id.value().c_str());
    if (touch_button(theme, symptom.title.c_str(), 0, form.symptom == symptom.id.value())) {
      form.symptom = symptom.id.value();
    }
    ImGui::PopID();
  }

  // The slider jumps to where it is touched: one tap sets the severity.
  ImGui::Spacing();
  text_wrapped(theme.text,
               strings.format("log.severity", {{"severity", std::to_string(form.severity)},
                                               {"word", severity_word(form.severity)}}));
  ImGui::PushStyleVar(
      ImGuiStyleVar_FramePadding,
      ImVec2(theme.px(12), (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2));
  ImGui::SetNextItemWidth(-1);
  ImGui::SliderInt("##severity", &form.severity, 0, kMaxSeverity, "%d",
                   ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_NoInput);
  ImGui::PopStyleVar();
  record_touch_target("severity");

  if (patient.plan->details.areas.size() > 1) {
    text_wrapped(theme.muted, strings.get("log.area"));
    if (touch_button(theme, strings.get("log.any_area").c_str(), 0, form.area.empty())) {
      form.area.clear();
    }
    for (const std::string& area : patient.plan->details.areas) {
      ImGui::SameLine();
      if (touch_button(theme, area.c_str(), 0, form.area == area)) form.area = area;
    }
  }
  text_wrapped(theme.muted, strings.get("log.note"));
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextMultiline("##note", &form.note, ImVec2(-1, theme.px(theme.touch_target * 1.6f)));
  record_touch_target(strings.get("log.note"), true);
  if (touch_button(theme, strings.get("log.save").c_str(), width / theme.scale)) {
    action = Action::of(Action::Kind::kLogSymptom);
  }

  ImGui::Spacing();
  title(theme, strings.get("log.recent"));
  if (!patient.log || patient.log->entries.empty()) {
    text_wrapped(theme.muted, strings.get("log.none"));
    return action;
  }
  // The latest ten, newest first: the full history is the CLI's `history` and the exports.
  const auto& entries = patient.log->entries;
  const std::size_t shown = std::min<std::size_t>(entries.size(), 10);
  for (std::size_t i = 0; i < shown; ++i) {
    const SymptomEntry& entry = entries[entries.size() - 1 - i];
    const SymptomDef* symptom = protocol.find_symptom(entry.report.symptom);
    const std::string name = symptom ? symptom->title : entry.report.symptom.value();
    text_wrapped(
        theme.text,
        name + "  " + std::to_string(entry.report.severity) + "/10, " +
            severity_word(entry.report.severity) + "  ·  " +
            day_and_time(entry.report.felt_at, patient.today->timeline.zone, view.state.clock_24h) +
            (entry.report.note.empty() ? "" : "  ·  " + visible_text(entry.report.note, true)));
  }
  return action;
}

}  // namespace aftercare::ui
