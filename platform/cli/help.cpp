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
  log SYMPTOM N    log a symptom, severity 0 to 10 (log edit, log delete)
  checkin          several at once: aftercare checkin redness=3 swelling=2
  status           the verdict now: expected, contact_clinic or urgent, with reasons
  history          every entry with all its versions
  verify           check that the log is complete and unaltered
  reminders        list, due, window, snooze, dismiss, complete, settings
  outdoors on|off  sunscreen re-application every 2 h while you are outside
  export FORMAT    csv (every event), json (everything; our complete format), fhir
                   (an R4 Bundle for the clinic), pdf (a report for the clinician) or
                   ics (the reminders), each with a manifest (SHA-256, chain head)
  import FILE      a JSON export into an empty database (a new device, a restore)
  backup           make a backup of the database now (one a day is made anyway)
  restore [FILE]   list the backups, or put one back as the database
  clinic           import|list|show|push|keys: the clinic's review of many patients'
                   exports, and their delivery to the clinic's FHIR server

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
      {"reminders", R"(Usage: aftercare reminders list|due|window|snooze|dismiss|complete|settings

  list [--from TIME] [--to TIME]  reminders with their state (default: today and 7 days)
  due [--notify]                  what fires now; missed ones as one summary
  window [--limit N]              the next N reminders for the phone or desktop to show
  snooze ID [--minutes N]         remind again in N minutes (default 10)
  dismiss ID                      never remind of this one again
  complete ID                     done (for a step: checks it off)
  settings [--quiet HH:MM-HH:MM|off] [--snooze MIN] [--window N]
  watch [--once]                  stay running: show reminders as they come due
)"},
      {"reminders watch", R"(Usage: aftercare reminders watch [--once]

The desktop reminder service, in a terminal: shows each reminder as it comes due (a
line here, and a desktop notification where a notification service runs), reports
missed ones as one summary, re-plans the next 48 after every pass, and sleeps until
the next one (waking at least every minute to notice a trip or a clock change).
--once runs one pass and exits (with --at, for scripts and tests).
)"},
      {"reminders list", R"(Usage: aftercare reminders list [--from TIME] [--to TIME]

Every reminder planned in the range (default: from the start of today for 8 days) with
its state: scheduled, snoozed, fired, completed, dismissed or missed. IDs are stable:
a step's occurrence id (cleanse_pm@2027-03-14T20:00), lifted:RESTRICTION when a
restriction ends, session:N the day before the next session.
)"},
      {"reminders due", R"(Usage: aftercare reminders due [--notify]

Fires what is due at --at (default now): each reminder once, again only after a snooze.
Reminders whose window closed unanswered are reported once, together, as one summary,
however long the app was not run. Quiet hours (default 22:00 to 07:00) defer reminders
to their end; they never drop one. --notify also shows them through the desktop's
notification service.
)"},
      {"reminders window", R"(Usage: aftercare reminders window [--limit N]

The next N reminders (default 48; at most 60, below iOS's limit of 64) that a phone or
desktop mirrors into its notifications, with stable ids, titles, bodies and times.
)"},
      {"reminders snooze", R"(Usage: aftercare reminders snooze ID [--minutes N]

Reminds again N minutes from now (default: the snooze setting, 10 min).
)"},
      {"reminders dismiss", R"(Usage: aftercare reminders dismiss ID
)"},
      {"reminders complete", R"(Usage: aftercare reminders complete ID

Marks the reminder done; for a step this checks the step off (`aftercare undo` reverts).
)"},
      {"reminders settings", R"(Usage: aftercare reminders settings [--quiet HH:MM-HH:MM|off]
                                 [--snooze MINUTES] [--window N]

Shows, or changes, quiet hours, the snooze length and the notification window size.
)"},
      {"outdoors", R"(Usage: aftercare outdoors on|off|status

While outdoors mode is on, the app reminds you to re-apply sunscreen every 2 h
(10:30 to 18:30 by default).
)"},
      {"outdoors on", R"(Usage: aftercare outdoors on
)"},
      {"outdoors off", R"(Usage: aftercare outdoors off
)"},
      {"outdoors status", R"(Usage: aftercare outdoors status
)"},
      {"export", R"(Usage: aftercare export csv|json|fhir|pdf|ics --out PATH
)"},
      {"export pdf", R"(Usage: aftercare export pdf --out PATH

A printable report (A4 PDF) for the clinician: the plan, the verdict now and its
reasons, flags by day, adherence per day, and a chart of each logged symptom against
its usual course; PATH.manifest.json beside it. Owner-only files.
)"},
      {"export fhir", R"(Usage: aftercare export fhir --out PATH

A FHIR R4 Bundle for the clinic: a pseudonymous Patient (no name), a Procedure and a
CarePlan (restrictions, routines with their Timing) per session, an Observation per
symptom rating (SNOMED CT / LOINC codes, 0-10, times with offsets) and a
QuestionnaireResponse per check-in; PATH.manifest.json beside it. Owner-only files.
)"},
      {"export json", R"(Usage: aftercare export json --out PATH [--seal-for CLINIC_KEY]

Everything in the database as our complete, versioned JSON format
("aftercare-export/1"): plans with their protocols, every step event and symptom
version with its place in the hash chain, reminder events, modes, zones and settings;
PATH.manifest.json beside it. `aftercare import PATH` on an empty database gives it
all back. Both files are created owner-only.

--seal-for CLINIC_KEY: one file instead, sealed for that clinic (its public key from
`aftercare clinic keys`, as 64 hex digits or a file holding them) and signed with this
device's key: only that clinic can open it, and it can tell which device sent it and
that nothing changed.
)"},
      {"clinic",
       R"(Usage: aftercare clinic [--clinic-dir DIR] [--clinic-db URI] import|list|show|push ...

  import PATH...   JSON exports (files or folders), each checked against its manifest
                   and its hash chain; importing twice changes nothing
  list [--status expected|contact_clinic|urgent] [--sort status|patient|last_checkin|
       adherence|worst]   the patient table, urgent first
  show PATIENT     one patient: verdict, reasons, ratings by day, adherence by day
  push --fhir URL [PATIENT]   every patient's record (or one) to the clinic's FHIR server
  keys             the clinic's public key for sealed exports (created on first use)
--clinic-dir DIR: the clinic's folder (default $XDG_DATA_HOME/aftercare-clinic); it holds
  the clinic's key, and its database unless --clinic-db names another.
--clinic-db URI: the clinic database on a PostgreSQL server, shared by several desktops
  (postgresql://USER@HOST:PORT/DATABASE; keep the password in ~/.pgpass or PGPASSWORD,
  not on the command line), or a SQLite file. Created on first use, then migrated.
)"},
      {"clinic push",
       R"(Usage: aftercare clinic [--clinic-dir DIR] [--clinic-db URI] push --fhir URL [PATIENT]
       aftercare clinic ... push --out DIR [PATIENT]

Delivers each patient's record, as of their latest export, to the clinic's FHIR R4
server: one transaction Bundle per patient (POST to URL, the server's base), each
resource a conditional update by its stable identifier (urn:aftercare:patient,
session, careplan, checkin, entry). The server creates what it lacks and updates what
it has, so pushing again creates nothing new. A 5xx answer, 429, or none (refused,
timed out) is tried again, up to 5 times with growing pauses (Retry-After honoured);
when a patient fails every time, the ones after it are not sent.
Prints, per patient, accepted (with what was created and updated), rejected (with the
server's OperationOutcome issues) or failed. Exit 0 when every patient was accepted,
1 otherwise. --json: the same as JSON.
--out DIR: writes each Bundle to DIR/PATIENT.fhir.json instead (owner-only), sends nothing.
)"},
      {"clinic keys", R"(Usage: aftercare clinic [--clinic-dir DIR] [--clinic-db URI] keys

Prints the clinic's public key for sealed exports (64 hex digits), creating the key
pair on first use: the secret key stays in DIR/clinic.key (owner-only) and opens the
exports patients seal for this clinic (`aftercare export json --seal-for KEY`).
`clinic import` opens sealed exports with it and rejects a bad signature.
)"},
      {"clinic import",
       R"(Usage: aftercare clinic [--clinic-dir DIR] [--clinic-db URI] import PATH...

Imports patients' JSON exports (`aftercare export json`): files, or folders of them.
Each must match the manifest beside it (SHA-256) and carry an unbroken hash chain; a
known patient's newer export must continue the chain already stored. A tampered,
truncated or foreign file, or one from another patient under a reused pseudonym, is
reported with its reason and not merged (exit 2). Importing the same files again
changes nothing. Shows progress on a terminal.
)"},
      {"clinic list",
       R"(Usage: aftercare clinic [--clinic-dir DIR] [--clinic-db URI] list [--status S] [--sort KEY]

One line per patient: status (as of their latest export), last check-in, adherence,
worst symptom; the main reason under it. --status expected|contact_clinic|urgent;
--sort status (urgent first, default), patient, last_checkin (longest silent first),
adherence (lowest first), worst.
)"},
      {"clinic show", R"(Usage: aftercare clinic [--clinic-dir DIR] [--clinic-db URI] show PATIENT

One patient in full: verdict and reasons, every rating by day with its own verdict,
adherence by day.
)"},
      {"import", R"(Usage: aftercare import FILE

Restores a JSON export (`aftercare export json`) into an empty data directory: every
plan, entry, history version and hash. A file that does not match its manifest, whose
hash chain is broken, or that is not an export is refused with the reason, and nothing
is stored.
)"},
      {"export csv", R"(Usage: aftercare export csv --out PATH

Every event of every session as RFC 4180 CSV (UTF-8, CRLF, a header row; one row per
check-off, skip, undo, missed step, and symptom entry, edit or delete; ISO 8601 times
with offsets), and PATH.manifest.json beside it: the file's SHA-256, the patient's
pseudonym (never a name), the range, the counts and the head of the hash chain.
Both files are created owner-only. Refuses when `aftercare verify` fails.
)"},
      {"export ics", R"(Usage: aftercare export ics --out PATH

Writes the plan's reminders as an RFC 5545 calendar (routines as daily events in your
current time zone, with its VTIMEZONE; restriction ends and the next session as single
events; an alarm on each), and PATH.manifest.json beside it. PATH "-" writes the
calendar to stdout. The files are created owner-only.
)"},
      {"log", R"(Usage: aftercare log SYMPTOM SEVERITY [--area AREA] [--note TEXT] [--photo FILE]
                     [--felt TIME] [--relieved yes|no]
       aftercare log edit ENTRY [--severity N] [--symptom S] [--area A] [--note T]
                     [--felt TIME] [--relieved yes|no]
       aftercare log delete ENTRY

Logs how a symptom feels now (or --felt when), rated 0 to 10: 0 none, 1-3 mild,
4-6 moderate, 7-10 severe, and says whether that is within the usual course for this
day after treatment. Symptoms: redness, swelling, itching, burning, pain, dryness,
peeling, bruising, bumps, bleeding, and the infection signs pus, spreading_redness,
warmth, fever. --photo copies the picture into the data folder under its SHA-256.
--relieved (for pain): did acetaminophen/paracetamol help? Edits and deletes keep
every earlier version (`aftercare history`).
)"},
      {"checkin", R"(Usage: aftercare checkin SYMPTOM=SEVERITY... [--note TEXT]

The daily check-in: several ratings at once, zeros included, e.g.
  aftercare checkin redness=3 swelling=2 itching=0
Also marks today's check-in step done.
)"},
      {"status", R"(Usage: aftercare status

The verdict now, from each symptom's latest rating against its usual course:
expected, contact_clinic or urgent, with the reasons and your clinic's phone.
The app never diagnoses; for anything urgent, call your clinic or seek urgent care.
)"},
      {"history", R"(Usage: aftercare history

Every symptom entry with all its versions (logged, edited, deleted).
)"},
      {"backup", R"(Usage: aftercare backup

Makes a backup of the database now, in the data folder's backups/ (owner-only), with
SQLite's online backup: a consistent copy even while another process writes. The app
also makes one by itself at most once a day; the newest 7 are kept.
)"},
      {"restore", R"(Usage: aftercare restore [FILE]

Without FILE: lists the backups, newest first. With FILE: checks that backup (it must
open as an aftercare database and its hash chain must verify), keeps the current
database aside as aftercare.db.before-restore-TIME (even a damaged one), and puts the
backup in its place. It never opens the current database, so it works when that is
damaged: "not an aftercare database, or damaged" at start is the cue.
)"},
      {"verify", R"(Usage: aftercare verify

Checks the tamper-evident chain over every stored event (symptom entries, edits,
deletes, step check-offs): exit 0 when complete and unaltered; exit 1 naming the
first broken event otherwise.
)"},
      {"undo", R"(Usage: aftercare undo

Takes back the latest done or skip still in effect. The history keeps both.
)"},
  };
  return kTexts;
}

}  // namespace

std::vector<std::string> help_topics() {
  std::vector<std::string> topics;
  for (const auto& [topic, text] : texts()) {
    if (!topic.empty()) topics.push_back(topic);
  }
  return topics;
}

std::string help_text(const std::string& command) {
  auto it = texts().find(command);
  if (it == texts().end()) return {};
  return it->second + kGlobal;
}

}  // namespace aftercare::cli
