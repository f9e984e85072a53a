#pragma once

#include <imgui.h>

#include "domain/protocol.h"

namespace aftercare::ui {

/// Every colour and size the views use, in one table. Sizes are in points: multiply by `scale`
/// (the display's DPI scale times the large-text factor) for pixels.
struct Theme {
  float scale = 1.0f;          ///< The display's scale times the large-text factor.
  float display_scale = 1.0f;  ///< The display's scale alone.

  // High contrast, so that the screen reads outdoors: near-black on white.
  ImU32 background = IM_COL32(250, 250, 247, 255);
  ImU32 surface = IM_COL32(255, 255, 255, 255);
  ImU32 border = IM_COL32(196, 196, 190, 255);
  ImU32 text = IM_COL32(20, 20, 24, 255);
  ImU32 muted = IM_COL32(78, 78, 86, 255);
  ImU32 accent = IM_COL32(18, 94, 140, 255);
  ImU32 on_accent = IM_COL32(255, 255, 255, 255);
  ImU32 ok = IM_COL32(24, 120, 60, 255);
  ImU32 warn = IM_COL32(170, 90, 0, 255);
  ImU32 urgent = IM_COL32(180, 20, 30, 255);
  ImU32 expected_band = IM_COL32(24, 120, 60, 48);

  float touch_target = 44.0f;  ///< Apple HIG and WCAG 2.5.5: at least 44 points.
  float padding = 16.0f;
  float gap = 10.0f;
  float corner = 10.0f;
  float body_size = 17.0f;   ///< Font size of body text, points.
  float title_size = 21.0f;  ///< Font size of screen titles (bold), points.
  float small_size = 13.0f;  ///< Font size of the tab bar, points; not enlarged by large text
                             ///< (the bar keeps its room for five tabs).

  float px(float points) const { return points * scale; }
};

/// Green, amber or red for a verdict.
ImU32 verdict_color(const Theme& theme, Verdict verdict);

/// The theme at a display scale, with large text enlarging every size by 1.35.
Theme make_theme(float display_scale, bool large_text);

/// Sets ImGui's style (colours, paddings, rounding) from the theme.
void apply_theme(const Theme& theme);

}  // namespace aftercare::ui
