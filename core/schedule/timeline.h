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
  /// occurrence whatever zone the device moves to later. When a trip repeats a local date and
  /// time (the date line eastward), the later one adds its UTC offset
  /// ("cleanse_am@2027-03-19T08:00-10:00").
  std::string id;
  Instant scheduled;
  Instant due_until;  ///< scheduled + the step's window.
  /// The calendar day it was planned for, in the zone it was planned in (its id's date). Lists
  /// group by the local date of `scheduled` in the current zone instead.
  date::year_month_day local_day;
  const date::time_zone* zone = nullptr;  ///< The zone it was planned in (its id's wall clock).
};

/// Every occurrence of the plan's steps scheduled in [from, to), in time order. A step with a
/// `condition` occurs only at instants when that mode is on. `to` must be a real instant (not
/// Instant::max()). Treatment-relative steps happen at their instant whatever the zone.
///
/// Wall-clock routines cross a zone change by CLI.md's travel rule: occurrences planned before
/// the change keep their instants and local dates (the old zone's before the change, and its
/// next ones until the new zone's first); the new zone's wall clock plans those whose windows
/// are still open at the change or open later, except one within half the step's spacing (24 h
/// divided by its times a day; for a step repeated at an interval, the interval) of one already
/// planned. So no step comes twice within half its spacing, no gap exceeds its longest gap
/// within one zone by more than half its spacing, and no new-zone occurrence whose window
/// closed before the app knew of the zone is planned (or missed). The result for [from, to) is
/// the same as that part of the whole plan's.
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

/// Where a moment falls against an occurrence's window [scheduled, due_until).
enum class Timing { kEarly, kInWindow, kLate };

Timing timing_of(Instant at, const Occurrence& occurrence);
const char* timing_name(Timing timing);  ///< "early", "in_window", "late"
/// Where a stored check-off fell against the window of the occurrence it marks.
Timing event_timing(const StepEvent& event, const StepDef& step);

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
/// A preparation step before a planned treatment: from when it applies.
struct PreparationItem {
  const PreparationDef* def = nullptr;  ///< Points into the plan's protocol.
  Instant from;                         ///< The treatment instant less `def->before`.
  bool active = false;                  ///< It applies now.
};

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
  /// Before the treatment only (a planned treatment): the protocol's preparation, in file order.
  std::vector<PreparationItem> preparation;
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
/// id. Without one, the rule of CLI.md ("Travel"): the one whose window holds `now` (the first not
/// yet marked, if windows overlap); outside every window, the nearest by time (timing_of says
/// early or late), if it is within half the step's spacing (12 h divided by its times a day; half
/// the interval of a step repeated at one; 12 h for a one-off).
/// kInvalidInput with what is possible instead when nothing fits; a marked one is returned with
/// its record, for the caller to refuse.
Result<StepItem> select_occurrence(const Plan& plan, const ZoneHistory& zones,
                                   const std::map<std::string, StepRecord>& records,
                                   const StepId& step, Instant now, const date::time_zone* zone,
                                   const Modes& modes, const std::optional<Instant>& hint_time,
                                   const std::optional<std::string>& hint_id);

}  // namespace aftercare
