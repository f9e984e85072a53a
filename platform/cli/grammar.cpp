#include "grammar.h"

#include <algorithm>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "domain/clinic.h"
#include "domain/protocol.h"
#include "grammar_table.h"

namespace aftercare::cli {

namespace {

// "plan start" -> {"plan", "start"}.
std::vector<std::string> words_of(const std::string& path) {
  std::vector<std::string> words;
  for (std::size_t from = 0; from <= path.size();) {
    const auto space = std::min(path.find(' ', from), path.size());
    if (space > from) words.push_back(path.substr(from, space - from));
    from = space + 1;
  }
  return words;
}

std::string joined(const std::vector<std::string>& names, const char* last) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? last : ", ";
    text += names[i];
  }
  return text;
}

// The check of an option's choices: "" when `value` is one of them, else what was expected.
CLI::Validator choices_check(Choices choices) {
  return CLI::Validator(
      [choices](std::string& value) -> std::string {
        std::vector<std::string> names;
        std::string why;
        switch (choices) {
          case Choices::kAny:
            return {};
          case Choices::kVerdict:
            for (Verdict v : {Verdict::kExpected, Verdict::kContactClinic, Verdict::kUrgent}) {
              names.emplace_back(verdict_name(v));
            }
            if (value == "contact") return {};
            break;
          case Choices::kClinicSort:
            names = clinic_sort_names();
            break;
          case Choices::kYesNo:
            names = {"yes", "no"};
            why = " (did acetaminophen/paracetamol help?)";
            break;
        }
        if (std::find(names.begin(), names.end(), value) != names.end()) return {};
        return (names.size() == 2 ? "expected " : "one of ") + joined(names, " or ") + why +
               ", got \"" + value + "\"";
      },
      "");
}

class Grammar;

/// The help of one command, generated from its declaration.
class HelpFormatter : public CLI::FormatterBase {
 public:
  explicit HelpFormatter(const Grammar& grammar) : grammar_(grammar) {}
  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override;

 private:
  const Grammar& grammar_;
};

constexpr std::size_t kColumn = 24;

// "start a plan" -> "Start a plan.\n".
std::string sentence(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text + ".";
}

constexpr std::size_t kWidth = 80;

// The lines of `text` within `width` columns: the lines of a paragraph are joined and wrapped
// at spaces; an indented line (an example) and an empty one stay as they are.
std::vector<std::string> wrapped(const std::string& text, std::size_t width) {
  std::vector<std::string> paragraphs;
  for (std::size_t from = 0; from <= text.size();) {
    const auto end = std::min(text.find('\n', from), text.size());
    const std::string line = text.substr(from, end - from);
    const auto indented = [](const std::string& l) { return l.rfind("  ", 0) == 0; };
    if (!paragraphs.empty() && !paragraphs.back().empty() && !line.empty() &&
        !indented(paragraphs.back()) && !indented(line)) {
      paragraphs.back() += " " + line;
    } else {
      paragraphs.push_back(line);
    }
    from = end + 1;
  }
  std::vector<std::string> lines;
  for (const std::string& paragraph : paragraphs) {
    std::size_t from = 0;
    while (paragraph.size() - from > width && paragraph.rfind("  ", 0) != 0) {
      auto space = paragraph.rfind(' ', from + width);
      if (space == std::string::npos || space <= from) space = paragraph.find(' ', from + width);
      if (space == std::string::npos) break;
      lines.push_back(paragraph.substr(from, space - from));
      from = space + 1;
    }
    lines.push_back(paragraph.substr(from));
  }
  return lines;
}

// "  --treated TIME        when ..." with the text's further lines under its first.
std::string help_row(const std::string& left, const std::string& text) {
  std::string row = "  " + left;
  const std::string indent(kColumn, ' ');
  row = row.size() + 1 > kColumn ? row + "\n" + indent : fmt::format("{:<{}}", row, kColumn);
  const auto lines = wrapped(text, kWidth - kColumn);
  for (std::size_t i = 0; i < lines.size(); ++i) row += (i ? "\n" + indent : "") + lines[i];
  return row + "\n";
}

// A command's prose, wrapped.
std::string prose(const std::string& text) {
  std::string out;
  for (const std::string& line : wrapped(text, kWidth)) out += line + "\n";
  return out;
}

