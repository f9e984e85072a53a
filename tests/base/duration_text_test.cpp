#include <catch2/catch.hpp>

#include "base/duration_text.h"

namespace aftercare {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TEST_CASE("durations are read from whole units and written back the same way", "[base]") {
  CHECK(*parse_duration("24h") == hours(24));
  CHECK(*parse_duration("30min") == minutes(30));
  CHECK(*parse_duration("7d") == hours(168));
  CHECK(*parse_duration("1d12h") == hours(36));
  CHECK(*parse_duration("2h30min") == minutes(150));
  CHECK(*parse_duration("0h") == minutes(0));
  for (const char* text : {"1d", "23h", "30min", "7d", "1d12h", "2h30min", "1d1h1min"}) {
    CHECK(duration_to_text(*parse_duration(text)) == text);
  }
  CHECK(duration_to_text(minutes(0)) == "0min");
}

TEST_CASE("signs, fractions, bare numbers and unknown units are not durations", "[base]") {
  for (const char* text : {"", "-2h", "1.5h", "24", "h", "2w", "2 h", "2H", "99999999d"}) {
    INFO(text);
    auto parsed = parse_duration(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code() == ErrorCode::kInvalidInput);
  }
}

TEST_CASE("time left is described in at most two units", "[base]") {
  using std::chrono::seconds;
  CHECK(describe_duration(seconds(30)) == "less than 1 min");
  CHECK(describe_duration(minutes(45)) == "45 min");
  CHECK(describe_duration(minutes(5 * 60 + 20)) == "5 h 20 min");
  CHECK(describe_duration(hours(24) + minutes(30)) == "24 h 30 min");
  CHECK(describe_duration(hours(26)) == "26 h");
  CHECK(describe_duration(hours(51) + minutes(59)) == "2 d 3 h");
  CHECK(describe_duration(hours(72)) == "3 d");
}

}  // namespace
}  // namespace aftercare

namespace aftercare {
namespace {

TEST_CASE("a duration names each unit once, largest first, up to 10 years (found by fuzzing)",
          "[base]") {
  // Regression (issue #7, fuzz_moment): "669471d669471d" read as 1,338,942 days, which
  // duration_to_text wrote as a number parse_duration then refused.
  CHECK_FALSE(parse_duration("669471d669471d").ok());
  CHECK_FALSE(parse_duration("1d1d").ok());
  CHECK_FALSE(parse_duration("12h1d").ok());
  CHECK(parse_duration("1d12h30min").ok());
  CHECK(*parse_duration("3650d") == std::chrono::minutes(3650 * 24 * 60));
  auto long_one = parse_duration("3651d");
  REQUIRE_FALSE(long_one.ok());
  CHECK_THAT(long_one.error().message(), Catch::Contains("longer than 10 years"));
}

}  // namespace
}  // namespace aftercare
