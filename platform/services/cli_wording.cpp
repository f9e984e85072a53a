#include "services/cli_wording.h"

#include "base/names.h"

namespace aftercare::cli {

namespace {

// Only where the command line says more than the core: the command that helps, the option.
constexpr EnumName<NoticeId> kCliWording[] = {
    {NoticeId::kNoPlan,
     "no plan yet: start one with `aftercare plan start --treated TIME` (the time of your "
     "treatment)"},
    {NoticeId::kDatabaseHasBackups,
     "{problem}. Backups: `aftercare restore` lists them, `aftercare restore FILE` puts one back"},
    {NoticeId::kAlreadyMarked,
     "{occurrence} is already marked {action} (at {time}); use `aftercare undo` to change it"},
    {NoticeId::kWindowOrder, "--to must be later than --from"},
    {NoticeId::kLimitRange,
     "--limit: between 1 and {max} (phones keep at most 64 pending notifications), got {got}"},
    {NoticeId::kUnknownReminder,
     "reminder: no reminder \"{reminder}\" in this plan (see `aftercare reminders list`)"},
    {NoticeId::kSnoozeRange, "--minutes: between 1 and 1440, got {got}"},
    {NoticeId::kUnknownEntry, "entry: no entry {entry} (see `aftercare history`)"},
    {NoticeId::kAreaNotInPlan,
     "--area: \"{area}\" is not one of this plan's treated areas ({areas}; `aftercare plan edit "
     "--areas` adds one)"},
    {NoticeId::kReliefNotAsked, "--relieved: asked only for {symptoms}, not for {symptom}"},
    {NoticeId::kNothingRated, "checkin: rate at least one symptom, e.g. redness=3"},
    {NoticeId::kRatedTwice, "checkin: {symptom} is rated twice"},
    {NoticeId::kNothingToChange, "log edit: nothing to change (give --severity, --note, ...)"},
    {NoticeId::kFhirNotUrl, "--fhir: an https:// URL, got \"{url}\""},
    {NoticeId::kFhirCredentials, "--fhir: no user name or password in the URL"},
    {NoticeId::kFhirNoHost, "--fhir: no server named in \"{url}\""},
    {NoticeId::kFhirPlainHttp,
     "--fhir: https:// for a server on another machine (http:// only on this one), got "
     "\"{url}\""},
    {NoticeId::kUnknownPatient,
     "no patient {patient} in this clinic (see `aftercare clinic list`)"},
    {NoticeId::kTreatmentRepeated,
     "--treated: {time} is already the treatment of session {session}; nothing changed "
     "(`aftercare plan show` shows it)"},
    {NoticeId::kTreatmentBeforeSession,
     "--treated: {time} is before the treatment of session {session} ({treated}); sessions "
     "follow in treatment order"},
    {NoticeId::kSeriesComplete,
     "--treated: the series has {sessions} sessions, and all of them are planned (`aftercare "
     "plan show`)"},
    {NoticeId::kTreatmentCorrectionRange,
     "--treated: {time} is more than {hours} h from the treatment time first entered "
     "({entered}); a different treatment is a new plan (`aftercare plan cancel`, then `aftercare "
     "plan start`)"},
    {NoticeId::kTreatmentTooFar,
     "--treated: {time} is more than a year from now ({now}); give the treatment's real date "
     "(a planned one up to a year ahead)"},
    {NoticeId::kPlanUnchanged,
     "plan edit: the plan already says that; nothing changed (give --clinic, --clinic-phone, "
     "--areas, --device, --products or --treated)"},
};

}  // namespace

std::string_view cli_wording(NoticeId id) {
  const std::string_view own = name_in(kCliWording, id);
  return own.empty() ? notice_english(id) : own;
}

std::string cli_words(const Error& error) {
  return error.notice() ? worded(error, cli_wording(error.notice()->id)) : error.message();
}

}  // namespace aftercare::cli
