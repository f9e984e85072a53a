#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>

#include "app/app.h"
#include "app/clinic_app.h"
#include "ui/actions.h"
#include "ui/snapshots.h"
#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/ui_state.h"

namespace aftercare::ui {

/// The app's frame: reads snapshots from the core, draws the current screen with its
/// navigation, and carries out what the person did through App (and ClinicApp on the desktop).
/// Shared by the phone and desktop front ends.
class Shell {
 public:
  /// `clinic` may be null (the phone; a desktop without a clinic folder). `notifications`, when
  /// given, receives the reminder window after every change and each reminder as it fires.
  /// Exports go to `export_dir` (created owner-only when first needed).
  Shell(App& app, ClinicApp* clinic, NotificationCenter* notifications, Layout layout,
        float display_scale, std::filesystem::path export_dir);

  /// Builds one frame of `width` x `height` pixels (between ImGui::NewFrame and ImGui::Render).
  void frame(float width, float height);
  /// Reloads the snapshots (after an action, or the minute turning).
  void refresh();
  /// Fires the reminders that are due: a banner in the app and a platform notification each.
  void fire_due_reminders();
  /// Opens a patient of the clinic review (the desktop's `--patient`).
  void open_patient(const std::string& pseudonym);
  /// Carries out an action as if the person had done it (the views' way in, and the tests').
  void apply(const Action& action);
  /// Lets the clinic review push to a FHIR server through `http`. A push runs on a thread of
  /// its own; `wake` (thread-safe) asks the host for a frame when it moves on. `cancel`, set on
  /// destruction, stops a push under way (`http` should watch it too); `http` and `cancel` must
  /// outlive the Shell.
  void set_fhir_client(HttpClient* http, std::function<void()> wake, std::atomic<bool>* cancel);
  /// Waits for a push under way after cancelling it.
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;
  /// Takes in a push's progress, or its report once done. Each frame calls it.
  void poll_push();

  UiState& state() { return state_; }
  const Theme& theme() const { return theme_; }
  const PatientSnapshot& patient() const { return patient_; }
  const ClinicSnapshot& clinic() const { return clinic_; }
  /// True after a change of text size: the host rebuilds its fonts and style.
  bool take_style_change();

 private:
  void refresh_clinic();
  void show_push();
  void scroll_by_drag();
  void report(const Status& status, const std::string& success = {});
  Action draw_screen(struct ViewContext& view);

  App& app_;
  ClinicApp* clinic_app_;
  NotificationCenter* notifications_;
  float display_scale_;
  std::filesystem::path export_dir_;
  UiState state_;
  Strings strings_;
  Theme theme_;
  PatientSnapshot patient_;
  ClinicSnapshot clinic_;
  bool style_changed_ = true;
  // The push under way (valid while it runs), and what the clinic snapshot shows of it: kept
  // here, since a refresh builds a new snapshot.
  HttpClient* http_ = nullptr;
  std::function<void()> wake_;
  std::atomic<bool>* cancel_ = nullptr;
  std::atomic<std::size_t> push_done_{0};
  std::size_t push_total_ = 0;
  std::vector<std::string> push_problems_;
  std::future<FhirPushReport> push_;  // last: waited for before the members it uses go
};

}  // namespace aftercare::ui
