#include "app/fhir_push_job.h"

#include <chrono>

namespace aftercare {

Result<std::unique_ptr<FhirPushJob>> FhirPushJob::start(ClinicApp& clinic,
                                                        const std::optional<std::string>& pseudonym,
                                                        const std::string& server, HttpClient& http,
                                                        std::function<void()> wake,
                                                        FhirPushOptions options) {
  AFTERCARE_TRY(check_fhir_server(server));
  auto records = clinic.fhir_records(pseudonym);
  if (!records) return records.error();
  std::unique_ptr<FhirPushJob> job(new FhirPushJob());
  job->total_ = records->size();
  job->wake_ = std::move(wake);
  options.cancel = &job->cancel_;
  FhirPushJob* self = job.get();
  job->result_ =
      std::async(std::launch::async, [self, server, options, &http, list = std::move(*records)] {
        // A stored record that no longer reads is that patient's failure, not the whole push's.
        std::vector<FhirDelivery> deliveries;
        std::vector<FhirPushResult> unreadable;
        for (const FhirRecord& record : list) {
          auto delivery = fhir_delivery(record);
          if (delivery) {
            deliveries.push_back(std::move(*delivery));
            continue;
          }
          FhirPushResult result;
          result.pseudonym = record.pseudonym;
          result.problems.push_back("not sent: the stored record does not read: " +
                                    delivery.error().message());
          unreadable.push_back(std::move(result));
        }
        self->done_ = unreadable.size();
        FhirPushReport report = push_fhir(deliveries, server, http, options,
                                          [self, &unreadable](std::size_t done, std::size_t) {
                                            self->done_ = unreadable.size() + done;
                                            if (self->wake_) self->wake_();
                                          });
        for (FhirPushResult& result : unreadable) report.patients.push_back(std::move(result));
        self->done_ = self->total_;
        if (self->wake_) self->wake_();
        return report;
      });
  return job;
}

FhirPushJob::~FhirPushJob() {
  if (!result_.valid()) return;
  cancel();
  result_.wait();
}

bool FhirPushJob::finished() const {
  return result_.valid() && result_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

FhirPushReport FhirPushJob::report() { return result_.get(); }

}  // namespace aftercare
