#include "schedule/zone.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <optional>

#include "base/duration_text.h"

namespace aftercare {

namespace {

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::optional<std::chrono::minutes> offset;  // absent: a local time
};

bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  pos += count;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<Fields> read_fields(std::string_view text) {
  Fields f;
  std::size_t pos = 0;
  if (!read_digits(text, pos, 4, f.year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, f.month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, f.day)) {
    return std::nullopt;
  }
  if (!expect(text, pos, 'T') && !expect(text, pos, ' ')) return std::nullopt;
  if (!read_digits(text, pos, 2, f.hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, f.minute)) {
    return std::nullopt;
  }
  if (expect(text, pos, ':') && !read_digits(text, pos, 2, f.second)) return std::nullopt;
  if (pos == text.size()) return f;
  if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
    f.offset = std::chrono::minutes(0);
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int hours = 0, minutes = 0;
    if (!read_digits(text, pos, 2, hours)) return std::nullopt;
    expect(text, pos, ':');
    if (!read_digits(text, pos, 2, minutes)) return std::nullopt;
    if (hours > 18 || minutes > 59) return std::nullopt;
    f.offset = std::chrono::minutes(sign * (hours * 60 + minutes));
  }
  if (pos != text.size()) return std::nullopt;
  return f;
}

}  // namespace

Result<const date::time_zone*> locate_zone(std::string_view name) {
  if (name.empty()) return invalid_input(NoticeId::kZoneEmpty);
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return invalid_input(NoticeId::kZoneUnknown, {{"zone", std::string(name)}});
  }
}

const date::time_zone* zone_or(std::string_view name, const date::time_zone* fallback) {
  auto zone = locate_zone(name);
  return zone ? *zone : fallback;
}

namespace {

std::string read_zone_database_version() {
  std::string version;
  try {
    version = date::get_tzdb().version;
  } catch (const std::exception&) {
  }
  if (!version.empty() && version != "unknown") return version;
  // date looks for +VERSION, which Debian's tzdata does not ship; its tzdata.zi opens with
  // "# version 2025b".
  std::ifstream zi("/usr/share/zoneinfo/tzdata.zi");
  std::string line;
  static constexpr std::string_view kPrefix = "# version ";
  if (std::getline(zi, line) && line.starts_with(kPrefix)) return line.substr(kPrefix.size());
  return {};
}

}  // namespace

std::string zone_database_version() {
  // The files do not change under a running app: read once, not on every screen refresh.
  static const std::string version = read_zone_database_version();
  return version;
}

Instant resolve_local(LocalMinutes local, const date::time_zone* zone) {
  const LocalSeconds local_s = std::chrono::time_point_cast<std::chrono::seconds>(local);
  const date::local_info info = zone->get_info(local_s);
  // For a unique time `first` is its offset; for an overlap `first` is the earlier instant; for a
  // gap `first` is the offset before the gap (RFC 5545 reading).
  return Instant{local_s.time_since_epoch() - info.first.offset};
}

Instant WallClockResolver::resolve(LocalMinutes local) {
  // A period's offset answers for a wall time whose instant lies more than a day inside the
  // period: no gap or overlap (all shorter than a day) can reach it.
  constexpr auto kMargin = std::chrono::hours(24);
  if (has_period_) {
    const Instant at{local.time_since_epoch() - period_.offset};
    if (at - period_.begin >= kMargin && period_.end - at >= kMargin) return at;
  }
  const Instant at = resolve_local(local, zone_);
  period_ = zone_->get_info(at);
  has_period_ = true;
  return at;
}

LocalSeconds to_local(Instant instant, const date::time_zone* zone) {
  return zone->to_local(instant);
}

date::year_month_day local_date(Instant instant, const date::time_zone* zone) {
  return date::year_month_day{date::floor<date::days>(to_local(instant, zone))};
}

namespace {

// The system's tz database (date/tz reads /usr/share/zoneinfo) carries explicit transitions up
// to 2037 only: later, date/tz would apply no daylight saving time at all.
constexpr int kFirstYear = 2000;
constexpr int kLastYear = 2037;

}  // namespace

