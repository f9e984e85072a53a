#pragma once

#include <string>

#include "ui/ui_state.h"

namespace aftercare::ui {

/// What differs between the phone and the desktop executables.
struct FrontEnd {
  const char* program;  ///< "aftercare-phone"
  Layout layout;
  int width, height;  ///< Window size in points.
  bool clinic;        ///< Takes --clinic-dir and shows the clinic review.
};

/// The whole executable: options (--data-dir, --zone, --at, --screenshot, --screen,
/// --clinic-dir, --help), the core, the window or the PNG. Returns the exit code.
int run_front_end(const FrontEnd& front_end, int argc, char** argv);

}  // namespace aftercare::ui
