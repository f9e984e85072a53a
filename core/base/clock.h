#pragma once

#include <chrono>

namespace aftercare {

/// A UTC instant, to the second. Calendar days and wall-clock times are never stored this way.
using Instant = std::chrono::sys_seconds;

/// Where the current instant comes from. Passed in, never read from a global, so tests can fake
/// it and the CLI can honour `--at`.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

/// The operating system's clock.
class SystemClock final : public Clock {
 public:
  Instant now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

/// The moment the person named (`--at`): it stands still, and moves only when told (the CLI's
/// `reminders watch` moves it on as time passes). Tests fake time with tests/support's FakeClock.
class PinnedClock final : public Clock {
 public:
  explicit PinnedClock(Instant now) : now_(now) {}
  Instant now() const override { return now_; }
  void set(Instant now) { now_ = now; }

 private:
  Instant now_;
};

}  // namespace aftercare
