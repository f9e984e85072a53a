#include <charconv>
#include <map>

#include "base/visible_text.h"
#include "commands.h"
#include "exchange/timeline_json.h"
#include "text_format.h"

namespace aftercare::cli {

namespace {

using Json = nlohmann::ordered_json;

Result<int> parse_severity(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return invalid_input("severity: expected a whole number from 0 (none) to 10 (worst), got \"" +
                         text + "\"");
  }
  if (value < 0 || value > kMaxSeverity) {
    return invalid_input("severity: must be a whole number from 0 (none) to 10 (worst), got " +
                         text);
  }
  return value;
}

Result<std::optional<bool>> parse_relieved(const Arguments& args) {
  const auto text = args.option("--relieved");
  if (!text) return std::optional<bool>();
  return std::optional<bool>(*text == "yes");  // the grammar admits only yes or no
}

Json reason_to_json(const VerdictReason& reason) {
  Json out;
  out["rule"] = reason.rule;
  out["verdict"] = verdict_name(reason.verdict);
  out["symptom"] = reason.symptom.value();
  out["entry"] = reason.entry ? Json(std::to_string(reason.entry->value())) : Json(nullptr);
  out["message"] = reason.message;
  return out;
}

Json assessment_to_json(const Assessment& assessment) {
  Json out;
  out["verdict"] = verdict_name(assessment.verdict);
  Json reasons = Json::array();
  for (const auto& reason : assessment.reasons) reasons.push_back(reason_to_json(reason));
  out["reasons"] = std::move(reasons);
  out["advice"] = assessment.advice;
  return out;
}

Json version_to_json(const SymptomVersion& version, const date::time_zone* zone) {
  const SymptomReport& report = version.report;
  Json out;
  out["entry"] = std::to_string(version.entry.value());
  out["version"] = version.version;
  out["action"] = entry_action_name(version.action);
  out["symptom"] = report.symptom.value();
  out["severity"] = report.severity;
  out["severity_words"] = severity_word(report.severity);
  out["area"] = report.area;
  out["note"] = report.note;
  out["photo_sha256"] = report.photo_sha256 ? Json(*report.photo_sha256) : Json(nullptr);
  out["relieved"] = report.relieved ? Json(*report.relieved) : Json(nullptr);
  out["felt_at"] = format_iso(report.felt_at, zone);
  out["recorded_at"] = format_iso(version.recorded_at, zone);
  out["checkin"] = version.checkin ? Json(std::to_string(*version.checkin)) : Json(nullptr);
  return out;
}

std::string verdict_headline(Verdict verdict) {
  switch (verdict) {
    case Verdict::kExpected:
      return "Expected";
    case Verdict::kContactClinic:
      return "Contact your clinic";
    case Verdict::kUrgent:
      return "Urgent";
  }
  return "";
}

void print_assessment(std::ostream& out, const Assessment& assessment) {
  out << verdict_headline(assessment.verdict) << ": " << assessment.advice << "\n";
  for (const auto& reason : assessment.reasons) out << "  - " << reason.message << "\n";
}

int print_result(Context& context, const EntryResult& result, const std::string& verb) {
  const auto* zone = context.app.zone();
  if (context.args.global.json) {
    Json doc;
    Json entries = Json::array();
    for (std::size_t i = 0; i < result.stored.size(); ++i) {
      Json entry = version_to_json(result.stored[i], zone);
      entry["assessment"] = assessment_to_json(result.entry_assessments[i]);
      entries.push_back(std::move(entry));
    }
    doc["entries"] = std::move(entries);
    doc["status"] = assessment_to_json(result.now);
    // A check-in checks off the check-in step open now: its occurrence, else null.
    if (result.stored.size() > 0 && result.stored.front().checkin) {
      doc["checked_off"] = result.checked_off ? Json(result.checked_off->occurrence) : Json();
    }
    print_json(context.out, doc);
    return kExitOk;
  }
  for (const auto& version : result.stored) {
    const auto& report = version.report;
    const SymptomDef* def = result.plan->protocol.find_symptom(report.symptom);
    context.out << verb << " entry " << version.entry.value() << ": "
                << (def ? def->title : report.symptom.value()) << " " << report.severity
                << " of 10 (" << severity_word(report.severity) << "), felt "
                << day_and_time(report.felt_at, context.app.now(), zone) << "\n";
  }
  if (result.checked_off) {
    const auto& event = *result.checked_off;
    if (const StepDef* step = result.plan->protocol.find_step(event.step)) {
      context.out << "Checked off: " << step->title << timing_words(event, *step) << " (planned "
                  << day_and_time(event.scheduled_at, context.app.now(), zone) << ")\n";
    }
  }
  print_assessment(context.out, result.now);
  return kExitOk;
}

// --felt, read in the device zone: nullopt when not given.
Result<std::optional<Instant>> felt_option(Context& context) {
  auto felt = context.args.option("--felt");
  if (!felt) return std::optional<Instant>();
  auto parsed = context.app.parse_time(*felt);
  if (!parsed) return parsed.error().with_context("--felt");
  return std::optional<Instant>(*parsed);
}

// `log edit ENTRY ...` and `log delete ENTRY`.
int log_change(Context& context, const std::string& sub) {
  const auto& args = context.args;
  if (args.words.size() != 3) {
    return report(invalid_input("`aftercare log " + sub + "` needs one ENTRY number"), context.err);
  }
  std::int64_t id = 0;
  const std::string& text = args.words[2];
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1) {
    return report(invalid_input("entry: expected an entry number (see `aftercare history`), "
                                "got \"" +
                                text + "\""),
                  context.err);
  }
  if (sub == "delete") {
    auto result = context.app.delete_entry(EntryId(id));
    if (!result) return report(result.error(), context.err);
    return print_result(context, *result, "Deleted (kept in the history)");
  }
  EntryEdit edit;
  if (auto symptom = args.option("--symptom")) edit.symptom = SymptomId(*symptom);
  if (auto severity = args.option("--severity")) {
    auto parsed = parse_severity(*severity);
    if (!parsed) return report(parsed.error(), context.err);
    edit.severity = *parsed;
  }
  edit.area = args.option("--area");
  edit.note = args.option("--note");
  auto felt = felt_option(context);
  if (!felt) return report(felt.error(), context.err);
  edit.felt_at = *felt;
  auto relieved = parse_relieved(args);
  if (!relieved) return report(relieved.error(), context.err);
  edit.relieved = *relieved;
  auto result = context.app.edit_entry(EntryId(id), edit);
  if (!result) return report(result.error(), context.err);
  return print_result(context, *result, "Edited (the earlier version is kept)");
}

}  // namespace

