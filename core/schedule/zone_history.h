#pragma once

#include <vector>

#include "base/result.h"
#include "domain/zone_change.h"
#include "schedule/zone.h"

namespace aftercare {

/// Which zone the device was in at every instant: each recorded change holds until the next, the
/// first one also holds before it, and the last one holds for ever after.
///
/// A change is only seen when the app runs, possibly hours after the trip, while CLI.md says a
/// routine follows "the zone the device is in that day". So wall-clock routines of a segment are
/// planned from the start of the local day (in the new zone) on which the change was seen, not
/// from the moment it was seen; an occurrence that an earlier segment already planned for the
/// same local date and time keeps its place (see expand_steps).
class ZoneHistory {
 public:
  struct Segment {
    Instant from;  ///< Instant::min() for the first segment.
    Instant to;    ///< Instant::max() for the last segment.
    const date::time_zone* zone;
    /// Where this segment's routines start: local midnight of the day `from` falls on in `zone`,
    /// but not before the previous segment began.
    Instant days_from;
  };

  /// A history from recorded changes in any order; an unknown zone name is kInvalidInput.
  /// With no changes, `fallback` holds at every instant.
  static Result<ZoneHistory> make(std::vector<ZoneChange> changes, const date::time_zone* fallback);

  /// One zone at every instant.
  static ZoneHistory constant(const date::time_zone* zone);

  const std::vector<Segment>& segments() const { return segments_; }
  const date::time_zone* zone_at(Instant instant) const;

 private:
  std::vector<Segment> segments_;
};

}  // namespace aftercare
