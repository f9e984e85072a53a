#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "app/services.h"

namespace aftercare::platform {

/// The XDG data directory for aftercare: $XDG_DATA_HOME/aftercare when that is an absolute path,
/// else $HOME/.local/share/aftercare. Empty when neither variable is usable.
std::filesystem::path default_data_dir();

/// The zone of this Linux machine: $TZ when it names an IANA zone, else /etc/localtime's target.
/// A machine whose configured zone is plain UTC (servers, containers, CI) is treated as "not
/// set", so the app keeps the patient's last zone instead of moving every routine to UTC.
class SystemDeviceZone final : public DeviceZone {
 public:
  std::optional<std::string> current() const override;
};

}  // namespace aftercare::platform
