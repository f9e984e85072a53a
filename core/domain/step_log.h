#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"

namespace aftercare {

/// An event's place in the tamper-evident chain (domain/journal.h): the previous event's hash
/// and its own. Every stored event has one; both are empty before it is stored.
struct ChainStamp {
  std::string prev_hash;
  std::string hash;
};

enum class StepAction { kDone, kSkipped, kUndone };

const char* step_action_name(StepAction action);
std::optional<StepAction> step_action_named(const std::string& name);

/// One check-off, skip or undo as stored. Events are only ever appended: an undo is a new event,
/// so the log keeps the whole history.
struct StepEvent {
  std::int64_t seq = 0;  ///< Assigned by storage, ascending.
  PlanId plan;
  StepId step;
  std::string occurrence;  ///< The occurrence id ("cleanse_pm@2027-03-14T20:00").
  Instant scheduled_at;    ///< When that occurrence was due.
  StepAction action = StepAction::kDone;
  Instant at;           ///< When the patient says it happened.
  Instant recorded_at;  ///< When the app stored it.
  ChainStamp chain;
};

/// The current state of one occurrence after all its events.
struct StepRecord {
  StepAction action = StepAction::kDone;  ///< kDone or kSkipped.
  Instant at;
  std::int64_t seq = 0;
};

/// Folds a plan's events (ascending seq) into the state of each occurrence id. An undo removes
/// the occurrence's record.
std::map<std::string, StepRecord> fold_step_events(const std::vector<StepEvent>& events);

/// The event an undo would revert now: the latest done or skip that is still in effect.
std::optional<StepEvent> undo_target(const std::vector<StepEvent>& events);

}  // namespace aftercare