/// Every command of the grammar as a CLI11 App, and what each was declared with.
class Grammar {
 public:
  Grammar() : root_("", "aftercare") {
    root_.formatter(std::make_shared<HelpFormatter>(*this));
    root_.set_help_flag("-h,--help", "this help");
    root_.allow_extras();
    root_.fallthrough();
    root_.require_subcommand(0, 1);
    for (const OptionSpec& option : kGlobalOptions) add(root_, option);
    apps_[""] = &root_;
    for (const CommandSpec& command : kCommands) {
      const std::string path = command.path;
      const auto space = path.rfind(' ');
      CLI::App& parent = *apps_.at(space == std::string::npos ? "" : path.substr(0, space));
      CLI::App* app = parent.add_subcommand(path.substr(space + 1), command.summary);
      app->set_help_flag("-h,--help", "this help");
      app->require_subcommand(0, 1);
      for (const OptionSpec& option : command.options) add(*app, option);
      if (command.operands) {
        app->add_option("operands")
            ->expected(0, 1 << 16)
            ->allow_extra_args()
            ->type_name(command.operands);
      }
      apps_[path] = app;
      specs_[app] = &command;
    }
  }

  CLI::App& root() { return root_; }
  const CLI::App* find(const std::string& path) const {
    auto it = apps_.find(path);
    return it == apps_.end() ? nullptr : it->second;
  }
  const CommandSpec* spec(const CLI::App* app) const {
    auto it = specs_.find(app);
    return it == specs_.end() ? nullptr : it->second;
  }
  const OptionSpec* option_spec(const CLI::App* app, const std::string& name) const {
    const auto& options = app == &root_ ? kGlobalOptions : spec(app)->options;
    for (const OptionSpec& option : options) {
      if (name == option.name) return &option;
    }
    return nullptr;
  }
  /// "plan start" for that App, "" for the program.
  static std::string path_of(const CLI::App* app) {
    std::string path;
    for (; app && app->get_parent(); app = app->get_parent()) {
      path = path.empty() ? app->get_name() : app->get_name() + " " + path;
    }
    return path;
  }
  /// The option `name` as some command (or the program) declares it; null for none.
  static const OptionSpec* any_option(const std::string& name) {
    for (const OptionSpec& option : kGlobalOptions) {
      if (name == option.name) return &option;
    }
    for (const CommandSpec& command : kCommands) {
      for (const OptionSpec& option : command.options) {
        if (name == option.name) return &option;
      }
    }
    return nullptr;
  }

 private:
  static void add(CLI::App& app, const OptionSpec& option) {
    if (!option.value) {
      app.add_flag(option.name)->description(option.text);
      return;
    }
    app.add_option(option.name)
        ->description(option.text)
        ->type_name(option.value)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->check(choices_check(option.choices));
  }

  CLI::App root_;
  std::map<std::string, CLI::App*> apps_;
  std::map<const CLI::App*, const CommandSpec*> specs_;
};

