#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/clinic_app.h"
#include "app/fhir_push.h"
#include "services/cli_wording.h"
#include "support/clinic_database.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

// Collects every string under `value` that is a reference ("urn:uuid:…").
void collect_uuid_references(const Json& value, std::set<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key == "reference" && item.is_string()) out.insert(item.get<std::string>());
      collect_uuid_references(item, out);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) collect_uuid_references(item, out);
  }
}

TEST_CASE("a clinic's patients become FHIR transactions of conditional updates by identifier",
          "[clinic][fhir]") {
  test::TempDir dir;
  test::ClinicDatabase database;
  FakeClock clock(test::at("2027-06-15T09:00"));
  auto clinic = ClinicApp::open(dir.path(), clock, database.location());
  REQUIRE(clinic.ok());
  REQUIRE((*clinic)->import({test::fixtures_dir() / "clinic"}).ok());

  auto deliveries = (*clinic)->fhir_deliveries(std::nullopt);
  REQUIRE(deliveries.ok());
  REQUIRE(deliveries->size() == 5);
  for (const auto& delivery : *deliveries) {
    INFO(delivery.pseudonym);
    const Json bundle = Json::parse(delivery.bundle);
    CHECK(bundle["resourceType"] == "Bundle");
    CHECK(bundle["type"] == "transaction");
    std::set<std::string> full_urls, requests, references;
    std::map<std::string, int> types;
    for (const auto& entry : bundle["entry"]) {
      const Json& resource = entry["resource"];
      const std::string type = resource["resourceType"];
      ++types[type];
      CHECK_FALSE(resource.contains("id"));  // the server assigns ids
      const std::string full_url = entry["fullUrl"];
      CHECK(full_url.rfind("urn:uuid:", 0) == 0);
      // Servers resolve lowercase UUIDs only.
      CHECK(std::none_of(full_url.begin(), full_url.end(), [](char c) { return std::isupper(c); }));
      full_urls.insert(full_url);
      const Json identifier =
          resource["identifier"].is_array() ? resource["identifier"][0] : resource["identifier"];
      CHECK(entry["request"]["method"] == "PUT");
      const std::string url = entry["request"]["url"];
      CHECK(url == type + "?identifier=" + identifier["system"].get<std::string>() + "|" +
                       identifier["value"].get<std::string>());
      CHECK(identifier["value"].get<std::string>().rfind(delivery.pseudonym, 0) == 0);
      requests.insert(url);
      collect_uuid_references(resource, references);
    }
    CHECK(requests.size() == bundle["entry"].size());  // one resource per identifier
    CHECK(types["Patient"] == 1);
    CHECK(types["Procedure"] >= 1);
    CHECK(types["CarePlan"] == types["Procedure"]);
    CHECK(types["Observation"] >= 1);
    for (const auto& reference : references) {
      INFO(reference);
      CHECK(full_urls.count(reference) == 1);  // every reference is to an entry of the bundle
    }
  }
  // The same record gives the same bytes: a second push sends the same conditional updates.
  auto again = (*clinic)->fhir_deliveries(deliveries->front().pseudonym);
  REQUIRE(again.ok());
  REQUIRE(again->size() == 1);
  CHECK(again->front().bundle == deliveries->front().bundle);
  auto unknown = (*clinic)->fhir_deliveries(std::string("P-nobody"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code() == ErrorCode::kNotFound);
}

// Answers from a script, one per request, and remembers what was sent.
class ScriptedHttp final : public HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<std::string> urls;
  std::vector<std::string> authorizations;
  Result<HttpResponse> send(const HttpRequest& request) override {
    urls.push_back(request.url);
    authorizations.push_back(request.authorization);
    if (request.method == HttpRequest::Method::kPost &&
        request.content_type != "application/x-www-form-urlencoded") {
      CHECK(request.content_type == "application/fhir+json");
      CHECK_FALSE(request.body.empty());
    }
    REQUIRE_FALSE(answers.empty());
    auto answer = answers.front();
    answers.pop_front();
    return answer;
  }
};

HttpResponse answer(int status, std::string body, std::optional<int> retry_after = std::nullopt) {
  HttpResponse response{status, std::move(body), std::nullopt};
  if (retry_after) response.retry_after = std::chrono::seconds(*retry_after);
  return response;
}

