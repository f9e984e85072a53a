// The real views, driven headless by simulated input (pointer position and button state, typed
// characters), each result checked through the core.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/clinic_database.h"
#include "support/test_support.h"
#include "ui/clinic_review.h"
#include "ui/shell.h"
#include "ui/strings.h"
#include "ui/today_model.h"
#include "ui/widgets.h"

namespace aftercare {
namespace {

using test::at;

// A headless ImGui: no window, no renderer; the views run as they do in the apps.
struct Headless {
  ImGuiContext* context = ImGui::CreateContext();
  ImVec2 size{390, 844};
  Headless() {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = size;
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ~Headless() { ImGui::DestroyContext(context); }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;

  void frame(ui::Shell& shell, ImVec2 mouse = {-1, -1}, bool down = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = mouse;
    io.MouseDown[0] = down;
    ImGui::NewFrame();
    shell.frame(size.x, size.y);
    ImGui::Render();
  }
  const ui::TouchTarget* find(ui::Shell& shell, const std::string& label, std::size_t nth = 0) {
    // Two frames, as a person sees the screen: ImGui settles a new screen's layout (a scroll
    // bar appearing, rows wrapping) over the first.
    frame(shell);
    frame(shell);
    for (const auto& target : ui::touch_targets()) {
      if (target.label == label && nth-- == 0) return &target;
    }
    return nullptr;
  }
  // A finger down and up at one point.
  void tap_at(ui::Shell& shell, ImVec2 point) {
    frame(shell, point, false);
    frame(shell, point, true);
    frame(shell, point, false);
  }
  // Taps the touch target with this label (the nth of them); false when there is none.
  bool tap(ui::Shell& shell, const std::string& label, std::size_t nth = 0) {
    const ui::TouchTarget* target = find(shell, label, nth);
    if (!target) return false;
    const ui::TouchTarget copy = *target;
    tap_at(shell, ImVec2((copy.min.x + copy.max.x) / 2, (copy.min.y + copy.max.y) / 2));
    taps += 1;
    return true;
  }
  // Taps a text field and types into it.
  bool type(ui::Shell& shell, const std::string& field, const std::string& text) {
    if (!tap(shell, field)) return false;
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    frame(shell);
    frame(shell);
    return true;
  }
  int taps = 0;
};

struct Patient {
  test::TempDir dir;
  FakeClock clock{at("2027-03-14T19:50", "America/Toronto")};
  FixedDeviceZone zone{std::string("America/Toronto")};
  std::unique_ptr<App> app;
  Patient() {
    auto opened = App::open(dir.path(), clock, zone);
    REQUIRE(opened.ok());
    app = std::move(*opened);
  }
  void start() {
    PlanDetails details;
    details.treated_at = at("2027-03-13T22:00", "America/Toronto");
    details.areas = {"face"};
    REQUIRE(app->start_plan(details, std::nullopt).ok());
  }
  std::unique_ptr<ui::Shell> shell() {
    return std::make_unique<ui::Shell>(*app, nullptr, nullptr, ui::Layout::kPhone, 1.0f,
                                       dir.path() / "exports");
  }
};

TEST_CASE("every interface string exists in English and French", "[ui]") {
  const ui::Strings english(ui::Language::kEnglish);
  const ui::Strings french(ui::Language::kFrench);
  CHECK(english.keys() == french.keys());
  CHECK(french.get("today.done") == "Fait");
  CHECK(english.format("today.day", {{"day", "2"}}) == "Day 2 after treatment");
}

TEST_CASE("a new patient starts a plan on the onboarding screen", "[ui]") {
  Patient patient;
  Headless imgui;
  auto shell = patient.shell();
  CHECK(shell->state().screen == ui::Screen::kOnboarding);
  REQUIRE(imgui.type(*shell, "Treatment date (YYYY-MM-DD)", "2027-03-13"));
  REQUIRE(imgui.type(*shell, "Treatment time (HH:MM)", "22:00"));
  REQUIRE(imgui.tap(*shell, "neck"));  // face is chosen already
  REQUIRE(imgui.tap(*shell, "Start my plan"));
  auto plan = patient.app->current_plan();
  REQUIRE(plan.ok());
  REQUIRE(*plan);
  CHECK((*plan)->details.treated_at == at("2027-03-13T22:00", "America/Toronto"));
  CHECK((*plan)->details.areas == std::vector<std::string>{"face", "neck"});
  CHECK(shell->state().screen == ui::Screen::kToday);
}

TEST_CASE("a bad treatment time is said on screen and starts nothing", "[ui]") {
  Patient patient;
  Headless imgui;
  auto shell = patient.shell();
  REQUIRE(imgui.type(*shell, "Treatment date (YYYY-MM-DD)", "2027-02-30"));
  REQUIRE(imgui.type(*shell, "Treatment time (HH:MM)", "22:00"));
  REQUIRE(imgui.tap(*shell, "Start my plan"));
  CHECK(shell->state().banner_is_error);
  CHECK(shell->state().banner ==
        "Treatment date and time: \"2027-02-30T22:00\" is not a real date and time.");
  CHECK(*patient.app->current_plan() == nullptr);
}

TEST_CASE("what the core refuses is said in the interface's language, without CLI terms", "[ui]") {
  Patient patient;
  REQUIRE(patient.app->set_display_preferences({"fr", true, false, false}).ok());
  Headless imgui;
  auto shell = patient.shell();
  REQUIRE(imgui.type(*shell, "Date du soin (AAAA-MM-JJ)", "2027-02-30"));
  REQUIRE(imgui.type(*shell, "Heure du soin (HH:MM)", "22:00"));
  REQUIRE(imgui.tap(*shell, "Commencer mon plan"));
  CHECK(shell->state().banner_is_error);
  CHECK(shell->state().banner ==
        "Date et heure du soin : « 2027-02-30T22:00 » n'est pas une date et une heure réelles.");
  CHECK(*patient.app->current_plan() == nullptr);
  // A step checked off twice: the core's conflict, worded by the app (no `aftercare undo`).
  patient.start();
  auto today = patient.app->today();
  REQUIRE(today.ok());
  const auto& items = today->timeline.today_steps;
  const auto due =
      std::find_if(items.begin(), items.end(), [](const StepItem& item) { return !item.record; });
  REQUIRE(due != items.end());
  const auto hint = OccurrenceHint::of_id(due->occurrence.id);
  REQUIRE(patient.app->check_off(due->occurrence.step->id, StepAction::kDone, hint).ok());
  const auto again = patient.app->check_off(due->occurrence.step->id, StepAction::kDone, hint);
  REQUIRE_FALSE(again.ok());
  const ui::Strings french(ui::Language::kFrench);
  CHECK(french.word(again.error()) ==
        "Cette étape est déjà notée (à 19:50). Annulez-la pour la changer.");
  CHECK(again.error().message().find("aftercare undo") == std::string::npos);
}

TEST_CASE("the Today screen checks a step off with one tap, through the core", "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  const auto& steps = shell->patient().today_model.steps;
  REQUIRE_FALSE(steps.empty());
  const std::string first = steps.front().occurrence;

  for (ui::Screen screen : {ui::Screen::kToday, ui::Screen::kLog, ui::Screen::kProgress,
                            ui::Screen::kReminders, ui::Screen::kSettings}) {
    shell->state().screen = screen;
    imgui.frame(*shell);
    for (const auto& target : ui::touch_targets()) {
      INFO(ui::screen_name(screen) << ": " << target.label);
      CHECK(target.max.x - target.min.x >= 44.0f);  // touch targets: at least 44 points
      CHECK(target.max.y - target.min.y >= 44.0f);
    }
  }
  shell->state().screen = ui::Screen::kToday;

  REQUIRE(imgui.tap(*shell, "Done"));
  auto today = patient.app->today();
  REQUIRE(today.ok());
  const auto it =
      std::find_if(today->timeline.today_steps.begin(), today->timeline.today_steps.end(),
                   [&](const StepItem& item) { return item.occurrence.id == first; });
  REQUIRE(it != today->timeline.today_steps.end());
  CHECK(it->status == OccurrenceStatus::kDone);
  CHECK(shell->patient().today_model.steps.front().status == OccurrenceStatus::kDone);

  // Undo takes it back, also through the core.
  REQUIRE(imgui.tap(*shell, "Undo"));
  CHECK(shell->patient().today_model.steps.front().status != OccurrenceStatus::kDone);
}

TEST_CASE("a finger dragged up scrolls the screen and presses nothing", "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  const ui::TouchTarget done = *imgui.find(*shell, "Done");
  const ImVec2 start((done.min.x + done.max.x) / 2, (done.min.y + done.max.y) / 2);
  imgui.frame(*shell, start, false);
  for (int step = 0; step <= 10; ++step) {
    imgui.frame(*shell, ImVec2(start.x, start.y - 20.0f * static_cast<float>(step)), true);
  }
  imgui.frame(*shell, ImVec2(start.x, start.y - 200), false);
  const ui::TouchTarget moved = *imgui.find(*shell, "Done");
  CHECK(moved.min.y < done.min.y - 100);  // the list moved up with the finger
  auto today = patient.app->today();
  REQUIRE(today.ok());
  for (const StepItem& item : today->timeline.today_steps) {
    CHECK(item.status != OccurrenceStatus::kDone);  // the drag checked nothing off
  }
}

TEST_CASE("swelling 4 is logged in three taps from Today", "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Swelling"));
  CHECK(shell->state().screen == ui::Screen::kLog);
  // The slider jumps to where it is touched: the point of 4 on 0..10, as ImGui lays it out.
  const ui::TouchTarget slider = *imgui.find(*shell, "severity");
  const float padding = 2.0f;
  const float length = slider.max.x - slider.min.x - 2 * padding;
  const float grab = std::max(length / 11.0f, ImGui::GetStyle().GrabMinSize);
  const float x = slider.min.x + padding + grab / 2 + (length - grab) * 0.4f;
  imgui.tap_at(*shell, ImVec2(x, (slider.min.y + slider.max.y) / 2));
  imgui.taps += 1;
  CHECK(shell->state().log.severity == 4);
  REQUIRE(imgui.tap(*shell, "Save"));
  CHECK(imgui.taps == 3);

