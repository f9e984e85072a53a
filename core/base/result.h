#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "base/notice.h"

namespace aftercare {

/// What kind of failure an Error reports. Front ends map these to exit codes and wording.
enum class ErrorCode {
  kInvalidInput,  ///< Bad data from a user or a file: arguments, fields, protocol files.
  kNotFound,      ///< The thing asked for does not exist (no plan yet, unknown entry).
  kConflict,      ///< The request contradicts stored state (nothing to undo, already done).
  kStorage,       ///< The database failed (open, read, write, migration).
  kIo,            ///< A file or directory outside the database could not be used.
  kInternal,      ///< A bug: an invariant did not hold.
  kUntrusted,     ///< A peer was refused or refused us: a certificate that does not verify,
                  ///< credentials a server turned down. Trying again the same way won't help.
};

/// A failure with a human-readable message that names what was wrong and where.
///
/// An error a person can cause also carries a Notice (an id and named arguments) that a front
/// end words in its own terms and language; message() is then the core's English wording.
class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  Error(ErrorCode code, Notice notice)
      : code_(code),
        message_(fill_placeholders(notice_english(notice.id), notice.args)),
        notice_(std::move(notice)) {}

  ErrorCode code() const { return code_; }
  /// The context, then the English text: "--felt: felt: ... is in the future".
  const std::string& message() const { return message_; }
  /// What a front end words itself; nullopt for an error only the English message describes.
  const std::optional<Notice>& notice() const { return notice_; }
  /// What the front end said the error was about ("--felt", a field's label), or "".
  const std::string& context() const { return context_; }

  /// The same error with `context` in front of the message ("protocol.json: ...").
  Error with_context(const std::string& context) const {
    Error error = *this;
    error.message_ = context + ": " + message_;
    error.context_ = context_.empty() ? context : context + ": " + context_;
    return error;
  }

 private:
  ErrorCode code_;
  std::string message_;
  std::optional<Notice> notice_;
  std::string context_;
};

/// The words of `error` for a front end whose template for its notice is `wording` (with
/// "{name}" for each argument), put after its context by `with_context` ("{context} : {text}"
/// in French). An error without a notice is its message.
inline std::string worded(const Error& error, std::string_view wording,
                          std::string_view with_context = "{context}: {text}") {
  if (!error.notice()) return error.message();
  std::string text = fill_placeholders(wording, error.notice()->args);
  if (error.context().empty()) return text;
  return fill_placeholders(with_context, {{"context", error.context()}, {"text", std::move(text)}});
}

inline Error invalid_input(std::string message) {
  return Error(ErrorCode::kInvalidInput, std::move(message));
}
inline Error invalid_input(NoticeId id, NoticeArgs args = {}) {
  return Error(ErrorCode::kInvalidInput, Notice{id, std::move(args)});
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
