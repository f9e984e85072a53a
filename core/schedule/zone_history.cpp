#include "schedule/zone_history.h"

#include <algorithm>

namespace aftercare {

Result<ZoneHistory> ZoneHistory::make(std::vector<ZoneChange> changes,
                                      const date::time_zone* fallback) {
  std::stable_sort(changes.begin(), changes.end(),
                   [](const ZoneChange& a, const ZoneChange& b) { return a.at < b.at; });
  ZoneHistory history;
  for (const auto& change : changes) {
    auto zone = locate_zone(change.zone);
    if (!zone) return zone.error().with_context("zone history");
    if (!history.segments_.empty()) {
      if (history.segments_.back().zone == *zone) continue;
      history.segments_.back().to = change.at;
    }
    if (history.segments_.empty()) {
      history.segments_.push_back({Instant::min(), Instant::max(), *zone});
      continue;
    }
    history.segments_.push_back({change.at, Instant::max(), *zone});
  }
  if (history.segments_.empty()) return constant(fallback);
  return history;
}

ZoneHistory ZoneHistory::constant(const date::time_zone* zone) {
  ZoneHistory history;
  history.segments_.push_back({Instant::min(), Instant::max(), zone});
  return history;
}

const date::time_zone* ZoneHistory::zone_at(Instant instant) const {
  for (const auto& segment : segments_) {
    if (instant < segment.to) return segment.zone;
  }
  return segments_.back().zone;
}

}  // namespace aftercare
