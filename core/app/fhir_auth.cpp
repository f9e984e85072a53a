#include "app/fhir_auth.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/fhir_push.h"
#include "base/files.h"

namespace aftercare {

using Json = nlohmann::json;
using SystemTime = std::chrono::system_clock::time_point;

struct FhirCredentials::Key {
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> pkey{nullptr, EVP_PKEY_free};
};

namespace {

constexpr std::uintmax_t kMaxSecretFileBytes = 64 * 1024;
constexpr auto kAssertionLifetime = std::chrono::minutes(5);

std::string base64url(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    const std::uint32_t chunk = std::uint32_t{data[i]} << 16 |
                                (i + 1 < size ? std::uint32_t{data[i + 1]} << 8 : 0) |
                                (i + 2 < size ? std::uint32_t{data[i + 2]} : 0);
    out += kAlphabet[chunk >> 18 & 63];
    out += kAlphabet[chunk >> 12 & 63];
    if (i + 1 < size) out += kAlphabet[chunk >> 6 & 63];
    if (i + 2 < size) out += kAlphabet[chunk & 63];
  }
  return out;
}

std::string base64url(const std::string& text) {
  return base64url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

// application/x-www-form-urlencoded, every byte but the unreserved ones escaped.
std::string form_escape(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// RFC 6750's b64token: what an Authorization: Bearer header may carry.
bool is_token_text(const std::string& token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("-._~+/=").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// The secret `file` holds, or else the one in `variable`; `what` names it in messages.
Result<std::string> read_secret(
    const std::string& file, const char* variable, const std::string& what,
    const std::function<std::optional<std::string>(const char*)>& environment) {
  if (!file.empty()) {
    auto text = read_file(file, kMaxSecretFileBytes);
    if (!text) return text.error().with_context(what + " file");
    return std::move(*text);
  }
  if (auto value = environment(variable); value && !value->empty()) return std::move(*value);
  return invalid_input("no " + what + ": name the file that holds it, or set $" + variable);
}

// A key parameter (an EC coordinate, an RSA modulus or exponent) as JWK wants it: big-endian,
// `width` bytes (0: as few as it takes), base64url.
std::string key_parameter(EVP_PKEY* key, const char* name, int width) {
  BIGNUM* number = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &number) != 1) return {};
  std::unique_ptr<BIGNUM, void (*)(BIGNUM*)> owned(number, BN_free);
  std::vector<unsigned char> bytes(
      static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(number)));
  if (BN_bn2binpad(number, bytes.data(), static_cast<int>(bytes.size())) < 0) return {};
  return base64url(bytes.data(), bytes.size());
}

// The RFC 7638 thumbprint of the key's public half: the JWK's required members, in
// lexicographic order, without spaces, hashed with SHA-256; what a server's JWK Set names it by
// when the clinic gives no kid.
std::string jwk_thumbprint(EVP_PKEY* key, bool ec) {
  const std::string members =
      ec ? R"({"crv":"P-384","kty":"EC","x":")" + key_parameter(key, OSSL_PKEY_PARAM_EC_PUB_X, 48) +
               R"(","y":")" + key_parameter(key, OSSL_PKEY_PARAM_EC_PUB_Y, 48) + R"("})"
         : R"({"e":")" + key_parameter(key, OSSL_PKEY_PARAM_RSA_E, 0) + R"(","kty":"RSA","n":")" +
               key_parameter(key, OSSL_PKEY_PARAM_RSA_N, 0) + R"("})";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(members.data(), members.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return base64url(digest, size);
}

// Answers no passphrase: an encrypted key is refused instead of prompting on a terminal.
int no_passphrase(char*, int, int, void*) { return 0; }

