#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "app/services.h"

namespace aftercare {

class FhirAuthorizer;

/// One patient's record as a FHIR transaction Bundle, ready to deliver.
struct FhirDelivery {
  std::string pseudonym;
  std::string bundle;
};

/// How hard to try. A pause doubles after each failed attempt, from `first_pause` up to
/// `longest_pause`; a server's Retry-After is honoured within that bound.
struct FhirPushOptions {
  int attempts = 5;
  std::chrono::milliseconds first_pause{500};
  std::chrono::milliseconds longest_pause{30'000};
  std::function<void(std::chrono::milliseconds)> sleep;  ///< Default: this thread sleeps.
  /// When set and true, nothing more is sent (the app is closing): checked before each
  /// attempt and during pauses.
  const std::atomic<bool>* cancel = nullptr;
  /// The credentials each request carries (may be null: none). Used from the push's thread.
  FhirAuthorizer* authorizer = nullptr;
};

/// A FHIR server's base URL a push may go to: https://, or http:// to this machine only (health
/// data does not cross a network in clear), and no credentials in it. The error names the flaw.
Status check_fhir_server(const std::string& url);

enum class FhirPushOutcome {
  kAccepted,  ///< The server committed the whole transaction.
  kRejected,  ///< The server refused it (4xx), or some of its entries: see the problems.
  kFailed,    ///< No answer, or still 5xx after every attempt: try again later.
  kAuthenticationFailed,  ///< The server (401, 403) or its token endpoint refused the
                          ///< credentials, or a certificate did not verify: fix, then push.
};

const char* fhir_push_outcome_name(FhirPushOutcome outcome);

/// What became of one patient's delivery.
struct FhirPushResult {
  std::string pseudonym;
  FhirPushOutcome outcome = FhirPushOutcome::kFailed;
  int attempts = 0;
  int http_status = 0;                ///< Of the last answer; 0 when none came.
  std::size_t created = 0;            ///< Resources the server did not have (201).
  std::size_t updated = 0;            ///< Resources it had, now at this record's content (200).
  std::vector<std::string> problems;  ///< The server's OperationOutcome issues, or the failure.
};

struct FhirPushReport {
  std::vector<FhirPushResult> patients;
  std::size_t count(FhirPushOutcome outcome) const;
};

/// Delivers each bundle as a FHIR transaction (POST to the server's base URL), one patient at a
/// time, with the authorizer's credentials. A 5xx or 429 answer, or none (refused, timed out),
/// is tried again after a pause; a 401 once with a new access token (SMART); 401 and 403,
/// credentials the token endpoint refused and a certificate that does not verify are
/// authentication failures, not tried again; any other answer is the server's verdict and
/// final. Once a patient fails every attempt or authentication fails, the patients after it are
/// not sent (0 attempts; failed, or authentication_failed after an authentication failure).
/// `progress(done, total)` after each patient.
FhirPushReport push_fhir(const std::vector<FhirDelivery>& deliveries, const std::string& base_url,
                         HttpClient& http, const FhirPushOptions& options = {},
                         const std::function<void(std::size_t, std::size_t)>& progress = {});

/// The issues of an OperationOutcome (`severity: text [at expression]`), or the whole body's
/// first line when it is not one.
std::vector<std::string> operation_outcome_issues(const std::string& body);

}  // namespace aftercare
