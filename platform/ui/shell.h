#pragma once

#include <filesystem>
#include <functional>
#include <utility>

#include "app/app.h"
#include "ui/actions.h"
#include "ui/clinic_panel.h"
#include "ui/snapshots.h"
#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/ui_state.h"

namespace aftercare::ui {

/// Storage that holds a change only once the platform has written it out: the web app's
/// IndexedDB, written at FS.syncfs. The native apps have none: SQLite's commit is durable when it
/// returns.
class Persistence {
 public:
  virtual ~Persistence() = default;
  /// Writes out every change made so far; `done` runs on the frame's thread once they are held,
  /// with the error when they could not be.
  virtual void persist(std::function<void(const Status&)> done) = 0;
};

/// The app's frame: reads snapshots from the core, draws the current screen with its
/// navigation, and carries out what the person did through App (and the clinic review on the
/// desktop). Shared by the phone and desktop front ends.
class Shell {
 public:
  /// `clinic` may be null (the phone; a desktop without a clinic folder); it must outlive the
  /// Shell. `notifications`, when given, receives the reminder window after every change and
  /// each reminder as it fires. Exports go to `export_dir` (created owner-only when first
  /// needed).
  Shell(App& app, ClinicPanel* clinic, NotificationCenter* notifications, Layout layout,
        float display_scale, std::filesystem::path export_dir);
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  /// Builds one frame of `width` x `height` pixels (between ImGui::NewFrame and ImGui::Render).
  void frame(float width, float height);
  /// Reloads the snapshots (after an action, or the minute turning).
  void refresh();
  /// Fires the reminders that are due: a banner in the app and a platform notification each.
  void fire_due_reminders();
  /// Opens a patient of the clinic review (the desktop's `--patient`); the error when there is
  /// no such patient.
  Status open_patient(const std::string& pseudonym);
  /// Carries out an action as if the person had done it (the views' way in, and the tests').
  void apply(const Action& action);
  /// With `persistence`, a change is confirmed ("Saved: ...") only once it is held there; until
  /// then the banner says it is being saved. Must outlive the Shell.
  void set_persistence(Persistence* persistence) { persistence_ = persistence; }
  /// With `deliver`, each export written is also handed to it (the web app downloads it).
  void set_export_delivery(std::function<void(const std::filesystem::path&)> deliver) {
    deliver_export_ = std::move(deliver);
  }
  /// With `dial`, the call button hands it the clinic's number (the web app opens a tel: link);
  /// without, the number is copied to the clipboard and said in the banner.
  void set_dialer(std::function<void(const std::string&)> dial) { dial_ = std::move(dial); }
  /// Takes in the clinic review's progress (a push). Each frame calls it.
  void poll();

  UiState& state() { return state_; }
  const Theme& theme() const { return theme_; }
  const PatientSnapshot& patient() const { return patient_; }
  /// True when the frame just built carried out an action: the next frame shows its outcome
  /// (the frame applies what was tapped after drawing), so the host draws more.
  bool take_redraw() { return std::exchange(redraw_, false); }
  /// True after a change of text size: the host rebuilds its fonts and style.
  bool take_style_change();

 private:
  void refresh_clinic();
  void fire_due_reminders_unguarded();
  /// The onboarding and Log forms carried out; false (and the banner says why) when refused.
  bool start_plan();
  bool log_symptom();
  /// Reports `status` and returns false.
  bool fail(const Status& status);
  bool edit_plan();
  bool cancel_plan();
  /// Runs `work` (an action, a refresh); what it throws is shown in the banner instead of
  /// ending the app. The core returns errors as values; this catches what escapes anyway
  /// (std::bad_alloc, a platform service's exception).
  void guarded(const std::function<void()>& work);
  /// Hands the OS the reminder window again, after a change.
  void replan();
  void scroll_by_drag();
  /// After an action: hands the change to `persistence_`, and its confirmation with it.
  void persist_changes();
  /// The export action: written, handed to deliver_export_ with its manifest, reported.
  void export_now(ExportFormat format);
  void report(const Status& status, const std::string& success = {});
  Action draw_screen(struct ViewContext& view);

  App& app_;
  ClinicPanel* clinic_;
  NotificationCenter* notifications_;
  float display_scale_;
  std::filesystem::path export_dir_;
  UiState state_;
  Strings strings_;
  Theme theme_;
  PatientSnapshot patient_;
  bool style_changed_ = true;
  bool redraw_ = false;
  Persistence* persistence_ = nullptr;
  std::string pending_success_;  ///< Shown once persistence_ holds the change.
  std::function<void(const std::filesystem::path&)> deliver_export_;
  std::function<void(const std::string&)> dial_;
};

}  // namespace aftercare::ui
