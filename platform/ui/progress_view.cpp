#include <algorithm>
#include <cmath>

#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Action draw_progress(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  title(theme, strings.get("progress.title"));
  if (patient.charts.empty()) {
    text_wrapped(theme.muted, strings.get("progress.no_ratings"));
  } else {
    text_wrapped(theme.muted, strings.get("progress.expected"));
  }
  for (const SymptomChart& chart : patient.charts) {
    begin_card(theme, chart.title.c_str());
    text_wrapped(theme.text, chart.title);
    draw_symptom_chart(theme, chart);
    end_card(theme);
  }
  if (!patient.today) return {};
  const Timeline& timeline = patient.today->timeline;
  ImGui::Spacing();
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
  if (count == 0) return {};
  const float slot = width / static_cast<float>(count);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const int day_zero = timeline.day_number - static_cast<int>(days.size()) + 1;
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
    const std::string label = std::to_string(std::max(0, day_zero + static_cast<int>(first + i)));
    draw->AddText(ImVec2((x0 + x1) / 2 - ImGui::CalcTextSize(label.c_str()).x / 2,
                         origin.y + bar_height + theme.px(2)),
                  theme.muted, label.c_str());
  }
  ImGui::Dummy(ImVec2(width, bar_height + ImGui::GetFontSize() + theme.px(4)));
  return {};
}

}  // namespace aftercare::ui