  auto log = patient.app->symptom_log();
  REQUIRE(log.ok());
  REQUIRE(log->entries.size() == 1);
  CHECK(log->entries.front().report.symptom == SymptomId("swelling"));
  CHECK(log->entries.front().report.severity == 4);
  CHECK(shell->state().banner == "Saved: Swelling 4 of 10.");
}

TEST_CASE("a reminder is snoozed from the Reminders screen", "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Reminders"));
  CHECK(shell->state().screen == ui::Screen::kReminders);
  REQUIRE(shell->patient().reminders);
  REQUIRE_FALSE(shell->patient().reminders->items.empty());
  const std::string first = shell->patient().reminders->items.front().reminder.id;
  REQUIRE(imgui.tap(*shell, "Snooze"));
  auto window =
      patient.app->reminders(patient.clock.now(), patient.clock.now() + std::chrono::hours(48));
  REQUIRE(window.ok());
  const auto it = std::find_if(window->items.begin(), window->items.end(),
                               [&](const ReminderItem& item) { return item.reminder.id == first; });
  REQUIRE(it != window->items.end());
  CHECK(it->status == ReminderStatus::kSnoozed);
  CHECK(it->fire_at == patient.clock.now() + std::chrono::minutes(10));

  // The snooze length and quiet hours, changed on the same screen, kept by the core.
  REQUIRE(imgui.tap(*shell, "+", 2));  // quiet start, quiet end, then the snooze
  REQUIRE(imgui.tap(*shell, "-", 0));  // quiet hours start half an hour earlier
  const auto settings = patient.app->reminder_settings();
  REQUIRE(settings.ok());
  CHECK(settings->snooze == std::chrono::minutes(15));
  CHECK(time_of_day_text(settings->quiet_start) == "21:30");
  CHECK(time_of_day_text(settings->quiet_end) == "07:00");
}

