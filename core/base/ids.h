#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace aftercare {

/// A value of type `T` that only compares with values of the same `Tag`, so that a plan id
/// cannot be passed where an entry id is expected.
template <typename Tag, typename T>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(T value) : value_(std::move(value)) {}

  const T& value() const { return value_; }
  auto operator<=>(const StrongId&) const = default;

 private:
  T value_{};
};

/// A treatment plan in the patient's database (one per treatment of a series).
using PlanId = StrongId<struct PlanIdTag, std::int64_t>;
/// A step of the protocol, such as "cleanse_am".
using StepId = StrongId<struct StepIdTag, std::string>;
/// A restriction of the protocol, such as "no_makeup".
using RestrictionId = StrongId<struct RestrictionIdTag, std::string>;
/// A symptom of the protocol, such as "redness".
using SymptomId = StrongId<struct SymptomIdTag, std::string>;

}  // namespace aftercare

template <typename Tag, typename T>
struct std::hash<aftercare::StrongId<Tag, T>> {
  std::size_t operator()(const aftercare::StrongId<Tag, T>& id) const noexcept {
    return std::hash<T>{}(id.value());
  }
};
