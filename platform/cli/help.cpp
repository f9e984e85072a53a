#include "help.h"

#include <map>

namespace aftercare::cli {

namespace {

constexpr const char* kGlobal = R"(
Global options (before or after the command):
  --data-dir DIR   where the patient database lives
                   (default: $XDG_DATA_HOME/aftercare or ~/.local/share/aftercare)
  --zone ZONE      the device's IANA time zone for this run, e.g. America/Toronto
                   (default: $TZ, else the system zone; a machine set to plain UTC
                   keeps the zone this database saw last)
  --at TIME        the current moment for this run (default: now): ISO 8601 with an
                   offset (2027-03-14T21:30:00-04:00, ...Z) or local in the zone
                   (2027-03-14T21:30)
  --json           machine-readable output (one JSON document on stdout)
  --help, -h       this help
)";

const std::map<std::string, std::string>& texts() {
  static const std::map<std::string, std::string> kTexts = {
      {"", R"(aftercare: your microneedling aftercare, day by day

Usage: aftercare [COMMAND] [OPTIONS]

Commands:
  (none)           today's timeline, or how to start
  plan start       start a plan from your treatment
  plan show        the current plan: treatment, areas, clinic, steps, restrictions
  protocol check   validate a protocol or clinic override file
  today            what is due, done, missed and coming; restrictions; phase
  done STEP        mark a step done (e.g. aftercare done cleanse_pm)
  skip STEP        mark a step skipped
  undo             take back the last done or skip

Exit codes: 0 success, 2 bad usage or bad input (nothing is changed), 1 other failures.
Run `aftercare COMMAND --help` for each command.
)"},
      {"plan", R"(Usage: aftercare plan start|show [OPTIONS]

  plan start   start a plan from your treatment (see `aftercare plan start --help`)
  plan show    the current plan
)"},
      {"plan start", R"(Usage: aftercare plan start --treated TIME [--zone ZONE] [--areas face,neck]
                            [--clinic NAME] [--clinic-phone PHONE] [--protocol FILE]
                            [--device TEXT] [--products TEXT]

Starts the aftercare plan for a treatment. Another `plan start` later starts the next
session of the series; earlier sessions stay in the history.

  --treated TIME       when the treatment ended: 2027-03-13T21:00 (local in --zone) or
                       with an offset
  --zone ZONE          your time zone (default: the device zone)
  --areas LIST         treated areas, comma-separated (default: face): face, neck,
                       chest, hands, arms, legs, back, abdomen, buttocks, scalp
  --clinic NAME        your clinic's name
  --clinic-phone PHONE your clinic's phone number, shown with every warning
  --protocol FILE      the clinic's protocol file, or an override file with
                       "extends": "microneedling" (default: the built-in protocol)
  --device TEXT        pen or roller and needle depth, e.g. "pen, 1.0 mm"
  --products TEXT      serums or PRP applied during treatment
)"},
      {"plan show", R"(Usage: aftercare plan show

The current plan: treatment time, zone, areas, clinic, the protocol's steps and when each
restriction ends.
)"},
      {"protocol", R"(Usage: aftercare protocol check FILE
)"},
      {"protocol check", R"(Usage: aftercare protocol check FILE

Validates a protocol file (or a clinic override with "extends") and lists every problem
with the file, the JSON path and what was expected. Exit code 2 when it is invalid.
Stores nothing.
)"},
      {"today", R"(Usage: aftercare today

What to do now: steps due, done, skipped and missed today, what comes next, the
restrictions still active and exactly when each ends, the healing phase and day
("day N" is the N-th 24 h after the treatment; day 0 is the first), adherence, and the
next session of the series.
)"},
      {"done", R"(Usage: aftercare done STEP [--occurrence TIME|ID]

Marks a step done now. Without --occurrence: the one due now, else the one missed
earlier today, else the next one today. --occurrence picks another by its planned time
(2027-03-14T20:00) or its id (cleanse_pm@2027-03-14T20:00).
Steps: first_wash, cleanse_am, cleanse_pm, moisturize, spf_am, spf_reapply, checkin.
)"},
      {"skip", R"(Usage: aftercare skip STEP [--occurrence TIME|ID]

Marks a step skipped now; it counts against adherence but is no longer shown as due.
)"},
      {"undo", R"(Usage: aftercare undo

Takes back the latest done or skip still in effect. The history keeps both.
)"},
  };
  return kTexts;
}

}  // namespace

std::string help_text(const std::string& command) {
  auto it = texts().find(command);
  if (it == texts().end()) return {};
  return it->second + kGlobal;
}

}  // namespace aftercare::cli
