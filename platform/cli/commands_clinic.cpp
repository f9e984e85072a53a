#include <unistd.h>

#include <algorithm>
#include <functional>
#include <thread>

#include <fmt/format.h>

#include "app/clinic_app.h"
#include "app/fhir_auth.h"
#include "app/fhir_push_job.h"
#include "app/private_file.h"
#include "base/duration_text.h"
#include "base/visible_text.h"
#include "commands.h"
#include "exchange/timeline_json.h"
#include "services/curl_http.h"
#include "services/system_paths.h"
#include "text_format.h"

namespace aftercare::cli {

namespace {

using Json = nlohmann::ordered_json;

std::filesystem::path clinic_dir(const Arguments& args) {
  if (auto dir = args.option("--clinic-dir")) return *dir;
  const auto data = platform::default_data_dir();
  return data.empty() ? std::filesystem::path() : data.parent_path() / "aftercare-clinic";
}

// "importing 10 of 240" on a terminal, every 10 files, for runs long enough to want it.
std::function<void(std::size_t, std::size_t)> progress_on_terminal(const char* doing,
                                                                   std::ostream& err) {
  if (::isatty(STDERR_FILENO) != 1) return {};
  return [doing, &err](std::size_t done, std::size_t total) {
    if (total >= 20 && (done % 10 == 0 || done == total)) {
      err << "\r" << doing << " " << done << " of " << total << (done == total ? "\n" : "")
          << std::flush;
    }
  };
}

std::string percent(const std::optional<double>& ratio) {
  if (!ratio) return "-";
  return std::to_string(static_cast<int>(std::lround(*ratio * 100))) + " %";
}

// A time of a patient's summary as it was where the patient was then (`zone`, its IANA name),
// with that zone's offset; in `fallback`, the clinic's, for a summary that names none.
std::string patient_time(Instant at, const std::string& zone, const date::time_zone* fallback) {
  return format_iso(at, zone_or(zone, fallback));
}

// "No check-in for 2 days (since ...)": why a patient counts as gone quiet.
std::string silence_text(const PatientSummary& s, Instant now) {
  if (!s.last_checkin) return "No check-in since the treatment.";
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(now - *s.last_checkin).count();
  return "No check-in for " +
         (hours >= 48 ? std::to_string(hours / 24) + " days" : std::to_string(hours) + " h") + ".";
}

// "no_recent_checkin" for a patient as expected who has gone quiet (as ClinicApp listed it),
// else the verdict.
std::string triage_name(const ClinicPatient& p) {
  return p.summary.verdict == Verdict::kExpected && p.silent ? "no_recent_checkin"
                                                             : verdict_name(p.summary.verdict);
}

Json patient_json(const ClinicPatient& p, const date::time_zone* zone) {
  const PatientSummary& s = p.summary;
  const auto name_of = [&](const std::string& logged) {
    return std::string(zone_or(logged, zone)->name());
  };
  Json out;
  out["patient"] = p.pseudonym;
  out["name"] = s.name.empty() ? Json(nullptr) : Json(s.name);
  out["status"] = verdict_name(s.verdict);
  out["reasons"] = s.reasons;
  out["session"] = s.session;
  out["treated_at"] = patient_time(s.treated_at, s.treated_zone, zone);
  out["treated_zone"] = name_of(s.treated_zone);
  out["exported_at"] = patient_time(s.exported_at, s.exported_zone, zone);
  out["zone"] = name_of(s.exported_zone);
  out["last_checkin"] = s.last_checkin
                            ? Json(patient_time(*s.last_checkin, s.last_checkin_zone, zone))
                            : Json(nullptr);
  out["last_checkin_zone"] = s.last_checkin ? Json(name_of(s.last_checkin_zone)) : Json(nullptr);
  out["adherence"] = s.adherence ? Json(*s.adherence) : Json(nullptr);
  out["worst_symptom"] = s.worst_symptom;
  out["worst_severity"] = s.worst_severity;
  out["worst_at"] =
      s.worst_at ? Json(patient_time(*s.worst_at, s.worst_zone, zone)) : Json(nullptr);
  out["worst_zone"] = s.worst_at ? Json(name_of(s.worst_zone)) : Json(nullptr);
  out["chain_head"] = p.chain_head;
  out["protocol_differs"] = s.protocol_differs;
  out["triage"] = triage_name(p);
  out["silent"] = p.silent;
  out["silent_from"] = s.silent_from
                           ? Json(format_iso(*s.silent_from, zone_or(s.treated_zone, zone)))
                           : Json(nullptr);
  return out;
}

Json protocol_json(const ClinicProtocol& protocol, const date::time_zone* zone) {
  return Json{{"seq", protocol.seq},
              {"set_at", format_iso(protocol.set_at, zone)},
              {"source", protocol.source},
              {"cleared", protocol.protocol_json.empty()}};
}

// What each `clinic` subcommand works with.
struct ClinicRun {
  const Arguments& args;
  std::ostream& out;
  std::ostream& err;
  std::ostream& terminal;  // stderr as it is, for the progress line
  ClinicApp& app;
  const date::time_zone* zone;
  std::filesystem::path dir;
  Instant now;  // the clinic's clock (--at), for how long a quiet patient has been quiet
};

int clinic_import(const ClinicRun& run) {
  const Arguments& args = run.args;
  std::ostream& out = run.out;
  std::ostream& err = run.err;
  std::vector<std::filesystem::path> paths(args.words.begin() + 2, args.words.end());
  if (paths.empty()) return report(invalid_input("clinic import: give files or folders"), err);
  auto max_size = int_option(args, "--max-size", 1, 1024);
  if (!max_size) return report(max_size.error(), err);
  ImportLimits limits;
  if (*max_size > 0) {
    limits.export_bytes = static_cast<std::uintmax_t>(*max_size) << 20;
    limits.bytes_in_flight = std::max(limits.bytes_in_flight, limits.export_bytes);
  }
  auto result = run.app.import(paths, progress_on_terminal("importing", run.terminal), limits);
  if (!result) return report(result.error(), err);
  if (args.global.json) {
    Json files = Json::array();
    for (const auto& r : result->files) {
      files.push_back({{"file", r.file},
                       {"outcome", import_outcome_name(r.outcome)},
                       {"patient", r.pseudonym},
                       {"reason", r.reason}});
    }
    print_json(out, Json{{"files", files}});
  } else {
    for (const auto& r : result->files) {
      // Merged files are counted below; a sealed one also says which device signed it.
      const bool merged =
          r.outcome == ImportOutcome::kImported || r.outcome == ImportOutcome::kExtended;
      if (merged && r.reason.empty()) continue;
      // A file name or reason is one line, whatever it holds: no line of its own to fake.
      out << visible_text(r.file, true) << ": " << import_outcome_name(r.outcome) << ": "
          << visible_text(r.reason, true) << "\n";
    }
    out << result->count(ImportOutcome::kImported) << " imported, "
        << result->count(ImportOutcome::kExtended) << " extended, "
        << result->count(ImportOutcome::kUnchanged) + result->count(ImportOutcome::kOlder)
        << " unchanged, " << result->count(ImportOutcome::kRejected) << " rejected\n";
  }
  return result->count(ImportOutcome::kRejected) ? kExitUsage : kExitOk;
}

int clinic_list(const ClinicRun& run) {
  const Arguments& args = run.args;
  std::ostream& out = run.out;
  std::ostream& err = run.err;
  // The grammar admits only the names of verdicts (and "contact") and of sort orders.
  std::optional<Verdict> status;
  if (auto text = args.option("--status")) {
    status = *text == "contact" ? Verdict::kContactClinic : verdict_named(*text);
  }
  ClinicSort sort = ClinicSort::kStatus;
  if (auto text = args.option("--sort")) sort = clinic_sort_named(*text).value_or(sort);
  auto patients = run.app.list(status, sort);
  if (!patients) return report(patients.error(), err);
  if (args.global.json) {
    Json list = Json::array();
    for (const auto& p : *patients) list.push_back(patient_json(p, run.zone));
    print_json(out, Json{{"patients", list}});
    return kExitOk;
  }
  if (patients->empty() && status) {
    out << "No patients with status " << verdict_name(*status) << ".\n";
  } else if (patients->empty()) {
    out << "No patients yet: `aftercare clinic import FOLDER`.\n";
  }
  // Padded by code points' bytes: pseudonyms, verdicts and symptom names are ASCII.
  if (!patients->empty()) {
    out << "Times are each patient's own, with the UTC offset of where they were.\n"
        << fmt::format("{:<20}{:<19}{:<25}{:<10}{}\n", "PATIENT", "STATUS", "LAST CHECK-IN",
                       "ADHERENCE", "WORST");
  }
  for (const auto& p : *patients) {
    const auto& s = p.summary;
    out << fmt::format(
        "{:<20}{:<19}{:<25}{:<10}{}\n", p.pseudonym, triage_name(p),
        s.last_checkin
            ? format_minute_offset(*s.last_checkin, zone_or(s.last_checkin_zone, run.zone))
            : std::string("no check-in"),
        percent(s.adherence),
        s.worst_symptom.empty() ? std::string("-")
                                : s.worst_symptom + " " + std::to_string(s.worst_severity));
    // The name, when the patient's latest export carried it (their choice), beside the pseudonym.
    if (!s.name.empty()) out << "    " << visible_text(s.name, true) << "\n";
    if (!s.reasons.empty()) out << "    " << visible_text(s.reasons.front(), true) << "\n";
    if (p.silent) out << "    " << silence_text(s, run.now) << "\n";
    if (s.protocol_differs) {
      out << "    protocol differs from the clinic's (clinic show " << p.pseudonym << ")\n";
    }
  }
  return kExitOk;
}

// `clinic protocol set FILE | clear | show`: the protocol the clinic judges with.
int clinic_protocol(const ClinicRun& run) {
  const Arguments& args = run.args;
  std::ostream& out = run.out;
  std::ostream& err = run.err;
  const std::string action = args.words.size() > 2 ? args.words[2] : "show";
  const std::size_t operands = action == "set" ? 4 : 3;
  if ((action != "set" && action != "clear" && action != "show") || args.words.size() > operands ||
      (action == "set" && args.words.size() != 4)) {
    return report(invalid_input("clinic protocol: give set FILE, clear or show"), err);
  }
  if (action == "show") {
    auto current = run.app.protocol();
    if (!current) return report(current.error(), err);
    auto history = run.app.protocol_history();
    if (!history) return report(history.error(), err);
    if (args.global.json) {
      Json doc{{"current", nullptr}, {"history", Json::array()}};
      if (*current) {
        doc["current"] = protocol_json(**current, run.zone);
        doc["current"]["protocol"] = Json::parse((*current)->protocol_json);
      }
      for (const auto& setting : *history)
        doc["history"].push_back(protocol_json(setting, run.zone));
      print_json(out, doc);
      return kExitOk;
    }
    if (*current) {
      const Json doc = Json::parse((*current)->protocol_json);
      out << "The clinic judges every patient with its own protocol: "
          << visible_text(doc.value("name", std::string("(no name)")), true) << " ("
          << visible_text(doc.value("id", std::string("?")), true) << "), set "
          << format_iso((*current)->set_at, run.zone) << " from "
          << visible_text((*current)->source, true) << ".\n";
    } else {
      out << "The clinic judges each patient with the protocol of their own plan"
          << (history->empty() ? " (none of its own set: clinic protocol set FILE).\n" : ".\n");
    }
    for (const auto& setting : *history) {
      out << "  " << format_iso(setting.set_at, run.zone) << "  "
          << (setting.protocol_json.empty() ? std::string("cleared")
                                            : "set from " + visible_text(setting.source, true))
          << "\n";
    }
    return kExitOk;
  }
  auto change = action == "set" ? run.app.set_protocol(args.words[3]) : run.app.clear_protocol();
  if (!change) return report(change.error(), err);
  if (args.global.json) {
    print_json(out, Json{{"protocol", protocol_json(change->protocol, run.zone)},
                         {"judged", change->judged},
                         {"differing", change->differing},
                         {"unreadable", change->unreadable}});
    return kExitOk;
  }
  if (action == "set") {
    out << "The clinic's verdicts now follow " << visible_text(change->protocol.source, true)
        << ": " << change->judged << " patients judged again, " << change->differing
        << " of them on another protocol (clinic list shows which).\n";
  } else {
    out << "The clinic's verdicts now follow each patient's own protocol: " << change->judged
        << " patients judged again.\n";
  }
  if (change->unreadable > 0) {
    out << change->unreadable << " stored records no longer read and kept their verdicts.\n";
  }
  return kExitOk;
}

int clinic_push(const ClinicRun& run) {
  const Arguments& args = run.args;
  std::ostream& out = run.out;
  std::ostream& err = run.err;
  const auto server = args.option("--fhir");
  const auto folder = args.option("--out");
  if (server.has_value() == folder.has_value()) {
    return report(invalid_input("clinic push: give --fhir URL (the FHIR server's base) or "
                                "--out DIR (the Bundles as files, nothing sent)"),
                  err);
  }
  if (server) {
    if (auto checked = check_fhir_server(*server); !checked) return report(checked.error(), err);
  }
  if (args.words.size() > 3) return report(invalid_input("clinic push: at most one PATIENT"), err);
  std::optional<std::string> only;
  if (args.words.size() == 3) only = args.words[2];
  if (folder) {
    auto deliveries = run.app.fhir_deliveries(only);
    if (!deliveries) return report(deliveries.error(), err);
    std::error_code ec;
    std::filesystem::create_directories(*folder, ec);
    for (const auto& delivery : *deliveries) {
      const auto file = std::filesystem::path(*folder) / (delivery.pseudonym + ".fhir.json");
      if (auto written = write_private_file(file, delivery.bundle); !written) {
        return report(written.error().with_context("--out"), err);
      }
      out << file.string() << "\n";
    }
    return kExitOk;
  }
  const bool smart = args.option("--client-id").has_value();
  const auto token_variable = environment_variable(kFhirTokenVariable);
  const bool bearer = args.option("--token-file").has_value() ||
                      (!smart && token_variable && !token_variable->empty());
  if (smart && args.option("--token-file")) {
    return report(invalid_input("clinic push: give --client-id (SMART) or --token-file (a bearer "
                                "token), not both"),
                  err);
  }
  if (!smart && (args.option("--key-file") || args.option("--key-id") || args.option("--scope"))) {
    return report(
        invalid_input("clinic push: --key-file, --key-id and --scope go with --client-id"), err);
  }
  FhirAuthSettings settings;
  settings.kind = smart    ? FhirAuthSettings::Kind::kSmart
                  : bearer ? FhirAuthSettings::Kind::kBearer
                           : FhirAuthSettings::Kind::kNone;
  settings.token_file = args.option("--token-file").value_or("");
  settings.client_id = args.option("--client-id").value_or("");
  settings.key_file = args.option("--key-file").value_or("");
  settings.key_id = args.option("--key-id").value_or("");
  settings.scope = args.option("--scope").value_or(settings.scope);
  auto credentials = load_fhir_credentials(settings);
  if (!credentials) return report(credentials.error(), err);
  FhirAuthorizer authorizer(std::move(*credentials));
  FhirPushOptions options;
  options.authorizer = &authorizer;
  platform::CurlHttpClient http;
  auto job = FhirPushJob::start(run.app, only, *server, http, {}, options);
  if (!job) return report(job.error(), err);
  const auto progress = progress_on_terminal("pushing", run.terminal);
  for (std::size_t shown = 0; !(*job)->finished();) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (progress && (*job)->done() != shown) progress(shown = (*job)->done(), (*job)->total());
  }
  const FhirPushReport pushed = (*job)->report();
  if (args.global.json) {
    Json patients = Json::array();
    for (const auto& r : pushed.patients) {
      patients.push_back({{"patient", r.pseudonym},
                          {"outcome", fhir_push_outcome_name(r.outcome)},
                          {"attempts", r.attempts},
                          {"http_status", r.http_status},
                          {"created", r.created},
                          {"updated", r.updated},
                          {"problems", r.problems}});
    }
    print_json(out,
               Json{{"server", *server},
                    {"authentication", settings.kind == FhirAuthSettings::Kind::kSmart    ? "smart"
                                       : settings.kind == FhirAuthSettings::Kind::kBearer ? "bearer"
                                                                                          : "none"},
                    {"tokens_fetched", authorizer.tokens_fetched()},
                    {"patients", patients}});
  } else {
    for (const auto& r : pushed.patients) {
      std::string outcome = fhir_push_outcome_name(r.outcome);
      std::replace(outcome.begin(), outcome.end(), '_', ' ');
      out << r.pseudonym << ": " << outcome;
      if (r.outcome == FhirPushOutcome::kAccepted) {
        out << ", " << r.created << " created, " << r.updated << " updated";
      } else if (r.http_status != 0) {
        out << " (HTTP " << r.http_status << ")";
      }
      if (r.attempts > 1) out << " after " << r.attempts << " attempts";
      out << "\n";
      for (const auto& problem : r.problems) out << "    " << problem << "\n";
    }
    out << pushed.count(FhirPushOutcome::kAccepted) << " accepted, "
        << pushed.count(FhirPushOutcome::kRejected) << " rejected, "
        << pushed.count(FhirPushOutcome::kFailed) << " failed";
    if (const auto refused = pushed.count(FhirPushOutcome::kAuthenticationFailed)) {
      out << ", " << refused << " authentication failed";
    }
    out << "\n";
  }
  return pushed.count(FhirPushOutcome::kAccepted) == pushed.patients.size() ? kExitOk
                                                                            : kExitFailure;
}

int clinic_keys(const ClinicRun& run) {
  const Arguments& args = run.args;
  std::ostream& out = run.out;
  std::ostream& err = run.err;
  auto key = run.app.public_key();
  if (!key) return report(key.error(), err);
  if (args.global.json) {
    print_json(out, Json{{"public_key", *key},
                         {"secret_key_file", (run.dir / ClinicApp::kKeyFile).string()}});
  } else {
    out << *key << "\n";
  }
  return kExitOk;
}

Json pin_json(const DevicePin& pin, const date::time_zone* zone) {
  return {{"device", pin.device},
          {"source", pin_source_name(pin.source)},
          {"at", format_iso(pin.at, zone)},
          {"detail", pin.detail}};
}

int clinic_trust(const ClinicRun& run) {
  const Arguments& args = run.args;
  if (args.words.size() != 3) {
    return report(invalid_input("clinic trust: give one PATIENT"), run.err);
  }
  const auto device = args.option("--device");
  if (!device) {
    return report(invalid_input("clinic trust: give --device KEY (the patient's `aftercare "
                                "device show`)"),
                  run.err);
  }
  auto pin = run.app.trust(args.words[2], *device);
  if (!pin) return report(pin.error().with_context("--device"), run.err);
  if (args.global.json) {
    print_json(run.out, pin_json(*pin, run.zone));
  } else {
    run.out << args.words[2] << ": exports signed by device " << pin->device
            << " are accepted from now on (" << pin->detail << ", " << format_iso(pin->at, run.zone)
            << ")\n";
  }
  return kExitOk;
}

int clinic_show(const ClinicRun& run) {
  const Arguments& args = run.args;
  std::ostream& out = run.out;
  std::ostream& err = run.err;
  // show
  if (args.words.size() != 3) return report(invalid_input("clinic show: give one PATIENT"), err);
  auto view = run.app.show(args.words[2]);
  if (!view) return report(view.error(), err);
  if (args.global.json) {
    Json doc = patient_json(view->patient, run.zone);
    Json entries = Json::array();
    for (const auto& e : view->entries) {
      entries.push_back(
          {{"entry", std::to_string(e.entry.value())},
           {"symptom", e.report.symptom.value()},
           {"severity", e.report.severity},
           {"felt_at", format_iso(e.report.felt_at, zone_or(e.report.zone, run.zone))},
           {"zone", std::string(zone_or(e.report.zone, run.zone)->name())},
           {"note", e.report.note},
           {"verdict", verdict_name(view->entry_verdicts[&e - view->entries.data()])}});
    }
    doc["entries"] = entries;
    Json sessions = Json::array();
    for (const auto& session : view->plans) {
      Json plan = plan_to_json(*session, zone_or(session->details.zone, run.zone));
      plan.erase("steps");
      plan.erase("restrictions");
      plan["followed"] = session == view->current;
      sessions.push_back(std::move(plan));
    }
    doc["sessions"] = sessions;
    Json revisions = Json::array();
    for (const auto& revision : view->revisions) {
      const SymptomVersion& v = revision.version;
      Json changes = Json::array();
      for (const auto& change : revision.changes) {
        changes.push_back(
            {{"field", change.field}, {"before", change.before}, {"after", change.after}});
      }
      revisions.push_back(
          {{"entry", std::to_string(v.entry.value())},
           {"version", v.version},
           {"action", entry_action_name(v.action)},
           {"recorded_at", format_iso(v.recorded_at, zone_or(v.report.zone, run.zone))},
           {"changes", changes}});
    }
    doc["revisions"] = revisions;
    Json days = Json::array();
    for (const auto& a : view->timeline.adherence_by_day) {
      days.push_back({{"date", format_date(a.day)},
                      {"done", a.done},
                      {"skipped", a.skipped},
                      {"missed", a.missed}});
    }
    doc["adherence_by_day"] = days;
    Json pins = Json::array();
    for (const auto& pin : view->patient.pins) pins.push_back(pin_json(pin, run.zone));
    doc["device"] = view->patient.pins.empty() ? Json(nullptr) : pins.back();
    doc["device_history"] = pins;
    doc["judged_with"] =
        view->judged_with ? protocol_json(*view->judged_with, run.zone) : Json(nullptr);
    doc["protocol_differences"] = view->protocol_differences;
    print_json(out, doc);
    return kExitOk;
  }
  const auto& p = view->patient;
  const Plan& plan = *view->current;
  out << p.pseudonym
      << (p.summary.name.empty() ? "" : " (" + visible_text(p.summary.name, true) + ")") << ": "
      << verdict_name(p.summary.verdict) << ", session " << plan.session_number << " of "
      << plan.protocol.series.sessions << ", treated "
      << patient_time(plan.details.treated_at, plan.details.zone, run.zone) << ", exported "
      << patient_time(p.summary.exported_at, p.summary.exported_zone, run.zone)
      << " (the patient's time)\n";
  for (const auto& reason : view->assessment.reasons) out << "  - " << reason.message << "\n";
  if (p.silent) out << "  - " << silence_text(p.summary, run.now) << "\n";
  if (view->judged_with) {
    out << "Judged with the clinic's protocol (set "
        << format_iso(view->judged_with->set_at, run.zone) << " from "
        << visible_text(view->judged_with->source, true) << ")";
    if (view->protocol_differences.empty()) {
      out << ", which this patient follows.\n";
    } else {
      out << ". Protocol differs from the clinic's; the patient's steps were their own:\n";
      for (const auto& line : view->protocol_differences) {
        out << "  " << visible_text(line, true) << "\n";
      }
    }
  }
  if (p.pins.empty()) {
    out << "Device: none trusted yet (its exports so far were not signed)\n";
  } else {
    out << "Device: " << p.pins.back().device << "\n";
    for (const auto& pin : p.pins) {
      out << "  " << format_iso(pin.at, run.zone) << "  " << pin.detail << "\n";
    }
  }
  out << "\nRatings (each at the patient's time, with the offset of the zone it was logged in)\n";
  for (const auto& e : view->entries) {
    const Verdict verdict = view->entry_verdicts[&e - view->entries.data()];
    const SymptomDef* def = plan.protocol.find_symptom(e.report.symptom);
    out << "  day " << day_after_treatment(plan, e.report.felt_at) << "  "
        << format_iso(e.report.felt_at, zone_or(e.report.zone, run.zone)) << "  "
        << (def ? def->title : e.report.symptom.value()) << " " << e.report.severity << " ("
        << severity_word(e.report.severity) << ")"
        << (verdict == Verdict::kExpected ? "" : std::string("  ! ") + verdict_name(verdict));
    if (!e.report.note.empty()) out << "  \"" << visible_text(e.report.note, true) << "\"";
    out << "\n";
  }
  out << "\nSessions\n";
  for (const auto& session : view->plans) {
    out << "  session " << session->session_number << " (plan " << session->id.value()
        << "), treated "
        << patient_time(session->details.treated_at, session->details.zone, run.zone)
        << (session->cancelled ? ", cancelled" : "")
        << (session == view->current ? ", followed now" : "") << "\n";
    print_plan_changes(out, *session, zone_or(session->details.zone, run.zone), "    ");
  }
  out << "\nEdits and deletes\n";
  if (view->revisions.empty()) out << "  none\n";
  for (const auto& revision : view->revisions) {
    const SymptomVersion& v = revision.version;
    const auto* zone = zone_or(v.report.zone, run.zone);
    out << "  #" << v.entry.value() << " v" << v.version << " " << entry_action_name(v.action)
        << " " << format_iso(v.recorded_at, zone);
    if (v.action == EntryAction::kDeleted) {
      out << ": " << visible_text(v.report.symptom.value(), true) << " " << v.report.severity
          << "\n";
      continue;
    }
    out << ":";
    for (const auto& change : revision.changes) {
      const auto shown = [&](const std::string& value) -> std::string {
        if (value.empty()) return "(none)";
        if (change.field == "felt_at") {
          if (const auto at = plan_time_from(value)) return format_iso(*at, zone);
        }
        if (change.field == "note") return "\"" + visible_text(value, true) + "\"";
        return visible_text(value, true);
      };
      out << (&change == revision.changes.data() ? " " : "; ") << change.field << " "
          << shown(change.before) << " -> " << shown(change.after);
    }
    out << "\n";
  }
  out << "\nAdherence by day\n";
  for (const auto& a : view->timeline.adherence_by_day) {
    out << "  " << format_date(a.day) << "  " << a.done << " done, " << a.skipped << " skipped, "
        << a.missed << " missed\n";
  }
  return kExitOk;
}

}  // namespace

