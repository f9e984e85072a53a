#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace aftercare {

/// Parses a duration written as a sum of whole units: "24h", "30min", "7d", "1d12h", "2h30min".
/// Units: d (24 h), h, min. Zero ("0h") is allowed; a sign, a fraction or an unknown unit is an
/// invalid-input error that quotes the text. Each unit at most once, largest first; at most 10
/// years.
Result<std::chrono::minutes> parse_duration(std::string_view text);

/// Writes a duration the way parse_duration reads it, largest units first ("1d12h", "0min").
std::string duration_to_text(std::chrono::minutes duration);

/// A duration for people, rounded down to the minute: "45 min", "5 h 20 min", "26 h" under two
/// days, "2 d 3 h" from two days on; "less than 1 min" for anything shorter.
std::string describe_duration(std::chrono::seconds duration);

}  // namespace aftercare
