#include "app/fhir_push.h"

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/fhir_auth.h"
#include "base/loopback.h"

namespace aftercare {

namespace {

using Json = nlohmann::json;

// The issues of a parsed OperationOutcome; empty when it is not one. May throw on fields of
// unexpected types.
std::vector<std::string> operation_outcome_issues_of(const Json& doc);

bool worth_retrying(int status) { return status == 429 || status >= 500; }

// Counts what the server did with each entry of an accepted transaction.
void read_transaction_response_unguarded(const std::string& body, FhirPushResult& result) {
  const Json doc = Json::parse(body, nullptr, false);
  if (!doc.is_object() || doc.value("resourceType", "") != "Bundle" ||
      doc.value("type", "") != "transaction-response" || !doc.contains("entry")) {
    result.outcome = FhirPushOutcome::kFailed;
    result.problems.push_back("the server's answer is not a FHIR transaction-response Bundle");
    return;
  }
  std::size_t index = 0;
  for (const auto& entry : doc["entry"]) {
    const Json response = entry.value("response", Json::object());
    const std::string status = response.value("status", "");
    if (status.rfind("201", 0) == 0) {
      ++result.created;
    } else if (status.rfind("200", 0) == 0) {
      ++result.updated;
    } else {
      // A server that runs a transaction's entries one by one answers each on its own.
      result.outcome = FhirPushOutcome::kRejected;
      std::string where = "entry " + std::to_string(index) + ": " + status;
      if (response.contains("outcome")) {
        for (const auto& issue : operation_outcome_issues(response["outcome"].dump())) {
          result.problems.push_back(where + ": " + issue);
        }
      } else {
        result.problems.push_back(where);
      }
    }
    ++index;
  }
}

// The same, for any bytes a server may send: JSON of unexpected types is "not a transaction".
void read_transaction_response(const std::string& body, FhirPushResult& result) {
  try {
    read_transaction_response_unguarded(body, result);
  } catch (const Json::exception&) {
    result.outcome = FhirPushOutcome::kFailed;
    result.created = result.updated = 0;
    result.problems = {"the server's answer is not a FHIR transaction-response Bundle"};
  }
}

// Sleeps `pause`, in steps, until it is over or the push is cancelled.
void pause_for(std::chrono::milliseconds pause, const FhirPushOptions& options) {
  if (options.sleep) return options.sleep(pause);
  const auto until = std::chrono::steady_clock::now() + pause;
  while (std::chrono::steady_clock::now() < until && !(options.cancel && *options.cancel)) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
  }
}

}  // namespace

Status check_fhir_server(const std::string& url) {
  const bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0) {
    return invalid_input(NoticeId::kFhirNotUrl, {{"url", url}});
  }
  const auto start = url.find("://") + 3;
  const std::string authority = url.substr(start, url.find_first_of("/?#", start) - start);
  if (authority.find('@') != std::string::npos) {
    return invalid_input(NoticeId::kFhirCredentials);
  }
  std::string host = authority;  // without its port; "[::1]" keeps its brackets
  if (const auto colon = host.rfind(':'); colon != std::string::npos && host.back() != ']') {
    host.erase(colon);
  }
  if (host.empty()) return invalid_input(NoticeId::kFhirNoHost, {{"url", url}});
  if (!https && !is_loopback_host(host)) {
    return invalid_input(NoticeId::kFhirPlainHttp, {{"url", url}});
  }
  return {};
}

const char* fhir_push_outcome_name(FhirPushOutcome outcome) {
  switch (outcome) {
    case FhirPushOutcome::kAccepted:
      return "accepted";
    case FhirPushOutcome::kRejected:
      return "rejected";
    case FhirPushOutcome::kFailed:
      return "failed";
    case FhirPushOutcome::kAuthenticationFailed:
      return "authentication_failed";
  }
  return "failed";
}

std::size_t FhirPushReport::count(FhirPushOutcome outcome) const {
  return static_cast<std::size_t>(
      std::count_if(patients.begin(), patients.end(),
                    [&](const FhirPushResult& result) { return result.outcome == outcome; }));
}

std::vector<std::string> operation_outcome_issues(const std::string& body) {
  std::vector<std::string> issues;
  const Json doc = Json::parse(body, nullptr, false);
  try {
    issues = operation_outcome_issues_of(doc);
  } catch (const Json::exception&) {
    issues.clear();  // fields of unexpected types: read as plain text below
  }
  if (!issues.empty()) return issues;
  const std::string line = body.substr(0, std::min(body.find('\n'), std::size_t{200}));
  issues.push_back(line.empty() ? "(no details)" : line);
  return issues;
}

