#include "base/notice.h"

#include <algorithm>
#include <array>

namespace aftercare {

namespace {

struct NoticeText {
  NoticeId id;
  std::string_view name;
  std::string_view english;
};

// In the enum's order; notice_test checks that every id is here once.
constexpr NoticeText kNotices[] = {
    {NoticeId::kNoPlan, "no_plan",
     "no plan yet: start one with the date and time of your treatment"},
    {NoticeId::kDatabaseHasBackups, "database_has_backups",
     "{problem}. A backup can put an earlier copy back"},
    {NoticeId::kAlreadyMarked, "already_marked",
     "{occurrence} is already marked {action} (at {time}); undo it to change it"},
    {NoticeId::kNothingToUndo, "nothing_to_undo",
     "nothing to undo: no step is marked done or skipped"},
    {NoticeId::kNothingToCheckOff, "nothing_to_check_off",
     "{step}: nothing to check off now; the next one is at {time}"},
    {NoticeId::kNotPlannedNow, "not_planned_now",
     "{step}: nothing to check off now; this step is not planned around this time"},
    {NoticeId::kUnknownStep, "unknown_step",
     "step: unknown step \"{step}\" (this plan has: {known})"},
    {NoticeId::kStepNeedsMode, "step_needs_mode",
     "step: {step} applies only while {mode} mode is on"},
    {NoticeId::kNotAnOccurrence, "not_an_occurrence",
     "occurrence: \"{occurrence}\" is not an occurrence of {step} in this plan"},
    {NoticeId::kNoOccurrenceAt, "no_occurrence_at",
     "occurrence: no occurrence of {step} is planned at {time}"},
    {NoticeId::kUnknownLanguage, "unknown_language",
     "language: \"{language}\" is not one of en, fr"},
    {NoticeId::kWindowOrder, "window_order", "the end must be later than the start"},
    {NoticeId::kLimitRange, "limit_range",
     "between 1 and {max} reminders (phones keep at most 64 pending notifications), got {got}"},
    {NoticeId::kUnknownReminder, "unknown_reminder",
     "reminder: no reminder \"{reminder}\" in this plan"},
    {NoticeId::kReminderSettled, "reminder_settled", "reminder {reminder} is already {status}"},
    {NoticeId::kReminderMissed, "reminder_missed",
     "reminder {reminder} was missed; its window has closed"},
    {NoticeId::kSnoozeRange, "snooze_range", "a snooze lasts 1 to 1440 minutes, got {got}"},
    {NoticeId::kUnknownMode, "unknown_mode", "mode: unknown mode \"{mode}\" (known: outdoors)"},
    {NoticeId::kSnoozeSetting, "snooze_setting", "snooze: between 1 and 1440 minutes"},
    {NoticeId::kWindowSetting, "window_setting", "window: between 1 and {max}"},
    {NoticeId::kQuietHoursEqual, "quiet_hours_equal",
     "quiet hours: start and end must differ (or turn them off)"},
    {NoticeId::kPhotoMissing, "photo_missing", "photo: {file} does not exist or is not a file"},
    {NoticeId::kPhotoTooLarge, "photo_too_large", "photo: {file} is larger than 25 MiB"},
    {NoticeId::kPhotoUnreadable, "photo_unreadable", "photo: cannot read {file}"},
    {NoticeId::kPhotoNotImage, "photo_not_image",
     "photo: {file} is not a JPEG, PNG, HEIC or WebP image (by its content, whatever its name)"},
    {NoticeId::kAreaNotInPlan, "area_not_in_plan",
     "area: \"{area}\" is not one of this plan's treated areas ({areas})"},
    {NoticeId::kReliefNotAsked, "relief_not_asked",
     "relieved: asked only for {symptoms}, not for {symptom}"},
    {NoticeId::kFeltInFuture, "felt_in_future", "felt: {time} is in the future"},
    {NoticeId::kFeltBeforeTreatment, "felt_before_treatment",
     "felt: {time} is before your treatment ({treated})"},
    {NoticeId::kEntryDeleted, "entry_deleted", "entry {entry} is deleted; log a new one instead"},
    {NoticeId::kEntryAlreadyDeleted, "entry_already_deleted", "entry {entry} is already deleted"},
    {NoticeId::kUnknownEntry, "unknown_entry", "entry: no entry {entry}"},
    {NoticeId::kNothingRated, "nothing_rated", "check-in: rate at least one symptom"},
    {NoticeId::kRatedTwice, "rated_twice", "check-in: {symptom} is rated twice"},
    {NoticeId::kNothingToChange, "nothing_to_change", "edit: nothing to change"},
    {NoticeId::kFhirNotUrl, "fhir_not_url", "FHIR server: an https:// URL, got \"{url}\""},
    {NoticeId::kFhirCredentials, "fhir_credentials",
     "FHIR server: no user name or password in the URL"},
    {NoticeId::kFhirNoHost, "fhir_no_host", "FHIR server: no server named in \"{url}\""},
    {NoticeId::kFhirPlainHttp, "fhir_plain_http",
     "FHIR server: https:// for a server on another machine (http:// only on this one), got "
     "\"{url}\""},
    {NoticeId::kUnknownPatient, "unknown_patient", "no patient {patient} in this clinic"},
    {NoticeId::kZoneEmpty, "zone_empty", "time zone: the name is empty"},
    {NoticeId::kZoneUnknown, "zone_unknown",
     "time zone: \"{zone}\" is not an IANA time zone name (like \"America/Toronto\" or "
     "\"Europe/Paris\")"},
    {NoticeId::kTimeUnreadable, "time_unreadable",
     "\"{text}\" is not a time like 2027-03-14T21:30 (local), 2027-03-14T21:30:00-04:00 or "
     "2027-03-15T01:30:00Z"},
    {NoticeId::kTimeNotReal, "time_not_real", "\"{text}\" is not a real date and time"},
    {NoticeId::kTimeYears, "time_years", "\"{text}\" is outside the years {first} to {last}"},
    {NoticeId::kTimeOffset, "time_offset",
     "\"{text}\" has an offset beyond the -14:00 to +14:00 of real zones"},
    {NoticeId::kTimeOutside, "time_outside", "\"{text}\" is outside {first} to {last}"},
    {NoticeId::kTimeSkipped, "time_skipped",
     "\"{text}\" does not exist in {zone}: the clocks skip {gap} there at that time"},
    {NoticeId::kTreatmentRepeated, "treatment_repeated",
     "treated: {time} is already the treatment of session {session}; nothing changed"},
    {NoticeId::kTreatmentBeforeSession, "treatment_before_session",
     "treated: {time} is before the treatment of session {session} ({treated}); sessions follow "
     "in treatment order"},
    {NoticeId::kSeriesComplete, "series_complete",
     "treated: the series has {sessions} sessions, and all of them are planned"},
    {NoticeId::kTreatmentCorrectionRange, "treatment_correction_range",
     "treated: {time} is more than {hours} h from the treatment time first entered ({entered}); "
     "a different treatment is a new plan (cancel this one, then start it)"},
    {NoticeId::kTreatmentTooFar, "treatment_too_far",
     "treated: {time} is more than a year from now ({now}); a plan starts from a treatment "
     "within a year either way"},
    {NoticeId::kPlanUnchanged, "plan_unchanged", "the plan already says that: nothing changed"},
    {NoticeId::kFileMadeOwnerOnly, "file_made_owner_only",
     "{file} could be read by others (mode {mode}); it is now owner-only (0600)"},
    {NoticeId::kFileNotOwnerOnly, "file_not_owner_only",
     "{file} can be read by others (mode {mode}) and could not be made owner-only ({problem}); "
     "keep it on a file system of this user's own"},
    {NoticeId::kDailyBackupFailed, "daily_backup_failed",
     "today's backup could not be made ({problem}); what you enter is still stored, and the "
     "next start tries again"},
};

constexpr auto kCount = sizeof(kNotices) / sizeof(kNotices[0]);

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kCount; ++i) {
    if (static_cast<std::size_t>(kNotices[i].id) != i) return false;
  }
  return true;
}
static_assert(in_enum_order(), "kNotices lists every NoticeId once, in the enum's order");
static_assert(kCount == static_cast<std::size_t>(NoticeId::kEnd), "kNotices lists every NoticeId");