Result<FhirCredentials> parse_key(FhirCredentials credentials, const std::string& pem,
                                  const std::string& where) {
  std::unique_ptr<BIO, int (*)(BIO*)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(std::min<std::size_t>(pem.size(), INT_MAX))),
      BIO_free);
  auto key = std::make_shared<FhirCredentials::Key>();
  if (bio) key->pkey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key->pkey) {
    return invalid_input(where +
                         ": not an unencrypted PEM private key (\"-----BEGIN PRIVATE KEY-----\")");
  }
  const int type = EVP_PKEY_get_base_id(key->pkey.get());
  if (type == EVP_PKEY_EC) {
    char group[64] = "";
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(key->pkey.get(), group, sizeof group, &length) != 1 ||
        std::string_view(group) != "secp384r1") {
      return invalid_input(where + ": an EC key must be on the P-384 curve (ES384), not " +
                           (*group ? std::string(group) : std::string("this one")));
    }
    credentials.algorithm = "ES384";
  } else if (type == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(key->pkey.get()) < 2048) {
      return invalid_input(where + ": an RSA key must have 2048 bits or more, not " +
                           std::to_string(EVP_PKEY_get_bits(key->pkey.get())));
    }
    credentials.algorithm = "RS384";
  } else {
    return invalid_input(where + ": the key must be EC P-384 (ES384) or RSA (RS384)");
  }
  credentials.key_id = credentials.settings.key_id;
  if (credentials.key_id.empty()) {
    credentials.key_id = jwk_thumbprint(key->pkey.get(), credentials.algorithm == "ES384");
    if (credentials.key_id.empty()) {
      return invalid_input(where + ": the key's public half could not be read");
    }
  }
  credentials.key = std::move(key);
  return credentials;
}

// Printable ASCII (and spaces when `spaces`): what goes into a JWT claim or a form field as is.
bool is_plain_text(const std::string& text, bool spaces) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](unsigned char c) {
    return (c > 0x20 && c < 0x7f) || (spaces && c == ' ');
  });
}

// The JWS signature of `input` with `key`, as JWS wants it (ES384: R || S, 48 bytes each).
Result<std::string> sign(const FhirCredentials& credentials, const std::string& input) {
  EVP_PKEY* pkey = credentials.key->pkey.get();
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha384(), nullptr, pkey) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, data, input.size()) != 1) {
    return Error(ErrorCode::kInternal, "the client assertion could not be signed");
  }
  std::string signature(length, '\0');
  auto* out = reinterpret_cast<unsigned char*>(signature.data());
  if (EVP_DigestSign(context.get(), out, &length, data, input.size()) != 1) {
    return Error(ErrorCode::kInternal, "the client assertion could not be signed");
  }
  signature.resize(length);
  if (credentials.algorithm != "ES384") return signature;
  const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
  std::unique_ptr<ECDSA_SIG, void (*)(ECDSA_SIG*)> pair(
      d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(length)), ECDSA_SIG_free);
  if (!pair) return Error(ErrorCode::kInternal, "the client assertion could not be signed");
  std::string raw(96, '\0');
  auto* raw_bytes = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(pair.get()), raw_bytes, 48) != 48 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(pair.get()), raw_bytes + 48, 48) != 48) {
    return Error(ErrorCode::kInternal, "the client assertion could not be signed");
  }
  return raw;
}

std::string random_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no randomness: nothing is safe
  return base64url(bytes, sizeof bytes);
}

long long unix_seconds(SystemTime time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// The OAuth2 error of a token endpoint's answer (RFC 6749 5.2), or its first line.
std::string oauth_error(const HttpResponse& answer, const std::string& assertion) {
  const Json doc = Json::parse(answer.body, nullptr, false);
  std::string text;
  if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) {
    text = doc["error"].get<std::string>();
    if (doc.contains("error_description") && doc["error_description"].is_string()) {
      text += ": " + doc["error_description"].get<std::string>();
    }
  } else {
    text = operation_outcome_issues(answer.body).front();
  }
  text = without_secret(text, assertion);
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return "HTTP " + std::to_string(answer.status) + ": " + text;
}

}  // namespace

bool same_credentials(const FhirCredentials& a, const FhirCredentials& b) {
  if (!(a.settings == b.settings) || a.token != b.token || a.key_id != b.key_id) return false;
  if (!a.key || !b.key) return !a.key && !b.key;
  return EVP_PKEY_eq(a.key->pkey.get(), b.key->pkey.get()) == 1;
}

std::string without_secret(std::string text, const std::string& secret) {
  if (secret.size() < 8) return text;  // too short to tell from other words
  for (std::size_t at; (at = text.find(secret)) != std::string::npos;) {
    text.replace(at, secret.size(), "[secret]");
  }
  return text;
}

