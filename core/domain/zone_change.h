#pragma once

#include <string>

#include "base/clock.h"

namespace aftercare {

/// From `at` on, the device was in the IANA zone `zone` (until the next change). Kept so that a
/// routine that already happened in one zone is not planned again after a trip.
struct ZoneChange {
  Instant at;
  std::string zone;
};

}  // namespace aftercare
