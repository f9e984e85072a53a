#include <cmath>

#include <catch2/catch.hpp>

#include "ui/theme.h"

namespace aftercare {
namespace {

// WCAG 2.x relative luminance and contrast ratio of two opaque colours.
double luminance(ImU32 color) {
  const auto channel = [](unsigned value) {
    const double c = value / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(color & 0xFF) + 0.7152 * channel((color >> 8) & 0xFF) +
         0.0722 * channel((color >> 16) & 0xFF);
}

double contrast(ImU32 a, ImU32 b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

TEST_CASE("the theme's text reads in sunlight: WCAG AAA for body text, AA for the rest", "[ui]") {
  const ui::Theme theme = ui::make_theme(1.0f, false);
  for (ImU32 page : {theme.background, theme.surface}) {
    CHECK(contrast(theme.text, page) >= 7.0);
    CHECK(contrast(theme.muted, page) >= 7.0);
    CHECK(contrast(theme.accent, page) >= 4.5);
    CHECK(contrast(theme.ok, page) >= 4.5);
    CHECK(contrast(theme.warn, page) >= 4.5);
    CHECK(contrast(theme.urgent, page) >= 4.5);
  }
  CHECK(contrast(theme.on_accent, theme.accent) >= 4.5);
  CHECK(ui::make_theme(1.0f, true).px(theme.touch_target) > theme.px(theme.touch_target));
  CHECK(theme.touch_target >= 44.0f);
}

}  // namespace
}  // namespace aftercare
