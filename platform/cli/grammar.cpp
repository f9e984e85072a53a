#include "grammar.h"

#include <algorithm>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "domain/clinic.h"
#include "domain/protocol.h"

namespace aftercare::cli {

namespace {

/// The names an option's value must be one of; the domain's name tables supply them.
enum class Choices { kAny, kVerdict, kClinicSort, kYesNo };

struct OptionSpec {
  const char* name;   ///< "--treated".
  const char* value;  ///< "TIME"; nullptr for a flag.
  const char* text;   ///< Its help; "\n" starts an indented line.
  Choices choices = Choices::kAny;
  bool required = false;  ///< Shown in the usage line (the command says when it is missing).
};

struct CommandSpec {
  const char* path;      ///< "plan start": the group's words, then its own.
  const char* operands;  ///< "STEP", "SYMPTOM SEVERITY", "[FILE]"; nullptr for none.
  const char* summary;   ///< One line, in its group's list.
  const char* prose;     ///< The rest of its own help; "" for none.
  std::vector<OptionSpec> options;
};

const std::vector<OptionSpec>& global_options() {
  static const std::vector<OptionSpec> kOptions = {
      {"--data-dir", "DIR",
       "where the patient database lives\n(default: $XDG_DATA_HOME/aftercare or "
       "~/.local/share/aftercare)"},
      {"--zone", "ZONE",
       "the device's IANA time zone for this run, e.g. America/Toronto\n(default: $TZ, else the "
       "system zone; a machine set to plain UTC\nkeeps the zone this database saw last)"},
      {"--at", "TIME",
       "the current moment for this run (default: now): ISO 8601 with an\noffset "
       "(2027-03-14T21:30:00-04:00, ...Z) or local in the zone\n(2027-03-14T21:30)"},
      {"--json", nullptr, "machine-readable output (one JSON document on stdout)"},
      {"--version", nullptr, "the program's name and version"},
  };
  return kOptions;
}

const OptionSpec kOut = {"--out", "PATH", "the file to write; PATH.manifest.json goes beside it"};
const OptionSpec kFelt = {"--felt", "TIME", "when you felt it (default: now)"};
const OptionSpec kArea = {"--area", "AREA", "where: one of the plan's areas"};
const OptionSpec kRelieved = {"--relieved", "yes|no",
                              "for pain: did acetaminophen/paracetamol help?", Choices::kYesNo};

// Every command, each group before its commands; the order of the help's lists.
const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> kCommands = {
      {"plan", nullptr, "start a plan from your treatment, or show it", "", {}},
      {"plan start",
       nullptr,
       "start a plan from your treatment",
       "Starts the aftercare plan for a treatment. Another `plan start` later starts the next\n"
       "session of the series; earlier sessions stay in the history.",
       {{"--treated", "TIME",
         "when the treatment ended: 2027-03-13T21:00 (local in --zone) or\nwith an offset",
         Choices::kAny, true},
        {"--areas", "LIST",
         "treated areas, comma-separated (default: face): face, neck,\nchest, hands, arms, legs, "
         "back, abdomen, buttocks, scalp"},
        {"--clinic", "NAME", "your clinic's name"},
        {"--clinic-phone", "PHONE", "your clinic's phone number, shown with every warning"},
        {"--protocol", "FILE",
         "the clinic's protocol file, or an override file with\n\"extends\": \"microneedling\" "
         "(default: the built-in protocol)"},
        {"--device", "TEXT", "pen or roller and needle depth, e.g. \"pen, 1.0 mm\""},
        {"--products", "TEXT", "serums or PRP applied during treatment"}}},
      {"plan show",
       nullptr,
       "the current plan: treatment, areas, clinic, steps, restrictions",
       "The current plan: treatment time, zone, areas, clinic, the protocol's steps and when\n"
       "each restriction ends.",
       {}},
      {"protocol", nullptr, "validate a protocol or clinic override file", "", {}},
      {"protocol check",
       "FILE",
       "validate a protocol or clinic override file",
       "Validates a protocol file (or a clinic override with \"extends\") and lists every "
       "problem\nwith the file, the JSON path and what was expected. Exit code 2 when it is "
       "invalid.\nStores nothing.",
       {}},
      {"today",
       nullptr,
       "what is due, done, missed and coming; restrictions",
       "What to do now: steps due, done, skipped and missed today, what comes next, the\n"
       "restrictions still active and exactly when each ends, the healing phase and day\n"
       "(\"day N\" is the N-th 24 h after the treatment; day 0 is the first), adherence, and "
       "the\nnext session of the series. With no command at all, `aftercare` shows this, or "
       "how to\nstart.",
       {}},
      {"done",
       "STEP",
       "mark a step done (e.g. aftercare done cleanse_pm)",
       "Marks a step done now. Without --occurrence: the one due now, else the one missed\n"
       "earlier today, else the next one today.\n\nSteps: first_wash, cleanse_am, cleanse_pm, "
       "moisturize, spf_am, spf_reapply, checkin.",
       {{"--occurrence", "TIME|ID",
         "another occurrence, by its planned time (2027-03-14T20:00)\nor its id "
         "(cleanse_pm@2027-03-14T20:00)"}}},
      {"skip",
       "STEP",
       "mark a step skipped",
       "Marks a step skipped now; it counts against adherence but is no longer shown as due.",
       {{"--occurrence", "TIME|ID",
         "another occurrence, by its planned time (2027-03-14T20:00)\nor its id "
         "(cleanse_pm@2027-03-14T20:00)"}}},
      {"undo",
       nullptr,
       "take back the last done or skip",
       "Takes back the latest done or skip still in effect. The history keeps both.",
       {}},
      {"log",
       "SYMPTOM SEVERITY",
       "log a symptom, 0 to 10 (or edit or delete an entry)",
       "Logs how a symptom feels now (or --felt when), rated 0 to 10: 0 none, 1-3 mild,\n"
       "4-6 moderate, 7-10 severe, and says whether that is within the usual course for this\n"
       "day after treatment. Symptoms: redness, swelling, itching, burning, pain, dryness,\n"
       "peeling, bruising, bumps, bleeding, and the infection signs pus, spreading_redness,\n"
       "warmth, fever. Edits and deletes keep every earlier version (`aftercare history`).",
       {kArea,
        {"--note", "TEXT", "what you noticed, in your words"},
        {"--photo", "FILE", "a picture, copied into the data folder under its SHA-256"},
        kFelt,
        kRelieved}},
      {"log edit",
       "ENTRY",
       "correct an entry (its number from `aftercare history`)",
       "Corrects a logged entry; the earlier version stays in the history.",
       {{"--severity", "N", "the rating, 0 to 10"},
        {"--symptom", "SYMPTOM", "the symptom"},
        kArea,
        {"--note", "TEXT", "the note"},
        kFelt,
        kRelieved}},
      {"log delete",
       "ENTRY",
       "delete an entry (kept in the history)",
       "Deletes a logged entry; it stays in the history.",
       {}},
      {"checkin",
       "SYMPTOM=SEVERITY...",
       "several ratings at once: redness=3 swelling=2 ...",
       "The daily check-in: several ratings at once, zeros included, e.g.\n"
       "  aftercare checkin redness=3 swelling=2 itching=0\nAlso marks today's check-in step "
       "done.",
       {{"--note", "TEXT", "what you noticed, in your words"}}},
      {"status",
       nullptr,
       "the verdict now (expected, contact_clinic, urgent)",
       "The verdict now, from each symptom's latest rating against its usual course:\n"
       "expected, contact_clinic or urgent, with the reasons and your clinic's phone.\n"
       "The app never diagnoses; for anything urgent, call your clinic or seek urgent care.",
       {}},
      {"history",
       nullptr,
       "every entry with all its versions",
       "Every symptom entry with all its versions (logged, edited, deleted).",
       {}},
      {"verify",
       nullptr,
       "check that the log is complete and unaltered",
       "Checks the tamper-evident chain over every stored event (symptom entries, edits,\n"
       "deletes, step check-offs): exit 0 when complete and unaltered; exit 1 naming the\n"
       "first broken event otherwise.",
       {}},
      {"reminders", nullptr, "what fires, and when: list, snooze, quiet hours, watch", "", {}},
      {"reminders list",
       nullptr,
       "reminders with their state (default: today and 7 days)",
       "Every reminder planned in the range (default: from the start of today for 8 days) "
       "with\nits state: scheduled, snoozed, fired, completed, dismissed or missed. IDs are "
       "stable:\na step's occurrence id (cleanse_pm@2027-03-14T20:00), lifted:RESTRICTION "
       "when a\nrestriction ends, session:N the day before the next session.",
       {{"--from", "TIME", "the start of the range"}, {"--to", "TIME", "the end of the range"}}},
      {"reminders due",
       nullptr,
       "what fires now; missed ones as one summary",
       "Fires what is due at --at (default now): each reminder once, again only after a "
       "snooze.\nReminders whose window closed unanswered are reported once, together, as one "
       "summary,\nhowever long the app was not run. Quiet hours (default 22:00 to 07:00) defer "
       "reminders\nto their end; they never drop one.",
       {{"--notify", nullptr, "also show them through the desktop's notification service"}}},
      {"reminders window",
       nullptr,
       "the next N reminders for the phone or desktop to show",
       "The next N reminders (default 48; at most 60, below iOS's limit of 64) that a phone or\n"
       "desktop mirrors into its notifications, with stable ids, titles, bodies and times.",
       {{"--limit", "N", "how many (default 48, at most 60)"}}},
      {"reminders snooze",
       "ID",
       "remind again in N minutes (default 10)",
       "Reminds again N minutes from now (default: the snooze setting, 10 min).",
       {{"--minutes", "N", "how long to wait"}}},
      {"reminders dismiss", "ID", "never remind of this one again", "", {}},
      {"reminders complete",
       "ID",
       "done (for a step: checks it off)",
       "Marks the reminder done; for a step this checks the step off (`aftercare undo` "
       "reverts).",
       {}},
      {"reminders settings",
       nullptr,
       "quiet hours, snooze length, notification window",
       "Shows, or changes, quiet hours, the snooze length and the notification window size.",
       {{"--quiet", "HH:MM-HH:MM|off", "quiet hours: reminders wait for their end"},
        {"--snooze", "MINUTES", "the snooze length"},
        {"--window", "N", "how many reminders a phone or desktop holds"}}},
      {"reminders watch",
       nullptr,
       "stay running: show reminders as they come due",
       "The desktop reminder service, in a terminal: shows each reminder as it comes due (a\n"
       "line here, and a desktop notification where a notification service runs), reports\n"
       "missed ones as one summary, re-plans the next 48 after every pass, and sleeps until\n"
       "the next one (waking at least every minute to notice a trip or a clock change).",
       {{"--once", nullptr, "run one pass and exit (with --at, for scripts and tests)"}}},
      {"outdoors",
       nullptr,
       "sunscreen re-application every 2 h while you are outside",
       "While outdoors mode is on, the app reminds you to re-apply sunscreen every 2 h\n"
       "(10:30 to 18:30 by default).",
       {}},
      {"outdoors on", nullptr, "you are outside: remind me to re-apply sunscreen", "", {}},
      {"outdoors off", nullptr, "back inside", "", {}},
      {"outdoors status", nullptr, "whether outdoors mode is on", "", {}},
      {"export", nullptr, "a file, with its manifest (SHA-256, chain head)", "", {}},
      {"export csv",
       nullptr,
       "every event, as RFC 4180 CSV",
       "Every event of every session as RFC 4180 CSV (UTF-8, CRLF, a header row; one row per\n"
       "check-off, skip, undo, missed step, and symptom entry, edit or delete; ISO 8601 times\n"
       "with offsets), and PATH.manifest.json beside it: the file's SHA-256, the patient's\n"
       "pseudonym (never a name), the range, the counts and the head of the hash chain.\n"
       "Both files are created owner-only. Refuses when `aftercare verify` fails.",
       {kOut}},
      {"export json",
       nullptr,
       "everything; our complete format (`aftercare import` reads it)",
       "Everything in the database as our complete, versioned JSON format\n"
       "(\"aftercare-export/1\"): plans with their protocols, every step event and symptom\n"
       "version with its place in the hash chain, reminder events, modes, zones and settings;\n"
       "PATH.manifest.json beside it. `aftercare import PATH` on an empty database gives it\n"
       "all back. Both files are created owner-only.",
       {kOut,
        {"--seal-for", "CLINIC_KEY",
         "one file instead, sealed for that clinic (its public key from\n`aftercare clinic "
         "keys`, as 64 hex digits or a file holding them) and\nsigned with this device's key: "
         "only that clinic can open it, and it\ncan tell which device sent it and that nothing "
         "changed"}}},
      {"export fhir",
       nullptr,
       "an R4 Bundle for the clinic",
       "A FHIR R4 Bundle for the clinic: a pseudonymous Patient (no name), a Procedure and a\n"
       "CarePlan (restrictions, routines with their Timing) per session, an Observation per\n"
       "symptom rating (SNOMED CT / LOINC codes, 0-10, times with offsets) and a\n"
       "QuestionnaireResponse per check-in; PATH.manifest.json beside it. Owner-only files.",
       {kOut}},
      {"export pdf",
       nullptr,
       "a report for the clinician",
       "A printable report (A4 PDF) for the clinician: the plan, the verdict now and its\n"
       "reasons, flags by day, adherence per day, and a chart of each logged symptom against\n"
       "its usual course; PATH.manifest.json beside it. Owner-only files.",
       {kOut}},
      {"export ics",
       nullptr,
       "the reminders, as an RFC 5545 calendar",
       "Writes the plan's reminders as an RFC 5545 calendar (routines as daily events in your\n"
       "current time zone, with its VTIMEZONE; restriction ends and the next session as single\n"
       "events; an alarm on each), and PATH.manifest.json beside it. PATH \"-\" writes the\n"
       "calendar to stdout. The files are created owner-only.",
       {kOut}},
      {"import",
       "FILE",
       "a JSON export into an empty database",
       "Restores a JSON export (`aftercare export json`) into an empty data directory: every\n"
       "plan, entry, history version and hash. A file that does not match its manifest, whose\n"
       "hash chain is broken, or that is not an export is refused with the reason, and nothing\n"
       "is stored.",
       {}},
      {"backup",
       nullptr,
       "back up the database now (one a day is made anyway)",
       "Makes a backup of the database now, in the data folder's backups/ (owner-only), with\n"
       "SQLite's online backup: a consistent copy even while another process writes. The app\n"
       "also makes one by itself at most once a day; the newest 7 are kept.",
       {}},
      {"restore",
       "[FILE]",
       "list the backups, or put one back as the database",
       "Without FILE: lists the backups, newest first. With FILE: checks that backup (it must\n"
       "open as an aftercare database and its hash chain must verify), keeps the current\n"
       "database aside as aftercare.db.before-restore-TIME (even a damaged one), and puts the\n"
       "backup in its place. It never opens the current database, so it works when that is\n"
       "damaged: \"not an aftercare database, or damaged\" at start is the cue.",
       {}},
      {"clinic",
       nullptr,
       "the clinic's review of patients' exports; FHIR push",
       "",
       {{"--clinic-dir", "DIR",
         "the clinic's folder (default $XDG_DATA_HOME/aftercare-clinic); it\nholds the "
         "clinic's key, and its database unless --clinic-db names another"},
        {"--clinic-db", "URI",
         "the clinic database on a PostgreSQL server, shared by several\ndesktops "
         "(postgresql://USER@HOST:PORT/DATABASE; keep the password in\n~/.pgpass or "
         "PGPASSWORD, not on the command line), or a SQLite file.\nCreated on first use, then "
         "migrated."}}},
      {"clinic import",
       "PATH...",
       "JSON exports, each checked against manifest and chain",
       "Imports patients' JSON exports (`aftercare export json`): files, or folders of them.\n"
       "Each must match the manifest beside it (SHA-256) and carry an unbroken hash chain; a\n"
       "known patient's newer export must continue the chain already stored. A tampered,\n"
       "truncated or foreign file, or one from another patient under a reused pseudonym, is\n"
       "reported with its reason and not merged (exit 2). Importing the same files again\n"
       "changes nothing. Shows progress on a terminal.",
       {}},
      {"clinic list",
       nullptr,
       "the patient table, urgent first",
       "One line per patient: status (as of their latest export), last check-in, adherence,\n"
       "worst symptom; the main reason under it.",
       {{"--status", "S", "only patients with this status: expected, contact_clinic, urgent",
         Choices::kVerdict},
        {"--sort", "KEY",
         "status (urgent first, default), patient, last_checkin (longest\nsilent first), "
         "adherence (lowest first), worst",
         Choices::kClinicSort}}},
      {"clinic show",
       "PATIENT",
       "one patient: verdict, reasons, ratings by day",
       "One patient in full: verdict and reasons, every rating by day with its own verdict,\n"
       "adherence by day.",
       {}},
      {"clinic push",
       "[PATIENT]",
       "every record (or one) to the clinic's FHIR server",
       "Delivers each patient's record, as of their latest export, to the clinic's FHIR R4\n"
       "server: one transaction Bundle per patient (POST to URL, the server's base), each\n"
       "resource a conditional update by its stable identifier (urn:aftercare:patient,\n"
       "session, careplan, checkin, entry). The server creates what it lacks and updates what\n"
       "it has, so pushing again creates nothing new. A 5xx answer, 429, or none (refused,\n"
       "timed out) is tried again, up to 5 times with growing pauses (Retry-After honoured);\n"
       "when a patient fails every time, the ones after it are not sent.\n"
       "Prints, per patient, accepted (with what was created and updated), rejected (with the\n"
       "server's OperationOutcome issues) or failed. Exit 0 when every patient was accepted,\n"
       "1 otherwise.",
       {{"--fhir", "URL", "the FHIR server's base URL"},
        {"--out", "DIR",
         "write each Bundle to DIR/PATIENT.fhir.json instead (owner-only);\nsends nothing"}}},
      {"clinic keys",
       nullptr,
       "the clinic's public key for sealed exports",
       "Prints the clinic's public key for sealed exports (64 hex digits), creating the key\n"
       "pair on first use: the secret key stays in DIR/clinic.key (owner-only) and opens the\n"
       "exports patients seal for this clinic (`aftercare export json --seal-for KEY`).\n"
       "`clinic import` opens sealed exports with it and rejects a bad signature.",
       {}},
  };
  return kCommands;
}

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
        return "one of " + joined(names, " or ") + why + ", got \"" + value + "\"";
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
    std::string line;
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
    for (const OptionSpec& option : global_options()) add(root_, option);
    apps_[""] = &root_;
    for (const CommandSpec& command : commands()) {
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
    const auto& options = app == &root_ ? global_options() : spec(app)->options;
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
  /// Every option name of every command, for "does not take" and "did you mean".
  std::vector<std::string> all_option_names() const {
    std::vector<std::string> names = {"--help"};
    for (const OptionSpec& option : global_options()) names.push_back(option.name);
    for (const CommandSpec& command : commands()) {
      for (const OptionSpec& option : command.options) names.push_back(option.name);
    }
    return names;
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
  std::string optional_options;
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
    const auto known = grammar.all_option_names();
    const std::string command = "`aftercare " + (path.empty() ? "today" : path) + "`";
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      return invalid_input(command + " does not take " + name + " (see `aftercare " +
                           (path.empty() ? "" : path + " ") + "--help`)");
    }
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
  return invalid_input("`aftercare " + (path.empty() ? "today" : path) + "`: unexpected \"" +
                       *word + "\"");
}

// The values CLI11 read, into the terms the commands use.
Status collect(const Grammar& grammar, const CLI::App* command, Arguments& args) {
  for (const CLI::App* app = command; app; app = app->get_parent()) {
    // A command with subcommands of its own (log, and log edit) lends them none of its options.
    const CommandSpec* spec = grammar.spec(app);
    const bool lends = app == command || !spec || !spec->operands;
    for (const CLI::Option* option : app->get_options()) {
      if (option->count() == 0 || option == app->get_help_ptr()) continue;
      const std::string name = option->get_name();
      if (option->get_positional()) continue;
      if (!lends) {
        const std::string path = Grammar::path_of(command);
        return invalid_input("`aftercare " + path + "` does not take " + name +
                             " (see `aftercare " + path + " --help`)");
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
  const auto mark = std::find(argv.begin(), argv.end(), "--");
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
  if (!operands && !after_mark.empty()) {
    return invalid_input("`aftercare " + (line.command.empty() ? "today" : line.command) +
                         "`: unexpected \"" + after_mark.front() + "\"");
  }
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
  for (const CommandSpec& command : commands()) topics.emplace_back(command.path);
  return topics;
}

}  // namespace aftercare::cli
