#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/fhir_auth.h"
#include "app/fhir_push.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;
using PKey = std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)>;

PKey generate(const char* type, const char* curve_or_bits) {
  EVP_PKEY* key = std::string_view(type) == "RSA"
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA",
                                          static_cast<std::size_t>(std::stoul(curve_or_bits)))
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve_or_bits);
  REQUIRE(key != nullptr);
  return PKey(key, EVP_PKEY_free);
}

std::string private_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new(BIO_s_mem()), BIO_free);
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string base64url_decode(const std::string& text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    const auto value = kAlphabet.find(c);
    REQUIRE(value != std::string::npos);  // base64url without padding
    bits = bits << 6 | static_cast<std::uint32_t>(value);
    if ((count += 6) >= 8) {
      count -= 8;
      out += static_cast<char>(bits >> count & 0xff);
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char by) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t at; (at = text.find(by, from)) != std::string::npos; from = at + 1) {
    parts.push_back(text.substr(from, at - from));
  }
  parts.push_back(text.substr(from));
  return parts;
}

// Whether `jws` is signed by `key` (ES384 as R || S, or RS384), checked with OpenSSL.
bool verifies(const std::string& jws, EVP_PKEY* key, bool ec) {
  const auto parts = split(jws, '.');
  REQUIRE(parts.size() == 3);
  const std::string input = parts[0] + "." + parts[1];
  std::string signature = base64url_decode(parts[2]);
  if (ec) {
    REQUIRE(signature.size() == 96);
    const auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* pair = ECDSA_SIG_new();
    ECDSA_SIG_set0(pair, BN_bin2bn(raw, 48, nullptr), BN_bin2bn(raw + 48, 48, nullptr));
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(pair, &der);
    signature.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    ECDSA_SIG_free(pair);
  }
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  REQUIRE(EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha384(), nullptr, key) == 1);
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

// An environment of the test's own.
std::function<std::optional<std::string>(const char*)> environment(
    std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

FhirCredentials smart_credentials(const std::string& pem) {
  FhirAuthSettings settings;
  settings.kind = FhirAuthSettings::Kind::kSmart;
  settings.client_id = "clinic-7";
  settings.key_id = "key-1";
  auto loaded = load_fhir_credentials(settings, environment({{kFhirClientKeyVariable, pem}}));
  REQUIRE(loaded.ok());
  return *loaded;
}

TEST_CASE("sign-in secrets are read from their file or the environment, checked, never quoted",
          "[fhir][auth]") {
  test::TempDir dir;
  const auto none = environment({});
  FhirAuthSettings bearer;
  bearer.kind = FhirAuthSettings::Kind::kBearer;
  bearer.token_file = (dir.path() / "token").string();
  test::write_text(dir.path() / "token", "abc.DEF-123_~+/=\nignored second line\n");
  auto loaded = load_fhir_credentials(bearer, none);
  REQUIRE(loaded.ok());
  CHECK(loaded->token == "abc.DEF-123_~+/=");
  FhirAuthorizer authorizer(*loaded);
  struct NoHttp final : HttpClient {
    Result<HttpResponse> send(const HttpRequest&) override {
      FAIL("a bearer token needs no request");
      return Error(ErrorCode::kIo, "");
    }
  } no_http;
  CHECK(authorizer.authorization("https://fhir.test/R4", no_http).value() ==
        "Bearer abc.DEF-123_~+/=");
  CHECK_FALSE(authorizer.forget_token());  // the same token would be refused again

  // From the environment when no file is named; a token that is not one is refused unquoted.
  bearer.token_file.clear();
  CHECK(load_fhir_credentials(bearer, environment({{kFhirTokenVariable, "t0ken"}}))->token ==
        "t0ken");
  auto missing = load_fhir_credentials(bearer, none);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message().find("$AFTERCARE_FHIR_TOKEN") != std::string::npos);
  auto spaced = load_fhir_credentials(bearer, environment({{kFhirTokenVariable, "s3cret word"}}));
  REQUIRE_FALSE(spaced.ok());
  CHECK(spaced.error().code() == ErrorCode::kInvalidInput);
  CHECK(spaced.error().message().find("s3cret") == std::string::npos);
  bearer.token_file = (dir.path() / "absent").string();
  auto absent = load_fhir_credentials(bearer, none);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().message().find("absent") != std::string::npos);

  // SMART: a P-384 key is ES384, an RSA key of 2048 bits RS384; others are refused.
  FhirAuthSettings smart;
  smart.kind = FhirAuthSettings::Kind::kSmart;
  smart.client_id = "clinic-7";
  smart.key_file = (dir.path() / "key.pem").string();
  const auto ec = generate("EC", "P-384");
  test::write_text(dir.path() / "key.pem", private_pem(ec.get()));
  CHECK(load_fhir_credentials(smart, none)->algorithm == "ES384");
  const auto rsa = generate("RSA", "2048");
  test::write_text(dir.path() / "key.pem", private_pem(rsa.get()));
  CHECK(load_fhir_credentials(smart, none)->algorithm == "RS384");
  const auto p256 = generate("EC", "P-256");
  test::write_text(dir.path() / "key.pem", private_pem(p256.get()));
  auto wrong_curve = load_fhir_credentials(smart, none);
  REQUIRE_FALSE(wrong_curve.ok());
  CHECK(wrong_curve.error().message().find("P-384") != std::string::npos);
  const auto small = generate("RSA", "1024");
  test::write_text(dir.path() / "key.pem", private_pem(small.get()));
  REQUIRE_FALSE(load_fhir_credentials(smart, none).ok());
  test::write_text(dir.path() / "key.pem", "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n");
  auto garbled = load_fhir_credentials(smart, none);
  REQUIRE_FALSE(garbled.ok());
  CHECK(garbled.error().message().find("c2VjcmV0") == std::string::npos);
  CHECK(garbled.error().message().find("key.pem") != std::string::npos);
  smart.client_id.clear();
  CHECK_FALSE(load_fhir_credentials(smart, none).ok());
}

