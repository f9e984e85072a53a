#pragma once

#include <optional>
#include <string>

#include "ui/strings.h"

namespace aftercare::ui {

enum class Screen { kOnboarding, kToday, kLog, kProgress, kReminders, kSettings, kClinic };

/// The screen's name as `--screen` takes it ("today"); nullopt for an unknown name.
std::optional<Screen> screen_from_name(const std::string& name);
const char* screen_name(Screen screen);

/// Everything the interface remembers that the core does not: one plain struct.
struct UiState {
  Screen screen = Screen::kToday;
  Language language = Language::kEnglish;
  bool large_text = false;
  bool clock_24h = true;
  /// A message shown at the top until dismissed: a reminder that fired, an error.
  std::string banner;
  bool banner_is_error = false;
};

}  // namespace aftercare::ui
