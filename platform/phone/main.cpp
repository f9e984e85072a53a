// aftercare-phone: the patient app in a phone's portrait layout (390 x 844 points).
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "app/app.h"
#include "services/system_paths.h"
#include "ui/sdl_host.h"
#include "ui/shell.h"

namespace {

constexpr const char* kUsage =
    "usage: aftercare-phone [--data-dir DIR] [--zone ZONE] [--at TIME]\n"
    "                       [--screenshot FILE.png [--screen NAME]]\n"
    "\n"
    "The patient app, portrait. --screenshot renders one frame to a PNG without a display.\n"
    "Screens: today.\n";

struct Options {
  std::optional<std::string> data_dir, zone, at, screenshot, screen;
};

int usage_error(const std::string& message) {
  std::cerr << "aftercare-phone: " << message << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace aftercare;
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    std::optional<std::string>* target = arg == "--data-dir"     ? &options.data_dir
                                         : arg == "--zone"       ? &options.zone
                                         : arg == "--at"         ? &options.at
                                         : arg == "--screenshot" ? &options.screenshot
                                         : arg == "--screen"     ? &options.screen
                                                                 : nullptr;
    if (!target) return usage_error("unknown option \"" + arg + "\"");
    if (i + 1 >= argc) return usage_error(arg + " needs a value");
    *target = argv[++i];
  }
  if (options.screen && ui::screen_from_name(*options.screen) != ui::Screen::kToday) {
    return usage_error("--screen: \"" + *options.screen +
                       "\" is not a screen of this build (today)");
  }
  if (options.screen && !options.screenshot) return usage_error("--screen goes with --screenshot");
  const std::filesystem::path data_dir =
      options.data_dir ? std::filesystem::path(*options.data_dir) : platform::default_data_dir();
  if (data_dir.empty())
    return usage_error("no data directory: set --data-dir, XDG_DATA_HOME or HOME");
  if (options.zone) {
    if (auto zone = locate_zone(*options.zone); !zone) {
      return usage_error("--zone: " + zone.error().message());
    }
  }
  const platform::SystemDeviceZone system_zone;
  const FixedDeviceZone given_zone(options.zone);
  const DeviceZone& device_zone =
      options.zone ? static_cast<const DeviceZone&>(given_zone) : system_zone;
  SystemClock system_clock;
  FakeClock fixed_clock(system_clock.now());
  const Clock& clock = options.at ? static_cast<const Clock&>(fixed_clock) : system_clock;
  auto app = App::open(data_dir, clock, device_zone);
  if (!app) {
    std::cerr << "aftercare-phone: " << app.error().message() << "\n";
    return 1;
  }
  if (options.at) {
    auto at = (*app)->parse_time(*options.at);
    if (!at) return usage_error("--at: " + at.error().message());
    fixed_clock.set(*at);
  }
  auto host = ui::SdlHost::open("aftercare", 390, 844, options.screenshot.has_value());
  if (!host) {
    std::cerr << "aftercare-phone: " << host.error().message() << "\n"
              << "With no display, render screens with --screenshot FILE.png.\n";
    return 1;
  }
  ui::Shell shell(**app, (*host)->display_scale());
  if (options.screenshot) {
    if (auto written = (*host)->screenshot(shell, *options.screenshot); !written) {
      std::cerr << "aftercare-phone: " << written.error().message() << "\n";
      return 1;
    }
    return 0;
  }
  return (*host)->run(shell, [] {});
}
