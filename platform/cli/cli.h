#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "app/services.h"

namespace aftercare::cli {

/// Exit codes of the contract (shared/CLI.md).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

/// Runs one `aftercare` command line (without the program name). Output goes to `out`, messages
/// and errors to `err`. `device_zone` answers when --zone is not given.
int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err,
        const DeviceZone& device_zone);

}  // namespace aftercare::cli
