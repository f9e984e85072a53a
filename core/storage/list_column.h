#pragma once

#include <string>
#include <vector>

namespace aftercare::storage {

/// A short list in one text column ("face,neck"; reasons one per line). Items must not contain
/// the separator; empty items are dropped.
inline std::string join(const std::vector<std::string>& items, char separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

inline std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find(separator, start);
    const auto stop = end == std::string::npos ? text.size() : end;
    if (stop > start) items.push_back(text.substr(start, stop - start));
    start = stop + 1;
  }
  return items;
}

}  // namespace aftercare::storage
