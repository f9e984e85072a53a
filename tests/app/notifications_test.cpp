#include <stdlib.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "app/app.h"
#include "services/desktop_notifier.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

class RecordingCenter final : public NotificationCenter {
 public:
  void schedule(const std::vector<Notification>& window) override { windows.push_back(window); }
  void show(const Notification& notification) override { shown.push_back(notification); }
  std::vector<std::vector<Notification>> windows;
  std::vector<Notification> shown;
};

TEST_CASE("re-planning hands the platform the next 48 reminders, and follows each action",
          "[reminders][notifications]") {
  FakeClock clock(at("2027-03-14T19:50", "America/Toronto"));
  FixedDeviceZone device(std::string("America/Toronto"));
  auto store = open_memory_patient_store();
  REQUIRE(store.ok());
  auto app = App::open(std::move(*store), clock, device);
  REQUIRE(app.ok());
  RecordingCenter center;
  REQUIRE((*app)->replan(center).ok());
  REQUIRE(center.windows.size() == 1);
  CHECK(center.windows.back().empty());  // no plan yet: nothing pending

  PlanDetails details;
  details.treated_at = at("2027-03-13T21:00", "America/Toronto");
  details.areas = {"face"};
  REQUIRE((*app)->start_plan(details, std::nullopt).ok());
  REQUIRE((*app)->replan(center).ok());
  const auto& window = center.windows.back();
  REQUIRE(window.size() == 48);
  CHECK(window.front().id == "cleanse_pm@2027-03-14T20:00");
  CHECK(window.front().title == "Evening cleanse");

  REQUIRE((*app)->dismiss_reminder("cleanse_pm@2027-03-14T20:00").ok());
  REQUIRE((*app)->replan(center).ok());
  CHECK(center.windows.back().front().id == "moisturize@2027-03-14T20:15");
  CHECK(center.windows.back().size() == 48);
}

TEST_CASE("the freedesktop notifier hands title and body to gdbus as arguments, not a shell",
          "[notifications]") {
  test::TempDir dir;
  const auto log = dir.path() / "args.txt";
  const auto fake = dir.path() / "gdbus";
  {
    std::ofstream script(fake);
    script << "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" << log.string()
           << "'\n";
  }
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  const char* old_bus = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  const std::string saved_bus = old_bus ? old_bus : "";
  ::setenv("PATH", (dir.path().string() + ":" + old_path).c_str(), 1);
  ::setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", 1);
  platform::FreedesktopNotifier notifier;
  CHECK(platform::FreedesktopNotifier::available());
  notifier.show({"id", "Evening cleanse", "It's 'time'; $(rm -rf /)", Instant{}});
  ::setenv("PATH", old_path.c_str(), 1);
  if (old_bus) {
    ::setenv("DBUS_SESSION_BUS_ADDRESS", saved_bus.c_str(), 1);
  } else {
    ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
  }
  CHECK(notifier.delivered() == 1);
  std::ifstream in(log);
  std::vector<std::string> args;
  for (std::string line; std::getline(in, line);) args.push_back(line);
  REQUIRE(args.size() == 16);
  CHECK(args[7] == "org.freedesktop.Notifications.Notify");
  CHECK(args[11] == "'Evening cleanse'");
  CHECK(args[12] == "'It\\'s \\'time\\'; $(rm -rf /)'");
}

}  // namespace
}  // namespace aftercare
