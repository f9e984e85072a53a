#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "schedule/zone.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::zone;

TEST_CASE("a moment with an offset or Z is that exact instant", "[schedule][time]") {
  const auto* toronto = zone("America/Toronto");
  auto with_offset = parse_moment("2027-03-14T21:30:00-04:00", toronto);
  auto with_z = parse_moment("2027-03-15T01:30Z", toronto);
  REQUIRE(with_offset.ok());
  REQUIRE(with_z.ok());
  CHECK(*with_offset == *with_z);
  CHECK(format_iso(*with_offset, toronto) == "2027-03-14T21:30:00-04:00");
  CHECK(format_iso(*with_offset, zone("UTC")) == "2027-03-15T01:30:00+00:00");
}

TEST_CASE("a local moment is read in the given zone", "[schedule][time]") {
  auto local = parse_moment("2027-03-14T21:30", zone("America/Toronto"));
  REQUIRE(local.ok());
  CHECK(format_iso(*local, zone("UTC")) == "2027-03-15T01:30:00+00:00");
}

TEST_CASE("a local moment in the spring-forward gap is an error that says so", "[schedule][time]") {
  auto gap = parse_moment("2027-03-14T02:30", zone("America/Toronto"));
  REQUIRE_FALSE(gap.ok());
  CHECK(gap.error().code() == ErrorCode::kInvalidInput);
  CHECK_THAT(gap.error().message(), Catch::Contains("does not exist in America/Toronto"));
  CHECK_THAT(gap.error().message(), Catch::EndsWith("the clocks skip 1 h there at that time"));
}

TEST_CASE("the gap message states the real gap, not always an hour", "[schedule][time]") {
  const auto skip = [](const char* text, const char* name) {
    auto parsed = parse_moment(text, zone(name));
    REQUIRE_FALSE(parsed.ok());
    REQUIRE(parsed.error().notice());
    for (const auto& [key, value] : parsed.error().notice()->args) {
      if (key == "gap") return value;
    }
    return std::string("no gap");
  };
  CHECK(skip("2027-10-03T02:15", "Australia/Lord_Howe") == "30 min");  // 02:00 -> 02:30
  CHECK(skip("2027-03-28T02:00", "Antarctica/Troll") == "2 h");        // 01:00 -> 03:00
  CHECK(skip("2011-12-30T12:00", "Pacific/Apia") == "24 h");           // a day left out
  CHECK(skip("2027-03-28T02:30", "Europe/Paris") == "1 h");
}

TEST_CASE("a local moment in the fall-back overlap means the earlier one", "[schedule][time]") {
  const auto* toronto = zone("America/Toronto");
  auto overlap = parse_moment("2027-11-07T01:30", toronto);
  REQUIRE(overlap.ok());
  CHECK(format_iso(*overlap, toronto) == "2027-11-07T01:30:00-04:00");
}

TEST_CASE("malformed moments are rejected with the text quoted", "[schedule][time]") {
  const auto* utc = zone("UTC");
  for (const char* text :
       {"", "tomorrow", "2027-13-01T10:00", "2027-02-30T10:00", "2027-03-14T24:00", "2027-03-14",
        "2027-03-14T10:00+25:00", "2027-03-14T10:00:00-04:00junk"}) {
    INFO(text);
    auto parsed = parse_moment(text, utc);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message(), Catch::Contains(std::string("\"") + text + "\""));
  }
}

TEST_CASE("offsets of half-hour and 45-minute zones are written exactly", "[schedule][time]") {
  const Instant instant = test::at("2027-06-01T12:00Z");
  CHECK(format_iso(instant, zone("Asia/Kolkata")) == "2027-06-01T17:30:00+05:30");
  CHECK(format_iso(instant, zone("Asia/Kathmandu")) == "2027-06-01T17:45:00+05:45");
  CHECK(format_iso(instant, zone("America/St_Johns")) == "2027-06-01T09:30:00-02:30");
}

TEST_CASE("a wall time in a DST gap resolves with the offset before the gap",
          "[schedule][time][dst]") {
  const auto* toronto = zone("America/Toronto");
  const LocalMinutes local{(date::local_days{date::year{2027} / 3 / 14}).time_since_epoch() +
                           std::chrono::hours(2) + std::chrono::minutes(30)};
  CHECK(format_iso(resolve_local(local, toronto), toronto) == "2027-03-14T03:30:00-04:00");
}

TEST_CASE("unknown zone names are rejected by name", "[schedule][time]") {
  auto missing = locate_zone("Mars/Olympus_Mons");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message(), Catch::Contains("Mars/Olympus_Mons"));
}

}  // namespace
}  // namespace aftercare

namespace aftercare {
namespace {

TEST_CASE("times outside 2000-2037 or with impossible offsets are refused (found by fuzzing)",
          "[schedule][zone]") {
  // Regression (issue #7, fuzz_moment): 1027 in Toronto was local mean time, -05:17:32, which
  // printed as -05:17 and read back 32 s off.
  const auto* toronto = *locate_zone("America/Toronto");
  auto old = parse_moment("1027-03-14T21:30:15-04:00", toronto);
  REQUIRE_FALSE(old.ok());
  CHECK(old.error().message() == "\"1027-03-14T21:30:15-04:00\" is outside the years 2000 to 2037");
  CHECK_FALSE(parse_moment("2038-01-01T00:00", toronto).ok());  // no DST rules after 2037
  // The instant must be a day inside the years, so that it reads back in every zone: the first
  // of January 2000 at 01:30 UTC is still 1999 in Toronto (found by fuzzing).
  auto edge = parse_moment("2000-01-01T01:30Z", toronto);
  REQUIRE_FALSE(edge.ok());
  CHECK(edge.error().message() == "\"2000-01-01T01:30Z\" is outside 2000-01-02 to 2037-12-30");
  CHECK(parse_moment("2000-01-02T00:00Z", toronto).ok());
  CHECK(parse_moment("2037-12-29T18:59", toronto).ok());
  CHECK_FALSE(parse_moment("2037-12-30T00:01Z", toronto).ok());
  CHECK_FALSE(parse_moment("2027-03-14T21:30+15:00", toronto).ok());
  CHECK(parse_moment("2027-03-14T21:30+14:00", toronto).ok());
}

}  // namespace
}  // namespace aftercare

TEST_CASE("the zone database's version is the one the app reads", "[schedule][time]") {
  // Debian's tzdata names it only in tzdata.zi's first line ("# version 2025b").
  std::ifstream zi("/usr/share/zoneinfo/tzdata.zi");
  std::string first;
  std::getline(zi, first);
  REQUIRE(first.starts_with("# version "));
  CHECK(aftercare::zone_database_version() == first.substr(10));
  CHECK(aftercare::zone_database_version().size() == 5);  // "2025b"
}
