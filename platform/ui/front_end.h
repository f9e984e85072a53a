#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/clock.h"
#include "ui/clinic_panel.h"
#include "ui/ui_state.h"

namespace aftercare::ui {

/// Where the clinic review's data is: --clinic-dir, --clinic-db.
struct ClinicLocation {
  std::filesystem::path dir;
  std::string database;  ///< Empty: dir/clinic.db.
};

/// Opens the clinic review (the desktop's, in aftercare_ui_clinic). `wake` (thread-safe) asks
/// the host for a frame. The panel owns what it needs (database, HTTP client).
using ClinicOpener = Result<std::unique_ptr<ClinicPanel>> (*)(const ClinicLocation& location,
                                                              const Clock& clock,
                                                              std::function<void()> wake);

/// What differs between the phone and the desktop executables.
struct FrontEnd {
  const char* program;  ///< "aftercare-phone"
  Layout layout;
  int width, height;  ///< Window size in points.
  /// Null: no clinic review (the phone). Else --clinic-dir opens one with it.
  ClinicOpener open_clinic = nullptr;
};

/// The whole executable: options (--data-dir, --zone, --at, --screenshot, --screen,
/// --clinic-dir, --help), the core, the window or the PNG. Returns the exit code.
int run_front_end(const FrontEnd& front_end, int argc, char** argv);

}  // namespace aftercare::ui
