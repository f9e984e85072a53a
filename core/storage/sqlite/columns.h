#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "storage/list_column.h"

namespace aftercare::sqlite {

/// Instants are stored as UTC seconds since 1970.
inline std::int64_t to_unix(Instant instant) { return instant.time_since_epoch().count(); }
inline Instant from_unix(std::int64_t seconds) { return Instant{std::chrono::seconds(seconds)}; }

using storage::join;
using storage::split;

}  // namespace aftercare::sqlite
