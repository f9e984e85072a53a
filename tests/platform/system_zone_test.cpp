// The device zone from $TZ, in every form the C library reads.
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "services/system_paths.h"

namespace aftercare {
namespace {

using platform::zone_named_by_tz;

TEST_CASE("$TZ names a zone with or without a slash, a colon, or a path", "[platform][zone]") {
  CHECK(zone_named_by_tz("Asia/Tokyo") == "Asia/Tokyo");
  CHECK(zone_named_by_tz(":Europe/Paris") == "Europe/Paris");
  // Names without a slash: the zone database's links and its POSIX-style zones.
  CHECK(zone_named_by_tz("Japan") == "Japan");
  CHECK(zone_named_by_tz("NZ") == "NZ");
  CHECK(zone_named_by_tz("Iceland") == "Iceland");
  CHECK(zone_named_by_tz("EST5EDT") == "EST5EDT");
  CHECK(zone_named_by_tz("UTC") == "UTC");
  CHECK(zone_named_by_tz("/usr/share/zoneinfo/America/Toronto") == "America/Toronto");
  CHECK(zone_named_by_tz(":/usr/share/zoneinfo/NZ") == "NZ");
  CHECK(zone_named_by_tz("/usr/share/zoneinfo/posix/Europe/Paris") == "Europe/Paris");
  CHECK(zone_named_by_tz("/usr/share/zoneinfo/right/Asia/Tokyo") == "Asia/Tokyo");
}

TEST_CASE("$TZ that names no zone is passed over", "[platform][zone]") {
  CHECK_FALSE(zone_named_by_tz(""));
  CHECK_FALSE(zone_named_by_tz(":"));
  CHECK_FALSE(zone_named_by_tz("EST5EDT,M3.2.0,M11.1.0"));  // a POSIX rule, not a zone
  CHECK_FALSE(zone_named_by_tz("Mars/Olympus"));
  CHECK_FALSE(zone_named_by_tz("/etc/hostname"));
  CHECK_FALSE(zone_named_by_tz("/nonexistent/zoneinfo-less/path"));
}

TEST_CASE("the device zone is $TZ's, whatever its form", "[platform][zone]") {
  const char* saved = std::getenv("TZ");
  const std::string before = saved ? saved : "";
  const platform::SystemDeviceZone device;
  ::setenv("TZ", "Japan", 1);
  CHECK(device.current() == "Japan");
  ::setenv("TZ", ":Pacific/Apia", 1);
  CHECK(device.current() == "Pacific/Apia");
  // A rule it cannot name gives way to the system zone, never to the rule's text.
  ::setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
  CHECK(device.current() != std::optional<std::string>("EST5EDT,M3.2.0,M11.1.0"));
  if (saved) {
    ::setenv("TZ", before.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
}

}  // namespace
}  // namespace aftercare
