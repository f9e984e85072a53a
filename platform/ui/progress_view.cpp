#include <algorithm>
#include <cmath>

#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Action draw_progress(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  title(theme, strings.get("progress.title"));
  static const std::vector<SymptomChart> kNone;
  const std::vector<SymptomChart>& charts = patient.log ? patient.log->charts : kNone;
  if (charts.empty()) {
    text_wrapped(theme.muted, strings.get("progress.no_ratings"));
  } else {
    text_wrapped(theme.muted, strings.get("progress.expected"));
  }
  for (const SymptomChart& chart : charts) {
    begin_card(theme, chart.title.c_str());
    text_wrapped(theme.text, chart.title);
    draw_symptom_chart(theme, chart);
    end_card(theme);
  }
  if (!patient.today) return {};
  ImGui::Spacing();
  draw_adherence(view.theme, view.strings, patient.today->timeline);
  return {};
}

}  // namespace aftercare::ui
