#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"

namespace aftercare {

/// Minutes after local midnight on a wall clock (08:00 is 480 min).
using TimeOfDay = std::chrono::minutes;
/// A span measured from the treatment instant. "24h" ends exactly 24 h after it, in any zone.
using Offset = std::chrono::minutes;

/// How a step recurs.
enum class ScheduleKind {
  kOnce,   ///< One instant relative to the treatment (`after`).
  kDaily,  ///< Wall-clock times each local day, in the zone the device is in that day.
  kEvery,  ///< Every `interval` between two wall-clock times each local day.
};

/// One thing the patient does: cleanse, moisturize, apply sunscreen, check in.
struct StepDef {
  StepId id;
  std::string title;
  std::string instructions;
  ScheduleKind kind = ScheduleKind::kDaily;
  Offset after{};                        ///< kOnce: when, after the treatment.
  std::vector<TimeOfDay> times;          ///< kDaily: local times of day, ascending.
  std::chrono::minutes interval{};       ///< kEvery: the spacing on the wall clock.
  TimeOfDay between_start{};             ///< kEvery: first local time of the day.
  TimeOfDay between_end{};               ///< kEvery: last local time of the day (inclusive).
  Offset from{};                         ///< No occurrence before treatment + from.
  std::optional<Offset> until;           ///< No occurrence at or after treatment + until.
  std::chrono::minutes window{};         ///< How long an occurrence stays due before it is missed.
  std::optional<std::string> condition;  ///< Only while this mode is on ("outdoors").
};

/// Something the patient must not do for a while after the treatment.
struct RestrictionDef {
  RestrictionId id;
  std::string title;
  std::string detail;
  std::string ended;       ///< Said when it ends ("You may wear makeup again.").
  std::string afterwards;  ///< What holds once it ends ("Mineral makeup only at first.").
  Offset duration{};       ///< Ends exactly this long after the treatment instant.
};

/// A stage of healing, such as inflammation, between two offsets from the treatment.
struct PhaseDef {
  std::string id;
  std::string title;
  std::string description;
  Offset from{};
  std::optional<Offset> until;
};

/// The expected upper bound of a symptom's severity at an offset from the treatment.
struct CoursePoint {
  Offset at{};
  int max_severity = 0;
};

/// A symptom the patient can log, with its normal course after treatment.
struct SymptomDef {
  SymptomId id;
  std::string title;
  bool infection_sign = false;
  std::optional<Offset> normal_until;  ///< Absent for signs that are never normal.
  std::vector<CoursePoint> course;     ///< Ascending offsets; linear between points.
  std::optional<std::string> snomed;
  std::optional<std::string> loinc;
};

enum class Verdict { kExpected, kContactClinic, kUrgent };

enum class RuleKind {
  kSeverityAtLeast,  ///< severity >= threshold at any time.
  kAboveCourse,      ///< severity above the course's bound by more than `tolerance`.
  kWorsening,        ///< after `after`, higher than the previous entry by `min_change`.
  kRebound,          ///< fell by `min_change` and rose again by `min_change`.
  kPastWindow,       ///< present after normal_until + `margin`.
  kPresent,          ///< any of `symptoms` at `threshold` or more.
  kUnrelieved,       ///< reported as not relieved by medication, at `threshold` or more.
};

/// A red-flag rule: when it holds, the verdict is at least `verdict`.
struct RuleDef {
  std::string id;
  RuleKind kind = RuleKind::kSeverityAtLeast;
  Verdict verdict = Verdict::kContactClinic;
  std::string message;  ///< With {symptom}, {severity} and {day} placeholders.
  int threshold = 0;
  int tolerance = 0;
  int min_change = 0;
  Offset after{};
  Offset margin{};
  std::vector<SymptomId> symptoms;  ///< Empty: every symptom that is not an infection sign.
};

/// A course of treatments.
struct SeriesDef {
  std::chrono::minutes interval{};  ///< From one treatment to the next.
  int sessions = 1;
};

/// How the clinic's table tells who has gone quiet.
struct TriageDef {
  /// A patient with no check-in for this long, while the protocol's `checkin` step was still
  /// due, counts as gone quiet ("no recent check-in").
  Offset silent_after{36 * 60};
};

/// Something to do, or not do, before a planned treatment (stop retinoids, arrive with clean
/// skin): it applies from `before` ahead of the treatment instant until the treatment.
struct PreparationDef {
  std::string id;
  std::string title;
  std::string instructions;
  Offset before{};
};

/// The aftercare protocol: all numbers of the domain, as data a clinic can override.
struct Protocol {
  std::string id;
  std::string name;
  std::vector<StepDef> steps;  ///< In file order.
  std::vector<RestrictionDef> restrictions;
  std::vector<PhaseDef> phases;  ///< Ascending `from`.
  std::vector<SymptomDef> symptoms;
  std::vector<RuleDef> rules;
  SeriesDef series;
  TriageDef triage;
  std::vector<PreparationDef> preparation;  ///< In file order; may be empty.

  const StepDef* find_step(const StepId& wanted) const;
  const RestrictionDef* find_restriction(const RestrictionId& wanted) const;
  const SymptomDef* find_symptom(const SymptomId& wanted) const;
};

const char* verdict_name(Verdict verdict);
/// The verdict `verdict_name` calls `name`; nullopt for any other text.
std::optional<Verdict> verdict_named(const std::string& name);

}  // namespace aftercare
