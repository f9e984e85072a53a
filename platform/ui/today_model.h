#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "ui/strings.h"

namespace aftercare::ui {

/// One step row of the Today screen, in words.
struct StepRow {
  std::string step;  ///< The step id, for the action.
  std::string occurrence;
  std::string title;
  std::string when;  ///< "20:00", "due now", "done".
  OccurrenceStatus status = OccurrenceStatus::kUpcoming;
  bool can_check_off = false;  ///< Due or upcoming today: Done and Skip apply.
};

struct RestrictionRow {
  std::string title;
  std::string left;  ///< "30 min left", or "Allowed again".
  bool active = false;
};

/// One preparation step before a planned treatment.
struct PreparationRow {
  std::string title;
  std::string instructions;
  std::string when;  ///< "Now", or "From 2027-06-09 15:00".
  bool active = false;
};

/// What the Today screen shows, computed from the core's snapshots without ImGui (tested).
struct TodayModel {
  bool has_plan = false;
  std::string heading;    ///< "Day 1 after treatment".
  bool planned = false;   ///< The treatment is still ahead: countdown and preparation instead.
  std::string countdown;  ///< "Your treatment is in 2 d 2 h, 2027-06-10 15:00."
  std::vector<PreparationRow> preparation;
  std::string phase;
  std::vector<StepRow> steps;
  std::vector<RestrictionRow> restrictions;
  std::string adherence;
  Verdict verdict = Verdict::kExpected;
  std::string verdict_title;
  std::vector<std::string> reasons;  ///< What was seen, most serious first.
  std::string advice;
  /// Contact or urgent with a clinic number: the number to call, and its button's label.
  std::string call_number;
  std::string call_label;
  /// Contact or urgent without a number: where to add it.
  std::string call_missing;
};

TodayModel make_today_model(const TodaySnapshot& today, const Assessment& now,
                            const Strings& strings, bool clock_24h);

/// "2027-03-14 20:00" (or "... 8:00 PM") at `instant` in `zone`.
std::string day_and_time(Instant instant, const date::time_zone* zone, bool clock_24h);

/// "20:00" or "8:00 PM" at `instant` in `zone`.
std::string clock_time(Instant instant, const date::time_zone* zone, bool clock_24h);

}  // namespace aftercare::ui