int log_symptom(Context& context) {
  const auto& args = context.args;
  const std::string sub = args.words.size() > 1 ? args.words[1] : "";
  if (sub == "edit" || sub == "delete") return log_change(context, sub);
  if (args.words.size() != 3) {
    return report(invalid_input("`aftercare log` needs a SYMPTOM and a SEVERITY 0 to 10, e.g. "
                                "`aftercare log redness 3`"),
                  context.err);
  }
  SymptomReport entry;
  entry.symptom = SymptomId(args.words[1]);
  auto severity = parse_severity(args.words[2]);
  if (!severity) return report(severity.error(), context.err);
  entry.severity = *severity;
  entry.area = args.option("--area").value_or("");
  entry.note = args.option("--note").value_or("");
  auto felt = felt_option(context);
  if (!felt) return report(felt.error(), context.err);
  if (*felt) entry.felt_at = **felt;
  auto relieved = parse_relieved(args);
  if (!relieved) return report(relieved.error(), context.err);
  entry.relieved = *relieved;
  std::optional<std::filesystem::path> photo;
  if (auto file = args.option("--photo")) photo = *file;
  auto result = context.app.log_symptom(entry, photo);
  if (!result) return report(result.error(), context.err);
  return print_result(context, *result, "Logged");
}

int check_in(Context& context) {
  const auto& args = context.args;
  std::vector<std::pair<SymptomId, int>> ratings;
  for (std::size_t i = 1; i < args.words.size(); ++i) {
    const std::string& word = args.words[i];
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) {
      return report(
          invalid_input("checkin: expected SYMPTOM=SEVERITY like redness=3, got \"" + word + "\""),
          context.err);
    }
    auto severity = parse_severity(word.substr(eq + 1));
    if (!severity) return report(severity.error().with_context(word.substr(0, eq)), context.err);
    ratings.emplace_back(SymptomId(word.substr(0, eq)), *severity);
  }
  auto result = context.app.check_in(ratings, args.option("--note").value_or(""));
  if (!result) return report(result.error(), context.err);
  if (result->check_off_failed) {
    context.err << "aftercare: stored; the check-in step is not checked off: "
                << cli_words(*result->check_off_failed) << "\n";
  }
  return print_result(context, *result, "Checked in:");
}

