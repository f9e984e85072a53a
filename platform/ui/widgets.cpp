#include "ui/widgets.h"

#include <algorithm>

#include <imgui_stdlib.h>

#include "domain/plan.h"

namespace aftercare::ui {

namespace {

std::vector<TouchTarget>& targets() {
  static std::vector<TouchTarget> list;
  return list;
}

ImVec4 color(ImU32 value) { return ImGui::ColorConvertU32ToFloat4(value); }

}  // namespace

const std::vector<TouchTarget>& touch_targets() { return targets(); }

void begin_touch_frame() { targets().clear(); }

void record_touch_target(const std::string& label, bool text_field) {
  targets().push_back({label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), text_field});
}

bool touch_button(const Theme& theme, const char* label, float min_width, bool selected) {
  const ImVec2 text = ImGui::CalcTextSize(label, nullptr, true);
  const ImVec2 padding = ImGui::GetStyle().FramePadding;
  const ImVec2 size(
      std::max(theme.px(std::max(min_width, theme.touch_target)), text.x + 2 * padding.x),
      std::max(theme.px(theme.touch_target), text.y + 2 * padding.y));
  ImGui::PushStyleColor(ImGuiCol_Text, color(selected ? theme.on_accent : theme.accent));
  ImGui::PushStyleColor(ImGuiCol_Button, color(selected ? theme.accent : theme.surface));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, color(selected ? theme.accent : theme.surface));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, selected ? 0.0f : theme.px(1.5f));
  ImGui::PushStyleColor(ImGuiCol_Border, color(theme.accent));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  ImGui::PopStyleVar();
  // The label as shown: what follows "##" only makes the id unique.
  const std::string shown(label);
  record_touch_target(shown.substr(0, shown.find("##")));
  return pressed;
}

void Flow::next(const char* label) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float button =
      std::max(theme_.px(theme_.touch_target),
               ImGui::CalcTextSize(label, nullptr, true).x + 2 * style.FramePadding.x);
  if (used_ > 0 && used_ + button <= width_) {
    ImGui::SameLine();
  } else {
    used_ = 0;
  }
  used_ += button + style.ItemSpacing.x;
}

bool touch_toggle(const Theme& theme, const char* label, bool on) {
  // The label with the switch at the right end of its line; on two lines when it does not fit.
  const float button = theme.px(72);
  const float room = ImGui::GetContentRegionAvail().x - button - ImGui::GetStyle().ItemSpacing.x;
  ImGui::PushID(label);
  const float top = ImGui::GetCursorPosY();
  if (ImGui::CalcTextSize(label).x <= room) {
    ImGui::SetCursorPosY(top + (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2);
    ImGui::TextUnformatted(label);
    ImGui::SameLine(ImGui::GetContentRegionMax().x - button);
    ImGui::SetCursorPosY(top);
  } else {
    text_wrapped(theme.text, label);
  }
  const bool pressed = touch_button(theme, on ? "ON" : "OFF", 72, on);
  targets().back().label = label;
  ImGui::PopID();
  return pressed;
}

void text_wrapped(ImU32 value, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color(value));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void push_small_font() {
  ImFontAtlas* fonts = ImGui::GetIO().Fonts;
  ImGui::PushFont(fonts->Fonts[fonts->Fonts.Size > 2 ? 2 : 0]);
}

void title(const Theme& theme, const std::string& text) {
  // The host loads the title font second; a headless test has only ImGui's default font.
  ImFontAtlas* fonts = ImGui::GetIO().Fonts;
  const bool has_title_font = fonts->Fonts.Size > 1;
  if (has_title_font) ImGui::PushFont(fonts->Fonts[1]);
  text_wrapped(theme.text, text);
  if (has_title_font) ImGui::PopFont();
}

void begin_card(const Theme& theme, const char* id) {
  ImGui::PushID(id);
  ImGui::GetWindowDrawList()->ChannelsSplit(2);
  ImGui::GetWindowDrawList()->ChannelsSetCurrent(1);
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(0, theme.px(4)));
  ImGui::Indent(theme.px(12));
  ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - theme.px(12));
}

void end_card(const Theme& theme) {
  ImGui::PopTextWrapPos();
  ImGui::Unindent(theme.px(12));
  ImGui::Dummy(ImVec2(0, theme.px(4)));
  ImGui::EndGroup();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->ChannelsSetCurrent(0);
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max(ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x,
                   ImGui::GetItemRectMax().y);
  draw->AddRectFilled(min, max, theme.surface, theme.px(theme.corner));
  draw->AddRect(min, max, theme.border, theme.px(theme.corner));
  draw->ChannelsMerge();
  ImGui::PopID();
}

void text_field(const Theme& theme, const std::string& label, const char* id, std::string& value) {
  text_wrapped(theme.muted, label);
  ImGui::PushStyleVar(
      ImGuiStyleVar_FramePadding,
      ImVec2(theme.px(12), (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2));
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText(id, &value);
  ImGui::PopStyleVar();
  record_touch_target(label, true);
}

void area_toggles(const Theme& theme, std::set<std::string>& areas) {
  Flow flow(theme);
  for (const std::string& area : treatment_areas()) {
    flow.next(area.c_str());
    const bool chosen = areas.count(area) > 0;
    if (touch_button(theme, area.c_str(), 0, chosen)) {
      if (chosen) {
        areas.erase(area);
      } else {
        areas.insert(area);
      }
    }
  }
}

}  // namespace aftercare::ui