const char* kUnavailable =
    R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient",)"
    R"("details":{"text":"Service Unavailable"}}]})";

TEST_CASE("a push retries 5xx and silence with growing pauses, and reports the server's verdict",
          "[fhir]") {
  ScriptedHttp http;
  std::vector<milliseconds> pauses;
  FhirPushOptions options;
  options.sleep = [&](milliseconds pause) { pauses.push_back(pause); };
  const std::vector<FhirDelivery> deliveries = {{"P-a", "{}"}, {"P-b", "{}"}, {"P-d", "{}"},
                                                {"P-e", "{}"}, {"P-c", "{}"}, {"P-f", "{}"}};
  // P-a: unavailable, then no answer, then accepted (one resource new, one known).
  http.answers.push_back(answer(503, kUnavailable, 0));
  http.answers.push_back(Error(ErrorCode::kIo, "http://fhir.test/R4: no answer (timed out)"));
  http.answers.push_back(
      answer(200, R"({"resourceType":"Bundle","type":"transaction-response","entry":[)"
                  R"({"response":{"status":"201","location":"Patient/1"}},)"
                  R"({"response":{"status":"200 OK","location":"Observation/2"}}]})"));
  // P-b: refused, with the server's reasons.
  http.answers.push_back(answer(
      400, R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid",)"
           R"("details":{"text":"entry 4 (Observation): Missing required property"},)"
           R"("expression":["Bundle.entry[4].resource","Bundle.entry[4].resource.status"]}]})"));
  // P-d: accepted as HTTP, but one entry failed on its own.
  http.answers.push_back(
      answer(200, R"({"resourceType":"Bundle","type":"transaction-response","entry":[)"
                  R"({"response":{"status":"201"}},{"response":{"status":"400","outcome":)"
                  R"({"resourceType":"OperationOutcome","issue":[{"severity":"error",)"
                  R"("diagnostics":"Conditional PUT matched multiple resources"}]}}}]})"));
  // P-e: a 200 that is not FHIR at all.
  http.answers.push_back(answer(200, "<html>proxy login</html>"));
  // P-c, last but one: unavailable every time; the server asks for 3 s once.
  for (int i = 0; i < 5; ++i) http.answers.push_back(answer(503, "busy", i == 1 ? 3 : 0));
  // P-f: not sent, since the server is down.

  std::vector<std::size_t> progress;
  const auto report = push_fhir(deliveries, "http://fhir.test/R4/", http, options,
                                [&](std::size_t done, std::size_t total) {
                                  CHECK(total == 6);
                                  progress.push_back(done);
                                });
  REQUIRE(report.patients.size() == 6);
  CHECK(progress == std::vector<std::size_t>{1, 2, 3, 4, 5, 6});
  CHECK(http.urls.front() == "http://fhir.test/R4");  // the base, without its slash

  const auto& a = report.patients[0];
  CHECK(a.outcome == FhirPushOutcome::kAccepted);
  CHECK(a.attempts == 3);
  CHECK(a.created == 1);
  CHECK(a.updated == 1);
  CHECK(a.problems.empty());

  const auto& b = report.patients[1];
  CHECK(b.outcome == FhirPushOutcome::kRejected);
  CHECK(b.attempts == 1);  // a 4xx is the server's verdict: not tried again
  CHECK(b.http_status == 400);
  REQUIRE(b.problems.size() == 1);
  CHECK(b.problems[0] ==
        "error: entry 4 (Observation): Missing required property [at Bundle.entry[4].resource]");

  const auto& c = report.patients[4];
  CHECK(c.outcome == FhirPushOutcome::kFailed);
  CHECK(c.attempts == 5);
  CHECK(c.http_status == 503);
  CHECK(c.problems.front() == "HTTP 503 from the server");

  const auto& d = report.patients[2];
  CHECK(d.outcome == FhirPushOutcome::kRejected);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0] == "entry 1: 400: error: Conditional PUT matched multiple resources");

  CHECK(report.patients[3].outcome == FhirPushOutcome::kFailed);
  CHECK_THAT(report.patients[3].problems.front(), Catch::Contains("not a FHIR transaction"));

  const auto& f = report.patients[5];
  CHECK(f.outcome == FhirPushOutcome::kFailed);
  CHECK(f.attempts == 0);
  CHECK(f.problems == std::vector<std::string>{
                          "not sent: the server did not take P-c in 5 attempts; push again later"});
  CHECK(http.answers.empty());
  CHECK(http.urls.size() == 11);  // 3 + 1 + 1 + 1 + 5, none for P-f

  // P-a: 0.5 s, 1 s; P-c: 0.5 s, 3 s (asked), 2 s, 4 s.
  CHECK(pauses == std::vector<milliseconds>{milliseconds(500), milliseconds(1000),
                                            milliseconds(500), milliseconds(3000),
                                            milliseconds(2000), milliseconds(4000)});
  CHECK(report.count(FhirPushOutcome::kAccepted) == 1);
  CHECK(report.count(FhirPushOutcome::kRejected) == 2);
  CHECK(report.count(FhirPushOutcome::kFailed) == 3);
}

