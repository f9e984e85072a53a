#pragma once

#include <string>
#include <string_view>

#include "schedule/timeline.h"

namespace aftercare::cli {

/// "21:30" on the wall clock of `zone`.
std::string clock_time(Instant instant, const date::time_zone* zone);
/// "EDT": the zone's abbreviation at that instant.
std::string zone_abbreviation(Instant instant, const date::time_zone* zone);
/// "today 21:30", "tomorrow 08:00", "yesterday 20:00" or "Mon 15 Mar 08:00", relative to
/// the local date of `now`.
std::string day_and_time(Instant instant, Instant now, const date::time_zone* zone);
/// ", early" or ", late" when a check-off's moment falls outside its occurrence's window.
std::string timing_words(const StepEvent& event, const StepDef& step);
/// "Sunday 14 March 2027".
std::string long_date(date::year_month_day day);
/// Two texts as one line of sentences: "Sunscreen. Apply SPF 30+", but "You may wear makeup
/// again. Mineral makeup only at first." (no period after one that ends a sentence), and the
/// first alone when the second is empty.
std::string join_sentences(std::string_view first, std::string_view second);

}  // namespace aftercare::cli
