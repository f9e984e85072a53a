#include "grammar_table.h"

namespace aftercare::cli {

const std::vector<OptionSpec> kGlobalOptions = {
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

namespace {

const OptionSpec kOut = {"--out", "PATH", "the file to write; PATH.manifest.json goes beside it"};
const OptionSpec kIncludeName = {
    "--include-name", nullptr,
    "put your name (`aftercare name`) into this export; without it, no\nexport holds your name"};
const OptionSpec kFelt = {"--felt", "TIME", "when you felt it (default: now)"};
const OptionSpec kArea = {"--area", "AREA", "where: one of the plan's areas"};
const OptionSpec kRelieved = {"--relieved", "yes|no",
                              "for pain: did acetaminophen/paracetamol help?", Choices::kYesNo};

}  // namespace

const std::vector<CommandSpec> kCommands = {
    {"plan", nullptr, "start a plan from your treatment, correct, cancel or show it", "", {}},
    {"plan start",
     nullptr,
     "start a plan from your treatment",
     "Starts the aftercare plan for a treatment. Another `plan start` later starts the next\n"
     "session of the series (its treatment after the last one's, within the series' length;\n"
     "clinic, phone, areas, device and products carry over unless given); earlier sessions\n"
     "stay in the history. The same treatment twice, or one before the last, is refused.",
     {{"--treated", "TIME",
       "when the treatment ended: 2027-03-13T21:00 (local in --zone) or\nwith an offset",
       Choices::kAny, true},
      {"--areas", "LIST",
       "treated areas, comma-separated: face, neck, chest, hands,\narms, legs, back, abdomen, "
       "buttocks, scalp (default: the previous\nsession's, else face)"},
      {"--clinic", "NAME", "your clinic's name (default: the previous session's)"},
      {"--clinic-phone", "PHONE",
       "your clinic's phone number, shown with every warning\n(default: the previous "
       "session's)"},
      {"--protocol", "FILE",
       "the clinic's protocol file, or an override file with\n\"extends\": \"microneedling\" "
       "(default: the built-in protocol)"},
      {"--device", "TEXT", "pen or roller and needle depth, e.g. \"pen, 1.0 mm\""},
      {"--products", "TEXT", "serums or PRP applied during treatment"}}},
    {"plan edit",
     nullptr,
     "correct the current plan: clinic, phone, areas, device, products, time",
     "Corrects the current plan. Each field given that differs is a change appended to the\n"
     "record, with the old and the new value: `plan show` and every export list them, and the\n"
     "plan's first entry stays as it was. The treatment time moves at most 24 h from the one\n"
     "first entered (a different treatment is `plan cancel`, then `plan start`).",
     {{"--clinic", "NAME", "your clinic's name (\"\" to leave it out)"},
      {"--clinic-phone", "PHONE", "your clinic's phone number, shown with every warning"},
      {"--areas", "LIST", "treated areas, comma-separated (as for `plan start`)"},
      {"--device", "TEXT", "pen or roller and needle depth"},
      {"--products", "TEXT", "serums or PRP applied during treatment"},
      {"--treated", "TIME", "when the treatment ended, corrected (within 24 h)"}}},
    {"plan cancel",
     nullptr,
     "cancel the current plan, started by mistake",
     "Cancels the current plan, started by mistake. It stays in the history and the exports,\n"
     "marked cancelled, and is no longer followed, reminded or judged: the session before it\n"
     "(if any) is current again, and the next `plan start` takes its number.",
     {}},
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
     "Marks a step done now. Without --occurrence: the one whose window holds this moment,\n"
     "else the nearest one, marked late or early.\n\nSteps: first_wash, cleanse_am, cleanse_pm, "
     "moisturize, spf_am, spf_reapply, checkin.",
     {{"--occurrence", "TIME|ID",
       "another occurrence, by its planned time (2027-03-14T20:00)\nor its id "
       "(cleanse_pm@2027-03-14T20:00)"}}},
    {"skip",
     "STEP",
     "mark a step skipped",
     "Marks a step skipped now; it counts against adherence but is no longer shown as due.\n"
     "Without --occurrence: the one whose window holds this moment, else the nearest one.",
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
     "  aftercare checkin redness=3 swelling=2 itching=0\nAlso marks the check-in step "
     "done: the one whose window holds this moment, else\nthe nearest (at 00:30, last "
     "evening's, late).",
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
     "[FILE]",
     "check that the log (or an export) is complete and unaltered",
     "Checks the tamper-evident chain over every stored event (symptom entries, edits,\n"
     "deletes, step check-offs): exit 0 when complete and unaltered; exit 1 naming the\n"
     "first broken event otherwise.\n\n"
     "With FILE, checks an export as a clinic would: its SHA-256 against FILE.manifest.json,\n"
     "the device's signature over the manifest (which device signed it, and whether it is\n"
     "this one), and for a JSON export its hash chain against the manifest's. Exit 1 for a\n"
     "file that was changed, or a manifest that is not signed.",
     {}},
    {"device", nullptr, "this device's signing key; hand the record over to a new phone", "", {}},
    {"device show",
     nullptr,
     "this device's key, which signs every export",
     "Prints this device's public key (64 hex digits; its secret half stays owner-only in\n"
     "the data folder, device.key) and the patient's pseudonym. Every export's manifest is\n"
     "signed with it, and a clinic accepts a patient's exports only from the device it\n"
     "first saw (or one that device handed over to), so nobody else can write into the\n"
     "record. Also lists the hand-overs this device carries.",
     {}},
    {"device hand-over",
     nullptr,
     "on the old phone: sign the record over to the new one",
     "On the old phone: signs a hand-over of this patient's record to the new phone's key\n"
     "(`aftercare device show` there), written to FILE (owner-only). On the new phone, after\n"
     "`aftercare import` of the old phone's JSON export: `aftercare device accept FILE`.\n"
     "Its exports then carry the hand-over, and the clinic moves its trust to the new phone.\n"
     "Without the old phone, the clinic trusts the new one itself (`aftercare clinic trust`).",
     {{"--to", "KEY", "the new phone's device key (64 hex digits)", Choices::kAny, true},
      {"--out", "FILE", "where to write the hand-over", Choices::kAny, true}}},
    {"device accept",
     "FILE",
     "on the new phone: keep the old phone's hand-over",
     "On the new phone: checks a hand-over from `aftercare device hand-over` (its signature,\n"
     "that it names this device and this record) and keeps it: every export from now on\n"
     "carries it. Exit 2, storing nothing, for one that fails.",
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
     "reminders\nto their end; they never drop one, and nothing is shown inside them.",
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
    {"name",
     "[NAME]",
     "your name, kept on this device for exports you choose to name",
     "Keeps your name on this device (optional). It leaves the device only in an export you\n"
     "name with --include-name (JSON, FHIR, PDF), so the clinic sees it beside your\n"
     "pseudonym. Without NAME, shows it; `aftercare name --clear` forgets it.",
     {{"--clear", nullptr, "forget the name"}}},
    {"export",
     nullptr,
     "a file, with its manifest (SHA-256, chain head)",
     "Each format writes --out PATH and PATH.manifest.json beside it, owner-only.\n"
     "`aftercare export json --seal-for CLINIC_KEY --out PATH` writes one sealed file\n"
     "instead: only that clinic can open it, and it shows which device signed it.",
     {}},
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
     {kIncludeName,
      kOut,
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
     {kIncludeName, kOut}},
    {"export pdf",
     nullptr,
     "a report for the clinician",
     "A printable report (A4 PDF) for the clinician: the plan, the verdict now and its\n"
     "reasons, flags by day, adherence per day, and a chart of each logged symptom against\n"
     "its usual course; PATH.manifest.json beside it. Owner-only files.",
     {kIncludeName, kOut}},
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
     "database's rows aside as aftercare.db.before-restore-TIME, and puts the backup's rows\n"
     "in its place in one transaction, waiting up to 5 s for another program's write. A\n"
     "damaged database (\"not an aftercare database, or damaged\" at start is the cue) is\n"
     "never written to: it is renamed aside as it is, and the backup put in its place.",
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
       "(postgresql://USER@HOST:PORT/DATABASE, or a libpq keyword\nstring such as "
       "\"host=HOST dbname=DATABASE\"; keep the password in\n~/.pgpass or "
       "PGPASSWORD, not on the command line), or a SQLite file.\nCreated on first use, then "
       "migrated. A server off this machine must\npresent a certificate that verifies "
       "(sslmode=verify-full) unless\nyou choose another sslmode."}}},
    {"clinic import",
     "PATH...",
     "JSON exports, each checked against manifest and chain",
     "Imports patients' JSON exports (`aftercare export json`): files, or folders of them\n"
     "(a folder's *.json exports and its sealed files, whatever their names). Each must\n"
     "match its manifest (SHA-256) and carry an unbroken hash chain; a\n"
     "known patient's newer export must continue the chain already stored. A tampered,\n"
     "truncated or foreign file, or one from another patient under a reused pseudonym, is\n"
     "reported with its reason and not merged (exit 2). Importing the same files again\n"
     "changes nothing. Only regular files are read: in a folder, a link out of it and a\n"
     "FIFO or device named *.json are refused with the reason. Each export may be at most\n"
     "8 MiB (a year of daily check-ins is under 1 MiB) and its manifest 1 MiB; memory stays\n"
     "under 256 MB whatever the files hold. Shows progress on a terminal.",
     {{"--max-size", "MIB",
       "read exports of up to MIB mebibytes (1 to 1024; default 8); memory\ngrows with it, "
       "about 14 times the largest file"}}},
    {"clinic list",
     nullptr,
     "the patient table, urgent first",
     "One line per patient: status (as of their latest export), last check-in, adherence,\n"
     "worst symptom; the main reason under it. Times are the patient's own, with the UTC\n"
     "offset of the zone they were in (--json adds the zone names).",
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
     "adherence by day. Times are the patient's own, with the offset of where they were.",
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
     "Sign-in: with --client-id, SMART Backend Services (OAuth2 client credentials and a\n"
     "private_key_jwt assertion, ES384 or RS384, the token endpoint read from the server's\n"
     ".well-known/smart-configuration; the access token is kept until it expires, and a\n"
     "401 fetches one new one). With --token-file, or $AFTERCARE_FHIR_TOKEN, a static\n"
     "bearer token. Secrets are read from files or the environment only, never from the\n"
     "command line, and are never printed. 401 and 403, a refused client and a certificate\n"
     "that does not verify are authentication failures: not tried again, and the patients\n"
     "after are not sent. Answers are read up to 16 MiB.\n"
     "Prints, per patient, accepted (with what was created and updated), rejected (with the\n"
     "server's OperationOutcome issues), failed or authentication_failed. Exit 0 when every\n"
     "patient was accepted, 1 otherwise.",
     {{"--fhir", "URL", "the FHIR server's base URL"},
      {"--token-file", "FILE", "a file whose first line is the server's bearer token"},
      {"--client-id", "ID",
       "sign in with SMART Backend Services as this client (needs\n--key-file or "
       "$AFTERCARE_FHIR_CLIENT_KEY)"},
      {"--key-file", "FILE",
       "the client's unencrypted PEM private key: EC P-384 (ES384) or\nRSA of 2048 bits or more "
       "(RS384); keep it owner-only"},
      {"--key-id", "KID",
       "the key's kid in the JWK Set the server holds (default: the key's\nRFC 7638 JWK "
       "thumbprint)"},
      {"--scope", "SCOPES", "the scopes asked for (default system/*.write)"},
      {"--out", "DIR",
       "write each Bundle to DIR/PATIENT.fhir.json instead (owner-only);\nsends nothing"}}},
    {"clinic protocol",
     "set FILE | clear | show",
     "the protocol the clinic judges every patient with",
     "set FILE: the protocol the clinic issues (a protocol document, or an override that\n"
     "extends the default one, as `plan start --protocol` reads), checked as a whole.\n"
     "From then on the clinic's verdicts (the table's status, each rating's verdict, the\n"
     "flags by day) are computed with it, not with the protocol inside each export; the\n"
     "steps and their adherence stay the patient's own, since those are what they were\n"
     "given. Every stored patient is judged again at once, and a patient whose latest\n"
     "session follows another protocol is marked \"protocol differs from the clinic's\" in\n"
     "`clinic list` and at import, the differences listed by `clinic show`.\n"
     "clear: back to each patient's own protocol. show: the protocol now, and every\n"
     "setting before it (each is kept).",
     {}},
    {"clinic trust",
     "PATIENT",
     "accept a patient's exports from another device",
     "Every export is signed by the patient's device; the clinic trusts the first device\n"
     "it sees for a pseudonym and refuses exports signed by any other, unless the trusted\n"
     "device signed a hand-over (`aftercare device hand-over`). A patient whose old phone\n"
     "is gone tells you the new phone's key (`aftercare device show`); after checking it\n"
     "with them, this makes it the trusted device. The decision is recorded beside the\n"
     "earlier ones and shown by `clinic show`.",
     {{"--device", "KEY", "the new device's key (64 hex digits)", Choices::kAny, true}}},
    {"clinic keys",
     nullptr,
     "the clinic's public key for sealed exports",
     "Prints the clinic's public key for sealed exports (64 hex digits), creating the key\n"
     "pair on first use: the secret key stays in DIR/clinic.key (owner-only) and opens the\n"
     "exports patients seal for this clinic (`aftercare export json --seal-for KEY`).\n"
     "`clinic import` opens sealed exports with it and rejects a bad signature.",
     {}},
};

}  // namespace aftercare::cli
