#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "base/clock.h"
#include "base/result.h"

namespace aftercare {

using LocalMinutes = date::local_time<std::chrono::minutes>;
using LocalSeconds = date::local_seconds;

/// An IANA zone from the system's tz database; kInvalidInput naming it when unknown.
Result<const date::time_zone*> locate_zone(std::string_view name);

/// The zone `name` names, or `fallback` when it names none this tz database has (a record from
/// before zones were kept): where something was logged, for showing it in the patient's time.
const date::time_zone* zone_or(std::string_view name, const date::time_zone* fallback);

/// The version of the zone database the app reads ("2024a", Debian's tzdata natively, the same
/// files embedded in the web app); empty when it cannot be read.
std::string zone_database_version();

/// The instant at which a wall-clock time happens in `zone`, for schedules.
/// DST overlap: the earlier of the two instants. DST gap: the wall time does not exist, and it is
/// read with the offset in force before the gap (RFC 5545, 3.3.5), so a 02:30 routine on the
/// spring-forward day in America/Toronto happens at 03:30 EDT, the same elapsed time after
/// midnight as on other days.
Instant resolve_local(LocalMinutes local, const date::time_zone* zone);

/// resolve_local for many wall times in one zone, mostly in order (schedule expansion): reuses
/// the UTC offset of the last period it looked up while the answer cannot differ, and asks the tz
/// database only near a transition. Same results as resolve_local.
class WallClockResolver {
 public:
  explicit WallClockResolver(const date::time_zone* zone) : zone_(zone) {}
  Instant resolve(LocalMinutes local);

 private:
  const date::time_zone* zone_;
  date::sys_info period_{};
  bool has_period_ = false;
};

/// The local wall time of `instant` in `zone`.
LocalSeconds to_local(Instant instant, const date::time_zone* zone);

/// The local calendar date of `instant` in `zone`.
date::year_month_day local_date(Instant instant, const date::time_zone* zone);

/// Parses a moment written as ISO 8601 with an offset ("2027-03-14T21:30:00-04:00",
/// "2027-03-15T01:30Z") or as a local time in `zone` ("2027-03-14T21:30", seconds optional).
/// A local time in a DST gap is an error that says so; in an overlap the earlier is meant. Years
/// 2000 to 2037 only (the span of the system tz database), and offsets within ±14:00.
Result<Instant> parse_moment(std::string_view text, const date::time_zone* zone);

/// ISO 8601 with the UTC offset in force in `zone`: "2027-03-14T22:00:00-04:00".
std::string format_iso(Instant instant, const date::time_zone* zone);

/// The local date and time to the minute with the offset, for tables: "2027-03-14 22:00 -04:00".
std::string format_minute_offset(Instant instant, const date::time_zone* zone);

/// The local wall clock of `instant` in `zone`, to the minute: "21:30".
std::string format_clock(Instant instant, const date::time_zone* zone);

/// "2027-03-14".
std::string format_date(date::year_month_day day);

/// The local date and wall time as "2027-03-14T20:00" (no offset); used in occurrence ids.
std::string format_local_minute(LocalMinutes local);

/// The same 16 characters without allocating, for the hot loop of schedule expansion.
std::array<char, 16> local_minute_chars(LocalMinutes local);

}  // namespace aftercare