namespace {

std::vector<std::string> operation_outcome_issues_of(const Json& doc) {
  std::vector<std::string> issues;
  if (doc.is_object() && doc.value("resourceType", "") == "OperationOutcome" &&
      doc.contains("issue") && doc["issue"].is_array()) {
    for (const auto& issue : doc["issue"]) {
      if (!issue.is_object()) continue;
      std::string text = issue.value("severity", "error") + ": ";
      if (issue.contains("details") && issue["details"].is_object() &&
          issue["details"].contains("text")) {
        text += issue["details"].value("text", "");
      } else {
        text += issue.value("diagnostics", issue.value("code", "(no text)"));
      }
      if (issue.contains("expression") && issue["expression"].is_array() &&
          !issue["expression"].empty() && issue["expression"][0].is_string()) {
        text += " [at " + issue["expression"][0].get<std::string>() + "]";
      }
      issues.push_back(std::move(text));
    }
  }
  return issues;
}

}  // namespace

FhirPushReport push_fhir(const std::vector<FhirDelivery>& deliveries, const std::string& base_url,
                         HttpClient& http, const FhirPushOptions& options,
                         const std::function<void(std::size_t, std::size_t)>& progress) {
  std::string url = base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  FhirPushReport report;
  std::string unavailable;  // set once the server gave up on a patient: the rest are not sent
  FhirPushOutcome unsent = FhirPushOutcome::kFailed;  // what those are
  for (const auto& delivery : deliveries) {
    FhirPushResult result;
    result.pseudonym = delivery.pseudonym;
    if (options.cancel && *options.cancel) unavailable = "the push was cancelled";
    if (!unavailable.empty()) {
      result.attempts = 0;
      result.outcome = unsent;
      result.problems.push_back("not sent: " + unavailable);
      report.patients.push_back(std::move(result));
      if (progress) progress(report.patients.size(), deliveries.size());
      continue;
    }
    auto pause = options.first_pause;
    bool refreshed = false;  // a 401 is answered with one new access token, not more
    for (result.attempts = 1;; ++result.attempts) {
      std::string authorization;
      Result<HttpResponse> answer = Error(ErrorCode::kIo, "no answer");
      bool authorized = true;
      if (options.authorizer) {
        auto header = options.authorizer->authorization(url, http);
        if (header) {
          authorization = std::move(*header);
        } else {
          answer = header.error();
          authorized = false;
        }
      }
      if (authorized) {
        answer = http.post(url, delivery.bundle, "application/fhir+json", authorization);
      }
      std::optional<std::chrono::milliseconds> asked;
      if (answer) {
        result.http_status = answer->status;
        if (answer->status == 401 && !refreshed && result.attempts < options.attempts &&
            !(options.cancel && *options.cancel) && options.authorizer &&
            options.authorizer->forget_token()) {
          refreshed = true;  // the token expired early, or was revoked: one new one
          result.problems = {"HTTP 401 from the server: its access token was refused"};
          continue;
        }
        if (answer->status == 401 || answer->status == 403) {
          result.outcome = FhirPushOutcome::kAuthenticationFailed;
          // What a server says back may echo the token it was sent: never shown.
          result.problems = operation_outcome_issues(
              without_secret(answer->body, authorization.substr(authorization.find(' ') + 1)));
          result.problems.insert(result.problems.begin(),
                                 answer->status == 401
                                     ? "HTTP 401 from the server: it did not take the credentials"
                                     : "HTTP 403 from the server: these credentials may not write "
                                       "there");
          unavailable = "the server refused the credentials";
          unsent = FhirPushOutcome::kAuthenticationFailed;
          break;
        }
        if (!worth_retrying(answer->status)) {
          result.problems.clear();
          if (answer->status >= 200 && answer->status < 300) {
            result.outcome = FhirPushOutcome::kAccepted;
            read_transaction_response(answer->body, result);
          } else {
            result.outcome = FhirPushOutcome::kRejected;
            result.problems = operation_outcome_issues(answer->body);
          }
          break;
        }
        result.problems = operation_outcome_issues(answer->body);
        result.problems.insert(result.problems.begin(),
                               "HTTP " + std::to_string(answer->status) + " from the server");
        if (answer->retry_after) asked = *answer->retry_after;
      } else {
        result.http_status = 0;
        result.problems = {answer.error().message()};
        if (answer.error().code() != ErrorCode::kIo) {
          // Refused credentials, a certificate that does not verify, a server whose SMART
          // configuration is unusable: the same again would fail the same way.
          result.outcome = FhirPushOutcome::kAuthenticationFailed;
          unavailable = authorized ? "the server's TLS certificate does not verify"
                                   : "the sign-in failed (see " + result.pseudonym + ")";
          unsent = FhirPushOutcome::kAuthenticationFailed;
          break;
        }
      }
      if (result.attempts >= options.attempts) {
        result.outcome = FhirPushOutcome::kFailed;
        unavailable = "the server did not take " + result.pseudonym + " in " +
                      std::to_string(result.attempts) + " attempts; push again later";
        break;
      }
      pause_for(std::min(std::max(pause, asked.value_or(pause)), options.longest_pause), options);
      if (options.cancel && *options.cancel) {
        result.outcome = FhirPushOutcome::kFailed;
        result.problems.push_back("cancelled");
        break;
      }
      pause = std::min(pause * 2, options.longest_pause);
    }
    report.patients.push_back(std::move(result));
    if (progress) progress(report.patients.size(), deliveries.size());
  }
  return report;
}

}  // namespace aftercare
