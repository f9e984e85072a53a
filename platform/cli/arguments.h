#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"

namespace aftercare::cli {

/// The options every command takes, wherever they stand on the line.
struct GlobalOptions {
  std::optional<std::string> data_dir;
  std::optional<std::string> zone;
  std::optional<std::string> at;
  bool json = false;
  bool help = false;
  bool version = false;
};

/// A command line in the terms the commands use (read by `read_command_line`).
struct Arguments {
  GlobalOptions global;
  std::vector<std::string> words;              ///< Command words and operands, in order.
  std::map<std::string, std::string> options;  ///< Command options with their values.
  std::vector<std::string> option_order;       ///< As given, for messages.
  std::set<std::string> flags;                 ///< Command flags without a value (--notify).

  std::optional<std::string> option(const std::string& name) const;
};

/// The value of option `name` as a whole number in [min, max]; 0 when it is not given.
Result<int> int_option(const Arguments& args, const std::string& name, int min, int max);

/// Of `candidates`, the one closest to `word` by edit distance, when it is close enough to be a
/// likely typo (at most a third of the word's letters apart); nullopt otherwise.
std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates);

}  // namespace aftercare::cli
