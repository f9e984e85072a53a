#include <iostream>

#include "base/visible_text.h"
#include "cli.h"
#include "services/system_paths.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const aftercare::platform::SystemDeviceZone device_zone;
  try {
    return aftercare::cli::run(args, std::cout, std::cerr, device_zone);
  } catch (const std::exception& error) {
    // Errors are values in the core; this is the last line, so a bug still exits 1 with words.
    std::cerr << "aftercare: internal error: " << aftercare::visible_text(error.what()) << "\n";
    return aftercare::cli::kExitFailure;
  }
}
