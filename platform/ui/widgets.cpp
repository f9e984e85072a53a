#include "ui/widgets.h"

#include <algorithm>

namespace aftercare::ui {

namespace {

std::vector<TouchTarget>& targets() {
  static std::vector<TouchTarget> list;
  return list;
}

}  // namespace

const std::vector<TouchTarget>& touch_targets() { return targets(); }

void begin_touch_frame() { targets().clear(); }

bool touch_button(const Theme& theme, const char* label, float min_width) {
  const ImVec2 text = ImGui::CalcTextSize(label, nullptr, true);
  const ImVec2 padding = ImGui::GetStyle().FramePadding;
  const ImVec2 size(
      std::max(theme.px(std::max(min_width, theme.touch_target)), text.x + 2 * padding.x),
      std::max(theme.px(theme.touch_target), text.y + 2 * padding.y));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme.on_accent));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor();
  targets().push_back({label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
  return pressed;
}

void text_wrapped(ImU32 color, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
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

}  // namespace aftercare::ui
