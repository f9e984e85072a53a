#include "cli.h"

#include <iostream>

#include "base/version.h"
#include "commands.h"
#include "grammar.h"
#include "services/start_up.h"
#include "visible_stream.h"

namespace aftercare::cli {

namespace {

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
  // What the opening found (a database others could read, now mended; a daily backup that
  // failed), on stderr before the command's own output: --json's stdout stays one document.
  for (const auto& notice : (*session)->app().opening_notices()) {
    err << "aftercare: " << fill_placeholders(cli_wording(notice.id), notice.args) << "\n";
  }
  Context context{args, out, err, (*session)->app(), *(*session)->pinned_clock()};
  if (command.empty() || command == "today") {
    return today(context, command.empty());
  }
  if (command == "plan start" || command == "plan edit" || command == "plan cancel") {
    return command == "plan start"  ? plan_start(context)
           : command == "plan edit" ? plan_edit(context)
                                    : plan_cancel(context);
  }
  if (command == "plan show" || command == "undo") {
    return command == "undo" ? undo(context) : plan_show(context);
  }
  if (command == "log" || command.rfind("log ", 0) == 0) return log_symptom(context);
  if (command == "import") {
    if (auto status = expect_operands(args, command, used, 1, "a FILE (a JSON export)"); !status) {
      return report(status.error(), err);
    }
    return import_file(context);
  }
  if (command == "checkin") return check_in(context);
  if (command == "name") {
    if (auto status = expect_operands(args, command, used, args.words.size() > used ? 1 : 0,
                                      "at most one NAME (quote it: \"Ana Silva\")");
        !status) {
      return report(status.error(), err);
    }
    return patient_name(context);
  }
  if (command == "backup") return backup(context);
  if (command == "verify" && args.words.size() > used) {
    if (auto status = expect_operands(args, command, used, 1, "at most one FILE"); !status) {
      return report(status.error(), err);
    }
    return verify_export_file(context);
  }
  if (command.rfind("device ", 0) == 0) {
    const std::string sub = command.substr(7);
    if (auto status = expect_operands(args, command, used, sub == "accept" ? 1 : 0,
                                      "a FILE (the hand-over from the old device)");
        !status) {
      return report(status.error(), err);
    }
    return device(context, sub);
  }
  if (command == "status" || command == "history" || command == "verify") {
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
    return command[0] == 'o' ? outdoors(context, command.substr(9))
                             : export_file(context, command.substr(7));
  }
  // done / skip
  if (auto status = expect_operands(args, command, used, 1, "a STEP, e.g. cleanse_pm"); !status) {
    return report(status.error(), err);
  }
  return check_off(context, command == "done" ? StepAction::kDone : StepAction::kSkipped);
}

int run_visibly(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err,
                std::ostream& terminal, const DeviceZone& device_zone) {
  auto line = read_command_line(argv);
  if (!line) return report(line.error(), err);
  if (!line->help.empty()) {
    out << line->help;
    return kExitOk;
  }
  const Arguments& args = line->args;
  const std::string& command = line->command;
  const std::size_t used = line->used;
  if (args.global.version) {
    out << kGenerator << "\n";
    return kExitOk;
  }
  if (line->needs_subcommand) {
    err << "aftercare: `aftercare " << command << "` needs a subcommand\n\n" << help_text(command);
    return kExitUsage;
  }
  if (command.rfind("clinic ", 0) == 0)
    return clinic(args, command.substr(7), out, err, terminal, device_zone);
  if (command == "restore") return restore(args, out, err);
  if (command == "protocol check") {
    if (auto status = expect_operands(args, command, used, 1, "a FILE"); !status) {
      return report(status.error(), err);
    }
    return protocol_check(args, out, err);
  }
  return run_with_app(args, command, used, out, err, device_zone);
}

}  // namespace

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err,
        const DeviceZone& device_zone) {
  VisibleStreambuf visible_out(out), visible_err(err);
  std::ostream shown_out(&visible_out), shown_err(&visible_err);
  // The progress line alone writes to the terminal as it is: its own words and a CR.
  const int code = run_visibly(argv, shown_out, shown_err, err, device_zone);
  visible_out.finish();
  visible_err.finish();
  return code;
}

}  // namespace aftercare::cli
