#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace aftercare::ui {

enum class Language { kEnglish, kFrench };

/// The embedded JSON string table of `language` (assets/strings/en.json or fr.json).
std::string_view string_table_text(Language language);

/// The interface's words in one language, by key ("today.done"). A key missing from the table
/// shows as the key itself, so a gap is visible on screen and caught by the string-table test.
class Strings {
 public:
  explicit Strings(Language language);

  Language language() const { return language_; }
  const std::string& get(const std::string& key) const;
  /// `get(key)` with each "{name}" replaced by its value.
  std::string format(const std::string& key,
                     const std::vector<std::pair<std::string, std::string>>& values) const;
  /// The words of `error`: its notice worded by this table ("notice.NAME"), after the context
  /// the interface gave it; an error without a notice is the core's English message.
  std::string word(const Error& error) const;
  /// Every key of the table.
  std::vector<std::string> keys() const;

 private:
  Language language_;
  std::map<std::string, std::string, std::less<>> table_;
};

/// The table's key for the wording of `id`: "notice.already_marked".
std::string notice_key(NoticeId id);

}  // namespace aftercare::ui