TEST_CASE("an export is written from Settings into the data folder, owner-only", "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Settings"));
  REQUIRE(imgui.tap(*shell, "CSV"));
  const auto file = patient.dir.path() / "exports" / "aftercare.csv";
  CHECK(shell->state().banner == "Written: " + file.string());
  REQUIRE(std::filesystem::exists(file));
  REQUIRE(std::filesystem::exists(file.string() + ".manifest.json"));
  using std::filesystem::perms;
  CHECK((std::filesystem::status(file).permissions() & (perms::group_all | perms::others_all)) ==
        perms::none);
  CHECK((std::filesystem::status(file.parent_path()).permissions() & perms::others_all) ==
        perms::none);
}

TEST_CASE("Today before a planned treatment shows the countdown and the preparation", "[ui]") {
  Patient patient;
  patient.clock.set(at("2027-03-13T20:00", "America/Toronto"));  // two hours before
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  CHECK(imgui.find(*shell, "Today"));
  const ui::Strings english(ui::Language::kEnglish);
  auto today = patient.app->today();
  REQUIRE(today.ok());
  const ui::TodayModel model = ui::make_today_model(*today, Assessment{}, english, true);
  CHECK(model.planned);
  CHECK(model.heading == "Before your treatment");
  CHECK(model.countdown ==
        "Your treatment is in 2 h, 2027-03-13 22:00. Your aftercare plan starts then.");
  REQUIRE(model.preparation.size() == 5);
  CHECK(model.preparation.front().title == "Stop retinoids");
  CHECK(model.preparation.front().active);
  CHECK(model.preparation.front().when == "From now until your treatment");
  patient.clock.set(at("2027-03-13T23:00", "America/Toronto"));
  auto after = patient.app->today();
  REQUIRE(after.ok());
  const ui::TodayModel treated = ui::make_today_model(*after, Assessment{}, english, true);
  CHECK_FALSE(treated.planned);
  CHECK(treated.preparation.empty());
}

