#include "base/duration_text.h"

#include <cctype>
#include <cstdint>

namespace aftercare {

namespace {

// The texts below are built with append, not `a + b + c`: at -O3, GCC 12 reports a false
// -Wrestrict on chains of std::string operator+ (a known bug, fixed in GCC 13).
Error bad_duration(std::string_view text, const std::string& why) {
  std::string message = "\"";
  message.append(text).append("\" is not a duration like \"2h\", \"30min\" or \"7d\" (");
  message.append(why).append(")");
  return invalid_input(message);
}

}  // namespace

namespace {

constexpr std::int64_t kMaxDurationMinutes = 3650LL * 24 * 60;

}  // namespace

Result<std::chrono::minutes> parse_duration(std::string_view text) {
  if (text.empty()) return bad_duration(text, "it is empty");
  std::int64_t total = 0;
  std::size_t i = 0;
  int last_rank = 0;  // each unit once, largest first: "1d12h", not "12h1d" or "1d1d"
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (text[i] == '-') return bad_duration(text, "it must not be negative");
      return bad_duration(text, "expected a number at position " + std::to_string(i + 1));
    }
    std::int64_t number = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000) return bad_duration(text, "the number is too large");
      ++i;
    }
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    const int rank = unit == "d" ? 1 : unit == "h" ? 2 : unit == "min" ? 3 : 0;
    if (rank != 0 && rank <= last_rank) {
      return bad_duration(text, "each unit once, largest first (like 1d12h)");
    }
    last_rank = rank;
    if (unit == "d") {
      total += number * 24 * 60;
    } else if (unit == "h") {
      total += number * 60;
    } else if (unit == "min") {
      total += number;
    } else if (unit.empty()) {
      return bad_duration(text, "a unit (d, h or min) must follow each number");
    } else {
      return bad_duration(text, "unknown unit \"" + std::string(unit) + "\"");
    }
  }
  if (total > kMaxDurationMinutes) return bad_duration(text, "it is longer than 10 years");
  return std::chrono::minutes(total);
}

std::string duration_to_text(std::chrono::minutes duration) {
  std::int64_t total = duration.count();
  if (total == 0) return "0min";
  std::string text = total < 0 ? "-" : "";
  if (total < 0) total = -total;
  const std::int64_t days = total / (24 * 60);
  const std::int64_t hours = total / 60 % 24;
  const std::int64_t mins = total % 60;
  if (days) text += std::to_string(days) + "d";
  if (hours) text += std::to_string(hours) + "h";
  if (mins) text += std::to_string(mins) + "min";
  return text;
}

std::string describe_duration(std::chrono::seconds duration) {
  const std::int64_t total_minutes = duration.count() / 60;
  if (total_minutes <= 0) return "less than 1 min";
  const std::int64_t hours = total_minutes / 60;
  const std::int64_t mins = total_minutes % 60;
  // Under two days, hours and minutes ("26 h 10 min") read better than "1 d 2 h".
  std::string text;
  const auto part = [&text](std::int64_t count, const char* unit) {
    if (!text.empty()) text.append(" ");
    text.append(std::to_string(count)).append(unit);
  };
  if (hours < 48) {
    if (hours != 0) part(hours, " h");
    if (mins != 0 || hours == 0) part(mins, " min");
    return text;
  }
  part(hours / 24, " d");
  if (hours % 24 != 0) part(hours % 24, " h");
  return text;
}

}  // namespace aftercare
