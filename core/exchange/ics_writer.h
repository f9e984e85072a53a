#pragma once

#include <string>

#include "domain/plan.h"
#include "schedule/zone.h"

namespace aftercare {

/// The plan's reminders as an RFC 5545 calendar: one VEVENT with an RRULE per routine and time
/// of day (DTSTART with TZID = `zone`, the device's current zone), one per treatment-relative
/// instant (the first wash, each restriction's end, in UTC), one for the next session, each with
/// a VALARM; and a VTIMEZONE for `zone` built from the same tz database the app schedules with,
/// listing every transition the plan spans. Steps that depend on a mode (outdoors) are left out:
/// a calendar cannot know the mode. CRLF line ends, lines folded at 75 octets.
std::string write_ics(const Plan& plan, const date::time_zone* zone, Instant dtstamp);

}  // namespace aftercare
