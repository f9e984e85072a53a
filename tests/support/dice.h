#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "base/result.h"

namespace aftercare::test {

/// Seeded random choices for model tests: the same seed gives the same operations (with the same
/// standard library), so a failure names the seed and step that reproduce it.
class Dice {
 public:
  explicit Dice(std::uint32_t seed) : engine_(seed) {}

  /// A whole number from `low` to `high`, both included.
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine_); }
  /// True once in `n` throws, on average.
  bool one_in(int n) { return between(1, n) == 1; }
  /// From 0 up to, not including, 1.
  double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(between(0, static_cast<int>(items.size()) - 1))];
  }

  /// `digits` lower-case hex digits.
  std::string hex(std::size_t digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(digits, '0');
    for (auto& digit : out) digit = kDigits[between(0, 15)];
    return out;
  }

 private:
  std::mt19937 engine_;
};

/// The name of an error code, for messages that compare them.
inline const char* code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid input";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kStorage:
      return "storage";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUntrusted:
      return "untrusted";
  }
  return "?";
}

/// Fails the test, with the store's message, when `result` is an error.
template <typename T>
void require_ok(const Result<T>& result) {
  if (!result.ok()) FAIL("refused: " << result.error().message());
}

/// Refused, with `code` when the contract names one.
template <typename T>
void require_refused(const Result<T>& result, std::optional<ErrorCode> code = std::nullopt) {
  REQUIRE_FALSE(result.ok());
  INFO(result.error().message());
  if (code) CHECK(std::string(code_name(result.error().code())) == code_name(*code));
}

}  // namespace aftercare::test
