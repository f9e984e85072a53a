#pragma once

#include <nlohmann/json.hpp>

#include "domain/plan.h"
#include "domain/step_log.h"
#include "schedule/timeline.h"

namespace aftercare {

/// JSON documents for front ends and scripts (the CLI's --json). Every time is ISO 8601 with the
/// UTC offset in force in `zone` at that instant; items carry their identifiers ("step",
/// "occurrence", "restriction") as strings.
nlohmann::ordered_json plan_to_json(const Plan& plan, const date::time_zone* zone);
nlohmann::ordered_json timeline_to_json(const Plan& plan, const Timeline& timeline);
nlohmann::ordered_json step_item_to_json(const StepItem& item, const date::time_zone* zone);
/// A stored check-off, skip or undo; `reverted` is what an undo took back.
nlohmann::ordered_json step_event_to_json(const StepEvent& event, const StepDef* step,
                                          std::optional<StepAction> reverted,
                                          const date::time_zone* zone);

}  // namespace aftercare
