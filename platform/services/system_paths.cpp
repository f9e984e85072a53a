#include "services/system_paths.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <string_view>

#include "schedule/zone.h"

namespace aftercare::platform {

namespace {

bool is_plain_utc(const std::string& zone) {
  static const std::set<std::string> kUtc = {"UTC",     "Etc/UTC",  "Etc/Universal", "Universal",
                                             "Zulu",    "Etc/Zulu", "Etc/UCT",       "UCT",
                                             "Etc/GMT", "GMT",      "Etc/Greenwich", "Etc/GMT0"};
  return kUtc.count(zone) > 0;
}

// The zone name in a path into the zone database: what follows "zoneinfo/" (and its "posix/"
// or "right/" tree: the same zone, with or without leap seconds, to the minute alike).
std::optional<std::string> zone_in_path(const std::string& path) {
  const auto at = path.rfind("zoneinfo/");
  if (at == std::string::npos) return std::nullopt;
  std::string name = path.substr(at + 9);
  for (const char* tree : {"posix/", "right/"}) {
    if (name.rfind(tree, 0) == 0) name.erase(0, std::string_view(tree).size());
  }
  return name;
}

std::optional<std::string> zone_from_localtime() {
  std::error_code ec;
  const auto target = std::filesystem::read_symlink("/etc/localtime", ec);
  if (!ec) {
    if (auto zone = zone_in_path(target.string())) return zone;
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

std::optional<std::string> zone_named_by_tz(const std::string& tz) {
  std::string name = !tz.empty() && tz[0] == ':' ? tz.substr(1) : tz;
  if (name.empty()) return std::nullopt;
  if (name[0] == '/') {
    std::error_code ec;
    auto named = zone_in_path(name);
    // A link that is not itself under zoneinfo (/etc/localtime): the file it leads to.
    if (const auto resolved = std::filesystem::canonical(name, ec); !ec && !named) {
      named = zone_in_path(resolved.string());
    }
    if (!named) return std::nullopt;
    name = *named;
  }
  if (!locate_zone(name)) return std::nullopt;
  return name;
}

std::optional<std::string> SystemDeviceZone::current() const {
  if (const char* tz = std::getenv("TZ"); tz && tz[0] != '\0') {
    if (auto zone = zone_named_by_tz(tz)) return zone;
  }
  auto zone = zone_from_localtime();
  if (zone && is_plain_utc(*zone)) return std::nullopt;
  return zone;
}

}  // namespace aftercare::platform
