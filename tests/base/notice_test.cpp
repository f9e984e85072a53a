// The notice catalogue: names, the core's English, placeholders; and each front end's wording
// of every notice, with no argument it is not given.
#include <set>

#include <catch2/catch.hpp>

#include "base/result.h"
#include "services/cli_wording.h"
#include "ui/strings.h"

namespace aftercare {
namespace {

// Every name a wording uses is one the core's English (which names every argument) uses.
void check_uses_only_given_arguments(NoticeId id, std::string_view wording) {
  const auto given = placeholders(notice_english(id));
  std::set<std::string> known(given.begin(), given.end());
  if (known.count("time")) known.insert("clock");
  for (const auto& name : placeholders(wording)) {
    INFO(notice_name(id) << ": " << wording);
    CHECK(known.count(name) == 1);
  }
}

TEST_CASE("every notice has a name of its own and English words", "[notice]") {
  std::set<std::string_view> names;
  for (const NoticeId id : all_notices()) {
    CHECK_FALSE(notice_name(id).empty());
    CHECK_FALSE(notice_english(id).empty());
    CHECK(names.insert(notice_name(id)).second);
  }
  CHECK(names.size() == static_cast<std::size_t>(NoticeId::kEnd));
}

TEST_CASE("placeholders are filled by name; an unknown one stays as written", "[notice]") {
  CHECK(fill_placeholders("{a} and {b}, {a}", {{"a", "x"}, {"b", "{a}"}}) == "x and {a}, x");
  CHECK(fill_placeholders("{missing} stays", {{"a", "x"}}) == "{missing} stays");
  CHECK(fill_placeholders("open { brace", {}) == "open { brace");
  CHECK(fill_placeholders("a stray { {a} here", {{"a", "x"}}) == "a stray { x here");
  CHECK(fill_placeholders("{a}{a}}", {{"a", "x"}}) == "xx}");
  CHECK(fill_placeholders("", {}) == "");
  CHECK(placeholders("{step} at {clock}") == std::vector<std::string>{"step", "clock"});
}

TEST_CASE("an error with a notice: English message, context kept apart", "[notice]") {
  const Error error(ErrorCode::kConflict, Notice{NoticeId::kReminderMissed, {{"reminder", "r1"}}});
  CHECK(error.message() == "reminder r1 was missed; its window has closed");
  const Error named = error.with_context("--id");
  CHECK(named.message() == "--id: reminder r1 was missed; its window has closed");
  CHECK(named.context() == "--id");
  REQUIRE(named.notice());
  CHECK(named.notice()->id == NoticeId::kReminderMissed);
  CHECK(worded(named, "le rappel {reminder}") == "--id: le rappel r1");
  const Error plain(ErrorCode::kIo, "disk full");
  CHECK_FALSE(plain.notice());
  CHECK(worded(plain, "ignored") == "disk full");
}

TEST_CASE("the CLI and both interface languages word every notice", "[notice][ui][cli]") {
  const ui::Strings english(ui::Language::kEnglish);
  const ui::Strings french(ui::Language::kFrench);
  for (const NoticeId id : all_notices()) {
    const std::string key = ui::notice_key(id);
    INFO(key);
    CHECK(english.get(key) != key);
    CHECK(french.get(key) != key);
    CHECK(french.get(key) != english.get(key));
    check_uses_only_given_arguments(id, english.get(key));
    check_uses_only_given_arguments(id, french.get(key));
    check_uses_only_given_arguments(id, cli::cli_wording(id));
  }
}

TEST_CASE("the CLI names its options and commands; the apps do not", "[notice][ui][cli]") {
  const ui::Strings english(ui::Language::kEnglish);
  const ui::Strings french(ui::Language::kFrench);
  CHECK(cli::cli_wording(NoticeId::kWindowOrder) == "--to must be later than --from");
  const Error undo(ErrorCode::kConflict, Notice{NoticeId::kNothingToUndo, {}});
  CHECK(french.word(undo) == "Rien à annuler : aucune étape n'est faite ni passée.");
  for (const NoticeId id : all_notices()) {
    for (const auto* strings : {&english, &french}) {
      const std::string& text = strings->get(ui::notice_key(id));
      INFO(text);
      CHECK(text.find("--") == std::string::npos);
      CHECK(text.find("aftercare ") == std::string::npos);
      CHECK(text.find('`') == std::string::npos);
    }
    // The core's own English names no front end's option or command either.
    const std::string_view core = notice_english(id);
    INFO(core);
    CHECK(core.find("--") == std::string_view::npos);
    CHECK(core.find('`') == std::string_view::npos);
  }
}

}  // namespace
}  // namespace aftercare
