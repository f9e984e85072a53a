#include "ui/clinic_review.h"

#include "services/curl_http.h"
#include "ui/views.h"

namespace aftercare::ui {

namespace {

const char* outcome_key(FhirPushOutcome outcome) {
  switch (outcome) {
    case FhirPushOutcome::kAccepted:
      return "clinic.push_accepted";
    case FhirPushOutcome::kRejected:
      return "clinic.push_rejected";
    case FhirPushOutcome::kFailed:
      return "clinic.push_failed";
    case FhirPushOutcome::kAuthenticationFailed:
      return "clinic.push_auth_refused";
  }
  return "clinic.push_failed";
}

}  // namespace

ClinicReview::ClinicReview(ClinicApp& clinic, HttpClient* http, std::function<void()> wake,
                           std::atomic<bool>* closing)
    : clinic_(clinic), http_(http), wake_(std::move(wake)), closing_(closing) {}

ClinicReview::~ClinicReview() {
  if (push_ && closing_) *closing_ = true;
  push_.reset();
}

Status ClinicReview::refresh(const ClinicForm& form) {
  ClinicSnapshot snapshot;
  auto patients = clinic_.list(form.filter, form.sort);
  if (!patients) return patients.error();
  snapshot.patients = std::move(*patients);
  if (!form.selected.empty()) {
    auto shown = clinic_.show(form.selected);
    if (!shown) return shown.error();
    snapshot.selected = std::move(*shown);
  }
  snapshot_ = std::move(snapshot);
  show_push();
  return {};
}

Action ClinicReview::draw(ViewContext& view) { return draw_clinic(view, snapshot_); }

std::optional<Notice> ClinicReview::apply(const Action& action, const ClinicForm& form,
                                          const Strings& strings) {
  if (action.kind == Action::Kind::kClinicImport) {
    auto imported = clinic_.import({form.folder});
    if (!imported) return Notice{strings.word(imported.error()), true};
    Notice notice{
        strings.format("clinic.imported",
                       {{"imported", std::to_string(imported->count(ImportOutcome::kImported))},
                        {"extended", std::to_string(imported->count(ImportOutcome::kExtended))},
                        {"unchanged", std::to_string(imported->count(ImportOutcome::kUnchanged))},
                        {"rejected", std::to_string(imported->count(ImportOutcome::kRejected))}})};
    // Why each file was refused (a few; the CLI lists them all), as the CLI words it.
    std::size_t shown = 0;
    for (const auto& file : imported->files) {
      if (file.outcome != ImportOutcome::kRejected || ++shown > 5) continue;
      notice.text +=
          "\n" + std::filesystem::path(file.file).filename().string() + ": " + file.reason;
    }
    notice.error = shown > 0;
    if (auto refreshed = refresh(form); !refreshed)
      notice = {strings.word(refreshed.error()), true};
    return notice;
  }
  if (action.kind == Action::Kind::kClinicTrust) {
    auto pin = clinic_.trust(form.selected, form.trust_device);
    if (!pin) return Notice{strings.word(pin.error()), true};
    Notice notice{strings.format(
        "clinic.trusted", {{"device", pin->device.substr(0, 16)}, {"patient", form.selected}})};
    if (auto refreshed = refresh(form); !refreshed)
      notice = {strings.word(refreshed.error()), true};
    return notice;
  }
  if (action.kind != Action::Kind::kClinicPush || !http_ || push_) return std::nullopt;
  if (!check_fhir_server(form.fhir_server)) {
    return Notice{strings.get("clinic.fhir_server_invalid"), true};
  }
  auto credentials = load_fhir_credentials(form.fhir_auth);
  if (!credentials) return Notice{strings.word(credentials.error()), true};
  // The same sign-in, with the same secret, to the same server keeps its access token from one
  // push to the next, until it expires; a rewritten token or key file is read again.
  if (!authorizer_ || !same_credentials(authorizer_->credentials(), *credentials)) {
    authorizer_ = std::make_unique<FhirAuthorizer>(std::move(*credentials));
  }
  FhirPushOptions options;
  options.authorizer = authorizer_.get();
  auto started =
      FhirPushJob::start(clinic_, std::nullopt, form.fhir_server, *http_, wake_, options);
  if (!started) return Notice{strings.word(started.error()), true};
  push_ = std::move(*started);
  push_problems_.clear();
  show_push();
  return Notice{};
}

void ClinicReview::show_push() {
  snapshot_.pushing = push_ != nullptr;
  snapshot_.push_done = push_ ? push_->done() : 0;
  snapshot_.push_total = push_ ? push_->total() : snapshot_.push_total;
  snapshot_.push_problems = push_problems_;
}

std::optional<Notice> ClinicReview::poll(const Strings& strings) {
  if (!push_) return std::nullopt;
  if (!push_->finished()) {
    show_push();
    return std::nullopt;
  }
  const FhirPushReport pushed = push_->report();
  push_.reset();
  push_problems_.clear();
  for (const auto& result : pushed.patients) {
    if (result.outcome == FhirPushOutcome::kAccepted) continue;
    for (const auto& problem : result.problems) {
      push_problems_.push_back(result.pseudonym + ": " + strings.get(outcome_key(result.outcome)) +
                               ": " + problem);
    }
  }
  show_push();
  return Notice{
      strings.format(
          "clinic.pushed",
          {{"accepted", std::to_string(pushed.count(FhirPushOutcome::kAccepted))},
           {"rejected", std::to_string(pushed.count(FhirPushOutcome::kRejected))},
           {"failed", std::to_string(pushed.count(FhirPushOutcome::kFailed) +
                                     pushed.count(FhirPushOutcome::kAuthenticationFailed))}}) +
          (pushed.count(FhirPushOutcome::kAuthenticationFailed) > 0
               ? "\n" + strings.get("clinic.push_auth_failed")
               : std::string()),
      pushed.count(FhirPushOutcome::kAccepted) != pushed.patients.size()};
}

namespace {

// What the review needs, owned together, in the order they must go: the review (which cancels
// a push and waits for it) before the HTTP client, the client before its cancel flag.
class OwnedClinicReview final : public ClinicPanel {
 public:
  OwnedClinicReview(std::unique_ptr<ClinicApp> clinic, std::function<void()> wake)
      : clinic_(std::move(clinic)),
        http_(std::chrono::seconds(60), std::chrono::seconds(10), &closing_),
        review_(*clinic_, &http_, std::move(wake), &closing_) {}
  Status refresh(const ClinicForm& form) override { return review_.refresh(form); }
  Action draw(ViewContext& view) override { return review_.draw(view); }
  std::optional<Notice> apply(const Action& action, const ClinicForm& form,
                              const Strings& strings) override {
    return review_.apply(action, form, strings);
  }
  std::optional<Notice> poll(const Strings& strings) override { return review_.poll(strings); }

 private:
  std::unique_ptr<ClinicApp> clinic_;
  std::atomic<bool> closing_{false};
  platform::CurlHttpClient http_;
  ClinicReview review_;
};

}  // namespace

Result<std::unique_ptr<ClinicPanel>> open_clinic_review(const ClinicLocation& location,
                                                        const Clock& clock,
                                                        std::function<void()> wake) {
  auto clinic = ClinicApp::open(location.dir, clock, location.database);
  if (!clinic) return clinic.error();
  return std::unique_ptr<ClinicPanel>(
      std::make_unique<OwnedClinicReview>(std::move(*clinic), std::move(wake)));
}

}  // namespace aftercare::ui