TEST_CASE("an urgent verdict on Today offers the clinic's number as one large call button",
          "[ui]") {
  Patient patient;
  PlanDetails details;
  details.treated_at = at("2027-03-13T22:00", "America/Toronto");
  details.areas = {"face"};
  details.clinic_phone = "+1 416 555 0100";
  REQUIRE(patient.app->start_plan(details, std::nullopt).ok());
  SymptomReport pus;
  pus.symptom = SymptomId("pus");
  pus.severity = 3;
  REQUIRE(patient.app->log_symptom(pus, std::nullopt).ok());
  Headless imgui;
  auto shell = patient.shell();
  std::vector<std::string> dialled;
  shell->set_dialer([&](const std::string& number) { dialled.push_back(number); });
  REQUIRE(imgui.tap(*shell, "Call +1 416 555 0100"));
  CHECK(dialled == std::vector<std::string>{"+1 416 555 0100"});
  CHECK(shell->state().banner == "Calling +1 416 555 0100.");
  // Without a dialer (the desktop), the number is copied and said.
  auto desktop = patient.shell();
  REQUIRE(imgui.tap(*desktop, "Call +1 416 555 0100"));
  CHECK(std::string(ImGui::GetClipboardText()) == "+1 416 555 0100");
  CHECK_THAT(desktop->state().banner, Catch::Contains("Number copied: +1 416 555 0100"));
}

TEST_CASE("Settings corrects the plan's clinic phone and cancels a plan started by mistake",
          "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  imgui.size.y = 1800;  // the open form, whole, without scrolling
  ImGui::GetIO().DisplaySize = imgui.size;
  auto shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Settings"));
  REQUIRE(imgui.tap(*shell, "Correct plan details"));
  // Filled from the plan: the time in the device's zone, face chosen, no phone yet.
  CHECK(shell->state().plan_edit.time == "22:00");
  CHECK(shell->state().plan_edit.areas == std::set<std::string>{"face"});
  REQUIRE(imgui.type(*shell, "Clinic phone", "+1 416 555 0199"));
  REQUIRE(imgui.tap(*shell, "neck"));
  REQUIRE(imgui.tap(*shell, "Save changes"));
  INFO(shell->state().banner);
  CHECK_FALSE(shell->state().banner_is_error);
  auto plan = patient.app->current_plan();
  REQUIRE(plan.ok());
  CHECK((*plan)->details.clinic_phone == "+1 416 555 0199");
  CHECK((*plan)->details.areas == std::vector<std::string>{"face", "neck"});
  CHECK((*plan)->details.treated_at == at("2027-03-13T22:00", "America/Toronto"));  // kept
  REQUIRE((*plan)->changes.size() == 2);  // only what was changed: the phone and the areas
  CHECK((*plan)->changes[0].field == PlanField::kClinicPhone);
  CHECK((*plan)->changes[1].field == PlanField::kAreas);
  // A time beyond the 24 h correction is refused on screen, and nothing changes.
  REQUIRE(imgui.tap(*shell, "Correct plan details"));
  shell->state().plan_edit.date = "2027-03-11";
  REQUIRE(imgui.tap(*shell, "Save changes"));
  CHECK(shell->state().banner_is_error);
  CHECK_THAT(shell->state().banner, Catch::Contains("24 h"));
  CHECK((*patient.app->current_plan())->changes.size() == 2);
  REQUIRE(imgui.tap(*shell, "Close"));

  // Cancelling asks once more (also on a Settings screen where the form was never opened); the
  // only plan cancelled, the app goes back to onboarding.
  shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Settings"));
  REQUIRE(imgui.tap(*shell, "Cancel this plan"));
  REQUIRE(imgui.tap(*shell, "Keep it"));
  CHECK(*patient.app->current_plan());
  REQUIRE(imgui.tap(*shell, "Cancel this plan"));
  REQUIRE(imgui.tap(*shell, "Yes, cancel it"));
  auto after = patient.app->current_plan();
  REQUIRE(after.ok());
  CHECK_FALSE(*after);
  auto all = patient.app->plans();
  REQUIRE(all->size() == 1);
  CHECK(all->front()->cancelled);
  imgui.frame(*shell);
  CHECK(shell->state().screen == ui::Screen::kOnboarding);
  CHECK(patient.app->verify_log()->ok);
}

