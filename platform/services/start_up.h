#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/app.h"

namespace aftercare::platform {

/// What every front end starts from: the command line's --data-dir, --zone and --at.
struct StartOptions {
  std::optional<std::string> data_dir;  ///< Default: the XDG data directory.
  std::optional<std::string> zone;      ///< Default: the system zone (`system_zone`).
  std::optional<std::string> at;        ///< Default: now.
  /// The clock stands at --at, or at the moment of start-up without it, and moves only when
  /// told (the CLI: one moment per command, `reminders watch` moves it on). Otherwise the clock
  /// is the system's unless --at is given.
  bool pinned = false;
};

/// The patient app opened on its data directory, zone and clock: the one start-up path of the
/// CLI, the phone and the desktop.
class Session {
 public:
  /// kInvalidInput naming the option for no data directory, an unknown --zone or a --at that
  /// is not a time (in the zone the app is in); the app's own error when it cannot open.
  /// `system_zone` must outlive the session.
  static Result<std::unique_ptr<Session>> start(const StartOptions& options,
                                                const DeviceZone& system_zone);

  App& app() { return *app_; }
  const Clock& clock() const { return *clock_; }
  /// Null unless the clock is pinned (StartOptions::pinned, or --at).
  PinnedClock* pinned_clock() { return pinned_ ? &*pinned_ : nullptr; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  Session() = default;

  std::filesystem::path data_dir_;
  std::optional<FixedDeviceZone> given_zone_;
  SystemClock system_clock_;
  std::optional<PinnedClock> pinned_;
  const Clock* clock_ = nullptr;
  std::unique_ptr<App> app_;  // last: goes first
};

}  // namespace aftercare::platform
