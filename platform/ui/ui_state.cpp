#include "ui/ui_state.h"

#include <array>
#include <utility>

namespace aftercare::ui {

namespace {

constexpr std::array<std::pair<Screen, const char*>, 7> kNames{{{Screen::kOnboarding, "onboarding"},
                                                                {Screen::kToday, "today"},
                                                                {Screen::kLog, "log"},
                                                                {Screen::kProgress, "progress"},
                                                                {Screen::kReminders, "reminders"},
                                                                {Screen::kSettings, "settings"},
                                                                {Screen::kClinic, "clinic"}}};

}  // namespace

std::optional<Screen> screen_from_name(const std::string& name) {
  for (const auto& [screen, text] : kNames) {
    if (name == text) return screen;
  }
  return std::nullopt;
}

const char* screen_name(Screen screen) {
  for (const auto& [value, text] : kNames) {
    if (value == screen) return text;
  }
  return "today";
}

}  // namespace aftercare::ui
