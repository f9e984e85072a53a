#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aftercare {

/// What the core tells a person, apart from its words.
///
/// An error a person can cause (a bad time, a step already checked off, a setting out of range)
/// carries one of these ids and its arguments by name. Each front end words it itself: the CLI
/// with its option names (`--felt`, `aftercare undo`), the apps with their field names and in
/// the interface's language (assets/strings/*.json, keys "notice.NAME"). `notice_english` is the
/// core's own wording, free of any front end's terms: Error::message(), logs, tests.
enum class NoticeId {
  kNoPlan,
  kDatabaseHasBackups,
  kAlreadyMarked,
  kNothingToUndo,
  kNothingToCheckOff,
  kNotPlannedNow,
  kUnknownStep,
  kStepNeedsMode,
  kNotAnOccurrence,
  kNoOccurrenceAt,
  kUnknownLanguage,
  kWindowOrder,
  kLimitRange,
  kUnknownReminder,
  kReminderSettled,
  kReminderMissed,
  kSnoozeRange,
  kUnknownMode,
  kSnoozeSetting,
  kWindowSetting,
  kQuietHoursEqual,
  kPhotoMissing,
  kPhotoTooLarge,
  kPhotoUnreadable,
  kPhotoNotImage,
  kAreaNotInPlan,
  kReliefNotAsked,
  kFeltInFuture,
  kFeltBeforeTreatment,
  kEntryDeleted,
  kEntryAlreadyDeleted,
  kUnknownEntry,
  kNothingRated,
  kRatedTwice,
  kNothingToChange,
  kFhirNotUrl,
  kFhirCredentials,
  kFhirNoHost,
  kFhirPlainHttp,
  kUnknownPatient,
  kZoneEmpty,
  kZoneUnknown,
  kTimeUnreadable,
  kTimeNotReal,
  kTimeYears,
  kTimeOffset,
  kTimeOutside,
  kTimeSkipped,
  kTreatmentRepeated,
  kTreatmentBeforeSession,
  kSeriesComplete,
  kTreatmentCorrectionRange,
  kTreatmentTooFar,
  kPlanUnchanged,
  kFileMadeOwnerOnly,
  kFileNotOwnerOnly,
  kDailyBackupFailed,
  kEnd,  ///< Not a notice: the number of them. A new id goes before it, and into notice.cpp.
};

/// Arguments by name, in the order the English wording uses them. Every {time} (ISO 8601 with
/// its offset) comes with {clock}, its local wall clock ("21:30"), for a shorter wording.
using NoticeArgs = std::vector<std::pair<std::string, std::string>>;

struct Notice {
  NoticeId id;
  NoticeArgs args;
};

/// The id's name, the key of its wording in a front end's table ("already_marked").
std::string_view notice_name(NoticeId id);
/// The core's English template of `id`, with "{name}" for each argument.
std::string_view notice_english(NoticeId id);
/// Every id, for the tests that check each front end words them all.
std::span<const NoticeId> all_notices();

/// `text` with each "{name}" replaced by its value in `args`; an unknown name stays as written.
std::string fill_placeholders(std::string_view text, const NoticeArgs& args);
/// The names between braces in `text`, in order.
std::vector<std::string> placeholders(std::string_view text);

}  // namespace aftercare
