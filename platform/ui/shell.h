#pragma once

#include <optional>

#include "app/app.h"
#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/today_model.h"
#include "ui/ui_state.h"

namespace aftercare::ui {

/// The patient app's frame: reads snapshots from the core, draws the current screen, and sends
/// what the person did back through App. Shared by the phone and desktop front ends.
class Shell {
 public:
  Shell(App& app, float display_scale);

  /// Builds one frame of `width` x `height` pixels (between ImGui::NewFrame and ImGui::Render).
  void frame(float width, float height);
  /// Reloads the snapshots (after an action, a reminder, or the minute turning).
  void refresh();

  UiState& state() { return state_; }
  const Theme& theme() const { return theme_; }
  const TodayModel& today() const { return today_; }
  /// True after a change of text size or language: the host rebuilds its fonts and style.
  bool take_style_change();

 private:
  void apply(const struct TodayAction& action);

  App& app_;
  float display_scale_;
  UiState state_;
  Strings strings_;
  Theme theme_;
  TodayModel today_;
  bool style_changed_ = true;
};

}  // namespace aftercare::ui
