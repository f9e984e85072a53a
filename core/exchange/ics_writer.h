#pragma once

#include <string>

#include "domain/plan.h"
#include "schedule/zone_history.h"

namespace aftercare {

/// The plan's reminders as an RFC 5545 calendar, the same instants as the reminders list: one
/// VEVENT with an RRULE per routine, time of day and zone (DTSTART with the TZID of the zone it
/// was planned in; after a trip a routine's series is split where the zone changed, the later
/// series' UIDs ending "-2", "-3"), one per treatment-relative instant (the first wash, each
/// restriction's end, in UTC), one for the next session, each with a VALARM; and a VTIMEZONE for
/// `zone` (the device's current zone) and each zone of the history the plan's routines were in,
/// built from the same tz database the app schedules with, listing every transition the plan
/// spans. Steps that depend on a mode (outdoors) are left out: a calendar cannot know the mode.
/// CRLF line ends, lines folded at 75 octets.
std::string write_ics(const Plan& plan, const ZoneHistory& zones, const date::time_zone* zone,
                      Instant dtstamp);

}  // namespace aftercare
