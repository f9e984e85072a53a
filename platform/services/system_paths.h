#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "app/services.h"

namespace aftercare::platform {

/// The XDG data directory for aftercare: $XDG_DATA_HOME/aftercare when that is an absolute path,
/// else $HOME/.local/share/aftercare. Empty when neither variable is usable.
std::filesystem::path default_data_dir();

/// The IANA zone that a value of $TZ names, in each form the C library reads: a name with or
/// without a slash ("Asia/Tokyo", "Japan", "EST5EDT"), with a leading colon (":Europe/Paris"),
/// or a path into the zone database ("/usr/share/zoneinfo/NZ", or a link to one such as
/// /etc/localtime). nullopt for anything else (a POSIX rule like "EST5EDT,M3.2.0,M11.1.0", a
/// name the zone database lacks, an empty value).
std::optional<std::string> zone_named_by_tz(const std::string& tz);

/// The zone of this Linux machine: $TZ when it names an IANA zone, else /etc/localtime's target.
/// A machine whose configured zone is plain UTC (servers, containers, CI) is treated as "not
/// set", so the app keeps the patient's last zone instead of moving every routine to UTC.
class SystemDeviceZone final : public DeviceZone {
 public:
  std::optional<std::string> current() const override;
};

}  // namespace aftercare::platform
