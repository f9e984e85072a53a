#include "services/system_paths.h"

#include <cstdlib>
#include <fstream>
#include <set>

namespace aftercare::platform {

namespace {

bool is_plain_utc(const std::string& zone) {
  static const std::set<std::string> kUtc = {"UTC",     "Etc/UTC",  "Etc/Universal", "Universal",
                                             "Zulu",    "Etc/Zulu", "Etc/UCT",       "UCT",
                                             "Etc/GMT", "GMT",      "Etc/Greenwich", "Etc/GMT0"};
  return kUtc.count(zone) > 0;
}

std::optional<std::string> zone_from_localtime() {
  std::error_code ec;
  const auto target = std::filesystem::read_symlink("/etc/localtime", ec);
  if (!ec) {
    const std::string text = target.string();
    const auto at = text.find("zoneinfo/");
    if (at != std::string::npos) return text.substr(at + 9);
  }
  std::ifstream in("/etc/timezone");
  std::string name;
  if (in >> name && !name.empty()) return name;
  return std::nullopt;
}

}  // namespace

std::filesystem::path default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && xdg[0] == '/') {
    return std::filesystem::path(xdg) / "aftercare";
  }
  if (const char* home = std::getenv("HOME"); home && home[0] == '/') {
    return std::filesystem::path(home) / ".local" / "share" / "aftercare";
  }
  return {};
}

std::optional<std::string> SystemDeviceZone::current() const {
  if (const char* tz = std::getenv("TZ"); tz && tz[0] != '\0') {
    std::string name = tz[0] == ':' ? tz + 1 : tz;
    if (name.find('/') != std::string::npos || is_plain_utc(name)) return name;
  }
  auto zone = zone_from_localtime();
  if (zone && is_plain_utc(*zone)) return std::nullopt;
  return zone;
}

}  // namespace aftercare::platform