TEST_CASE("a client assertion is a JWS of SMART's claims, signed ES384 or RS384", "[fhir][auth]") {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  for (const bool ec : {true, false}) {
    const auto key = ec ? generate("EC", "P-384") : generate("RSA", "2048");
    const FhirCredentials credentials = smart_credentials(private_pem(key.get()));
    auto jws = client_assertion(credentials, "https://ehr.test/token", now, "jti-1");
    REQUIRE(jws.ok());
    const auto parts = split(*jws, '.');
    REQUIRE(parts.size() == 3);
    const Json header = Json::parse(base64url_decode(parts[0]));
    CHECK(header == Json{{"alg", ec ? "ES384" : "RS384"}, {"typ", "JWT"}, {"kid", "key-1"}});
    const Json claims = Json::parse(base64url_decode(parts[1]));
    CHECK(claims == Json{{"iss", "clinic-7"},
                         {"sub", "clinic-7"},
                         {"aud", "https://ehr.test/token"},
                         {"jti", "jti-1"},
                         {"iat", 1'800'000'000},
                         {"exp", 1'800'000'300}});
    CHECK(verifies(*jws, key.get(), ec));
    // Another key, or a changed claim, does not verify.
    const auto other = ec ? generate("EC", "P-384") : generate("RSA", "2048");
    CHECK_FALSE(verifies(*jws, other.get(), ec));
    auto changed = client_assertion(credentials, "https://ehr.test/token", now, "jti-2");
    REQUIRE(changed.ok());
    const auto changed_parts = split(*changed, '.');
    CHECK_FALSE(verifies(parts[0] + "." + changed_parts[1] + "." + parts[2], key.get(), ec));
  }
  CHECK_FALSE(client_assertion(FhirCredentials{}, "https://ehr.test/token", now, "j").ok());

  // Without a kid of its own, the key's RFC 7638 thumbprint (SHA-256, base64url: 43 characters;
  // the interop check compares it with jose's); the same key gives the same one.
  const auto key = generate("EC", "P-384");
  FhirAuthSettings settings;
  settings.kind = FhirAuthSettings::Kind::kSmart;
  settings.client_id = "clinic-7";
  const auto pem = private_pem(key.get());
  auto loaded = load_fhir_credentials(settings, environment({{kFhirClientKeyVariable, pem}}));
  REQUIRE(loaded.ok());
  CHECK(loaded->key_id.size() == 43);
  auto again = load_fhir_credentials(settings, environment({{kFhirClientKeyVariable, pem}}));
  CHECK(again->key_id == loaded->key_id);
  CHECK(same_credentials(*loaded, *again));
  const auto other = generate("EC", "P-384");
  auto rotated = load_fhir_credentials(
      settings, environment({{kFhirClientKeyVariable, private_pem(other.get())}}));
  CHECK(rotated->key_id != loaded->key_id);
  CHECK_FALSE(same_credentials(*loaded, *rotated));  // a rewritten key file is read again
  const Json header = Json::parse(base64url_decode(
      split(client_assertion(*loaded, "https://ehr.test/token", now, "j").value(), '.')[0]));
  CHECK(header["kid"] == loaded->key_id);
  // A client id that is not printable ASCII is refused before anything is signed or sent.
  settings.client_id = "clinic\xff";
  CHECK_FALSE(load_fhir_credentials(settings, environment({{kFhirClientKeyVariable, pem}})).ok());
  settings.client_id = "clinic 7";
  CHECK_FALSE(load_fhir_credentials(settings, environment({{kFhirClientKeyVariable, pem}})).ok());
}

// A FHIR server with a token endpoint, answering by URL, that remembers every request.
class SmartServer final : public HttpClient {
 public:
  std::vector<HttpRequest> requests;
  Json configuration = {{"token_endpoint", "https://ehr.test/auth/token"},
                        {"token_endpoint_auth_methods_supported", {"private_key_jwt"}}};
  int token_status = 200;
  std::string expires_in_json = "300";
  /// Status of each FHIR POST in turn (then 200).
  std::vector<int> fhir_statuses;
  int tokens = 0;

  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    if (request.url == "https://ehr.test/R4/.well-known/smart-configuration") {
      CHECK(request.method == HttpRequest::Method::kGet);
      return HttpResponse{200, configuration.dump(), std::nullopt};
    }
    if (request.url == "https://ehr.test/auth/token") {
      CHECK(request.content_type == "application/x-www-form-urlencoded");
      CHECK(request.body.rfind("grant_type=client_credentials&scope=system%2F%2A.write&"
                               "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-"
                               "assertion-type%3Ajwt-bearer&client_assertion=ey",
                               0) == 0);
      if (token_status != 200) {
        return HttpResponse{token_status,
                            R"({"error":"invalid_client","error_description":"bad signature"})",
                            std::nullopt};
      }
      return HttpResponse{200,
                          R"({"access_token": "tok)" + std::to_string(++tokens) +
                              R"(", "token_type": "Bearer", "expires_in": )" + expires_in_json +
                              "}",
                          std::nullopt};
    }
    REQUIRE(request.url == "https://ehr.test/R4");
    const int status = fhir_statuses.empty() ? 200 : fhir_statuses.front();
    if (!fhir_statuses.empty()) fhir_statuses.erase(fhir_statuses.begin());
    if (status != 200) return HttpResponse{status, "", std::nullopt};
    return HttpResponse{
        200, R"({"resourceType":"Bundle","type":"transaction-response","entry":[]})", std::nullopt};
  }
};

TEST_CASE(
    "SMART sign-in finds the token endpoint, keeps the token until it expires, refreshes "
    "once on a 401",
    "[fhir][auth]") {
  const auto key = generate("EC", "P-384");
  auto clock = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  SmartServer server;
  FhirAuthorizer authorizer(smart_credentials(private_pem(key.get())), [&] { return clock; });
  CHECK(authorizer.authorization("https://ehr.test/R4", server).value() == "Bearer tok1");
  CHECK(server.requests.size() == 2);  // the configuration, the token
  // Cached: no request until a minute before it expires.
  clock += std::chrono::seconds(239);
  CHECK(authorizer.authorization("https://ehr.test/R4", server).value() == "Bearer tok1");
  CHECK(server.requests.size() == 2);
  clock += std::chrono::seconds(1);
  CHECK(authorizer.authorization("https://ehr.test/R4", server).value() == "Bearer tok2");
  CHECK(server.requests.size() == 3);  // the token endpoint is known by now
  CHECK(authorizer.forget_token());
  CHECK(authorizer.authorization("https://ehr.test/R4", server).value() == "Bearer tok3");
  CHECK(authorizer.tokens_fetched() == 3);
  {
    // A token is for the server it was fetched for: another server's URL finds its own
    // configuration (here it has none) rather than get this token.
    struct Elsewhere final : HttpClient {
      std::vector<HttpRequest> requests;
      Result<HttpResponse> send(const HttpRequest& request) override {
        requests.push_back(request);
        return HttpResponse{404, "", std::nullopt};
      }
    } elsewhere;
    auto other = authorizer.authorization("https://other.test/R4", elsewhere);
    REQUIRE_FALSE(other.ok());
    REQUIRE(elsewhere.requests.size() == 1);
    CHECK(elsewhere.requests[0].url == "https://other.test/R4/.well-known/smart-configuration");
    CHECK(elsewhere.requests[0].authorization.empty());
    CHECK(authorizer.authorization("https://ehr.test/R4", server).value() == "Bearer tok4");
    CHECK(authorizer.authorization("https://ehr.test/R4", server).value() == "Bearer tok4");
  }
  {
    // Any expires_in a server sends is read within a day.
    SmartServer lavish;
    lavish.expires_in_json = "1e300";
    FhirAuthorizer kept(smart_credentials(private_pem(key.get())), [&] { return clock; });
    CHECK(kept.authorization("https://ehr.test/R4", lavish).value() == "Bearer tok1");
    clock += std::chrono::hours(23);
    CHECK(kept.authorization("https://ehr.test/R4", lavish).value() == "Bearer tok1");
    clock += std::chrono::hours(1);
    CHECK(kept.authorization("https://ehr.test/R4", lavish).value() == "Bearer tok2");
  }
  // (The clock moved on a day meanwhile: the push starts with a new token, tok5.)

  // The push: a 401 gets one new token and one more try; a second 401 is an authentication
  // failure, and the patients after it are not sent.
  FhirPushOptions options;
  options.authorizer = &authorizer;
  std::vector<milliseconds> pauses;
  options.sleep = [&](milliseconds pause) { pauses.push_back(pause); };
  server.fhir_statuses = {401, 200, 401, 401};
  server.requests.clear();
  const std::vector<FhirDelivery> deliveries = {{"P-a", "{}"}, {"P-b", "{}"}, {"P-c", "{}"}};
  const auto report = push_fhir(deliveries, "https://ehr.test/R4", server, options);
  REQUIRE(report.patients.size() == 3);
  CHECK(report.patients[0].outcome == FhirPushOutcome::kAccepted);
  CHECK(report.patients[0].attempts == 2);
  CHECK(report.patients[1].outcome == FhirPushOutcome::kAuthenticationFailed);
  CHECK(report.patients[1].attempts == 2);
  CHECK(report.patients[1].http_status == 401);
  CHECK(report.patients[2].outcome == FhirPushOutcome::kAuthenticationFailed);
  CHECK(report.patients[2].attempts == 0);
  CHECK(pauses.empty());  // a refused token is not waited for
  std::vector<std::string> sent;
  for (const auto& request : server.requests) {
    if (request.url == "https://ehr.test/R4") sent.push_back(request.authorization);
  }
  CHECK(sent ==
        std::vector<std::string>{"Bearer tok5", "Bearer tok6", "Bearer tok6", "Bearer tok7"});

  // A 403: these credentials may not write; no new token would change that.
  server.fhir_statuses = {403};
  const auto forbidden = push_fhir({{"P-a", "{}"}}, "https://ehr.test/R4", server, options);
  CHECK(forbidden.patients[0].outcome == FhirPushOutcome::kAuthenticationFailed);
  CHECK(forbidden.patients[0].attempts == 1);
}

TEST_CASE(
    "a refused client, an unusable SMART configuration and a certificate that does not "
    "verify are not tried again",
    "[fhir][auth]") {
  const auto key = generate("EC", "P-384");
  const FhirCredentials credentials = smart_credentials(private_pem(key.get()));
  std::vector<milliseconds> pauses;
  FhirPushOptions options;
  options.sleep = [&](milliseconds pause) { pauses.push_back(pause); };
  const std::vector<FhirDelivery> deliveries = {{"P-a", "{}"}, {"P-b", "{}"}};

  SmartServer refusing;
  refusing.token_status = 401;
  FhirAuthorizer refused(credentials);
  auto answer = refused.authorization("https://ehr.test/R4", refusing);
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kUntrusted);
  CHECK(answer.error().message().find("invalid_client: bad signature") != std::string::npos);
  CHECK(answer.error().message().find("eyJ") == std::string::npos);  // not the assertion
  options.authorizer = &refused;
  auto report = push_fhir(deliveries, "https://ehr.test/R4", refusing, options);
  CHECK(report.count(FhirPushOutcome::kAuthenticationFailed) == 2);
  CHECK(report.patients[0].attempts == 1);

  // A token endpoint that is busy is tried again like a busy FHIR server.
  {
    // The server's configuration unavailable: tried again later, like the server itself.
    struct Busy final : HttpClient {
      Result<HttpResponse> send(const HttpRequest&) override {
        return HttpResponse{503, "", std::nullopt};
      }
    } down;
    FhirAuthorizer later(credentials);
    auto unavailable = later.authorization("https://ehr.test/R4", down);
    REQUIRE_FALSE(unavailable.ok());
    CHECK(unavailable.error().code() == ErrorCode::kIo);
  }
  // What a server says back about a refused token never shows it.
  {
    struct Echo final : HttpClient {
      Result<HttpResponse> send(const HttpRequest& request) override {
        return HttpResponse{403, "forbidden: " + request.authorization, std::nullopt};
      }
    } echo;
    FhirCredentials bearer;
    bearer.settings.kind = FhirAuthSettings::Kind::kBearer;
    bearer.token = "s3cret-t0ken-value";
    FhirAuthorizer token(bearer);
    FhirPushOptions echoed;
    echoed.authorizer = &token;
    const auto answered = push_fhir({{"P-a", "{}"}}, "https://ehr.test/R4", echo, echoed);
    CHECK(answered.patients[0].outcome == FhirPushOutcome::kAuthenticationFailed);
    for (const auto& problem : answered.patients[0].problems) {
      CHECK_THAT(problem, !Catch::Contains("s3cret-t0ken-value"));
    }
    CHECK(without_secret("a secret-123 b secret-123", "secret-123") == "a [secret] b [secret]");
  }
  SmartServer busy;
  busy.token_status = 503;
  FhirAuthorizer waiting(credentials);
  auto unavailable = waiting.authorization("https://ehr.test/R4", busy);
  REQUIRE_FALSE(unavailable.ok());
  CHECK(unavailable.error().code() == ErrorCode::kIo);

  for (const Json& configuration :
       {Json{{"token_endpoint", "http://ehr.test/auth/token"}},  // clear text off this machine
        Json{{"token_endpoint", "https://ehr.test/auth/token"},
             {"token_endpoint_auth_methods_supported", {"client_secret_basic"}}},
        Json{{"authorization_endpoint", "https://ehr.test/auth"}}}) {
    SmartServer unusable;
    unusable.configuration = configuration;
    FhirAuthorizer authorizer(credentials);
    auto refused_configuration = authorizer.authorization("https://ehr.test/R4", unusable);
    REQUIRE_FALSE(refused_configuration.ok());
    CHECK(refused_configuration.error().code() == ErrorCode::kInvalidInput);
    CHECK(unusable.requests.size() == 1);  // no assertion went anywhere
  }

  // The FHIR server's certificate does not verify: one attempt, no pause, nobody else sent.
  struct Untrusted final : HttpClient {
    int requests = 0;
    Result<HttpResponse> send(const HttpRequest&) override {
      ++requests;
      return Error(ErrorCode::kUntrusted,
                   "https://ehr.test/R4: the server's TLS certificate "
                   "does not verify (self-signed); not tried again");
    }
  } untrusted;
  options.authorizer = nullptr;
  report = push_fhir(deliveries, "https://ehr.test/R4", untrusted, options);
  CHECK(untrusted.requests == 1);
  CHECK(report.count(FhirPushOutcome::kAuthenticationFailed) == 2);
  CHECK(report.patients[1].problems ==
        std::vector<std::string>{"not sent: the server's TLS certificate does not verify"});
  CHECK(pauses.empty());
}

}  // namespace
}  // namespace aftercare
