#pragma once

#include <string_view>

namespace aftercare {

/// Whether `host` (as in a URL or a libpq host list) names this machine: localhost, a 127.x.x.x
/// address, or ::1 (bracketed or not). "127.0.0.1.example" is not one.
inline bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  return host.substr(0, 4) == "127." && host.find_first_not_of("0123456789.") == host.npos;
}

}  // namespace aftercare
