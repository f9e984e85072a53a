#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace aftercare {

/// What kind of failure an Error reports. Front ends map these to exit codes and wording.
enum class ErrorCode {
  kInvalidInput,  ///< Bad data from a user or a file: arguments, fields, protocol files.
  kNotFound,      ///< The thing asked for does not exist (no plan yet, unknown entry).
  kConflict,      ///< The request contradicts stored state (nothing to undo, already done).
  kStorage,       ///< The database failed (open, read, write, migration).
  kIo,            ///< A file or directory outside the database could not be used.
  kInternal,      ///< A bug: an invariant did not hold.
};

/// A failure with a human-readable message that names what was wrong and where.
class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  /// The same error with `context` in front of the message ("protocol.json: ...").
  Error with_context(const std::string& context) const {
    return Error(code_, context + ": " + message_);
  }

 private:
  ErrorCode code_;
  std::string message_;
};

inline Error invalid_input(std::string message) {
  return Error(ErrorCode::kInvalidInput, std::move(message));
}

/// Either a value or an Error. Must be checked before the value is used.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<0>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(data_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Error> data_;
};

/// Success or an Error, for operations that return nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace aftercare

/// Returns the error of `expr` (a Result) from the enclosing function when it failed.
#define AFTERCARE_TRY(expr)                 \
  do {                                      \
    auto&& aftercare_try_result_ = (expr);  \
    if (!aftercare_try_result_.ok()) {      \
      return aftercare_try_result_.error(); \
    }                                       \
  } while (false)
