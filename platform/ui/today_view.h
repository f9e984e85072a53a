#pragma once

#include <optional>
#include <string>

#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/today_model.h"

namespace aftercare::ui {

/// What the person asked for on the Today screen this frame.
struct TodayAction {
  enum class Kind { kNone, kDone, kSkip, kUndo, kLogSymptom } kind = Kind::kNone;
  std::string step;
  std::string occurrence;
};

/// Draws the Today screen into the current ImGui window.
TodayAction draw_today(const TodayModel& model, const Theme& theme, const Strings& strings);

}  // namespace aftercare::ui
