#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "arguments.h"
#include "cli.h"
#include "services/cli_wording.h"

namespace aftercare::cli {

/// What a command works with.
struct Context {
  const Arguments& args;
  std::ostream& out;
  std::ostream& err;
  App& app;
  PinnedClock& clock;  ///< Set from --at, or from the system clock (watch moves it on).
};

/// Prints `error` as "aftercare: ..." and returns its exit code (2 for bad input, 1 otherwise).
int report(const Error& error, std::ostream& err);
void print_json(std::ostream& out, const nlohmann::ordered_json& document);

int plan_start(Context& context);
int plan_show(Context& context);
int plan_edit(Context& context);
/// `aftercare name [NAME] [--clear]`: the patient's name for exports that include it.
int patient_name(Context& context);
/// The plan's changes, a line each ("AT  FIELD: OLD -> NEW", "AT  cancelled") after `indent`.
void print_plan_changes(std::ostream& out, const Plan& plan, const date::time_zone* zone,
                        const std::string& indent);
int plan_cancel(Context& context);
int protocol_check(const Arguments& args, std::ostream& out, std::ostream& err);
/// Today's timeline; `home` is the bare `aftercare`, which guides a new user instead of failing.
int today(Context& context, bool home);
int check_off(Context& context, StepAction action);
int undo(Context& context);
/// `reminders list|due|window|snooze|dismiss|complete|settings`.
int reminders(Context& context, const std::string& sub);
/// `reminders watch [--once]`: the desktop reminder service in a terminal: fires what is due
/// (as banners here and desktop notifications), re-plans, sleeps until the next one.
int reminders_watch(Context& context);
/// `outdoors on|off|status`.
int outdoors(Context& context, const std::string& sub);
/// `log SYMPTOM SEVERITY ...`, `log edit ENTRY ...`, `log delete ENTRY`.
int log_symptom(Context& context);
/// `checkin SYMPTOM=SEVERITY ...`.
int check_in(Context& context);
int status(Context& context);
int history(Context& context);
/// Exit 0 when the chain holds, 1 naming the first broken event.
int verify(Context& context);
/// `verify FILE`: an export checked against its manifest and the device's signature.
int verify_export_file(Context& context);
/// `device`, `device hand-over`, `device accept`.
int device(Context& context, const std::string& sub);
int backup(Context& context);
/// Lists the backups, or restores one, without opening the current database.
int restore(const Arguments& args, std::ostream& out, std::ostream& err);
/// `export ics --out PATH` (PATH "-" for stdout).
int export_file(Context& context, const std::string& format);
/// `clinic import|list|show|push|keys|trust|protocol`: the clinic's review of many patients (its
/// own database). `terminal` is stderr itself, for the progress line's CR.
int clinic(const Arguments& args, const std::string& sub, std::ostream& out, std::ostream& err,
           std::ostream& terminal, const DeviceZone& device_zone);
/// `import FILE`: a JSON export into an empty database.
int import_file(Context& context);

}  // namespace aftercare::cli
