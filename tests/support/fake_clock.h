#pragma once

#include <chrono>

#include "base/clock.h"

namespace aftercare {

/// A clock that stands still until a test moves it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant now) : now_(now) {}
  Instant now() const override { return now_; }
  void set(Instant now) { now_ = now; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  Instant now_;
};

}  // namespace aftercare