constexpr auto kIds = [] {
  std::array<NoticeId, kCount> ids{};
  for (std::size_t i = 0; i < kCount; ++i) ids[i] = kNotices[i].id;
  return ids;
}();

}  // namespace

std::string_view notice_name(NoticeId id) { return kNotices[static_cast<std::size_t>(id)].name; }

std::string_view notice_english(NoticeId id) {
  return kNotices[static_cast<std::size_t>(id)].english;
}

std::span<const NoticeId> all_notices() { return kIds; }

std::string fill_placeholders(std::string_view text, const NoticeArgs& args) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find('{', at);
    if (open == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    const auto close = text.find_first_of("{}", open + 1);
    const std::string* value = nullptr;
    if (close != std::string_view::npos && text[close] == '}') {
      const auto name = text.substr(open + 1, close - open - 1);
      for (const auto& [key, given] : args) {
        if (key == name) value = &given;
      }
    }
    if (value) {
      out.append(*value);
      at = close + 1;
    } else {
      out += '{';  // not a placeholder given here: kept as written, and what follows read on
      at = open + 1;
    }
  }
  out.append(text.substr(std::min(at, text.size())));
  return out;
}

std::vector<std::string> placeholders(std::string_view text) {
  std::vector<std::string> names;
  for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open)) {
    const auto close = text.find('}', open);
    if (close == std::string_view::npos) break;
    names.emplace_back(text.substr(open + 1, close - open - 1));
    open = close;
  }
  return names;
}

}  // namespace aftercare
