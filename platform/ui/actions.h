#pragma once

#include <optional>
#include <string>

#include "app/app.h"
#include "ui/ui_state.h"

namespace aftercare::ui {

/// What the person asked for in a frame. Views return one; the Shell carries it out through
/// App (or ClinicApp), never around it.
struct Action {
  enum class Kind {
    kNone,
    kGo,         ///< screen
    kStartPlan,  ///< from state.onboarding
    kEditPlan,   ///< from state.plan_edit
    kCancelPlan,
    kCheckOff,  ///< step, id (occurrence), step_action
    kUndo,
    kLogSymptom,           ///< from state.log
    kSnooze,               ///< id (reminder)
    kDismiss,              ///< id (reminder)
    kSetOutdoors,          ///< flag
    kSetReminderSettings,  ///< reminder_settings
    kSetLanguage,          ///< language
    kSetClock24h,          ///< flag
    kSetLargeText,         ///< flag
    kSetIncludeName,       ///< flag: exports carry the patient's name
    kSetName,              ///< state.name, kept as the patient's name
    kExport,               ///< format
    kCallClinic,           ///< id (the clinic's number)
    kClinicImport,         ///< from state.clinic.folder
    kClinicPush,           ///< every patient to state.clinic.fhir_server
    kClinicTrust,          ///< state.clinic.trust_device for state.clinic.selected
  };
  Kind kind = Kind::kNone;
  Screen screen = Screen::kToday;
  std::string step;
  std::string id;
  StepAction step_action = StepAction::kDone;
  bool flag = false;
  Language language = Language::kEnglish;
  ExportFormat format = ExportFormat::kPdf;
  ReminderSettings reminder_settings;

  static Action go(Screen to) {
    Action action;
    action.kind = Kind::kGo;
    action.screen = to;
    return action;
  }
  static Action of(Kind kind) {
    Action action;
    action.kind = kind;
    return action;
  }
};

}  // namespace aftercare::ui
