#include "ui/theme.h"

namespace aftercare::ui {

Theme make_theme(float display_scale, bool large_text) {
  Theme theme;
  theme.display_scale = display_scale;
  theme.scale = display_scale * (large_text ? 1.35f : 1.0f);
  return theme;
}

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

void apply_theme(const Theme& theme) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  const auto color = [](ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); };
  style.Colors[ImGuiCol_WindowBg] = color(theme.background);
  style.Colors[ImGuiCol_ChildBg] = color(theme.surface);
  style.Colors[ImGuiCol_Text] = color(theme.text);
  style.Colors[ImGuiCol_TextDisabled] = color(theme.muted);
  style.Colors[ImGuiCol_Border] = color(theme.border);
  style.Colors[ImGuiCol_Button] = color(theme.accent);
  style.Colors[ImGuiCol_ButtonHovered] = color(theme.accent);
  style.Colors[ImGuiCol_ButtonActive] = color(theme.text);
  style.Colors[ImGuiCol_FrameBg] = color(theme.surface);
  style.Colors[ImGuiCol_SliderGrab] = color(theme.accent);
  style.Colors[ImGuiCol_SliderGrabActive] = color(theme.text);
  style.WindowPadding = ImVec2(theme.px(theme.padding), theme.px(theme.padding));
  style.FramePadding = ImVec2(theme.px(12), theme.px(10));
  style.ItemSpacing = ImVec2(theme.px(theme.gap), theme.px(theme.gap));
  style.FrameRounding = theme.px(theme.corner);
  style.ChildRounding = theme.px(theme.corner);
  style.GrabMinSize = theme.px(theme.touch_target * 0.6f);
  style.GrabRounding = theme.px(theme.corner);
  style.ScrollbarSize = theme.px(8);
  style.WindowBorderSize = 0;
  style.FrameBorderSize = theme.px(1);  // text fields stand out from the page
  style.ChildBorderSize = 1;
  ImGui::GetStyle() = style;
}

}  // namespace aftercare::ui