std::optional<std::string> environment_variable(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

Result<FhirCredentials> load_fhir_credentials(
    const FhirAuthSettings& settings,
    const std::function<std::optional<std::string>(const char*)>& environment) {
  FhirCredentials credentials;
  credentials.settings = settings;
  switch (settings.kind) {
    case FhirAuthSettings::Kind::kNone:
      return credentials;
    case FhirAuthSettings::Kind::kBearer: {
      auto secret =
          read_secret(settings.token_file, kFhirTokenVariable, "bearer token", environment);
      if (!secret) return secret.error();
      std::string token = secret->substr(0, secret->find_first_of("\r\n"));
      const std::string where =
          settings.token_file.empty() ? std::string("$") + kFhirTokenVariable : settings.token_file;
      if (!is_token_text(token)) {
        return invalid_input(where +
                             ": the bearer token's first line must be letters, digits and "
                             "-._~+/= only, and not empty");
      }
      credentials.token = std::move(token);
      return credentials;
    }
    case FhirAuthSettings::Kind::kSmart: {
      if (settings.client_id.empty()) {
        return invalid_input("SMART sign-in: give the client id the FHIR server registered");
      }
      if (!is_plain_text(settings.client_id, false)) {
        return invalid_input(
            "SMART sign-in: the client id must be printable ASCII letters, digits and signs");
      }
      if (!settings.key_id.empty() && !is_plain_text(settings.key_id, false)) {
        return invalid_input(
            "SMART sign-in: the key id must be printable ASCII letters, digits and signs");
      }
      if (!is_plain_text(settings.scope, true)) {
        return invalid_input("SMART sign-in: give the scopes to ask for, in printable ASCII");
      }
      auto pem = read_secret(settings.key_file, kFhirClientKeyVariable, "client key", environment);
      if (!pem) return pem.error();
      const std::string where =
          settings.key_file.empty() ? std::string("$") + kFhirClientKeyVariable : settings.key_file;
      return parse_key(std::move(credentials), *pem, where);
    }
  }
  return credentials;
}

Result<std::string> client_assertion(const FhirCredentials& credentials,
                                     const std::string& token_url, SystemTime now,
                                     const std::string& jti) {
  if (credentials.settings.kind != FhirAuthSettings::Kind::kSmart || !credentials.key) {
    return invalid_input("a client assertion needs SMART Backend Services credentials");
  }
  Json header{{"alg", credentials.algorithm}, {"typ", "JWT"}};
  if (!credentials.key_id.empty()) header["kid"] = credentials.key_id;
  // Both are checked as printable ASCII when loaded; dump() throws on invalid UTF-8 otherwise.
  if (!is_plain_text(credentials.settings.client_id, false)) {
    return invalid_input("SMART sign-in: the client id must be printable ASCII");
  }
  const Json claims{{"iss", credentials.settings.client_id},
                    {"sub", credentials.settings.client_id},
                    {"aud", token_url},
                    {"jti", jti},
                    {"iat", unix_seconds(now)},
                    {"exp", unix_seconds(now + kAssertionLifetime)}};
  const std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
  auto signature = sign(credentials, input);
  if (!signature) return signature.error();
  return input + "." + base64url(*signature);
}

FhirAuthorizer::FhirAuthorizer(FhirCredentials credentials, std::function<SystemTime()> now)
    : credentials_(std::move(credentials)), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::system_clock::now(); };
}

Result<std::string> FhirAuthorizer::token_endpoint(const std::string& base_url, HttpClient& http) {
  if (!token_endpoint_.empty()) return token_endpoint_;
  HttpRequest request;
  request.method = HttpRequest::Method::kGet;
  request.url = base_url + "/.well-known/smart-configuration";
  request.accept = "application/json";
  auto answer = http.send(request);
  if (!answer) return answer.error();
  const std::string where = request.url + ": ";
  if (answer->status >= 500 || answer->status == 429) {
    return Error(ErrorCode::kIo,
                 where + "the server is unavailable (HTTP " + std::to_string(answer->status) + ")");
  }
  if (answer->status != 200) {
    return invalid_input(where + "no SMART configuration (HTTP " + std::to_string(answer->status) +
                         "): the server does not say where its token endpoint is");
  }
  const Json doc = Json::parse(answer->body, nullptr, false);
  if (!doc.is_object() || !doc.contains("token_endpoint") || !doc["token_endpoint"].is_string()) {
    return invalid_input(where + "the SMART configuration has no token_endpoint");
  }
  const std::string endpoint = doc["token_endpoint"].get<std::string>();
  if (auto usable = check_fhir_server(endpoint); !usable) {
    return invalid_input(where + "its token_endpoint is not one to send a client assertion to: " +
                         usable.error().message());
  }
  if (doc.contains("token_endpoint_auth_methods_supported") &&
      doc["token_endpoint_auth_methods_supported"].is_array()) {
    const auto& methods = doc["token_endpoint_auth_methods_supported"];
    if (std::find(methods.begin(), methods.end(), Json("private_key_jwt")) == methods.end()) {
      return invalid_input(where + "the server does not take private_key_jwt clients");
    }
  }
  endpoint_for_ = base_url;
  token_endpoint_ = endpoint;
  return token_endpoint_;
}

