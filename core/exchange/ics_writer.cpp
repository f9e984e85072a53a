#include "exchange/ics_writer.h"

#include <algorithm>
#include <map>
#include <vector>

#include "schedule/timeline.h"

namespace aftercare {

namespace {

class IcsBuilder {
 public:
  void line(const std::string& text) {
    // RFC 5545 3.1: fold lines longer than 75 octets, never inside a UTF-8 sequence.
    std::size_t start = 0;
    std::size_t limit = 75;
    while (text.size() - start > limit) {
      std::size_t cut = start + limit;
      while (cut > start && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      out_ += text.substr(start, cut - start) + "\r\n ";
      start = cut;
      limit = 74;  // the leading space counts
    }
    out_ += text.substr(start) + "\r\n";
  }
  void property(const std::string& name, const std::string& value) { line(name + ":" + value); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string escape_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string utc_text(Instant instant) { return date::format("%Y%m%dT%H%M%SZ", instant); }

std::string local_text(LocalSeconds local) { return date::format("%Y%m%dT%H%M%S", local); }

std::string offset_text(std::chrono::seconds offset) {
  const auto total = offset.count();
  const long long magnitude = total < 0 ? -total : total;
  char text[48];
  std::snprintf(text, sizeof text, "%c%02lld%02lld", total < 0 ? '-' : '+', magnitude / 3600,
                magnitude / 60 % 60);
  std::string result = text;
  if (magnitude % 60) {
    char seconds[24];
    std::snprintf(seconds, sizeof seconds, "%02lld", magnitude % 60);
    result += seconds;
  }
  return result;
}

void write_timezone(IcsBuilder& ics, const date::time_zone* zone, Instant from, Instant to) {
  ics.property("BEGIN", "VTIMEZONE");
  ics.property("TZID", std::string(zone->name()));
  date::sys_info info = zone->get_info(from);
  for (;;) {
    const Instant begin = std::chrono::time_point_cast<std::chrono::seconds>(
        std::max(info.begin, date::sys_seconds{date::sys_days{date::year{1970} / 1 / 1}}));
    const auto previous = zone->get_info(begin - std::chrono::seconds(1)).offset;
    const bool daylight = info.save != std::chrono::minutes(0);
    ics.property("BEGIN", daylight ? "DAYLIGHT" : "STANDARD");
    // DTSTART of a time zone observance is the local time in the offset it changes from.
    ics.property("DTSTART", local_text(LocalSeconds{begin.time_since_epoch() + previous}));
    ics.property("TZOFFSETFROM", offset_text(previous));
    ics.property("TZOFFSETTO", offset_text(info.offset));
    ics.property("TZNAME", escape_text(info.abbrev));
    ics.property("END", daylight ? "DAYLIGHT" : "STANDARD");
    if (info.end >= to || info.end == date::sys_seconds::max()) break;
    info = zone->get_info(info.end);
  }
  ics.property("END", "VTIMEZONE");
}

void begin_event(IcsBuilder& ics, const std::string& uid, Instant dtstamp,
                 const std::string& summary, const std::string& description) {
  ics.property("BEGIN", "VEVENT");
  ics.property("UID", uid);
  ics.property("DTSTAMP", utc_text(dtstamp));
  ics.property("SUMMARY", escape_text(summary));
  if (!description.empty()) ics.property("DESCRIPTION", escape_text(description));
  ics.property("CATEGORIES", "Aftercare");
}

void end_event(IcsBuilder& ics, const std::string& alarm_text, const std::string& trigger) {
  ics.property("BEGIN", "VALARM");
  ics.property("ACTION", "DISPLAY");
  ics.property("DESCRIPTION", escape_text(alarm_text));
  ics.property("TRIGGER", trigger);
  ics.property("END", "VALARM");
  ics.property("END", "VEVENT");
}

}  // namespace

std::string write_ics(const Plan& plan, const ZoneHistory& zones, const date::time_zone* zone,
                      Instant dtstamp) {
  const Instant treated = plan.details.treated_at;
  const std::string uid_prefix =
      "aftercare-" + std::to_string(treated.time_since_epoch().count()) + "-";
  const Instant end = plan_last_moment(plan) + date::days(1);
  const auto occurrences = expand_steps(plan, zones, treated, end, Modes{});

  // Routines: one recurring event per step and time of day in each zone the plan was in, a
  // series split where a trip changed the zone (CLI.md's travel rule decides which days).
  struct Series {
    const StepDef* step = nullptr;
    const date::time_zone* zone = nullptr;
    std::string key;            // "<step>-<HHMM>", then "-2", "-3" for the later series
    std::string first_local;    // nominal wall time of the first occurrence
    date::local_days last_day;  // of the latest occurrence, to tell a daily run from a gap
    int count = 0;
  };
  std::vector<Series> series;
  std::map<std::string, std::size_t> open;  // "<step>-<HHMM>" -> its latest series
  std::map<std::string, int> runs;
  std::vector<const date::time_zone*> used{zone};
  for (const auto& occurrence : occurrences) {
    const StepDef& step = *occurrence.step;
    if (step.kind == ScheduleKind::kOnce) continue;
    // The id holds the nominal local date and time: "cleanse_am@2027-03-14T08:00".
    const std::string local = occurrence.id.substr(occurrence.id.find('@') + 1, 16);
    const std::string key = step.id.value() + "-" + local.substr(11, 2) + local.substr(14, 2);
    const date::local_days day{occurrence.local_day};
    auto it = open.find(key);
    if (it != open.end()) {
      Series& current = series[it->second];
      if (current.zone == occurrence.zone && day == current.last_day + date::days(1)) {
        current.last_day = day;
        ++current.count;
        continue;
      }
    }
    const int run = ++runs[key];
    Series next{&step,
                occurrence.zone,
                run == 1 ? key : key + "-" + std::to_string(run),
                local.substr(0, 4) + local.substr(5, 2) + local.substr(8, 2) + "T" +
                    local.substr(11, 2) + local.substr(14, 2) + "00",
                day,
                1};
    open[key] = series.size();
    series.push_back(std::move(next));
    if (std::find(used.begin(), used.end(), occurrence.zone) == used.end()) {
      used.push_back(occurrence.zone);
    }
  }

  IcsBuilder ics;
  ics.property("BEGIN", "VCALENDAR");
  ics.property("VERSION", "2.0");
  ics.property("PRODID", "-//aftercare//aftercare 0.1//EN");
  ics.property("CALSCALE", "GREGORIAN");
  ics.property("METHOD", "PUBLISH");
  ics.property("X-WR-CALNAME", escape_text(plan.protocol.name));
  for (const auto* each : used) write_timezone(ics, each, treated - date::days(1), end);

  for (const auto& occurrence : occurrences) {
    const StepDef& step = *occurrence.step;
    if (step.kind != ScheduleKind::kOnce) continue;
    begin_event(ics, uid_prefix + step.id.value() + "@aftercare", dtstamp, step.title,
                step.instructions);
    ics.property("DTSTART", utc_text(occurrence.scheduled));
    ics.property("DURATION", "PT15M");
    end_event(ics, step.title, "PT0S");
  }
  for (const auto& s : series) {
    begin_event(ics, uid_prefix + s.key + "@aftercare", dtstamp, s.step->title,
                s.step->instructions);
    ics.line("DTSTART;TZID=" + std::string(s.zone->name()) + ":" + s.first_local);
    ics.property("DURATION", "PT15M");
    ics.property("RRULE", "FREQ=DAILY;COUNT=" + std::to_string(s.count));
    end_event(ics, s.step->title, "PT0S");
  }

  for (const auto& restriction : plan.protocol.restrictions) {
    if (restriction.duration == Offset{}) continue;
    // The summary is a sentence ("You may wear makeup again"), as a calendar shows it; what
    // still holds afterwards is the description.
    std::string summary =
        restriction.ended.empty() ? restriction.title + " ends" : restriction.ended;
    if (summary.size() > 1 && summary.back() == '.') summary.pop_back();
    begin_event(ics, uid_prefix + "lifted-" + restriction.id.value() + "@aftercare", dtstamp,
                summary, restriction.afterwards);
    ics.property("DTSTART", utc_text(treated + restriction.duration));
    ics.property("DURATION", "PT15M");
    end_event(ics, summary, "PT0S");
  }

  if (plan.session_number < plan.protocol.series.sessions) {
    const int next = plan.session_number + 1;
    std::string description = "Session " + std::to_string(next) + " of " +
                              std::to_string(plan.protocol.series.sessions) +
                              " (planned date; confirm the time with your clinic).";
    if (!plan.details.clinic_phone.empty()) description += " " + plan.details.clinic_phone;
    begin_event(ics, uid_prefix + "session-" + std::to_string(next) + "@aftercare", dtstamp,
                plan.details.clinic_name.empty()
                    ? "Next microneedling session"
                    : "Next microneedling session, " + plan.details.clinic_name,
                description);
    ics.property("DTSTART", utc_text(treated + plan.protocol.series.interval));
    ics.property("DURATION", "PT1H");
    end_event(ics, "Next session tomorrow", "-P1D");
  }
  ics.property("END", "VCALENDAR");
  return ics.take();
}

}  // namespace aftercare
