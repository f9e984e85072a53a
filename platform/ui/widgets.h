#pragma once

#include <set>
#include <string>
#include <vector>

#include "ui/theme.h"

namespace aftercare::ui {

/// A touch target drawn in the last frame: where it was and what it said (for the headless UI
/// tests, which press them, and for the check that every one is at least 44 points square).
struct TouchTarget {
  std::string label;
  ImVec2 min, max;
  bool text_field = false;  ///< Takes typed text (the web app opens the soft keyboard for it).
};

/// The touch targets of the frame being built (cleared by begin_touch_frame).
const std::vector<TouchTarget>& touch_targets();
void begin_touch_frame();
/// Records the last ImGui item as a touch target.
void record_touch_target(const std::string& label, bool text_field = false);

/// A button at least one touch target tall (and `min_width` points wide), in the theme's colours.
/// `selected` draws it filled; otherwise outlined, for choices.
bool touch_button(const Theme& theme, const char* label, float min_width = 0.0f,
                  bool selected = true);

/// Lays buttons out left to right, wrapping to a new line when the next would not fit.
class Flow {
 public:
  explicit Flow(const Theme& theme) : theme_(theme), width_(ImGui::GetContentRegionAvail().x) {}
  /// Call before each touch_button with its label.
  void next(const char* label);

 private:
  const Theme& theme_;
  float width_;
  float used_ = 0;
};

/// A switch row: the label, and a button saying on or off.
bool touch_toggle(const Theme& theme, const char* label, bool on);

/// Wrapped text in one of the theme's colours.
void text_wrapped(ImU32 color, const std::string& text);
/// A labelled full-width text field with a touch-sized frame (its label a touch target).
void text_field(const Theme& theme, const std::string& label, const char* id, std::string& value);
/// The treatment areas as toggles in a wrapping row; a tap adds or removes one.
void area_toggles(const Theme& theme, std::set<std::string>& areas);

/// Pushes the host's small font (the tab bar); pop with ImGui::PopFont. A headless test has only
/// ImGui's default font, which it pushes instead.
void push_small_font();

/// A screen title, in the host's bold title font.
void title(const Theme& theme, const std::string& text);

/// A rounded card the width of the window; close with end_card.
void begin_card(const Theme& theme, const char* id);
void end_card(const Theme& theme);

}  // namespace aftercare::ui
