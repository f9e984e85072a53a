#pragma once

#include <chrono>
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

/// What an HTTP server answered.
struct HttpResponse {
  int status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;  ///< The Retry-After header, in seconds.
};

/// HTTP for delivering records to a clinic's server (libcurl on the platforms).
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// POSTs `body` (of `content_type`) to `url`. An Error (kIo) when no answer came: the host is
  /// unknown or refuses, TLS fails, or the server did not answer in time.
  virtual Result<HttpResponse> post(const std::string& url, const std::string& body,
                                    const std::string& content_type) = 0;
};

}  // namespace aftercare