TEST_CASE("Settings keeps the patient's name, and exports carry it only with the switch on",
          "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  imgui.size.y = 1400;
  ImGui::GetIO().DisplaySize = imgui.size;
  auto shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Settings"));
  REQUIRE(imgui.type(*shell, "Your name (optional)", "Ana Silva"));
  REQUIRE(imgui.tap(*shell, "Save name"));
  CHECK(*patient.app->patient_name() == "Ana Silva");
  const auto file = patient.dir.path() / "exports" / "aftercare.json";
  const auto read = [&] {
    std::ifstream in(file);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  };
  REQUIRE(imgui.tap(*shell, "JSON"));
  CHECK(read().find("Ana Silva") == std::string::npos);
  REQUIRE(imgui.tap(*shell, "Put my name in exports"));
  CHECK(patient.app->display_preferences()->include_name);
  REQUIRE(imgui.tap(*shell, "JSON"));
  CHECK(read().find("\"patient_name\": \"Ana Silva\"") != std::string::npos);
}

TEST_CASE("Settings shows this device's signing key when asked, the one its exports carry",
          "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Settings"));
  CHECK_FALSE(shell->state().show_device_key);
  REQUIRE(imgui.tap(*shell, "Show this device's key"));
  CHECK(shell->state().show_device_key);
  const std::string key = shell->patient().device_key;
  REQUIRE(key.size() == 64);
  auto exported = patient.app->export_into(ExportFormat::kJson, patient.dir.path() / "exports");
  REQUIRE(exported.ok());
  CHECK(exported->device == key);
  auto checked = patient.app->verify_export(exported->file);
  REQUIRE(checked.ok());
  CHECK(checked->device == key);
  CHECK(checked->this_device);
}

TEST_CASE("display preferences are validated and stored with the patient's data", "[ui]") {
  Patient patient;
  auto defaults = patient.app->display_preferences();
  REQUIRE(defaults.ok());
  CHECK(defaults->language == "en");
  CHECK(defaults->clock_24h);
  CHECK_FALSE(defaults->large_text);
  auto refused = patient.app->set_display_preferences({"de", true, false, false});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "language: \"de\" is not one of en, fr");
  CHECK(patient.app->display_preferences()->language == "en");  // nothing stored
  REQUIRE(patient.app->set_display_preferences({"fr", false, true, false}).ok());
  const auto stored = patient.app->display_preferences();
  CHECK(stored->language == "fr");
  CHECK_FALSE(stored->clock_24h);
  CHECK(stored->large_text);
}

TEST_CASE("the interface switches to French from Settings", "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  REQUIRE(imgui.tap(*shell, "Settings"));
  REQUIRE(imgui.tap(*shell, "Français"));
  CHECK(shell->state().language == ui::Language::kFrench);
  CHECK(imgui.find(*shell, "Aujourd'hui") != nullptr);  // the tab bar speaks French
  REQUIRE(imgui.tap(*shell, "Aujourd'hui"));
  CHECK(imgui.find(*shell, "Fait") != nullptr);
  CHECK(shell->patient().today_model.heading == "Jour 0 après le soin");
  // Kept with the patient's data: the next start (or the other app) speaks French too.
  CHECK(patient.app->display_preferences()->language == "fr");
  auto again = patient.shell();
  CHECK(again->state().language == ui::Language::kFrench);
  CHECK(again->patient().today_model.heading == "Jour 0 après le soin");
}

}  // namespace
}  // namespace aftercare