std::string option_rows(const Grammar& grammar, const CLI::App* app) {
  std::string rows;
  for (const CLI::Option* option : app->get_options()) {
    if (option->get_positional() || option == app->get_help_ptr()) continue;
    const OptionSpec* spec = grammar.option_spec(app, option->get_name());
    if (!spec) continue;
    rows += help_row(spec->value ? std::string(spec->name) + " " + spec->value : spec->name,
                     spec->text);
  }
  return rows;
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const {
  const CommandSpec* spec = grammar_.spec(app);
  const std::string path = Grammar::path_of(app);
  const auto subcommands = app->get_subcommands({});
  std::string usage = "Usage: aftercare" + (path.empty() ? " [COMMAND] [OPTIONS]" : " " + path);
  if (spec) {
    if (spec->operands) usage += std::string(" ") + spec->operands;
    for (const OptionSpec& option : spec->options) {
      if (option.required) usage += std::string(" ") + option.name + " " + option.value;
    }
    if (!spec->options.empty()) usage += " [OPTIONS]";
  }
  if (spec && !subcommands.empty())
    usage += spec->operands ? "\n       aftercare " + path + " COMMAND ..." : " COMMAND";
  std::string help = usage + "\n\n";
  if (!spec) {
    help += prose(
        "Your microneedling aftercare, day by day. With no command: today's timeline, "
        "or how to start.");
  } else {
    help += prose(*spec->prose ? spec->prose : sentence(spec->summary));
  }
  if (spec && !spec->options.empty()) help += "\nOptions:\n" + option_rows(grammar_, app);
  if (!subcommands.empty()) {
    help += "\nCommands:\n";
    for (const CLI::App* sub : subcommands) {
      const CommandSpec* sub_spec = grammar_.spec(sub);
      std::string left = sub->get_name();
      const auto grandchildren = sub->get_subcommands({});
      if (sub_spec->operands) left += std::string(" ") + sub_spec->operands;
      if (!grandchildren.empty() && !sub_spec->operands) {
        std::string names;
        for (const CLI::App* grandchild : grandchildren) {
          names += (names.empty() ? "" : "|") + grandchild->get_name();
        }
        left += " " + names;
      }
      help += help_row(left, sub_spec->summary);
    }
  }
  // The options of the groups above (clinic's --clinic-dir), then the global ones.
  for (const CLI::App* group = app->get_parent(); group && group->get_parent();
       group = group->get_parent()) {
    const CommandSpec* group_spec = grammar_.spec(group);
    const std::string rows = option_rows(grammar_, group);
    if (rows.empty() || (group_spec && group_spec->operands)) continue;
    help += "\nOptions of `aftercare " + Grammar::path_of(group) +
            "` (before or after its command):\n" + rows;
  }
  help += "\nGlobal options (before or after the command):\n" +
          option_rows(grammar_, grammar_.find("")) + help_row("--help, -h", "this help");
  if (!spec) {
    help += "\n" + prose(
                       "Exit codes: 0 success, 2 bad usage or bad input (nothing is changed), 1 "
                       "other failures.");
  }
  if (!subcommands.empty()) {
    help += (spec ? "\n" : "") + std::string("Run `aftercare ") + (path.empty() ? "" : path + " ") +
            "COMMAND --help` for each command.\n";
  }
  return help;
}

// The deepest command CLI11 selected.
const CLI::App* selected(const CLI::App& root) {
  const CLI::App* app = &root;
  for (auto subs = app->get_subcommands(); !subs.empty(); subs = app->get_subcommands()) {
    app = subs.front();
  }
  return app;
}

bool is_option(const std::string& word) { return word.size() >= 2 && word[0] == '-'; }

// Whether the options of `app` are the selected `command`'s too: its own, its group's and the
// global ones; a command with subcommands of its own (log, and log edit) lends them none.
bool lends_options(const Grammar& grammar, const CLI::App* app, const CLI::App* command) {
  const CommandSpec* spec = grammar.spec(app);
  return app == command || !spec || !spec->operands;
}

// Of `command` and the commands that lend it their options, the one that declares `name`.
const CLI::App* declaring(const Grammar& grammar, const CLI::App* command,
                          const std::string& name) {
  for (const CLI::App* app = command; app; app = app->get_parent()) {
    if (!lends_options(grammar, app, command)) continue;
    for (const CLI::Option* option : app->get_options()) {
      if (!option->get_positional() && option->get_name() == name) return app;
    }
  }
  return nullptr;
}

// "--out goes after `aftercare export csv`": an option of the command, before its name.
Error too_early(const std::string& name, const CLI::App* owner) {
  const std::string path = Grammar::path_of(owner);
  return invalid_input(name + " goes after `aftercare " + path + "` (see `aftercare " + path +
                       " --help`)");
}

// "`aftercare today` does not take --treated": an option of other commands only.
Error not_taken(const std::string& path, const std::string& name) {
  return invalid_input("`aftercare " + (path.empty() ? "today" : path) + "` does not take " + name +
                       " (see `aftercare " + (path.empty() ? "" : path + " ") + "--help`)");
}

// "`aftercare today`: unexpected "done"": an operand the command does not take.
Error unexpected(const std::string& path, const std::string& word) {
  return invalid_input("`aftercare " + (path.empty() ? "today" : path) + "`: unexpected \"" + word +
                       "\"");
}

// What the words CLI11 found no place for mean: an unknown command, an option the command does
// not take, or an operand too many.
Error misplaced(const Grammar& grammar, const CLI::App* app,
                const std::vector<std::string>& extra) {
  const std::string path = Grammar::path_of(app);
  const bool leaf = app->get_subcommands({}).empty();
  const auto word =
      std::find_if(extra.begin(), extra.end(), [](const std::string& w) { return !is_option(w); });
  if (!leaf && word != extra.end()) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app->get_subcommands({})) names.push_back(sub->get_name());
    const auto near = closest_match(*word, names);
    const std::string group = path.empty() ? "" : path + " ";
    return invalid_input(
        (path.empty() ? "unknown command" : "unknown subcommand of `aftercare " + path + "`") +
        " \"" + *word + "\"" + (near ? "; did you mean `aftercare " + group + *near + "`?" : "") +
        "\nRun `aftercare " + group + "--help` for the commands.");
  }
  const auto option = std::find_if(extra.begin(), extra.end(), is_option);
  if (option != extra.end()) {
    const std::string name = option->substr(0, option->find('='));
    if (const CLI::App* owner = declaring(grammar, app, name)) return too_early(name, owner);
    if (Grammar::any_option(name)) return not_taken(path, name);
    std::vector<std::string> here;
    for (const CLI::App* a = app; a; a = a->get_parent()) {
      for (const CLI::Option* o : a->get_options()) {
        if (!o->get_positional()) here.push_back(o->get_name());
      }
    }
    const auto near = closest_match(name, here);
    return invalid_input("unknown option " + name + (near ? "; did you mean " + *near + "?" : "") +
                         "\nRun `aftercare " + (path.empty() ? "" : path + " ") +
                         "--help` for its options.");
  }
  return unexpected(path, *word);
}

