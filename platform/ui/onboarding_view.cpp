#include <imgui.h>

#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Action draw_onboarding(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  OnboardingForm& form = view.state.onboarding;
  if (form.zone.empty()) form.zone = patient.device_zone;
  Action action;
  title(theme, strings.get("onboarding.title"));
  text_wrapped(theme.text, strings.get("onboarding.intro"));
  text_field(theme, strings.get("onboarding.date"), "##date", form.date);
  text_field(theme, strings.get("onboarding.time"), "##time", form.time);
  text_field(theme, strings.get("onboarding.zone"), "##zone", form.zone);
  text_wrapped(theme.muted, strings.get("onboarding.areas"));
  const float width = ImGui::GetContentRegionAvail().x;
  area_toggles(theme, form.areas);
  text_field(theme, strings.get("onboarding.clinic"), "##clinic", form.clinic);
  text_field(theme, strings.get("onboarding.phone"), "##phone", form.phone);
  text_field(theme, strings.get("onboarding.name"), "##name", form.name);
  ImGui::Spacing();
  if (touch_button(theme, strings.get("onboarding.start").c_str(), width / theme.scale)) {
    action = Action::of(Action::Kind::kStartPlan);
  }
  return action;
}

}  // namespace aftercare::ui