namespace aftercare {
namespace {

struct RecordingCenter final : NotificationCenter {
  std::vector<Notification> shown;
  std::vector<Notification> scheduled;
  void schedule(const std::vector<Notification>& window) override { scheduled = window; }
  void show(const Notification& notification) override { shown.push_back(notification); }
};

TEST_CASE("a reminder coming due shows as a banner and through the notification service", "[ui]") {
  Patient patient;
  patient.start();
  RecordingCenter center;
  ui::Shell shell(*patient.app, nullptr, &center, ui::Layout::kPhone, 1.0f,
                  patient.dir.path() / "exports");
  patient.clock.set(at("2027-03-14T20:00", "America/Toronto"));  // the evening cleanse
  shell.fire_due_reminders();
  REQUIRE_FALSE(center.shown.empty());
  CHECK(std::any_of(center.shown.begin(), center.shown.end(),
                    [](const Notification& n) { return n.title == "Evening cleanse"; }));
  CHECK(shell.state().banner == center.shown.back().title);
  CHECK_FALSE(center.scheduled.empty());  // the window handed to the OS again
  center.shown.clear();
  shell.fire_due_reminders();  // each occurrence fires once
  CHECK(center.shown.empty());
}

// Issue #13: what escapes from below the Shell (here a notification service that throws) is
// shown in the banner; the app goes on.
TEST_CASE("an exception from a platform service is shown, not fatal", "[ui]") {
  struct ThrowingCenter final : NotificationCenter {
    void schedule(const std::vector<Notification>&) override {}
    void show(const Notification&) override { throw std::runtime_error("notification bus gone"); }
  };
  Patient patient;
  patient.start();
  ThrowingCenter center;
  ui::Shell shell(*patient.app, nullptr, &center, ui::Layout::kPhone, 1.0f,
                  patient.dir.path() / "exports");
  patient.clock.set(at("2027-03-14T20:00", "America/Toronto"));
  REQUIRE_NOTHROW(shell.fire_due_reminders());
  CHECK(shell.state().banner_is_error);
  CHECK_THAT(shell.state().banner, Catch::Contains("notification bus gone"));
}

TEST_CASE("large text really enlarges every touch target and the font", "[ui]") {
  Patient patient;
  patient.start();
  Headless imgui;
  auto shell = patient.shell();
  imgui.frame(*shell);
  const auto normal = ui::touch_targets().front();
  REQUIRE(imgui.tap(*shell, "Settings"));
  REQUIRE(imgui.tap(*shell, "Large text"));
  CHECK(shell->state().large_text);
  CHECK(shell->theme().scale == Approx(1.35f));
  CHECK(shell->take_style_change());  // the host rebuilds its fonts at the new size
  REQUIRE(imgui.tap(*shell, "Today"));
  imgui.frame(*shell);
  const auto large = ui::touch_targets().front();
  CHECK(large.max.y - large.min.y >= 1.3f * (normal.max.y - normal.min.y));
}

}  // namespace
}  // namespace aftercare

