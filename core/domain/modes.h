#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"

namespace aftercare {

/// The patient switched `mode` ("outdoors") on or off at `at`.
struct ModeChange {
  Instant at;
  std::string mode;
  bool on = false;
};

/// Which modes were on at each instant. A mode is off until its first change.
class Modes {
 public:
  Modes() = default;
  /// Every mode in `on` is on at every instant (tests, reference expansions).
  static Modes always(const std::set<std::string>& on);
  /// From stored changes in any order.
  static Modes from_changes(std::vector<ModeChange> changes);

  bool active(const std::string& mode, Instant at) const;
  /// Whether `mode` is on at any instant.
  bool ever_active(const std::string& mode) const;

 private:
  std::map<std::string, std::vector<ModeChange>> changes_;  // per mode, ascending time
};

}  // namespace aftercare
