#include "domain/modes.h"

#include <algorithm>

namespace aftercare {

Modes Modes::always(const std::set<std::string>& on) {
  Modes modes;
  for (const auto& mode : on) modes.changes_[mode].push_back({Instant::min(), mode, true});
  return modes;
}

Modes Modes::from_changes(std::vector<ModeChange> changes) {
  std::stable_sort(changes.begin(), changes.end(),
                   [](const ModeChange& a, const ModeChange& b) { return a.at < b.at; });
  Modes modes;
  for (auto& change : changes) modes.changes_[change.mode].push_back(std::move(change));
  return modes;
}

bool Modes::active(const std::string& mode, Instant at) const {
  auto it = changes_.find(mode);
  if (it == changes_.end()) return false;
  bool on = false;
  for (const auto& change : it->second) {
    if (change.at > at) break;
    on = change.on;
  }
  return on;
}

bool Modes::ever_active(const std::string& mode) const {
  auto it = changes_.find(mode);
  return it != changes_.end() && std::any_of(it->second.begin(), it->second.end(),
                                             [](const ModeChange& change) { return change.on; });
}

}  // namespace aftercare
