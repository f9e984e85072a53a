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
  return fill_placeholders(get(key), values);
}

std::string Strings::word(const Error& error) const {
  if (!error.notice()) return error.message();
  return worded(error, get(notice_key(error.notice()->id)), get("notice.in_context"));
}

std::string notice_key(NoticeId id) { return "notice." + std::string(notice_name(id)); }

std::vector<std::string> Strings::keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, value] : table_) keys.push_back(key);
  return keys;
}

}  // namespace aftercare::ui
