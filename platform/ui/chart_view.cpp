#include <algorithm>
#include <cmath>

#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

// Draws one chart's geometry (computed by exchange/chart, tested there) into a box.
void draw_symptom_chart(const Theme& theme, const SymptomChart& chart) {
  // Inside a card the available width runs to the card's border: keep its inner margin.
  const float width = ImGui::GetContentRegionAvail().x - theme.px(12);
  const float height = theme.px(120);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float left = origin.x + theme.px(22);
  const float right = origin.x + width - theme.px(4);
  const float top = origin.y + theme.px(4);
  const float bottom = origin.y + height - theme.px(18);
  const auto at = [&](ChartPoint p) {
    return ImVec2(left + static_cast<float>(p.x) * (right - left),
                  bottom - static_cast<float>(p.y) * (bottom - top));
  };
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(ImVec2(left, top), ImVec2(right, bottom), theme.surface);
  // The usual range: the area under the expected maximum, one quad per segment.
  for (std::size_t i = 0; i + 1 < chart.band.size(); ++i) {
    const ImVec2 a = at(chart.band[i]);
    const ImVec2 b = at(chart.band[i + 1]);
    draw->AddQuadFilled(ImVec2(a.x, bottom), a, b, ImVec2(b.x, bottom), theme.expected_band);
  }
  for (const auto& [x, day] : chart.day_ticks) {
    const float px = left + static_cast<float>(x) * (right - left);
    draw->AddLine(ImVec2(px, top), ImVec2(px, bottom), theme.border);
    const std::string label = std::to_string(day);
    draw->AddText(ImVec2(px - ImGui::CalcTextSize(label.c_str()).x / 2, bottom + theme.px(2)),
                  theme.muted, label.c_str());
  }
  draw->AddText(ImVec2(origin.x, top), theme.muted, "10");
  draw->AddText(ImVec2(origin.x + theme.px(6), bottom - ImGui::GetFontSize()), theme.muted, "0");
  draw->AddRect(ImVec2(left, top), ImVec2(right, bottom), theme.border);
  std::vector<ImVec2> points;
  points.reserve(chart.ratings.size());
  for (const ChartPoint& p : chart.ratings) points.push_back(at(p));
  if (points.size() > 1) {
    draw->AddPolyline(points.data(), static_cast<int>(points.size()), theme.accent, 0, theme.px(2));
  }
  for (const ImVec2& p : points) draw->AddCircleFilled(p, theme.px(3.5f), theme.accent);
  ImGui::Dummy(ImVec2(width, height));
}

void draw_adherence(const Theme& theme, const Strings& strings, const Timeline& timeline) {
  title(theme, strings.get("progress.adherence"));
  if (const auto ratio = timeline.overall_adherence.ratio()) {
    text_wrapped(
        theme.text,
        strings.format("progress.overall",
                       {{"percent", std::to_string(static_cast<int>(std::lround(*ratio * 100)))}}));
  }
  // The last two weeks as bars: green done, amber skipped, red missed.
  const auto& days = timeline.adherence_by_day;
  const std::size_t first = days.size() > 14 ? days.size() - 14 : 0;
  const float width = ImGui::GetContentRegionAvail().x;
  const float bar_height = theme.px(70);
  const std::size_t count = days.size() - first;
  if (count == 0) return;
  const float slot = width / static_cast<float>(count);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (std::size_t i = 0; i < count; ++i) {
    const Adherence& day = days[first + i];
    const int settled = day.done + day.skipped + day.missed;
    const float x0 = origin.x + slot * static_cast<float>(i) + slot * 0.15f;
    const float x1 = origin.x + slot * static_cast<float>(i + 1) - slot * 0.15f;
    float y = origin.y + bar_height;
    if (settled > 0) {
      for (const auto& [n, color] :
           {std::pair{day.done, theme.ok}, std::pair{day.skipped, theme.warn},
            std::pair{day.missed, theme.urgent}}) {
        const float h = bar_height * static_cast<float>(n) / static_cast<float>(settled);
        draw->AddRectFilled(ImVec2(x0, y - h), ImVec2(x1, y), color);
        y -= h;
      }
    } else {
      draw->AddRect(ImVec2(x0, origin.y), ImVec2(x1, y), theme.border);
    }
    // The calendar date ("03-14"): days of a timeline are the patient's calendar days.
    const std::string label = format_date(day.day).substr(5);
    draw->AddText(ImVec2((x0 + x1) / 2 - ImGui::CalcTextSize(label.c_str()).x / 2,
                         origin.y + bar_height + theme.px(2)),
                  theme.muted, label.c_str());
  }
  ImGui::Dummy(ImVec2(width, bar_height + ImGui::GetFontSize() + theme.px(4)));
}

}  // namespace aftercare::ui
