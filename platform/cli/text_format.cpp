#include "text_format.h"

namespace aftercare::cli {

std::string clock_time(Instant instant, const date::time_zone* zone) {
  return date::format("%H:%M", to_local(instant, zone));
}

std::string zone_abbreviation(Instant instant, const date::time_zone* zone) {
  return zone->get_info(instant).abbrev;
}

std::string day_and_time(Instant instant, Instant now, const date::time_zone* zone) {
  const date::sys_days day{local_date(instant, zone)};
  const date::sys_days today{local_date(now, zone)};
  const auto difference = (day - today).count();
  std::string prefix;
  if (difference == 0) {
    prefix = "today";
  } else if (difference == 1) {
    prefix = "tomorrow";
  } else if (difference == -1) {
    prefix = "yesterday";
  } else {
    prefix = date::format("%a %d %b", to_local(instant, zone));
  }
  return prefix + " " + clock_time(instant, zone);
}

std::string timing_words(const StepEvent& event, const StepDef& step) {
  switch (event_timing(event, step)) {
    case Timing::kEarly:
      return ", early";
    case Timing::kLate:
      return ", late";
    case Timing::kInWindow:
      break;
  }
  return "";
}

std::string long_date(date::year_month_day day) {
  return date::format("%A %d %B %Y", date::sys_days{day});
}

std::string join_sentences(std::string_view first, std::string_view second) {
  std::string line(first);
  if (second.empty()) return line;
  const bool ended =
      !line.empty() && std::string_view(".!?:").find(line.back()) != std::string_view::npos;
  line += ended ? " " : ". ";
  line += second;
  return line;
}

}  // namespace aftercare::cli