int clinic(const Arguments& args, const std::string& sub, std::ostream& out, std::ostream& err,
           std::ostream& terminal, const DeviceZone& device_zone) {
  const auto dir = clinic_dir(args);
  if (dir.empty()) return report(invalid_input("clinic: give --clinic-dir DIR"), err);
  auto zone_name = args.global.zone ? args.global.zone : device_zone.current();
  auto zone = locate_zone(zone_name.value_or("UTC"));
  if (!zone) return report(zone.error().with_context("--zone"), err);
  PinnedClock clock(SystemClock().now());
  if (args.global.at) {
    auto at = parse_moment(*args.global.at, *zone);
    if (!at) return report(at.error().with_context("--at"), err);
    clock.set(*at);
  }
  const std::string database = args.option("--clinic-db").value_or("");
  if (args.option("--clinic-db") && database.empty()) {
    return report(invalid_input("--clinic-db: give a postgresql:// URI or a database file"), err);
  }
  auto app = ClinicApp::open(dir, clock, database);
  if (!app)
    return report(database.empty() ? app.error() : app.error().with_context("--clinic-db"), err);
  for (const auto& notice : (*app)->opening_notices()) {
    err << "aftercare: " << fill_placeholders(cli_wording(notice.id), notice.args) << "\n";
  }

  const ClinicRun run{args, out, err, terminal, **app, *zone, dir, clock.now()};
  if (sub == "import") return clinic_import(run);
  if (sub == "list") return clinic_list(run);
  if (sub == "push") return clinic_push(run);
  if (sub == "keys") return clinic_keys(run);
  if (sub == "trust") return clinic_trust(run);
  if (sub == "protocol") return clinic_protocol(run);
  return clinic_show(run);
}

}  // namespace aftercare::cli
