#pragma once

#include <vector>

/// The declaration of every command of `aftercare`: what grammar.cpp builds the parser and the
/// help from. Data only.

namespace aftercare::cli {

/// The names an option's value must be one of; the domain's name tables supply them.
enum class Choices { kAny, kVerdict, kClinicSort, kYesNo };

struct OptionSpec {
  const char* name;   ///< "--treated".
  const char* value;  ///< "TIME"; nullptr for a flag.
  const char* text;   ///< Its help: one paragraph, wrapped to fit.
  Choices choices = Choices::kAny;
  bool required = false;  ///< Shown in the usage line (the command says when it is missing).
};

struct CommandSpec {
  const char* path;      ///< "plan start": the group's words, then its own.
  const char* operands;  ///< "STEP", "SYMPTOM SEVERITY", "[FILE]"; nullptr for none.
  const char* summary;   ///< One line, in its group's list.
  const char* prose;     ///< Its own help's text, wrapped to fit (an indented line stays).
  std::vector<OptionSpec> options;
};

/// The options every command takes, wherever they stand on the line.
extern const std::vector<OptionSpec> kGlobalOptions;
/// Every command, each group before its commands; the order of the help's lists.
extern const std::vector<CommandSpec> kCommands;

}  // namespace aftercare::cli
