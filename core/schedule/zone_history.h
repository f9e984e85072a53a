#pragma once

#include <vector>

#include "base/result.h"
#include "domain/zone_change.h"
#include "schedule/zone.h"

namespace aftercare {

/// Which zone the device was in at every instant: each recorded change holds until the next, the
/// first one also holds before it, and the last one holds for ever after.
///
/// A change is the moment the app learns of the new zone (CLI.md, "Travel"), possibly hours after
/// the trip; how routines cross it is expand_steps' part.
class ZoneHistory {
 public:
  struct Segment {
    Instant from;  ///< Instant::min() for the first segment.
    Instant to;    ///< Instant::max() for the last segment.
    const date::time_zone* zone;
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
