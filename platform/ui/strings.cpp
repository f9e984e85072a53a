#include "ui/strings.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace aftercare::ui {

Strings::Strings(Language language) : language_(language) {
  const auto table = nlohmann::json::parse(string_table_text(language));
  for (const auto& [key, value] : table.items()) table_[key] = value.get<std::string>();
}

const std::string& Strings::get(const std::string& key) const {
  const auto it = table_.find(key);
  return it == table_.end() ? key : it->second;
}

std::string Strings::format(const std::string& key,
                            const std::vector<std::pair<std::string, std::string>>& values) const {
  std::string text = get(key);
  for (const auto& [name, value] : values) {
    const std::string mark = "{" + name + "}";
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark, at)) {
      text.replace(at, mark.size(), value);
      at += value.size();
    }
  }
  return text;
}

std::vector<std::string> Strings::keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, value] : table_) keys.push_back(key);
  return keys;
}

}  // namespace aftercare::ui
