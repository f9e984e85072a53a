#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "app/clinic_app.h"
#include "app/fhir_push.h"

namespace aftercare {

/// One push of the clinic's records to a FHIR server, under way on a thread of its own: what the
/// desktop's clinic review and `aftercare clinic push` both run. The records are read from the
/// clinic database on the starting thread (which owns it); their Bundles are built and delivered
/// on the job's thread. Destroying the job cancels it and waits for it.
class FhirPushJob {
 public:
  /// Starts pushing every patient (or only `pseudonym`) to `server` through `http`, which must
  /// outlive the job. `wake` (may be empty; called from the job's thread) is told each time the
  /// job moves on. kInvalidInput for a server a push may not go to (check_fhir_server); kNotFound
  /// for an unknown pseudonym. `options.cancel` is replaced by the job's own flag (cancel()).
  static Result<std::unique_ptr<FhirPushJob>> start(ClinicApp& clinic,
                                                    const std::optional<std::string>& pseudonym,
                                                    const std::string& server, HttpClient& http,
                                                    std::function<void()> wake = {},
                                                    FhirPushOptions options = {});
  ~FhirPushJob();
  FhirPushJob(const FhirPushJob&) = delete;
  FhirPushJob& operator=(const FhirPushJob&) = delete;

  /// Patients handled so far, and in all.
  std::size_t done() const { return done_.load(); }
  std::size_t total() const { return total_; }
  /// True once the report is ready (take it with `report`).
  bool finished() const;
  /// Waits for the end and returns the report; once only.
  FhirPushReport report();
  /// Asks the job to stop: nothing more is sent (the patients not sent are reported failed).
  void cancel() { cancel_ = true; }

 private:
  FhirPushJob() = default;

  std::atomic<std::size_t> done_{0};
  std::size_t total_ = 0;
  std::atomic<bool> cancel_{false};
  std::function<void()> wake_;
  std::future<FhirPushReport> result_;  // last: waited for before the members it uses go
};

}  // namespace aftercare