Result<Instant> parse_moment(std::string_view text, const date::time_zone* zone) {
  const auto said = [&](NoticeId id, NoticeArgs more = {}) {
    NoticeArgs args{{"text", std::string(text)}};
    for (auto& arg : more) args.push_back(std::move(arg));
    return invalid_input(id, std::move(args));
  };
  const auto fields = read_fields(text);
  if (!fields) {
    return said(NoticeId::kTimeUnreadable);
  }
  const date::year_month_day ymd{date::year{fields->year},
                                 date::month{static_cast<unsigned>(fields->month)},
                                 date::day{static_cast<unsigned>(fields->day)}};
  if (!ymd.ok() || fields->hour > 23 || fields->minute > 59 || fields->second > 59) {
    return said(NoticeId::kTimeNotReal);
  }
  // Aftercare happens now, not in 1027: outside these years zones had offsets with seconds
  // (local mean time) that no ISO 8601 offset can write back, so such times are refused.
  if (fields->year < kFirstYear || fields->year > kLastYear) {
    return said(NoticeId::kTimeYears,
                {{"first", std::to_string(kFirstYear)}, {"last", std::to_string(kLastYear)}});
  }
  if (fields->offset &&
      (*fields->offset > std::chrono::hours(14) || *fields->offset < -std::chrono::hours(14))) {
    return said(NoticeId::kTimeOffset);
  }
  const auto since_midnight = std::chrono::hours(fields->hour) +
                              std::chrono::minutes(fields->minute) +
                              std::chrono::seconds(fields->second);
  // Within the years, the instant itself must be a day inside them too, so that it reads back
  // in every zone (2000-01-01T01:30Z is 1999-12-31 in Toronto; found by fuzzing, issue #7).
  const auto in_range = [&](Instant at) -> Result<Instant> {
    const Instant first{date::sys_days{date::year{kFirstYear} / 1 / 2}};
    const Instant last{date::sys_days{date::year{kLastYear} / 12 / 30}};
    if (at < first || at > last) {
      return said(NoticeId::kTimeOutside,
                  {{"first", format_date(date::year_month_day(date::floor<date::days>(first)))},
                   {"last", format_date(date::year_month_day(date::floor<date::days>(last)))}});
    }
    return at;
  };
  if (fields->offset) {
    return in_range(
        Instant{date::sys_days{ymd}.time_since_epoch() + since_midnight - *fields->offset});
  }
  const LocalSeconds local{date::local_days{ymd}.time_since_epoch() + since_midnight};
  const date::local_info info = zone->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    // The real gap: 1 h for most DST, 30 min at Lord Howe, 2 h at Troll, a day at Apia in 2011.
    const auto gap = info.second.offset - info.first.offset;
    return said(NoticeId::kTimeSkipped,
                {{"zone", std::string(zone->name())}, {"gap", describe_duration(gap)}});
  }
  return in_range(Instant{local.time_since_epoch() - info.first.offset});
}

std::string format_iso(Instant instant, const date::time_zone* zone) {
  const date::sys_info info = zone->get_info(instant);
  const LocalSeconds local{instant.time_since_epoch() + info.offset};
  const auto offset = date::floor<std::chrono::minutes>(info.offset).count();
  char sign = offset < 0 ? '-' : '+';
  const long long magnitude = offset < 0 ? -offset : offset;
  char suffix[40];
  std::snprintf(suffix, sizeof suffix, "%c%02lld:%02lld", sign, magnitude / 60, magnitude % 60);
  return date::format("%FT%T", local) + suffix;
}

std::string format_minute_offset(Instant instant, const date::time_zone* zone) {
  const std::string iso = format_iso(instant, zone);  // 2027-03-14T22:00:00-04:00
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " " + iso.substr(19);
}

std::string format_date(date::year_month_day day) { return date::format("%F", day); }

std::array<char, 16> local_minute_chars(LocalMinutes local) {
  // Hand-rolled: occurrence ids are made for every occurrence of a plan, and stream formatting
  // was most of the cost of expanding a year.
  const date::local_days day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const auto minutes = static_cast<int>((local - day).count());
  const int year = static_cast<int>(ymd.year());
  const auto month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  const auto mday = static_cast<int>(static_cast<unsigned>(ymd.day()));
  auto digit = [](int value) { return static_cast<char>('0' + value % 10); };
  return {digit(year / 1000),
          digit(year / 100),
          digit(year / 10),
          digit(year),
          '-',
          digit(month / 10),
          digit(month),
          '-',
          digit(mday / 10),
          digit(mday),
          'T',
          digit(minutes / 600),
          digit(minutes / 60),
          ':',
          digit(minutes % 60 / 10),
          digit(minutes)};
}

std::string format_clock(Instant instant, const date::time_zone* zone) {
  const auto chars = local_minute_chars(date::floor<std::chrono::minutes>(to_local(instant, zone)));
  return std::string(chars.data() + 11, 5);
}

std::string format_local_minute(LocalMinutes local) {
  const auto chars = local_minute_chars(local);
  return std::string(chars.data(), chars.size());
}

}  // namespace aftercare
