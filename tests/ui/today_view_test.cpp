#include <catch2/catch.hpp>

#include "support/test_support.h"
#include "ui/shell.h"
#include "ui/strings.h"
#include "ui/widgets.h"

namespace aftercare {
namespace {

// A headless ImGui: no window, no renderer; the views run as they do in the apps.
struct Headless {
  ImGuiContext* context = ImGui::CreateContext();
  Headless() {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(390, 844);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ~Headless() { ImGui::DestroyContext(context); }
  void frame(ui::Shell& shell, ImVec2 mouse, bool down) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = mouse;
    io.MouseDown[0] = down;
    ImGui::NewFrame();
    shell.frame(390, 844);
    ImGui::Render();
  }
  // Presses and releases the touch target with this label (the nth of them), as a finger would.
  bool tap(ui::Shell& shell, const std::string& label, std::size_t nth = 0) {
    frame(shell, ImVec2(-1, -1), false);
    for (const auto& target : ui::touch_targets()) {
      if (target.label != label || nth-- != 0) continue;
      const ImVec2 center((target.min.x + target.max.x) / 2, (target.min.y + target.max.y) / 2);
      frame(shell, center, false);
      frame(shell, center, true);
      frame(shell, center, false);
      return true;
    }
    return false;
  }
};

TEST_CASE("every interface string exists in English and French", "[ui]") {
  const ui::Strings english(ui::Language::kEnglish);
  const ui::Strings french(ui::Language::kFrench);
  CHECK(english.keys() == french.keys());
  CHECK(french.get("today.done") == "Fait");
  CHECK(english.format("today.day", {{"day", "2"}}) == "Day 2 after treatment");
}

TEST_CASE("the Today screen checks a step off with one tap, through the core", "[ui]") {
  test::TempDir dir;
  FakeClock clock(test::at("2027-03-14T19:50", "America/Toronto"));
  FixedDeviceZone zone(std::string("America/Toronto"));
  auto app = App::open(dir.path(), clock, zone);
  REQUIRE(app.ok());
  PlanDetails details;
  details.treated_at = test::at("2027-03-13T22:00", "America/Toronto");
  details.areas = {"face"};
  REQUIRE((*app)->start_plan(details, std::nullopt).ok());

  Headless imgui;
  ui::Shell shell(**app, 1.0f);
  const auto& steps = shell.today().steps;
  REQUIRE_FALSE(steps.empty());
  const std::string first = steps.front().occurrence;

  imgui.frame(shell, ImVec2(-1, -1), false);
  for (const auto& target : ui::touch_targets()) {
    INFO(target.label);
    CHECK(target.max.x - target.min.x >= 44.0f);  // touch targets: at least 44 points
    CHECK(target.max.y - target.min.y >= 44.0f);
  }

  REQUIRE(imgui.tap(shell, "Done"));
  auto today = (*app)->today();
  REQUIRE(today.ok());
  const auto it =
      std::find_if(today->timeline.today_steps.begin(), today->timeline.today_steps.end(),
                   [&](const StepItem& item) { return item.occurrence.id == first; });
  REQUIRE(it != today->timeline.today_steps.end());
  CHECK(it->status == OccurrenceStatus::kDone);
  CHECK(shell.today().steps.front().status == OccurrenceStatus::kDone);

  // Undo takes it back, also through the core.
  REQUIRE(imgui.tap(shell, "Undo"));
  CHECK(shell.today().steps.front().status != OccurrenceStatus::kDone);
}

}  // namespace
}  // namespace aftercare
