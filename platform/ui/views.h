#pragma once

#include "ui/actions.h"
#include "ui/snapshots.h"
#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/ui_state.h"

namespace aftercare::ui {

/// What every view draws with. Views change only the UI state's forms; everything else goes
/// back as an Action.
struct ViewContext {
  const Theme& theme;
  const Strings& strings;
  UiState& state;
};

// One view per file (onboarding_view.cpp, today_view.cpp, ...). Each draws into the current
// ImGui window.
Action draw_onboarding(ViewContext& view, const PatientSnapshot& patient);
Action draw_today(ViewContext& view, const PatientSnapshot& patient);
Action draw_log(ViewContext& view, const PatientSnapshot& patient);
Action draw_progress(ViewContext& view, const PatientSnapshot& patient);
Action draw_reminders(ViewContext& view, const PatientSnapshot& patient);
Action draw_settings(ViewContext& view, const PatientSnapshot& patient);
/// One symptom's chart (geometry from exchange/chart.h) drawn with ImDrawList, full width.
void draw_symptom_chart(const Theme& theme, const SymptomChart& chart);
/// The overall share of steps done, and the last two weeks as bars (done, skipped, missed).
void draw_adherence(const Theme& theme, const Strings& strings, const Timeline& timeline);
/// The tab bar (phone, at the bottom) or the side bar (desktop).
Action draw_navigation(ViewContext& view, bool clinic_available);

}  // namespace aftercare::ui
