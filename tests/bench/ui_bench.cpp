// The CPU time to build one frame of each screen with a year of data (target: under 1 ms), with a
// headless ImGui: layout and draw lists, as the apps build them, without rasterizing.
// Run: build/tests/bench/ui_bench
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "app/app.h"
#include "storage/patient_store.h"
#include "support/fake_clock.h"
#include "ui/shell.h"

namespace aftercare {
namespace {

// A patient a year after the treatment: three ratings every evening and every step of the
// plan checked off as it came, in an in-memory store.
struct YearOfData {
  const date::time_zone* toronto = *locate_zone("America/Toronto");
  FakeClock clock{*parse_moment("2026-03-10T11:00", toronto)};
  FixedDeviceZone zone{std::string("America/Toronto")};
  std::unique_ptr<App> app;
  YearOfData() {
    auto store = open_memory_patient_store();
    auto opened = App::open(std::move(*store), clock, zone);
    if (!opened) throw std::runtime_error(opened.error().message());
    app = std::move(*opened);
    PlanDetails details;
    details.treated_at = *parse_moment("2026-03-10T10:00", toronto);
    details.areas = {"face"};
    (void)app->start_plan(details, std::nullopt);
    for (int day = 0; day < 365; ++day) {
      for (int hour : {8, 12, 20}) {
        clock.set(details.treated_at + date::days(day) + std::chrono::hours(hour - 10) +
                  std::chrono::minutes(5));
        auto today = app->today();
        if (!today) continue;
        for (const StepItem& item : today->timeline.today_steps) {
          if (item.status == OccurrenceStatus::kDue) {
            (void)app->check_off(item.occurrence.step->id, StepAction::kDone,
                                 OccurrenceHint::of_id(item.occurrence.id));
          }
        }
      }
      (void)app->check_in({{SymptomId("redness"), std::max(0, 6 - day / 2)},
                           {SymptomId("swelling"), std::max(0, 4 - day / 2)},
                           {SymptomId("itching"), day % 3}},
                          "");
    }
  }
};

YearOfData& data() {
  static YearOfData year;
  return year;
}

void BM_Frame(benchmark::State& state, ui::Screen screen, ui::Layout layout) {
  YearOfData& year = data();
  ImGuiContext* context = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = layout == ui::Layout::kPhone ? ImVec2(390, 844) : ImVec2(1100, 720);
  io.DeltaTime = 1.0f / 60.0f;
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  ui::Shell shell(*year.app, nullptr, nullptr, layout, 1.0f, "/nonexistent");
  shell.state().screen = screen;
  for (int i = 0; i < 3; ++i) {  // settle the layout
    ImGui::NewFrame();
    shell.frame(io.DisplaySize.x, io.DisplaySize.y);
    ImGui::Render();
  }
  for (auto _ : state) {
    ImGui::NewFrame();
    shell.frame(io.DisplaySize.x, io.DisplaySize.y);
    ImGui::Render();
    benchmark::DoNotOptimize(ImGui::GetDrawData()->TotalVtxCount);
  }
  state.counters["vertices"] = ImGui::GetDrawData()->TotalVtxCount;
  ImGui::DestroyContext(context);
}

void register_frames() {
  const std::pair<ui::Screen, const char*> screens[] = {
      {ui::Screen::kToday, "today"},       {ui::Screen::kLog, "log"},
      {ui::Screen::kProgress, "progress"}, {ui::Screen::kReminders, "reminders"},
      {ui::Screen::kSettings, "settings"}, {ui::Screen::kOnboarding, "onboarding"}};
  for (const auto& [screen, name] : screens) {
    for (const auto& [layout, app] :
         {std::pair{ui::Layout::kPhone, "phone"}, std::pair{ui::Layout::kDesktop, "desktop"}}) {
      benchmark::RegisterBenchmark((std::string("BM_Frame/") + app + "/" + name).c_str(),
                                   [screen = screen, layout = layout](benchmark::State& state) {
                                     BM_Frame(state, screen, layout);
                                   })
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace
}  // namespace aftercare

int main(int argc, char** argv) {
  aftercare::register_frames();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
