#pragma once

#include <string>
#include <vector>

#include "arguments.h"
#include "base/result.h"

namespace aftercare::cli {

/// A command line read against the grammar of every command.
struct CommandLine {
  Arguments args;
  std::string command;            ///< The command's words: "plan start", "today"; "" for none.
  std::size_t used = 0;           ///< How many of `args.words` name the command.
  bool needs_subcommand = false;  ///< `command` is a group ("plan") given without its command.
  std::string help;               ///< The command's help, when --help (or -h) was given.
};

/// Reads `argv` (without the program name) with CLI11 against the grammar: each command and
/// group declares its operands, its options and their choices. Global options stand anywhere;
/// "--name value", "--name=value" and "--" work. An unknown command, an unknown option, an
/// option the command does not take, a missing value, an option given twice and a value outside
/// its choices are kInvalidInput, worded in two lines with the likeliest name meant.
Result<CommandLine> read_command_line(const std::vector<std::string>& argv);

/// The help of `command` ("" for the program, "plan", "plan start", ...), generated from the
/// grammar; empty when there is no such command.
std::string help_text(const std::string& command);
/// Every command and group of the grammar ("plan", "plan start", "today", ...), in order.
std::vector<std::string> help_topics();

}  // namespace aftercare::cli
