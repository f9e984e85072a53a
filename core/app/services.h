#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"

namespace aftercare {

/// The device's current time zone, as the platform knows it. Asked again whenever the app
/// re-plans, since a phone can cross a border while the app runs.
class DeviceZone {
 public:
  virtual ~DeviceZone() = default;
  /// An IANA name, or nullopt when the platform cannot tell (then the app keeps the zone it saw
  /// last, or UTC before it has seen any).
  virtual std::optional<std::string> current() const = 0;
};

/// A zone fixed at start-up: tests, and the CLI's `--zone`.
class FixedDeviceZone final : public DeviceZone {
 public:
  explicit FixedDeviceZone(std::optional<std::string> zone) : zone_(std::move(zone)) {}
  std::optional<std::string> current() const override { return zone_; }

 private:
  std::optional<std::string> zone_;
};

/// A reminder as the operating system shows it.
struct Notification {
  std::string id;  ///< Stable: the same reminder keeps its id across re-plans and restarts.
  std::string title;
  std::string body;
  Instant at;  ///< When to show it (UTC).
};

/// The platform's notifications. The core computes every occurrence; the platform only mirrors
/// the next window of them into the OS (phones drop notifications past a limit: iOS keeps 64).
class NotificationCenter {
 public:
  virtual ~NotificationCenter() = default;
  /// Replaces every pending notification of the app with `window`, soonest first.
  virtual void schedule(const std::vector<Notification>& window) = 0;
  /// Shows `notification` now: a reminder firing while the app runs, or the missed summary.
  virtual void show(const Notification& notification) = 0;
};

/// One HTTP request to a clinic's server.
struct HttpRequest {
  enum class Method { kGet, kPost };
  Method method = Method::kPost;
  std::string url;
  std::string body;          ///< kPost only.
  std::string content_type;  ///< Of the body.
  std::string accept = "application/fhir+json";
  /// The Authorization header's value; empty: none. A secret: never logged or shown.
  std::string authorization;
};

/// What an HTTP server answered.
struct HttpResponse {
  int status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;  ///< The Retry-After header, in seconds.
};

/// HTTP for delivering records to a clinic's server (libcurl on the platforms).
class HttpClient {
 public:
  /// The largest answer read; a longer one is abandoned (an Error, kIo).
  static constexpr std::size_t kMaxAnswerBytes = 16u << 20;

  virtual ~HttpClient() = default;
  /// Sends `request`. An Error when no answer came: kUntrusted when the server's TLS certificate
  /// does not verify (trying again won't help); kIo when the host is unknown or refuses, TLS
  /// fails otherwise, the server did not answer in time or its answer was over kMaxAnswerBytes.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;

  /// POSTs `body` (of `content_type`) to `url`, with `authorization` when not empty.
  Result<HttpResponse> post(const std::string& url, const std::string& body,
                            const std::string& content_type,
                            const std::string& authorization = {}) {
    HttpRequest request;
    request.url = url;
    request.body = body;
    request.content_type = content_type;
    request.authorization = authorization;
    return send(request);
  }
};

}  // namespace aftercare
