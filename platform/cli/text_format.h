#pragma once

#include <string>

#include "schedule/zone.h"

namespace aftercare::cli {

/// "21:30" on the wall clock of `zone`.
std::string clock_time(Instant instant, const date::time_zone* zone);
/// "EDT": the zone's abbreviation at that instant.
std::string zone_abbreviation(Instant instant, const date::time_zone* zone);
/// "today 21:30", "tomorrow 08:00", "yesterday 20:00" or "Mon 15 Mar 08:00", relative to
/// the local date of `now`.
std::string day_and_time(Instant instant, Instant now, const date::time_zone* zone);
/// "Sunday 14 March 2027".
std::string long_date(date::year_month_day day);

}  // namespace aftercare::cli
