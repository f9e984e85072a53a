#pragma once

#include <atomic>
#include <chrono>

#include "app/services.h"

namespace aftercare::platform {

/// HttpClient over libcurl: TLS verified against the system's certificates, a connection given
/// `connect_timeout`, a whole request `timeout`, no redirects followed (a FHIR server answers
/// its base URL itself), answers read up to kMaxAnswerBytes.
class CurlHttpClient final : public HttpClient {
 public:
  /// A request under way is abandoned as soon as `cancel` (when given) turns true.
  explicit CurlHttpClient(std::chrono::seconds timeout = std::chrono::seconds(60),
                          std::chrono::seconds connect_timeout = std::chrono::seconds(10),
                          const std::atomic<bool>* cancel = nullptr);
  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  std::chrono::seconds timeout_;
  std::chrono::seconds connect_timeout_;
  const std::atomic<bool>* cancel_;
};

}  // namespace aftercare::platform
