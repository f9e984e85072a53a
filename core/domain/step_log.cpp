#include "domain/step_log.h"

#include <set>

namespace aftercare {

const char* step_action_name(StepAction action) {
  switch (action) {
    case StepAction::kDone:
      return "done";
    case StepAction::kSkipped:
      return "skipped";
    case StepAction::kUndone:
      return "undone";
  }
  return "done";
}

std::map<std::string, StepRecord> fold_step_events(const std::vector<StepEvent>& events) {
  std::map<std::string, StepRecord> records;
  for (const auto& event : events) {
    if (event.action == StepAction::kUndone) {
      records.erase(event.occurrence);
    } else {
      records[event.occurrence] = StepRecord{event.action, event.at, event.seq};
    }
  }
  return records;
}

std::optional<StepEvent> undo_target(const std::vector<StepEvent>& events) {
  std::set<std::string> settled;
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (!settled.insert(it->occurrence).second) continue;
    if (it->action != StepAction::kUndone) return *it;
  }
  return std::nullopt;
}

}  // namespace aftercare
