#include <iostream>

#include "cli.h"
#include "services/system_paths.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const aftercare::platform::SystemDeviceZone device_zone;
  return aftercare::cli::run(args, std::cout, std::cerr, device_zone);
}