namespace aftercare {
namespace {

TEST_CASE("the clinic review imports a folder, filters by verdict and opens a patient", "[ui]") {
  Patient patient;
  test::TempDir clinic_dir;
  auto clinic = ClinicApp::open(clinic_dir.path(), patient.clock);
  REQUIRE(clinic.ok());
  Headless imgui;
  imgui.size = ImVec2(1100, 720);
  ImGui::GetIO().DisplaySize = imgui.size;
  ui::ClinicReview review(**clinic, nullptr);
  ui::Shell shell(*patient.app, &review, nullptr, ui::Layout::kDesktop, 1.0f,
                  patient.dir.path() / "exports");
  CHECK(shell.state().screen == ui::Screen::kClinic);  // no patient plan on this desktop
  REQUIRE(imgui.type(shell, "folder", (test::fixtures_dir() / "clinic").string()));
  REQUIRE(imgui.tap(shell, "Import"));
  CHECK(shell.state().banner == "5 imported, 0 extended, 0 unchanged, 0 rejected");
  auto listed = (*clinic)->list(std::nullopt, ClinicSort::kStatus);
  REQUIRE(listed.ok());
  CHECK(listed->size() == 5);
  REQUIRE(review.snapshot().patients.size() == 5);
  CHECK(review.snapshot().patients.front().summary.verdict == Verdict::kUrgent);  // urgent first

  REQUIRE(imgui.tap(shell, "Urgent"));
  REQUIRE(review.snapshot().patients.size() == 1);
  const std::string urgent = review.snapshot().patients.front().pseudonym;

  REQUIRE(imgui.tap(shell, urgent));  // the row
  REQUIRE(review.snapshot().selected);
  CHECK(review.snapshot().selected->patient.pseudonym == urgent);
  CHECK_FALSE(review.snapshot().selected->flags.empty());
  CHECK_FALSE(review.snapshot().selected->charts.empty());
  // The device the clinic trusts for this patient, and a new phone's key trusted instead.
  REQUIRE(review.snapshot().selected->patient.pins.size() == 1);
  CHECK(review.snapshot().selected->patient.pins[0].source == PinSource::kFirstUse);
  const std::string new_phone = key_to_hex(generate_device_keys().public_key);
  REQUIRE(imgui.type(shell, "trust", new_phone));
  REQUIRE(imgui.tap(shell, "Trust this key"));
  CHECK(shell.state().banner == "Exports signed by " + new_phone.substr(0, 16) +
                                    "... are accepted for " + urgent + " from now on.");
  REQUIRE(review.snapshot().selected->patient.pins.size() == 2);
  CHECK(review.snapshot().selected->patient.pins[1].device == new_phone);
  CHECK(review.snapshot().selected->patient.pins[1].source == PinSource::kClinic);
  CHECK(shell.state().clinic.trust_device.empty());  // done with
  REQUIRE(imgui.type(shell, "trust", "not a key"));
  REQUIRE(imgui.tap(shell, "Trust this key"));
  CHECK(shell.state().banner_is_error);
  CHECK(shell.state().banner == "the device's key: expected 64 hex digits");
  CHECK(review.snapshot().selected->patient.pins.size() == 2);
  CHECK(shell.state().clinic.trust_device == "not a key");  // kept, to be corrected
  REQUIRE(imgui.tap(shell, "Back to the list"));
  CHECK_FALSE(review.snapshot().selected);
}

// A FHIR server that refuses the first patient and takes the others' every entry as new. Each
// answer waits until the test releases it (or the push is cancelled).
class FakeFhirServer final : public HttpClient {
 public:
  std::atomic<int> posts{0};
  std::atomic<bool> released{true};
  const std::atomic<bool>* cancel = nullptr;
  std::vector<std::string> authorizations;  // read once the push is over
  Result<HttpResponse> send(const HttpRequest& request) override {
    const std::string& body = request.body;
    authorizations.push_back(request.authorization);
    while (!released && !(cancel && *cancel)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (cancel && *cancel) return Error(ErrorCode::kIo, "cancelled");
    if (posts++ == 0) {
      return HttpResponse{400,
                          R"({"resourceType":"OperationOutcome","issue":[{"severity":"error",)"
                          R"("details":{"text":"entry 2 (Observation): Invalid dateTime"}}]})",
                          std::nullopt};
    }
    const auto entries = nlohmann::json::parse(body)["entry"].size();
    nlohmann::json answer{{"resourceType", "Bundle"}, {"type", "transaction-response"}};
    for (std::size_t i = 0; i < entries; ++i) {
      answer["entry"].push_back({{"response", {{"status", "201"}}}});
    }
    return HttpResponse{200, answer.dump(), std::nullopt};
  }
};

TEST_CASE("the clinic review sends every patient to the FHIR server in the background",
          "[ui][clinic][fhir]") {
  Patient patient;
  test::TempDir clinic_dir;
  test::ClinicDatabase database;
  auto clinic = ClinicApp::open(clinic_dir.path(), patient.clock, database.location());
  REQUIRE(clinic.ok());
  FakeFhirServer server;
  std::atomic<bool> cancel{false};
  server.cancel = &cancel;
  std::atomic<int> wakes{0};
  Headless imgui;
  imgui.size = ImVec2(1100, 720);
  ImGui::GetIO().DisplaySize = imgui.size;
  ui::ClinicReview review(
      **clinic, &server, [&] { ++wakes; }, &cancel);
  ui::Shell shell(*patient.app, &review, nullptr, ui::Layout::kDesktop, 1.0f,
                  patient.dir.path() / "exports");
  REQUIRE(imgui.type(shell, "folder", (test::fixtures_dir() / "clinic").string()));
  REQUIRE(imgui.tap(shell, "Import"));

  for (const char* bad : {"ftp://fhir.test", "http://fhir.example/R4"}) {
    shell.state().clinic.fhir_server.clear();  // typing appends
    REQUIRE(imgui.type(shell, "fhir_server", bad));
    REQUIRE(imgui.tap(shell, "Send"));
    CHECK(shell.state().banner_is_error);
    CHECK_THAT(shell.state().banner, Catch::Contains("https://"));
  }
  CHECK(server.posts == 0);

  server.released = false;
  shell.state().clinic.fhir_server.clear();
  REQUIRE(imgui.type(shell, "fhir_server", "https://fhir.test/R4"));
  REQUIRE(imgui.tap(shell, "Send"));
  CHECK(review.snapshot().pushing);
  CHECK(review.snapshot().push_total == 5);
  // The table refreshes (a filter) while the push runs: the push stays on screen.
  REQUIRE(imgui.tap(shell, "Urgent"));
  CHECK(review.snapshot().patients.size() == 1);
  CHECK(review.snapshot().pushing);
  (void)imgui.tap(shell, "Send");  // disabled meanwhile: no second push (5 posts in all below)
  server.released = true;
  for (int i = 0; i < 1000 && review.snapshot().pushing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    shell.poll();
  }
  REQUIRE_FALSE(review.snapshot().pushing);
  CHECK(server.posts == 5);
  CHECK(wakes >= 5);  // the host is asked for a frame as the push moves on
  CHECK(shell.state().banner == "FHIR server: 4 accepted, 1 rejected, 0 failed");
  REQUIRE(review.snapshot().push_problems.size() == 1);
  CHECK_THAT(review.snapshot().push_problems.front(),
             Catch::EndsWith(": rejected: error: entry 2 (Observation): Invalid dateTime"));
  CHECK(server.authorizations == std::vector<std::string>(5, ""));  // no sign-in chosen

  // Signing in with a bearer token: the form names its file; the token goes in each request.
  REQUIRE(imgui.tap(shell, "Bearer token"));
  REQUIRE(imgui.type(shell, "token_file", (clinic_dir.path() / "absent").string()));
  REQUIRE(imgui.tap(shell, "Send"));
  CHECK(shell.state().banner_is_error);
  CHECK_THAT(shell.state().banner, Catch::Contains("absent"));
  CHECK(server.posts == 5);
  {
    std::ofstream token(clinic_dir.path() / "token");
    token << "Zm9v.YmFy-token\n";
  }
  shell.state().clinic.fhir_auth.token_file.clear();
  REQUIRE(imgui.type(shell, "token_file", (clinic_dir.path() / "token").string()));
  REQUIRE(imgui.tap(shell, "Send"));
  for (int i = 0; i < 1000 && review.snapshot().pushing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    shell.poll();
  }
  REQUIRE_FALSE(review.snapshot().pushing);
  REQUIRE(server.authorizations.size() == 10);
  CHECK(std::vector<std::string>(server.authorizations.begin() + 5, server.authorizations.end()) ==
        std::vector<std::string>(5, "Bearer Zm9v.YmFy-token"));
  CHECK(shell.state().banner == "FHIR server: 5 accepted, 0 rejected, 0 failed");
}

TEST_CASE("closing the desktop during a push cancels it and waits for it", "[ui][clinic][fhir]") {
  Patient patient;
  test::TempDir clinic_dir;
  FakeFhirServer server;
  server.released = false;  // the server hangs
  std::atomic<bool> cancel{false};
  server.cancel = &cancel;
  auto clinic = ClinicApp::open(clinic_dir.path(), patient.clock);
  REQUIRE(clinic.ok());
  REQUIRE((*clinic)->import({test::fixtures_dir() / "clinic"}).ok());
  {
    Headless imgui;
    imgui.size = ImVec2(1100, 720);
    ImGui::GetIO().DisplaySize = imgui.size;
    ui::ClinicReview review(**clinic, &server, {}, &cancel);
    ui::Shell shell(*patient.app, &review, nullptr, ui::Layout::kDesktop, 1.0f,
                    patient.dir.path() / "exports");
    shell.state().clinic.fhir_server = "https://fhir.test/R4";
    shell.apply(ui::Action::of(ui::Action::Kind::kClinicPush));
    CHECK(review.snapshot().pushing);
  }  // the review goes: it sets `cancel` and waits
  CHECK(cancel);
  CHECK(server.posts == 0);  // nothing answered, and nothing more was sent
}

}  // namespace
}  // namespace aftercare
