#pragma once

#include <optional>
#include <string>

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

}  // namespace aftercare
