#include "arguments.h"

#include <algorithm>
#include <set>

namespace aftercare::cli {

namespace {

// Command options that take a value; every command checks which of them it accepts.
const std::set<std::string> kValueOptions = {
    "--treated",  "--areas",      "--clinic",   "--clinic-phone", "--protocol", "--device",
    "--products", "--occurrence", "--from",     "--to",           "--limit",    "--minutes",
    "--out",      "--quiet",      "--snooze",   "--window",       "--area",     "--note",
    "--photo",    "--felt",       "--relieved", "--severity",     "--symptom",  "--clinic-dir",
    "--status",   "--sort",       "--seal-for", "--clinic-db",    "--fhir",
};

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Every option a command takes, for "did you mean".
std::vector<std::string> known_options() {
  std::vector<std::string> names(kValueOptions.begin(), kValueOptions.end());
  for (const char* name :
       {"--data-dir", "--zone", "--at", "--json", "--help", "--version", "--notify", "--once"}) {
    names.push_back(name);
  }
  return names;
}

}  // namespace

std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = word.size() / 3 + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::optional<std::string> Arguments::option(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

Result<Arguments> parse_arguments(const std::vector<std::string>& argv) {
  Arguments args;
  bool options_ended = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    // "-1" is a (bad) severity, not an option: it gets the severity's message.
    const bool negative_number =
        word.size() >= 2 && word[0] == '-' &&
        std::all_of(word.begin() + 1, word.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (options_ended || word.size() < 2 || word[0] != '-' || negative_number) {
      args.words.push_back(word);
      continue;
    }
    if (word == "--") {
      options_ended = true;
      continue;
    }
    if (word == "--help" || word == "-h") {
      args.global.help = true;
      continue;
    }
    if (word == "--json") {
      args.global.json = true;
      continue;
    }
    if (word == "--notify" || word == "--once") {
      args.flags.insert(word);
      continue;
    }
    if (word == "--version") {
      args.global.version = true;
      continue;
    }
    std::string name = word;
    std::optional<std::string> value;
    if (const auto eq = word.find('='); eq != std::string::npos && word.rfind("--", 0) == 0) {
      name = word.substr(0, eq);
      value = word.substr(eq + 1);
    }
    const bool global = name == "--data-dir" || name == "--zone" || name == "--at";
    if (!global && !kValueOptions.count(name)) {
      const auto near = closest_match(name, known_options());
      return invalid_input("unknown option " + name +
                           (near ? "; did you mean " + *near + "?" : std::string()) +
                           "\nRun `aftercare --help` for the commands and their options.");
    }
    if (!value) {
      if (i + 1 >= argv.size()) return invalid_input(name + " needs a value");
      value = argv[++i];
    }
    if (name == "--data-dir") {
      args.global.data_dir = *value;
    } else if (name == "--zone") {
      args.global.zone = *value;
    } else if (name == "--at") {
      args.global.at = *value;
    } else {
      if (args.options.count(name)) return invalid_input(name + " is given twice");
      args.options[name] = *value;
      args.option_order.push_back(name);
    }
  }
  return args;
}

Status allow_only(const Arguments& args, const std::string& command,
                  const std::vector<std::string>& allowed) {
  std::vector<std::string> given = args.option_order;
  given.insert(given.end(), args.flags.begin(), args.flags.end());
  for (const auto& name : given) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return invalid_input("`aftercare " + command + "` does not take " + name +
                           " (see `aftercare " + command + " --help`)");
    }
  }
  return {};
}

}  // namespace aftercare::cli
