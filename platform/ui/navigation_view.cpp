#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Action draw_navigation(ViewContext& view, bool clinic_available) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  const bool phone = view.state.layout == Layout::kPhone;
  std::vector<std::pair<Screen, const char*>> tabs = {{Screen::kToday, "tab.today"},
                                                      {Screen::kLog, "tab.log"},
                                                      {Screen::kProgress, "tab.progress"},
                                                      {Screen::kReminders, "tab.reminders"},
                                                      {Screen::kSettings, "tab.settings"}};
  if (clinic_available) tabs.push_back({Screen::kClinic, "tab.clinic"});
  Action action;
  const float width = ImGui::GetContentRegionAvail().x;
  const float spacing = phone ? theme.px(4) : ImGui::GetStyle().ItemSpacing.x;
  const float tab_width = phone ? (width - spacing * static_cast<float>(tabs.size() - 1)) /
                                      static_cast<float>(tabs.size())
                                : width;
  // The small font so that five tabs fit 390 points; a label still too long shrinks rather
  // than clips.
  if (phone) push_small_font();
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(theme.px(1), theme.px(10)));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, ImGui::GetStyle().ItemSpacing.y));
  bool first = true;
  for (const auto& [screen, key] : tabs) {
    if (phone && !first) ImGui::SameLine();
    first = false;
    const std::string& label = strings.get(key);
    const float text = ImGui::CalcTextSize(label.c_str()).x;
    const float room = tab_width - theme.px(2);
    const bool shrink = text > room;
    if (shrink) ImGui::SetWindowFontScale(room / text);
    if (touch_button(theme, label.c_str(), tab_width / theme.scale, view.state.screen == screen)) {
      action = Action::go(screen);
    }
    if (shrink) ImGui::SetWindowFontScale(1.0f);
  }
  ImGui::PopStyleVar(2);
  if (phone) ImGui::PopFont();
  return action;
}

}  // namespace aftercare::ui
