#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

namespace {

void field(const Theme& theme, const std::string& label, const char* id, std::string& value) {
  text_wrapped(theme.muted, label);
  ImGui::PushStyleVar(
      ImGuiStyleVar_FramePadding,
      ImVec2(theme.px(12), (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2));
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText(id, &value);
  ImGui::PopStyleVar();
  record_touch_target(label, true);
}

}  // namespace

Action draw_onboarding(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  OnboardingForm& form = view.state.onboarding;
  if (form.zone.empty()) form.zone = patient.device_zone;
  Action action;
  title(theme, strings.get("onboarding.title"));
  text_wrapped(theme.text, strings.get("onboarding.intro"));
  field(theme, strings.get("onboarding.date"), "##date", form.date);
  field(theme, strings.get("onboarding.time"), "##time", form.time);
  field(theme, strings.get("onboarding.zone"), "##zone", form.zone);
  text_wrapped(theme.muted, strings.get("onboarding.areas"));
  const float width = ImGui::GetContentRegionAvail().x;
  Flow flow(theme);
  for (const std::string& area : treatment_areas()) {
    flow.next(area.c_str());
    const bool chosen = form.areas.count(area) > 0;
    if (touch_button(theme, area.c_str(), 0, chosen)) {
      if (chosen) {
        form.areas.erase(area);
      } else {
        form.areas.insert(area);
      }
    }
  }
  field(theme, strings.get("onboarding.clinic"), "##clinic", form.clinic);
  field(theme, strings.get("onboarding.phone"), "##phone", form.phone);
  ImGui::Spacing();
  if (touch_button(theme, strings.get("onboarding.start").c_str(), width / theme.scale)) {
    action = Action::of(Action::Kind::kStartPlan);
  }
  return action;
}

}  // namespace aftercare::ui