TEST_CASE("a push goes to https://, or http:// on this machine, with no credentials in the URL",
          "[fhir]") {
  CHECK(check_fhir_server("https://fhir.example/R4").ok());
  CHECK(check_fhir_server("http://127.0.0.1:8080/fhir/R4").ok());
  CHECK(check_fhir_server("http://localhost/fhir").ok());
  CHECK(check_fhir_server("http://[::1]:9/fhir").ok());
  for (const char* bad :
       {"http://fhir.example/R4", "ftp://fhir.example", "fhir.example/R4",
        "https://user:secret@fhir.example/R4", "https:///R4", "http://127.0.0.1.evil.example/R4"}) {
    INFO(bad);
    auto checked = check_fhir_server(bad);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().code() == ErrorCode::kInvalidInput);
    CHECK(checked.error().notice());
    CHECK_THAT(cli::cli_words(checked.error()), Catch::StartsWith("--fhir: "));
    CHECK_THAT(checked.error().message(), !Catch::Contains("secret"));
  }
}

TEST_CASE("a server's answer of unexpected JSON types is reported, not thrown", "[fhir]") {
  ScriptedHttp http;
  FhirPushOptions options;
  options.sleep = [](milliseconds) {};
  for (
      const char* body :
      {R"({"resourceType":"Bundle","type":"transaction-response","entry":[1]})",
       R"({"resourceType":"Bundle","type":"transaction-response","entry":[{"response":"x"}]})",
       R"({"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":201}}]})",
       R"({"resourceType":7})"}) {
    http.answers.push_back(answer(200, body));
  }
  http.answers.push_back(
      answer(400, R"({"resourceType":"OperationOutcome","issue":[{"severity":1}]})"));
  const std::vector<FhirDelivery> deliveries = {
      {"P-a", "{}"}, {"P-b", "{}"}, {"P-c", "{}"}, {"P-d", "{}"}, {"P-e", "{}"}};
  const auto report = push_fhir(deliveries, "https://fhir.test/R4", http, options);
  REQUIRE(report.patients.size() == 5);
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(i);
    CHECK(report.patients[i].outcome == FhirPushOutcome::kFailed);
    CHECK(
        report.patients[i].problems ==
        std::vector<std::string>{"the server's answer is not a FHIR transaction-response Bundle"});
  }
  CHECK(report.patients[4].outcome == FhirPushOutcome::kRejected);
  CHECK(report.patients[4].problems.front().rfind("{\"resourceType\"", 0) == 0);  // as text
}

TEST_CASE("an OperationOutcome's issues are read whatever the server fills in", "[fhir]") {
  CHECK(operation_outcome_issues(
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"warning",)"
            R"("code":"processing","diagnostics":"slow down"},{"code":"invalid"}]})") ==
        std::vector<std::string>{"warning: slow down", "error: invalid"});
  CHECK(operation_outcome_issues("Bad Gateway\n<html>") == std::vector<std::string>{"Bad Gateway"});
  CHECK(operation_outcome_issues("") == std::vector<std::string>{"(no details)"});
}

}  // namespace
}  // namespace aftercare
