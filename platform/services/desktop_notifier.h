#pragma once

#include <string>
#include <vector>

#include "app/services.h"

namespace aftercare::platform {

/// Notifications on a Linux desktop through the freedesktop notification service
/// (org.freedesktop.Notifications on the session bus, reached with the `gdbus` tool).
/// A desktop keeps no OS-side schedule: `schedule` keeps the window for the app's own timer
/// (and its in-app banners), and `show` hands one notification to the service.
class FreedesktopNotifier final : public NotificationCenter {
 public:
  /// Whether a session bus is set and `gdbus` is on PATH.
  static bool available();

  void schedule(const std::vector<Notification>& window) override { pending_ = window; }
  /// Shows it through the service; returns quietly when none is running (see `delivered`).
  void show(const Notification& notification) override;

  const std::vector<Notification>& pending() const { return pending_; }
  int delivered() const { return delivered_; }

 private:
  std::vector<Notification> pending_;
  int delivered_ = 0;
};

}  // namespace aftercare::platform