// The values CLI11 read, into the terms the commands use.
Status collect(const Grammar& grammar, const CLI::App* command, Arguments& args) {
  for (const CLI::App* app = command; app; app = app->get_parent()) {
    const bool lends = lends_options(grammar, app, command);
    for (const CLI::Option* option : app->get_options()) {
      if (option->count() == 0 || option == app->get_help_ptr()) continue;
      const std::string name = option->get_name();
      if (option->get_positional()) continue;
      if (!lends) {
        if (const CLI::App* owner = declaring(grammar, command, name))
          return too_early(name, owner);
        return not_taken(Grammar::path_of(command), name);
      }
      if (option->get_expected_max() == 0) {  // a flag
        if (name == "--json") {
          args.global.json = true;
        } else if (name == "--version") {
          args.global.version = true;
        } else {
          args.flags.insert(name);
        }
        continue;
      }
      // A global option given twice counts as its last (a script's default, then its own).
      const bool global = app->get_parent() == nullptr;
      if (!global && option->results().size() > 1) return invalid_input(name + " is given twice");
      const std::string& value = option->results().back();
      if (name == "--data-dir") {
        args.global.data_dir = value;
      } else if (name == "--zone") {
        args.global.zone = value;
      } else if (name == "--at") {
        args.global.at = value;
      } else {
        args.options[name] = value;
        args.option_order.push_back(name);
      }
    }
  }
  return {};
}

}  // namespace

Result<CommandLine> read_command_line(const std::vector<std::string>& argv) {
  Grammar grammar;
  CLI::App& root = grammar.root();
  // After "--" every word is an operand. CLI11 would hand them to the program rather than the
  // command, so they are kept apart and given to the command after the rest is read.
  auto mark = argv.begin();
  for (; mark != argv.end(); ++mark) {
    const OptionSpec* before = mark == argv.begin() ? nullptr : Grammar::any_option(*(mark - 1));
    if (*mark == "--" && !(before && before->value)) break;
  }
  const std::vector<std::string> after_mark(mark == argv.end() ? mark : mark + 1, argv.end());
  // CLI11 reads the words back to front.
  std::vector<std::string> reversed(std::make_reverse_iterator(mark), argv.rend());
  bool help = false;
  try {
    root.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    help = true;
  } catch (const CLI::ArgumentMismatch& error) {
    const std::string what = error.what();
    const std::string name = what.substr(0, what.find(':'));
    return invalid_input(what.find("At Most") != std::string::npos ? name + " is given twice"
                                                                   : name + " needs a value");
  } catch (const CLI::ParseError& error) {
    return invalid_input(error.what());
  }
  const CLI::App* app = selected(root);
  CommandLine line;
  line.command = Grammar::path_of(app);
  line.args.words = words_of(line.command);
  line.used = line.args.words.size();
  std::vector<std::string> extra;
  for (const std::string& word : root.remaining(true)) extra.push_back(word);
  // "aftercare frobnicate --help" is still an unknown command; "today --colour --help" helps.
  const bool unknown_command =
      !app->get_subcommands({}).empty() &&
      std::any_of(extra.begin(), extra.end(), [](const std::string& w) { return !is_option(w); });
  if (help && !unknown_command) {
    line.help = app->help();
    return line;
  }
  if (!extra.empty()) return misplaced(grammar, app, extra);
  const CLI::Option* operands = app->get_option_no_throw("operands");
  if (!operands && !after_mark.empty() && app == &root) {
    // "aftercare -- today": the mark stood before the command.
    std::vector<std::string> unmarked(argv.begin(), mark);
    unmarked.insert(unmarked.end(), after_mark.begin(), after_mark.end());
    return read_command_line(unmarked);
  }
  if (!operands && !after_mark.empty()) return unexpected(line.command, after_mark.front());
  if (operands) {
    for (const std::string& word : operands->results()) line.args.words.push_back(word);
  }
  line.args.words.insert(line.args.words.end(), after_mark.begin(), after_mark.end());
  if (auto status = collect(grammar, app, line.args); !status) return status.error();
  const CommandSpec* spec = grammar.spec(app);
  line.needs_subcommand = app != &root && !app->get_subcommands({}).empty() && !spec->operands;
  return line;
}

std::string help_text(const std::string& command) {
  Grammar grammar;
  const CLI::App* app = grammar.find(command);
  return app ? app->help() : std::string();
}

std::vector<std::string> help_topics() {
  std::vector<std::string> topics;
  for (const CommandSpec& command : kCommands) topics.emplace_back(command.path);
  return topics;
}

}  // namespace aftercare::cli
