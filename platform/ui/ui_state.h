#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "app/fhir_auth.h"
#include "domain/clinic.h"
#include "domain/verdict.h"
#include "ui/strings.h"

namespace aftercare::ui {

enum class Screen { kOnboarding, kToday, kLog, kProgress, kReminders, kSettings, kClinic };

/// The screen's name as `--screen` takes it ("today"); nullopt for an unknown name.
std::optional<Screen> screen_from_name(const std::string& name);
const char* screen_name(Screen screen);

/// The phone's portrait layout (tabs at the bottom) or the desktop's wide one (a side bar, and
/// the clinic review).
enum class Layout { kPhone, kDesktop };

/// What is being typed on the onboarding screen.
struct OnboardingForm {
  std::string date;  ///< "2027-03-13"
  std::string time;  ///< "22:00"
  std::string zone;
  std::set<std::string> areas{"face"};
  std::string clinic;
  std::string phone;
  std::string name;  ///< Optional: kept for exports the patient chooses to name.
};

/// The plan's details being corrected in Settings (filled from the plan when opened).
struct PlanEditForm {
  bool open = false;
  std::int64_t plan = 0;  ///< The plan it was filled from: another one closes it.
  std::string date;       ///< "2027-03-13", in the device zone
  std::string time;       ///< "22:00"
  std::set<std::string> areas;
  std::string clinic;
  std::string phone;
  std::string device;
  std::string products;
  bool confirm_cancel = false;  ///< "Cancel this plan" was tapped once: ask again.
};

/// What is being entered on the Log screen.
struct LogForm {
  std::string symptom;
  int severity = 0;
  std::string area;
  std::string note;
};

/// The clinic review's table and selection.
struct ClinicForm {
  std::string folder;
  std::string fhir_server;     ///< The clinic's FHIR server's base URL, for a push.
  FhirAuthSettings fhir_auth;  ///< How a push signs in there; its secrets stay in their files.
  std::optional<Verdict> filter;
  ClinicSort sort = ClinicSort::kStatus;
  std::string selected;      ///< A pseudonym; empty: the table.
  std::string trust_device;  ///< A device key typed to trust for the selected patient.
};

/// Everything the interface remembers that the core does not: one plain struct.
struct UiState {
  Layout layout = Layout::kPhone;
  Screen screen = Screen::kToday;
  Language language = Language::kEnglish;
  bool large_text = false;
  bool clock_24h = true;
  bool show_device_key = false;  ///< Settings shows this device's signing key.
  bool include_name = false;     ///< Exports carry the patient's name (stored as a preference).
  std::string name;              ///< The name being edited in Settings.
  bool name_loaded = false;      ///< `name` was filled from the stored one.
  /// A message shown at the top until the next action: a reminder that fired, an error.
  std::string banner;
  bool banner_is_error = false;
  OnboardingForm onboarding;
  PlanEditForm plan_edit;
  LogForm log;
  ClinicForm clinic;
};

}  // namespace aftercare::ui
