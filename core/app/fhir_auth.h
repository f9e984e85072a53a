#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/services.h"

namespace aftercare {

/// How a FHIR push proves who sends it, and where its secret is: never the secret itself, so
/// that these settings can be shown, stored in a form or passed on a command line.
struct FhirAuthSettings {
  enum class Kind {
    kNone,    ///< No Authorization header: a server of this machine's own, or an open test one.
    kBearer,  ///< A static bearer token (RFC 6750), issued by the server's administrator.
    kSmart,   ///< SMART Backend Services: OAuth2 client credentials with a private_key_jwt.
  };
  Kind kind = Kind::kNone;
  /// kBearer: a file holding the token (its first line). Empty: $AFTERCARE_FHIR_TOKEN.
  std::string token_file;
  /// kSmart: the client id the server registered for this clinic.
  std::string client_id;
  /// kSmart: a PEM file holding the client's private key, EC P-384 (ES384) or RSA of 2048 bits
  /// or more (RS384), unencrypted. Empty: the PEM text in $AFTERCARE_FHIR_CLIENT_KEY.
  std::string key_file;
  /// kSmart: the JWS `kid` of that key in the JWK Set the server holds; empty: its RFC 7638
  /// JWK thumbprint (SHA-256).
  std::string key_id;
  /// kSmart: the scopes asked for.
  std::string scope = "system/*.write";

  bool operator==(const FhirAuthSettings&) const = default;
};

/// The environment variable that holds a bearer token when no token file is named.
inline constexpr const char kFhirTokenVariable[] = "AFTERCARE_FHIR_TOKEN";
/// The environment variable that holds a SMART client's PEM key when no key file is named.
inline constexpr const char kFhirClientKeyVariable[] = "AFTERCARE_FHIR_CLIENT_KEY";

/// Settings with their secret read and checked: a token, or a parsed private key. Cheap to copy
/// (the key is shared). The secret never appears in a message. Made by load_fhir_credentials.
struct FhirCredentials {
  struct Key;  // the private key, parsed (fhir_auth.cpp)
  FhirAuthSettings settings;
  std::string token;               ///< kBearer: the token. A secret.
  std::string algorithm;           ///< kSmart: "ES384" or "RS384".
  std::string key_id;              ///< kSmart: the kid sent (the settings', or the thumbprint).
  std::shared_ptr<const Key> key;  ///< kSmart.
};

/// `text` with every occurrence of `secret` (8 characters or more) replaced by "[secret]": what
/// a server's answer may echo of what was sent.
std::string without_secret(std::string text, const std::string& secret);

/// The process environment's value of `name`, when set.
std::optional<std::string> environment_variable(const char* name);

/// Whether two loaded credentials are the same sign-in with the same secret (a token file or
/// a key rewritten since is not).
bool same_credentials(const FhirCredentials& a, const FhirCredentials& b);

/// Reads the secret `settings` point to (its file, or else its environment variable) and checks
/// it: a token must be one line of RFC 6750 token characters; a key must be an unencrypted PEM
/// private key of a kind named above. kInvalidInput naming the file or variable otherwise (never
/// quoting the secret); kNone needs nothing.
Result<FhirCredentials> load_fhir_credentials(
    const FhirAuthSettings& settings,
    const std::function<std::optional<std::string>(const char*)>& environment =
        environment_variable);

/// A client assertion for SMART Backend Services (RFC 7523, SMART App Launch 2 "Backend
/// Services"): a JWS signed with the client's key (ES384 as R || S, or RS384), header
/// {alg, typ: JWT, kid}, claims {iss = sub = client id, aud = `token_url`, jti, iat,
/// exp = iat + 5 min}. kInvalidInput unless the credentials are kSmart.
Result<std::string> client_assertion(const FhirCredentials& credentials,
                                     const std::string& token_url,
                                     std::chrono::system_clock::time_point now,
                                     const std::string& jti);

/// The Authorization a push sends, kept across requests: a bearer token as it is, or a SMART
/// access token fetched from the server's token endpoint (found in its
/// `.well-known/smart-configuration`) and cached until shortly before it expires. Errors:
/// - kUntrusted: the token endpoint refused the client (its OAuth2 error, never the assertion);
/// - kIo: no answer from the server (worth trying again later);
/// - kInvalidInput: the server's SMART configuration is missing, unreadable or unusable.
/// Used by one thread at a time.
class FhirAuthorizer {
 public:
  explicit FhirAuthorizer(FhirCredentials credentials,
                          std::function<std::chrono::system_clock::time_point()> now = {});

  /// The Authorization header's value for requests to `base_url` ("Bearer ..."), or empty for
  /// kNone.
  Result<std::string> authorization(const std::string& base_url, HttpClient& http);
  /// The server refused the current access token (401): forgets it, so that the next
  /// authorization() fetches a new one. False when there is nothing new to fetch (kNone,
  /// kBearer: the same token would be refused again).
  bool forget_token();
  /// How many access tokens were fetched so far (a cached one is not fetched again).
  int tokens_fetched() const { return tokens_fetched_; }
  const FhirCredentials& credentials() const { return credentials_; }

 private:
  Result<std::string> token_endpoint(const std::string& base_url, HttpClient& http);

  FhirCredentials credentials_;
  std::function<std::chrono::system_clock::time_point()> now_;
  std::string endpoint_for_;  // the base URL token_endpoint_ was found for
  std::string token_endpoint_;
  std::string access_token_;
  std::chrono::system_clock::time_point token_until_{};
  int tokens_fetched_ = 0;
};

}  // namespace aftercare
