#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftercare {

/// One entry of an enum's name table: the name stored, exported and typed on a command line.
/// Each enum with names has one table, and its `..._name` and `..._named` functions read it.
template <typename Enum>
struct EnumName {
  Enum value;
  const char* name;
};

/// The name of `value` in `table`; "" when the table lacks it (a table lists every value).
template <typename Enum, std::size_t N>
constexpr const char* name_in(const EnumName<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "";
}

/// The value named exactly `name` in `table`, or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const EnumName<Enum> (&table)[N], std::string_view name) {
  for (const auto& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

/// Every name in `table`, in its order (for a command line's choices and their help).
template <typename Enum, std::size_t N>
std::vector<std::string> names_in(const EnumName<Enum> (&table)[N]) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.name);
  return names;
}

}  // namespace aftercare
