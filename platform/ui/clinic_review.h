#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/clinic_app.h"
#include "app/fhir_auth.h"
#include "app/fhir_push_job.h"
#include "ui/clinic_panel.h"
#include "ui/front_end.h"

namespace aftercare::ui {

/// The clinic database as the review draws it.
struct ClinicSnapshot {
  std::vector<ClinicPatient> patients;
  std::optional<ClinicPatientView> selected;  ///< With its charts and flags by day.
  /// A push to the FHIR server under way (done of total patients), and what the last one could
  /// not deliver, one line per patient and problem.
  bool pushing = false;
  std::size_t push_done = 0;
  std::size_t push_total = 0;
  std::vector<std::string> push_problems;
};

/// Draws the clinic screen from `clinic` (clinic_view.cpp).
Action draw_clinic(ViewContext& view, const ClinicSnapshot& clinic);

/// The desktop's clinic review over ClinicApp, with its FHIR push in the background.
class ClinicReview final : public ClinicPanel {
 public:
  /// `http` (may be null: no push) sends to the FHIR server; `wake` (thread-safe) asks the host
  /// for a frame as a push moves on; `closing` (may be null), set when the review goes, should
  /// stop `http`'s transfers too. All must outlive the review.
  ClinicReview(ClinicApp& clinic, HttpClient* http, std::function<void()> wake = {},
               std::atomic<bool>* closing = nullptr);
  /// Cancels a push under way and waits for it.
  ~ClinicReview() override;

  Status refresh(const ClinicForm& form) override;
  Action draw(ViewContext& view) override;
  std::optional<Notice> apply(const Action& action, const ClinicForm& form,
                              const Strings& strings) override;
  std::optional<Notice> poll(const Strings& strings) override;

  const ClinicSnapshot& snapshot() const { return snapshot_; }

 private:
  void show_push();

  ClinicApp& clinic_;
  HttpClient* http_;
  std::function<void()> wake_;
  std::atomic<bool>* closing_;
  ClinicSnapshot snapshot_;
  std::vector<std::string> push_problems_;      // kept across refreshes
  std::unique_ptr<FhirAuthorizer> authorizer_;  // the last push's sign-in, with its token
  std::unique_ptr<FhirPushJob> push_;           // last: goes first (it uses the authorizer)
};

/// The desktop's clinic review on its own: opens ClinicApp at `location` and pushes through
/// libcurl (the FrontEnd's ClinicOpener).
Result<std::unique_ptr<ClinicPanel>> open_clinic_review(const ClinicLocation& location,
                                                        const Clock& clock,
                                                        std::function<void()> wake);

}  // namespace aftercare::ui
