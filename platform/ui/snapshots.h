#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
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
  std::optional<ReminderSnapshot> reminders;
  ReminderSettings settings;
  bool outdoors = false;
  std::string device_zone;
  std::string zone_database;  ///< The zone database's version ("2024a").
  std::string device_key;     ///< This device's signing key (hex), which the clinic trusts.
  std::string patient_name;   ///< As kept on the device; empty when none.
  Instant now;
};

}  // namespace aftercare::ui