int status(Context& context) {
  auto log = context.app.symptom_log();
  if (!log) return report(log.error(), context.err);
  const auto* zone = context.app.zone();
  // Each symptom's latest rating.
  std::map<std::string, const SymptomEntry*> latest;
  for (const auto& entry : log->entries) {
    if (entry.report.felt_at <= context.app.now()) latest[entry.report.symptom.value()] = &entry;
  }
  if (context.args.global.json) {
    Json doc = assessment_to_json(log->now);
    doc["now"] = format_iso(context.app.now(), zone);
    doc["clinic"] = log->plan->details.clinic_name;
    doc["clinic_phone"] = log->plan->details.clinic_phone;
    Json ratings = Json::array();
    for (const auto& [symptom, entry] : latest) {
      Json r;
      r["symptom"] = symptom;
      r["severity"] = entry->report.severity;
      r["severity_words"] = severity_word(entry->report.severity);
      r["felt_at"] = format_iso(entry->report.felt_at, zone);
      r["entry"] = std::to_string(entry->entry.value());
      ratings.push_back(std::move(r));
    }
    doc["latest"] = std::move(ratings);
    print_json(context.out, doc);
    return kExitOk;
  }
  const Instant treated = log->plan->details.treated_at;
  if (latest.empty() && context.app.now() < treated) {
    // A planned treatment: nothing to judge before it (`today` lists the preparation).
    context.out << "Your treatment is " << day_and_time(treated, context.app.now(), zone)
                << ": nothing to judge before it. `aftercare today` lists how to prepare.\n";
    return kExitOk;
  }
  print_assessment(context.out, log->now);
  if (latest.empty()) {
    context.out << "No symptoms logged yet: `aftercare log redness 3` or `aftercare checkin "
                   "redness=3 swelling=2`.\n";
  }
  for (const auto& [symptom, entry] : latest) {
    const SymptomDef* def = log->plan->protocol.find_symptom(entry->report.symptom);
    context.out << "  " << (def ? def->title : symptom) << ": " << entry->report.severity
                << " of 10 (" << severity_word(entry->report.severity) << "), "
                << day_and_time(entry->report.felt_at, context.app.now(), zone) << "\n";
  }
  return kExitOk;
}

int history(Context& context) {
  auto log = context.app.symptom_log();
  if (!log) return report(log.error(), context.err);
  const auto* zone = context.app.zone();
  std::map<std::int64_t, std::vector<const SymptomVersion*>> by_entry;
  for (const auto& version : log->versions) by_entry[version.entry.value()].push_back(&version);
  auto plans = context.app.plans();
  if (!plans) return report(plans.error(), context.err);
  if (context.args.global.json) {
    Json entries = Json::array();
    for (const auto& [id, versions] : by_entry) {
      Json entry;
      entry["entry"] = std::to_string(id);
      entry["deleted"] = versions.back()->action == EntryAction::kDeleted;
      Json list = Json::array();
      for (const auto* version : versions) list.push_back(version_to_json(*version, zone));
      entry["versions"] = std::move(list);
      entries.push_back(std::move(entry));
    }
    Json doc;
    doc["entries"] = std::move(entries);
    Json sessions = Json::array();
    for (const auto& plan : *plans) {
      const Json json = plan_to_json(*plan, zone);
      sessions.push_back({{"plan", json["plan"]},
                          {"session", json["session"]},
                          {"cancelled", json["cancelled"]},
                          {"changes", json["changes"]}});
    }
    doc["plans"] = std::move(sessions);
    print_json(context.out, doc);
    return kExitOk;
  }
  for (const auto& plan : *plans) {
    if (plan->changes.empty()) continue;
    context.out << "Plan " << plan->id.value() << " (session " << plan->session_number
                << (plan->cancelled ? ", cancelled" : "") << ") changed\n";
    print_plan_changes(context.out, *plan, zone, "  ");
  }
  if (by_entry.empty()) context.out << "No symptoms logged yet.\n";
  for (const auto& [id, versions] : by_entry) {
    for (const auto* version : versions) {
      const auto& report = version->report;
      if (version == versions.front()) {
        context.out << '#' << id;
      } else {
        context.out << "  ";
      }
      context.out << "  v" << version->version << " " << entry_action_name(version->action) << " "
                  << format_iso(version->recorded_at, zone) << ": " << report.symptom.value() << " "
                  << report.severity << " (" << severity_word(report.severity) << "), felt "
                  << format_iso(report.felt_at, zone);
      if (!report.area.empty()) context.out << ", " << report.area;
      if (!report.note.empty()) context.out << ", \"" << visible_text(report.note, true) << "\"";
      if (report.photo_sha256) context.out << ", photo " << report.photo_sha256->substr(0, 12);
      context.out << "\n";
    }
  }
  return kExitOk;
}

int verify(Context& context) {
  auto check = context.app.verify_log();
  if (!check) return report(check.error(), context.err);
  if (context.args.global.json) {
    Json doc;
    doc["ok"] = check->ok;
    doc["events"] = check->events;
    doc["head"] = check->head;
    doc["problem"] = check->ok ? Json(nullptr) : Json(check->problem);
    print_json(context.out, doc);
  } else if (check->ok) {
    context.out << "The log is complete and unaltered: " << check->events << " events, chain head "
                << check->head << "\n";
  }
  if (!check->ok) {
    context.err << "aftercare: the log was altered: " << check->problem << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace aftercare::cli
