#include "domain/step_log.h"
#include "base/names.h"

#include <set>

namespace aftercare {

namespace {
constexpr EnumName<StepAction> kActions[] = {
    {StepAction::kDone, "done"},
    {StepAction::kSkipped, "skipped"},
    {StepAction::kUndone, "undone"},
};
}  // namespace

const char* step_action_name(StepAction action) { return name_in(kActions, action); }

std::optional<StepAction> step_action_named(const std::string& name) {
  return value_named(kActions, name);
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
