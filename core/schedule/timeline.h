#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "domain/modes.h"
#include "domain/plan.h"
#include "domain/step_log.h"
#include "schedule/zone.h"
#include "schedule/zone_history.h"

namespace aftercare {

/// One planned occurrence of a step.
struct Occurrence {
  const StepDef* step = nullptr;
  /// Stable id: the step id for a one-off step ("first_wash"); for routines the step id and the
  /// local wall time it was planned at ("cleanse_pm@2027-03-14T20:00"), which names the same
  /// occurrence whatever zone the device moves to later.
  std::string id;
  Instant scheduled;
  Instant due_until;               ///< scheduled + the step's window.
  date::year_month_day local_day;  ///< The calendar day it belongs to, where it was planned.
};

/// Every occurrence of the plan's steps scheduled in [from, to), in time order. A step with a
/// `condition` occurs only at instants when that mode is on. `to` must be a
/// real instant (not Instant::max()). Wall-clock routines follow the zone the device is in that
/// day (ZoneHistory); an occurrence whose local date and time was already planned in an earlier
/// zone is not planned again after a trip west, and none is invented for a day left behind.
/// Treatment-relative steps happen at their instant whatever the zone.
std::vector<Occurrence> expand_steps(const Plan& plan, const ZoneHistory& zones, Instant from,
                                     Instant to, const Modes& modes);

/// When the plan's last step occurrence can fall: the latest `until` of any step (or the end of
/// a one-off's window). Nothing is planned after it.
Instant plan_end(const Plan& plan);

/// The last instant anything of the plan happens: its last step, the end of its longest
/// restriction, or the next session of the series.
Instant plan_last_moment(const Plan& plan);

enum class OccurrenceStatus { kUpcoming, kDue, kDone, kSkipped, kMissed };

const char* occurrence_status_name(OccurrenceStatus status);

/// An occurrence and where it stands at a given moment.
struct StepItem {
  Occurrence occurrence;
  OccurrenceStatus status = OccurrenceStatus::kUpcoming;
  std::optional<StepRecord> record;  ///< Present when done or skipped.
};

/// The status of `occurrence` at `now`: done or skipped when recorded; otherwise upcoming
/// before its time, due until its window closes, missed after.
StepItem classify(const Occurrence& occurrence, const std::map<std::string, StepRecord>& records,
                  Instant now);

struct RestrictionItem {
  const RestrictionDef* restriction = nullptr;
  Instant ends;  ///< Exactly treatment + duration.
  bool active = false;
};

/// Done, skipped and missed occurrences of one calendar day (or of the whole plan). Occurrences
/// still upcoming or due are counted in `open`, not in the ratio.
struct Adherence {
  date::year_month_day day{};  ///< Unset for the overall figure.
  int done = 0;
  int skipped = 0;
  int missed = 0;
  int open = 0;
  /// done / (done + skipped + missed); nullopt when nothing is settled yet.
  std::optional<double> ratio() const;
};

struct NextSession {
  int number = 2;              ///< Which treatment of the series.
  Instant at;                  ///< Treatment instant + the series interval.
  date::year_month_day day{};  ///< Its date in the current zone.
};

/// Everything a "today" screen shows, at one moment in one zone.
struct Timeline {
  Instant now;
  const date::time_zone* zone = nullptr;
  date::year_month_day today{};
  std::chrono::seconds since_treatment{};  ///< Negative before the treatment.
  int day_number = 0;  ///< Day N = the N-th 24 h after the treatment; day 0 is the first.
  const PhaseDef* phase = nullptr;  ///< Null before the treatment.
  std::optional<Instant> phase_ends;
  std::vector<StepItem> today_steps;          ///< Occurrences whose calendar day is today.
  std::vector<StepItem> coming_days;          ///< The next two calendar days.
  std::vector<StepItem> earlier_missed;       ///< Missed on earlier days, most recent first.
  std::vector<RestrictionItem> restrictions;  ///< Active first (soonest end first), then ended.
  std::optional<NextSession> next_session;
  Adherence today_adherence;
  std::vector<Adherence> adherence_by_day;  ///< From the treatment day to today.
  Adherence overall_adherence;
};

/// The timeline of `plan` at `now`, with `zone` the device's current zone.
Timeline build_timeline(const Plan& plan, const ZoneHistory& zones,
                        const std::map<std::string, StepRecord>& records, Instant now,
                        const date::time_zone* zone, const Modes& modes);

/// The occurrence of `step` that a check-off at `now` means. With a `hint` (a time, or an
/// occurrence id), the occurrence scheduled at that time, whose window contains it, or with that
/// id. Without one: the earliest one due now, else the latest one missed today, else the next one
/// today or within 3 h. kInvalidInput with what is possible instead when nothing fits.
Result<StepItem> select_occurrence(const Plan& plan, const ZoneHistory& zones,
                                   const std::map<std::string, StepRecord>& records,
                                   const StepId& step, Instant now, const date::time_zone* zone,
                                   const Modes& modes, const std::optional<Instant>& hint_time,
                                   const std::optional<std::string>& hint_id);

}  // namespace aftercare