Result<std::string> FhirAuthorizer::authorization(const std::string& base_url, HttpClient& http) {
  switch (credentials_.settings.kind) {
    case FhirAuthSettings::Kind::kNone:
      return std::string();
    case FhirAuthSettings::Kind::kBearer:
      return "Bearer " + credentials_.token;
    case FhirAuthSettings::Kind::kSmart:
      break;
  }
  const SystemTime now = now_();
  if (base_url != endpoint_for_) {
    access_token_.clear();  // a token is for the server it was fetched for, no other
    token_endpoint_.clear();
  }
  if (!access_token_.empty() && now < token_until_) return "Bearer " + access_token_;
  access_token_.clear();
  auto endpoint = token_endpoint(base_url, http);
  if (!endpoint) return endpoint.error();
  auto assertion = client_assertion(credentials_, *endpoint, now, random_id());
  if (!assertion) return assertion.error();
  HttpRequest request;
  request.url = *endpoint;
  request.content_type = "application/x-www-form-urlencoded";
  request.accept = "application/json";
  request.body = "grant_type=client_credentials&scope=" + form_escape(credentials_.settings.scope) +
                 "&client_assertion_type=" +
                 form_escape("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                 "&client_assertion=" + form_escape(*assertion);
  auto answer = http.send(request);
  if (!answer) return answer.error();
  const std::string where = *endpoint + ": ";
  if (answer->status != 200) {
    if (answer->status >= 500 || answer->status == 429) {
      return Error(ErrorCode::kIo, where + "the token endpoint is unavailable (" +
                                       oauth_error(*answer, *assertion) + ")");
    }
    return Error(ErrorCode::kUntrusted, where + "the token endpoint refused the client (" +
                                            oauth_error(*answer, *assertion) + ")");
  }
  const Json doc = Json::parse(answer->body, nullptr, false);
  if (!doc.is_object() || !doc.contains("access_token") || !doc["access_token"].is_string() ||
      !is_token_text(doc["access_token"].get<std::string>())) {
    return invalid_input(where + "the token endpoint's answer has no usable access_token");
  }
  if (doc.contains("token_type") && (!doc["token_type"].is_string() || [&] {
        std::string type = doc["token_type"].get<std::string>();
        std::transform(type.begin(), type.end(), type.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return type != "bearer";
      }())) {
    return invalid_input(where + "the token endpoint's token is not a bearer token");
  }
  // Cached until a minute before it expires (a fifth of its life for a short one); without
  // expires_in, for 5 minutes (a 401 before then fetches a new one).
  std::chrono::seconds life{300};
  if (doc.contains("expires_in") && doc["expires_in"].is_number()) {
    // Read as a double and kept within a day: any number a server sends is defined here.
    const double seconds = doc["expires_in"].get<double>();
    life =
        std::chrono::seconds(seconds >= 1 ? static_cast<long long>(std::min(seconds, 86400.0)) : 0);
  }
  token_until_ = now + life - std::min<std::chrono::seconds>(std::chrono::seconds(60), life / 5);
  access_token_ = doc["access_token"].get<std::string>();
  ++tokens_fetched_;
  return "Bearer " + access_token_;
}

bool FhirAuthorizer::forget_token() {
  if (credentials_.settings.kind != FhirAuthSettings::Kind::kSmart) return false;
  access_token_.clear();
  return true;
}

}  // namespace aftercare
