#include "cli.h"

#include <iostream>

#include "base/version.h"
#include "commands.h"
#include "help.h"
#include "services/start_up.h"

namespace aftercare::cli {

namespace {

// The command named by the leading words ("plan start", "today"), and how many words it took.
std::pair<std::string, std::size_t> command_of(const std::vector<std::string>& words) {
  if (words.empty()) return {"", 0};
  const bool group = words[0] == "plan" || words[0] == "protocol" || words[0] == "reminders" ||
                     words[0] == "outdoors" || words[0] == "export" || words[0] == "clinic";
  if (group && words.size() > 1) {
    return {words[0] + " " + words[1], 2};
  }
  return {words[0], 1};
}

// Two lines: what was not understood (with the likeliest command meant), and where to look.
void unknown_command(const std::vector<std::string>& words, std::ostream& err) {
  std::vector<std::string> commands, subcommands;
  for (const std::string& topic : help_topics()) {
    const auto space = topic.find(' ');
    const std::string first = topic.substr(0, space);
    if (commands.empty() || commands.back() != first) commands.push_back(first);
    if (space != std::string::npos && first == words[0])
      subcommands.push_back(topic.substr(space + 1));
  }
  const bool in_group = !subcommands.empty() && words.size() > 1;
  const std::string& word = in_group ? words[1] : words[0];
  const auto near = closest_match(word, in_group ? subcommands : commands);
  err << "aftercare: unknown "
      << (in_group ? "subcommand of `aftercare " + words[0] + "`" : "command") << " \"" << word
      << "\"";
  if (near)
    err << "; did you mean `aftercare " << (in_group ? words[0] + " " : "") << *near << "`?";
  err << "\nRun `aftercare " << (in_group ? words[0] + " " : "") << "--help` for the commands.\n";
}

Status expect_operands(const Arguments& args, const std::string& command, std::size_t used,
                       std::size_t count, const char* what) {
  const std::size_t given = args.words.size() - used;
  if (given < count) return invalid_input("`aftercare " + command + "` needs " + what);
  if (given > count) {
    return invalid_input("`aftercare " + command + "`: unexpected \"" + args.words[used + count] +
                         "\"");
  }
  return {};
}

int run_with_app(const Arguments& args, const std::string& command, std::size_t used,
                 std::ostream& out, std::ostream& err, const DeviceZone& system_zone) {
  auto session = platform::Session::start(
      {args.global.data_dir, args.global.zone, args.global.at, true}, system_zone);
  if (!session) return report(session.error(), err);
  Context context{args, out, err, (*session)->app(), *(*session)->pinned_clock()};
  if (command.empty() || command == "today") {
    if (auto status = allow_only(args, command.empty() ? "today" : command, {}); !status) {
      return report(status.error(), err);
    }
    if (auto status = expect_operands(args, "today", used, 0, ""); !status) {
      return report(status.error(), err);
    }
    return today(context, command.empty());
  }
  if (command == "plan start") {
    if (auto status = expect_operands(args, command, used, 0, ""); !status) {
      return report(status.error(), err);
    }
    return plan_start(context);
  }
  if (command == "plan show" || command == "undo") {
    if (auto status = allow_only(args, command, {}); !status) return report(status.error(), err);
    if (auto status = expect_operands(args, command, used, 0, ""); !status) {
      return report(status.error(), err);
    }
    return command == "undo" ? undo(context) : plan_show(context);
  }
  if (command == "log") return log_symptom(context);
  if (command == "import") {
    if (auto status = expect_operands(args, command, used, 1, "a FILE (a JSON export)"); !status) {
      return report(status.error(), err);
    }
    return import_file(context);
  }
  if (command == "checkin") return check_in(context);
  if (command == "backup") return backup(context);
  if (command == "status" || command == "history" || command == "verify") {
    if (auto status = expect_operands(args, command, used, 0, ""); !status) {
      return report(status.error(), err);
    }
    return command == "status"    ? cli::status(context)
           : command == "history" ? history(context)
                                  : verify(context);
  }
  if (command.rfind("reminders ", 0) == 0) {
    const std::string sub = command.substr(10);
    const bool takes_id = sub == "snooze" || sub == "dismiss" || sub == "complete";
    if (sub == "watch") return reminders_watch(context);
    if (auto status = expect_operands(args, command, used, takes_id ? 1 : 0,
                                      "a reminder ID (see `aftercare reminders list`)");
        !status) {
      return report(status.error(), err);
    }
    return reminders(context, sub);
  }
  if (command.rfind("outdoors ", 0) == 0 || command.rfind("export ", 0) == 0) {
    if (auto status = expect_operands(args, command, used, 0, ""); !status) {
      return report(status.error(), err);
    }
    return command[0] == 'o' ? outdoors(context, command.substr(9))
                             : export_file(context, command.substr(7));
  }
  // done / skip
  if (auto status = allow_only(args, command, {"--occurrence"}); !status) {
    return report(status.error(), err);
  }
  if (auto status = expect_operands(args, command, used, 1, "a STEP, e.g. cleanse_pm"); !status) {
    return report(status.error(), err);
  }
  return check_off(context, command == "done" ? StepAction::kDone : StepAction::kSkipped);
}

}  // namespace

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err,
        const DeviceZone& device_zone) {
  auto args = parse_arguments(argv);
  if (!args) return report(args.error(), err);
  if (args->global.version) {
    out << kGenerator << "\n";
    return kExitOk;
  }
  const auto [command, used] = command_of(args->words);
  const std::string help = help_text(command);
  const bool group = command == "plan" || command == "protocol" || command == "reminders" ||
                     command == "outdoors" || command == "export" || command == "clinic";
  if (help.empty() || group) {
    if (args->global.help && !help.empty()) {
      out << help;
      return kExitOk;
    }
    if (!help.empty()) {
      err << "aftercare: `aftercare " << command << "` needs a subcommand\n\n" << help;
    } else {
      unknown_command(args->words, err);
    }
    return kExitUsage;
  }
  if (args->global.help) {
    out << help;
    return kExitOk;
  }
  if (command.rfind("clinic ", 0) == 0)
    return clinic(*args, command.substr(7), out, err, device_zone);
  if (command == "restore") return restore(*args, out, err);
  if (command == "protocol check") {
    if (auto status = allow_only(*args, command, {}); !status) return report(status.error(), err);
    if (auto status = expect_operands(*args, command, used, 1, "a FILE"); !status) {
      return report(status.error(), err);
    }
    return protocol_check(*args, out, err);
  }
  return run_with_app(*args, command, used, out, err, device_zone);
}

}  // namespace aftercare::cli
