#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/clinic_app.h"
#include "exchange/chart.h"
#include "ui/today_model.h"

namespace aftercare::ui {

/// The patient's state as the views read it: loaded from App after every action and once a
/// minute, never during a frame.
struct PatientSnapshot {
  std::shared_ptr<const Plan> plan;  ///< Null before the first plan.
  std::optional<TodaySnapshot> today;
  TodayModel today_model;
  std::optional<LogSnapshot> log;
  std::vector<SymptomChart> charts;  ///< One per symptom with ratings, in protocol order.
  std::optional<ReminderSnapshot> reminders;
  ReminderSettings settings;
  bool outdoors = false;
  std::string device_zone;
  Instant now;
};

/// The clinic database as the review reads it.
struct ClinicSnapshot {
  bool open = false;  ///< False when the app runs without a clinic folder.
  std::vector<ClinicPatient> patients;
  std::optional<ClinicPatientView> selected;
  std::vector<SymptomChart> selected_charts;
  /// The selected patient's entries outside the usual course, by day ("2027-06-11").
  std::vector<std::pair<std::string, std::vector<std::string>>> selected_flags;
  /// A push to the FHIR server under way (done of total patients), and what the last one could
  /// not deliver, one line per patient and problem.
  bool pushing = false;
  std::size_t push_done = 0;
  std::size_t push_total = 0;
  std::vector<std::string> push_problems;
};

}  // namespace aftercare::ui
