#include "ui/front_end.h"

#include <iostream>
#include <optional>

#include "app/app.h"
#include "services/cli_wording.h"
#include "services/desktop_notifier.h"
#include "services/start_up.h"
#include "services/system_paths.h"
#include "ui/sdl_host.h"
#include "ui/shell.h"

namespace aftercare::ui {

namespace {

struct Options {
  std::optional<std::string> data_dir, zone, at, screenshot, screen, clinic_dir, clinic_db, patient,
      fhir_server;
};

std::string usage(const FrontEnd& front_end) {
  const bool clinic = front_end.open_clinic != nullptr;
  std::string text = std::string("usage: ") + front_end.program +
                     " [--data-dir DIR] [--zone ZONE] [--at TIME]" +
                     (clinic ? " [--clinic-dir DIR [--clinic-db URI] [--patient PSEUDONYM]\n"
                               "       [--fhir URL]]"
                             : "") +
                     "\n       [--screenshot FILE.png [--screen NAME]]\n\n" +
                     (front_end.layout == Layout::kPhone
                          ? "The patient app, portrait (390 x 844 points)."
                          : "The patient app in a wide window, and the clinic review.") +
                     "\n--screenshot renders one frame to a PNG without a display.\n" +
                     (clinic ? "--clinic-db: the clinic database on a PostgreSQL server "
                               "(postgresql://USER@HOST/DB) instead of DIR/clinic.db.\n"
                               "--fhir: the clinic's FHIR server, filled in for a push.\n"
                             : "") +
                     "Screens: onboarding, today, log, progress, reminders, settings" +
                     (clinic ? ", clinic" : "") + ".\n";
  return text;
}

int usage_error(const FrontEnd& front_end, const std::string& message) {
  std::cerr << front_end.program << ": " << message << "\n" << usage(front_end);
  return 2;
}

// Reads the command line into `options`; the exit code when that is all (--help, an error).
std::optional<int> read_options(const FrontEnd& front_end, int argc, char** argv,
                                Options& options) {
  const bool clinic = front_end.open_clinic != nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage(front_end);
      return 0;
    }
    const std::pair<const char*, std::optional<std::string>*> known[] = {
        {"--data-dir", &options.data_dir},
        {"--zone", &options.zone},
        {"--at", &options.at},
        {"--screenshot", &options.screenshot},
        {"--screen", &options.screen},
        {"--clinic-dir", clinic ? &options.clinic_dir : nullptr},
        {"--clinic-db", clinic ? &options.clinic_db : nullptr},
        {"--fhir", clinic ? &options.fhir_server : nullptr},
        {"--patient", clinic ? &options.patient : nullptr}};
    std::optional<std::string>* target = nullptr;
    for (const auto& [name, slot] : known) {
      if (arg == name) target = slot;
    }
    if (!target) return usage_error(front_end, "unknown option \"" + arg + "\"");
    if (i + 1 >= argc) return usage_error(front_end, arg + " needs a value");
    *target = argv[++i];
  }
  return std::nullopt;
}

}  // namespace

int run_front_end(const FrontEnd& front_end, int argc, char** argv) {
  const bool clinic = front_end.open_clinic != nullptr;
  Options options;
  if (auto done = read_options(front_end, argc, argv, options)) return *done;
  std::optional<Screen> screen;
  if (options.screen) {
    screen = screen_from_name(*options.screen);
    if (!screen || (*screen == Screen::kClinic && !clinic)) {
      return usage_error(front_end, "--screen: no screen \"" + *options.screen + "\"");
    }
    if (!options.screenshot) return usage_error(front_end, "--screen goes with --screenshot");
  }
  if ((options.clinic_db || options.fhir_server || options.patient) && !options.clinic_dir) {
    return usage_error(front_end, "--clinic-db, --fhir and --patient go with --clinic-dir");
  }
  const platform::SystemDeviceZone system_zone;
  auto session =
      platform::Session::start({options.data_dir, options.zone, options.at, false}, system_zone);
  if (!session) {
    if (session.error().code() == ErrorCode::kInvalidInput) {
      return usage_error(front_end, session.error().message());
    }
    // Started from a terminal, with command-line options: worded as the CLI words it (a damaged
    // database names `aftercare restore`).
    std::cerr << front_end.program << ": " << cli::cli_words(session.error()) << "\n";
    return 1;
  }
  App& app = (*session)->app();
  const Clock& clock = (*session)->clock();
  const std::filesystem::path& data_dir = (*session)->data_dir();
  std::unique_ptr<ClinicPanel> review;  // outlives the Shell, which points to it
  if (options.clinic_dir) {
    auto opened = front_end.open_clinic({*options.clinic_dir, options.clinic_db.value_or("")},
                                        clock, SdlHost::wake);
    if (!opened) {
      std::cerr << front_end.program << ": --clinic-dir: " << opened.error().message() << "\n";
      return 1;
    }
    review = std::move(*opened);
  }
  auto host =
      SdlHost::open("aftercare", front_end.width, front_end.height, options.screenshot.has_value());
  if (!host) {
    std::cerr << front_end.program << ": " << host.error().message() << "\n"
              << "With no display, render screens with --screenshot FILE.png --screen NAME.\n";
    return 1;
  }
  // Reminders reach the desktop's notification service when one runs; the in-app banner always.
  platform::FreedesktopNotifier notifier;
  NotificationCenter* notifications =
      !options.screenshot && platform::FreedesktopNotifier::available() ? &notifier : nullptr;
  Shell shell(app, review.get(), notifications, front_end.layout, (*host)->display_scale(),
              data_dir / "exports");
  if (options.fhir_server) shell.state().clinic.fhir_server = *options.fhir_server;
  if (options.patient) {
    if (auto opened = shell.open_patient(*options.patient); !opened) {
      std::cerr << front_end.program << ": --patient: " << opened.error().message() << "\n";
      return 2;
    }
  }
  if (options.screenshot) {
    if (screen) shell.state().screen = *screen;
    if (auto written = (*host)->screenshot(shell, *options.screenshot); !written) {
      std::cerr << front_end.program << ": " << written.error().message() << "\n";
      return 1;
    }
    return 0;
  }
  shell.fire_due_reminders();
  return (*host)->run(shell, [&shell] { shell.fire_due_reminders(); });
}

}  // namespace aftercare::ui
