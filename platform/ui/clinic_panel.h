#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "ui/actions.h"
#include "ui/ui_state.h"

namespace aftercare::ui {

struct ViewContext;

/// A message for the banner at the top of the screen.
struct Notice {
  std::string text;
  bool error = false;
};

/// The clinic review as the Shell sees it: the desktop plugs one in (ClinicReview, in the
/// aftercare_ui_clinic library, over ClinicApp); the phone has none and links no clinic code.
class ClinicPanel {
 public:
  virtual ~ClinicPanel() = default;
  /// Reloads what the review shows for `form`: the table (filter, sort) and the patient
  /// selected. The error says why the patient or the table could not be read.
  virtual Status refresh(const ClinicForm& form) = 0;
  /// Draws the clinic screen into the current ImGui window.
  virtual Action draw(ViewContext& view) = 0;
  /// Carries out kClinicImport, kClinicTrust or kClinicPush (started in the background); what
  /// to tell.
  virtual std::optional<Notice> apply(const Action& action, const ClinicForm& form,
                                      const Strings& strings) = 0;
  /// Once a frame: takes in a push's progress; what to tell once the push has ended.
  virtual std::optional<Notice> poll(const Strings& strings) = 0;
};

}  // namespace aftercare::ui
