#include "app/clinic_app.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <fstream>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/private_file.h"
#include "base/files.h"
#include "domain/journal.h"
#include "domain/protocol_loader.h"
#include "exchange/fhir_writer.h"
#include "exchange/json_archive.h"
#include "exchange/manifest.h"
#include "exchange/sealed_export.h"
#include "schedule/zone.h"

namespace aftercare {

namespace {

constexpr const char* kPseudonymKey = "patient_pseudonym";
constexpr const char* kProtocolDiffers = "protocol differs from the clinic's";
// The largest protocol file the clinic reads (the default one is under 10 KiB).
constexpr std::uintmax_t kMaxProtocolBytes = 1u << 20;
// Tries at storing one file while other importers store the same patient.
constexpr int kMergeAttempts = 8;

// What an export names its patient by ("P-" and 16 hex digits, from App): the pseudonym goes
// into FHIR search URLs and file names, so nothing else gets in.
bool is_pseudonym(const std::string& text) {
  return text.size() > 2 && text.size() <= 66 && text.rfind("P-", 0) == 0 &&
         std::all_of(text.begin() + 2, text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

// Each entry that was outside the usual course when felt, by the patient's calendar day there.
std::vector<DayFlags> flags_by_day(const Plan& plan, const std::vector<SymptomEntry>& entries) {
  std::vector<DayFlags> flags;
  const SymptomSeries series(entries);
  for (const SymptomEntry& entry : entries) {
    Assessment judged = assess_entry(plan, series, entry);
    if (judged.verdict == Verdict::kExpected) continue;
    const auto* zone =
        zone_or(entry.report.zone, zone_or(plan.details.zone, date::locate_zone("UTC")));
    const date::year_month_day day = local_date(entry.report.felt_at, zone);
    if (flags.empty() || flags.back().day != day) flags.push_back({day, {}});
    for (VerdictReason& reason : judged.reasons) flags.back().reasons.push_back(std::move(reason));
  }
  return flags;
}

// Adds a file that changed nothing to the import log; when even that cannot be written, the
// outcome says so rather than pretending it was logged.
void record_in_log(ClinicStore& store, ImportRecord& record) {
  if (Status logged = store.record_import(record); !logged) {
    record.reason += " (not written to the import log: " + logged.error().message() + ")";
  }
}

Result<std::vector<std::shared_ptr<const Plan>>> plans_of(const PatientArchive& archive,
                                                          const std::string& source) {
  std::vector<std::shared_ptr<const Plan>> plans;
  for (const auto& record : archive.plans) {
    auto plan = plan_from_record(record, source + ": plan " + std::to_string(record.id.value()));
    if (!plan) return plan.error();
    plans.push_back(std::move(*plan));
  }
  if (plans.empty()) return invalid_input(source + ": the export holds no plan");
  if (std::all_of(plans.begin(), plans.end(), [](const auto& plan) { return plan->cancelled; })) {
    return invalid_input(source + ": every plan of the export was cancelled");
  }
  return plans;
}

// The session the patient follows: the latest not cancelled (plans_of made sure there is one).
const Plan& followed(const std::vector<std::shared_ptr<const Plan>>& plans) {
  for (auto it = plans.rbegin(); it != plans.rend(); ++it) {
    if (!(*it)->cancelled) return **it;
  }
  return *plans.back();
}

// The latest session judged as of `as_of`: entries, verdict and timeline.
struct Judged {
  std::vector<SymptomEntry> entries;
  Assessment assessment;
  Timeline timeline;
  const date::time_zone* zone = nullptr;  // where the patient was as of then
};

// The plan as the clinic judges it: the patient's, with the clinic's own protocol when it has
// one (the steps the patient was given stay theirs: adherence is judged by the plan itself).
Plan judged_as(const Plan& plan, const Protocol* own) {
  Plan judged = plan;
  if (own) judged.protocol = *own;
  return judged;
}

Result<Judged> judge(const PatientArchive& archive, const Plan& plan, Instant as_of,
                     const Protocol* own = nullptr) {
  Judged judged;
  EntryMap entries;
  for (const auto& version : archive.symptom_versions) {
    if (version.plan == plan.id) apply_version(entries, version);
  }
  judged.entries = sorted_entries(entries);
  judged.assessment = assess(own ? judged_as(plan, own) : plan, judged.entries, as_of);
  auto plan_zone = locate_zone(plan.details.zone);
  if (!plan_zone) return plan_zone.error();
  auto zones = ZoneHistory::make(archive.zone_changes, *plan_zone);
  if (!zones) return zones.error();
  std::vector<StepEvent> events;
  for (const auto& event : archive.step_events) {
    if (event.plan == plan.id) events.push_back(event);
  }
  judged.zone = zones->zone_at(as_of);
  judged.timeline = build_timeline(plan, *zones, fold_step_events(events), as_of, judged.zone,
                                   Modes::from_changes(archive.mode_changes));
  return judged;
}

// `own` and `own_json` (may be null): the clinic's protocol, which judges (the triage) and which
// the plan's is compared with.
PatientSummary summarize(const Plan& plan, const Judged& judged, Instant as_of,
                         const Protocol* own = nullptr, const std::string* own_json = nullptr) {
  const Protocol& protocol = own ? *own : plan.protocol;
  PatientSummary summary;
  summary.protocol_differs =
      own_json && !protocol_differences(*own_json, plan.protocol_json).empty();
  summary.verdict = judged.assessment.verdict;
  for (const auto& reason : judged.assessment.reasons) summary.reasons.push_back(reason.message);
  for (const auto& entry : judged.entries) {
    if (entry.checkin && (!summary.last_checkin || entry.first_recorded > *summary.last_checkin)) {
      summary.last_checkin = entry.first_recorded;
      summary.last_checkin_zone = zone_or(entry.report.zone, judged.zone)->name();
    }
    if (entry.report.severity > summary.worst_severity) {
      summary.worst_severity = entry.report.severity;
      const SymptomDef* def = plan.protocol.find_symptom(entry.report.symptom);
      summary.worst_symptom = def ? def->title : entry.report.symptom.value();
      summary.worst_at = entry.report.felt_at;
      summary.worst_zone = zone_or(entry.report.zone, judged.zone)->name();
    }
  }
  summary.adherence = judged.timeline.overall_adherence.ratio();
  // Gone quiet: no check-in for silent_after (the judging protocol's) while the patient's own
  // check-ins were due; for one who never checked in, counted from when the first was due.
  if (const StepDef* checkin = plan.protocol.find_step(StepId("checkin"))) {
    const Instant treated = plan.details.treated_at;
    const Instant from =
        summary.last_checkin.value_or(treated + checkin->from) + protocol.triage.silent_after;
    if (!checkin->until || from < treated + *checkin->until) summary.silent_from = from;
  }
  summary.session = plan.session_number;
  summary.treated_at = plan.details.treated_at;
  summary.exported_at = as_of;
  summary.exported_zone = judged.zone->name();
  summary.treated_zone = plan.details.zone;
  return summary;
}

// A stored patient's summary judged anew as of its export, with the clinic's protocol `own`
// (may be null, with its document `own_json`); an error when the stored record no longer reads.
Result<PatientSummary> judged_again(const ClinicPatient& patient, const Protocol* own,
                                    const std::string* own_json) {
  auto archive = read_archive_json(patient.archive_json, patient.pseudonym);
  if (!archive) return archive.error();
  auto plans = plans_of(*archive, patient.pseudonym);
  if (!plans) return plans.error();
  const Instant as_of = patient.summary.exported_at;
  auto judged = judge(*archive, followed(*plans), as_of, own);
  if (!judged) return judged.error();
  return summarize(followed(*plans), *judged, as_of, own, own_json);
}

// Summaries stored before they kept the patient's zones get them from their stored exports,
// judged as of the same export time. A row whose export no longer reads stays as it is: its
// times show in the clinic's zone, and the next import replaces it.
Status fill_missing_zones(ClinicStore& store) {
  auto names = store.patients_without_zones();
  if (!names) return names.error();
  for (const std::string& name : *names) {
    auto patient = store.patient(name);
    if (!patient) return patient.error();
    if (!*patient) continue;
    auto archive = read_archive_json((*patient)->archive_json, name);
    if (!archive) continue;
    auto plans = plans_of(*archive, name);
    if (!plans) continue;
    const Instant as_of = (*patient)->summary.exported_at;
    auto judged = judge(*archive, followed(*plans), as_of);
    if (!judged) continue;
    AFTERCARE_TRY(
        store.fill_zones(name, summarize(followed(*plans), *judged, as_of), (*patient)->revision));
  }
  return {};
}

// Where `entry` leads when it is a link out of `folder` ("" when it is no link, or stays inside):
// such a link is never followed, whatever it leads to.
std::string link_out_of(const std::filesystem::path& entry, const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_symlink(entry, ec)) return {};
  const auto target = std::filesystem::weakly_canonical(entry, ec);
  const auto inside = std::filesystem::weakly_canonical(folder, ec);
  const auto [end, _] = std::mismatch(inside.begin(), inside.end(), target.begin(), target.end());
  if (!ec && end == inside.end()) return {};
  return target.empty() ? std::string("a place it cannot name") : target.string();
}

}  // namespace

Result<std::optional<ClinicKeys>> ClinicApp::load_keys() const {
  const auto file = dir_ / kKeyFile;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<ClinicKeys>();
  auto text = read_secret_file(file);
  if (!text) return text.error();
  auto keys = read_key_file_text(*text, 32, 32, file.string());
  if (!keys) return keys.error();
  return std::optional<ClinicKeys>(ClinicKeys{std::move(keys->second), std::move(keys->first)});
}

Result<std::string> ClinicApp::public_key() {
  auto keys = load_keys();
  if (!keys) return keys.error();
  if (!*keys) {
    const ClinicKeys created = generate_clinic_keys();
    auto made =
        create_private_file(dir_ / kKeyFile, key_file_text(created.secret_key, created.public_key));
    if (!made) return made.error();
    if (*made) return key_to_hex(created.public_key);
    // Another process created it meanwhile: its key is the clinic's, for both.
    keys = load_keys();
    if (!keys) return keys.error();
    if (!*keys) return Error(ErrorCode::kIo, (dir_ / kKeyFile).string() + ": vanished");
  }
  return key_to_hex((*keys)->public_key);
}

std::size_t ClinicImportReport::count(ImportOutcome outcome) const {
  return static_cast<std::size_t>(std::count_if(
      files.begin(), files.end(), [&](const ImportRecord& r) { return r.outcome == outcome; }));
}

Result<std::unique_ptr<ClinicApp>> ClinicApp::open(const std::filesystem::path& clinic_dir,
                                                   const Clock& clock,
                                                   const std::string& database) {
  AFTERCARE_TRY(ensure_private_directory(clinic_dir));
  const bool postgres = is_postgres_location(database);
  const auto file = database.empty() ? clinic_dir / kDatabaseFile : std::filesystem::path(database);
  const OwnerOnly widened = postgres ? OwnerOnly() : make_owner_only(file);
  auto store = postgres ? open_postgres_clinic_store(database) : open_clinic_store(file);
  if (!store) return store.error();
  AFTERCARE_TRY(fill_missing_zones(**store));
  std::unique_ptr<ClinicApp> app(new ClinicApp(std::move(*store), clock, clinic_dir));
  // Rows an older version stored, or judged with an earlier protocol of the clinic's, are judged
  // again. A stored protocol that no longer loads is said by the commands that judge (import,
  // show); listing and setting a new protocol still work.
  if (auto own = app->own_protocol(); own) {
    auto judged = app->judge_stale();
    if (!judged) return judged.error();
  }
  if (auto notice = owner_only_notice(file, widened)) {
    app->opening_notices_.push_back(std::move(*notice));
  }
  return app;
}

struct ClinicApp::Checked {
  ImportRecord record;
  bool rejected = false;
  bool seen = false;  // imported before with these bytes: nothing parsed
  std::string bytes;
  std::optional<PatientArchive> archive;
  ChainCheck chain;
  std::vector<std::shared_ptr<const Plan>> plans;
  Instant as_of;
  PatientSummary summary;
  std::string device;  // the manifest's signer (hex)
  std::vector<HandOver> hand_overs;
};

ClinicApp::Checked ClinicApp::check_file(const std::filesystem::path& file, Instant now,
                                         const std::unordered_set<std::string>& seen,
                                         const ClinicKeys* keys, std::uintmax_t max_bytes,
                                         const OwnProtocol* own) {
  try {
    return check_file_unguarded(file, now, seen, keys, max_bytes, own);
  } catch (const nlohmann::json::exception& error) {
    Checked checked;
    checked.record.file = file.string();
    checked.record.imported_at = now;
    checked.record.outcome = ImportOutcome::kRejected;
    checked.record.reason =
        std::string("not an aftercare export or manifest (") + error.what() + ")";
    checked.rejected = true;
    return checked;
  }
}

ClinicApp::Checked ClinicApp::check_file_unguarded(const std::filesystem::path& file, Instant now,
                                                   const std::unordered_set<std::string>& seen,
                                                   const ClinicKeys* keys, std::uintmax_t max_bytes,
                                                   const OwnProtocol* own) {
  Checked checked;
  ImportRecord& record = checked.record;
  record.file = file.string();
  record.imported_at = now;
  const auto reject = [&](const std::string& reason) {
    record.outcome = ImportOutcome::kRejected;
    record.reason = reason;
    checked.rejected = true;
    return std::move(checked);
  };
  auto bytes = read_file(file, max_bytes);
  if (!bytes) return reject(bytes.error().message());
  checked.bytes = std::move(*bytes);
  record.sha256 = sha256_hex(checked.bytes);
  if (seen.count(record.sha256)) {
    checked.seen = true;
    return checked;
  }
  // A sealed export carries its manifest inside; a plain one has it beside.
  std::string manifest_text;
  std::string sealed_by;
  if (is_sealed_export(checked.bytes)) {
    if (!keys) return reject("sealed, but this clinic has no key yet to open it");
    auto opened = open_sealed_export(checked.bytes, *keys, file.filename().string());
    if (!opened) return reject(opened.error().message());
    checked.bytes = std::move(opened->export_text);
    manifest_text = std::move(opened->manifest_text);
    sealed_by = std::move(opened->sender);
    record.reason = "sealed; signed by device " + sealed_by.substr(0, 16);
  } else {
    const auto manifest_file = std::filesystem::path(file.string() + ".manifest.json");
    if (!std::filesystem::exists(manifest_file)) return reject("no manifest beside it");
    if (const std::string target = link_out_of(manifest_file, file.parent_path());
        !target.empty()) {
      return reject("its manifest is a link that leads out of the folder (to " + target +
                    "); not read");
    }
    auto text = read_file(manifest_file, kMaxManifestBytes);
    if (!text) return reject("its manifest: " + text.error().message());
    manifest_text = std::move(*text);
  }
  auto read = read_manifest(manifest_text, "its manifest");
  if (!read) return reject(read.error().message());
  const ManifestReading& manifest = *read;
  if (manifest.sha256 != sha256_hex(checked.bytes)) {
    return reject("altered or truncated: its SHA-256 differs from its manifest");
  }
  if (manifest.format != "json") {
    return reject("not a JSON export (format \"" + manifest.format + "\")");
  }
  // Every export this version writes is signed; one that is not cannot be told from a forgery.
  if (manifest.device.empty()) {
    return reject(
        "not signed by a device (its manifest has no signature: written by an aftercare "
        "before 0.2, or rewritten); ask the patient to export again");
  }
  if (!sealed_by.empty() && sealed_by != manifest.device) {
    return reject("sealed by device " + sealed_by.substr(0, 16) +
                  "... but its manifest is signed by device " + manifest.device.substr(0, 16) +
                  "...");
  }
  checked.device = manifest.device;
  checked.hand_overs = manifest.hand_overs;
  auto archive = read_archive_json(checked.bytes, file.filename().string());
  if (!archive) return reject(archive.error().message());
  const auto pseudonym = archive->settings.find(kPseudonymKey);
  if (pseudonym == archive->settings.end() || pseudonym->second != manifest.patient) {
    return reject("its patient does not match its manifest");
  }
  if (!is_pseudonym(pseudonym->second)) {
    return reject(
        "its patient pseudonym is not one aftercare writes (P- and up to 64 letters or "
        "digits)");
  }
  record.pseudonym = pseudonym->second;
  checked.chain = verify_archive(*archive);
  if (!checked.chain.ok) return reject("the log was altered: " + checked.chain.problem);
  if (manifest.chain_head != checked.chain.head) {
    return reject("its hash chain ends elsewhere than its manifest says");
  }
  auto plans = plans_of(*archive, file.filename().string());
  if (!plans) return reject(plans.error().message());
  checked.plans = std::move(*plans);
  auto as_of = parse_moment(manifest.to, date::locate_zone("UTC"));
  if (!as_of) return reject("its manifest has no export time");
  checked.as_of = *as_of;
  auto judged =
      judge(*archive, followed(checked.plans), checked.as_of, own ? &own->protocol : nullptr);
  if (!judged) return reject(judged.error().message());
  checked.summary =
      summarize(followed(checked.plans), *judged, checked.as_of, own ? &own->protocol : nullptr,
                own ? &own->record.protocol_json : nullptr);
  // The name, only in an export the patient chose to name: plain text, or the file is refused.
  if (auto name = archive->settings.find(kPatientNameSetting); name != archive->settings.end()) {
    if (auto valid = validate_patient_name(name->second, "settings." + name->first); !valid) {
      return reject(valid.error().message());
    }
    checked.summary.name = name->second;
  }
  checked.archive = std::move(*archive);
  return checked;
}

namespace {

std::string day_of(Instant at) { return format_iso(at, date::locate_zone("UTC")).substr(0, 10); }

// How a pin came to be, in words: "trusted on first use on 2027-03-14".
std::string pin_story(const DevicePin& pin) {
  switch (pin.source) {
    case PinSource::kFirstUse:
      return "trusted on first use on " + day_of(pin.at);
    case PinSource::kHandOver:
      return "handed over to on " + day_of(pin.at);
    case PinSource::kClinic:
      return "chosen by the clinic on " + day_of(pin.at);
  }
  return {};
}

}  // namespace

PinDecision decide_pin(const std::vector<DevicePin>& pins, bool known, const std::string& patient,
                       const std::string& signer, const std::vector<HandOver>& hand_overs,
                       Instant now) {
  PinDecision decision;
  if (pins.empty()) {
    decision.added = DevicePin{signer, now, PinSource::kFirstUse,
                               "device " + signer.substr(0, 16) + "... trusted on first use" +
                                   (known ? " (the exports before it were not signed)" : "")};
    return decision;
  }
  const DevicePin& current = pins.back();
  if (current.device == signer) return decision;
  const auto path = hand_over_path(current.device, signer, patient, hand_overs, current.at);
  if (path.empty()) {
    decision.refusal = "signed by device " + signer.substr(0, 16) +
                       "..., not by the device the clinic trusts for " + patient + " (" +
                       current.device.substr(0, 16) + "..., " + pin_story(current) +
                       "); a new phone needs a hand-over signed by the old one, or the clinic "
                       "trusts the new device after checking its key with the patient (" +
                       signer + ")";
    return decision;
  }
  decision.added = DevicePin{signer, now, PinSource::kHandOver,
                             "device " + signer.substr(0, 16) + "... trusted by a hand-over from " +
                                 path.front().from.substr(0, 16) + "... (signed " +
                                 format_iso(path.back().at, date::locate_zone("UTC")) + ")"};
  return decision;
}

Result<DevicePin> ClinicApp::trust(const std::string& pseudonym, const std::string& device_hex) {
  auto key = key_from_hex(device_hex, 32, "the device's key");
  if (!key) return key.error();
  const std::string device = key_to_hex(*key);  // lower case
  for (int attempt = 1;; ++attempt) {
    auto patient = store_->patient(pseudonym);
    if (!patient) return patient.error();
    if (!*patient) {
      return Error(ErrorCode::kNotFound,
                   Notice{NoticeId::kUnknownPatient, {{"patient", pseudonym}}});
    }
    const auto& pins = (*patient)->pins;
    if (!pins.empty() && pins.back().device == device) return pins.back();
    const DevicePin pin{
        device, clock_.now(), PinSource::kClinic,
        "device " + device.substr(0, 16) + "... chosen by the clinic" +
            (pins.empty() ? std::string() : " (was " + pins.back().device.substr(0, 16) + "...)")};
    auto added = store_->add_pin(pseudonym, pin, (*patient)->revision);
    if (!added && added.error().code() == ErrorCode::kConflict && attempt < kMergeAttempts) {
      continue;
    }
    if (!added) return added.error();
    return pin;
  }
}

ImportRecord ClinicApp::merge(Checked checked) {
  ImportRecord& record = checked.record;
  if (checked.rejected) return record;
  const auto reject = [&](const std::string& reason) {
    record.outcome = ImportOutcome::kRejected;
    record.reason = reason;
    return record;
  };
  // Handed in before, in an earlier import or earlier in this one.
  auto seen = store_->import_of(record.sha256);
  if (!seen) return reject(seen.error().message());
  if (*seen) {
    record.outcome = ImportOutcome::kUnchanged;
    record.pseudonym = (*seen)->pseudonym;
    record.reason = "imported before (" + std::string(import_outcome_name((*seen)->outcome)) + ")";
    return record;
  }
  if (checked.seen) return reject("imported before, but its record is gone");
  const PatientArchive& archive = *checked.archive;
  const ChainCheck& chain = checked.chain;

  // Compared with the stored record and saved over exactly that one; when another importer
  // stored this patient in between, compared again with what it stored.
  const std::string checked_reason = record.reason;
  for (int attempt = 1;; ++attempt) {
    auto existing = store_->patient(record.pseudonym);
    if (!existing) return reject(existing.error().message());
    std::optional<std::int64_t> compared_with;
    if (*existing) compared_with = (*existing)->revision;
    record.reason = checked_reason;
    ClinicPatient patient;
    patient.pseudonym = record.pseudonym;
    patient.first_imported = clock_.now();
    // Whose signature is accepted for this patient: checked before anything is compared.
    const PinDecision pin =
        decide_pin(*existing ? (*existing)->pins : std::vector<DevicePin>(), existing->has_value(),
                   record.pseudonym, checked.device, checked.hand_overs, clock_.now());
    if (!pin.refusal.empty()) return reject(pin.refusal);
    if (pin.added) {
      if (record.reason.empty()) record.reason = "signed by device " + checked.device.substr(0, 16);
      record.reason += pin.added->source == PinSource::kFirstUse
                           ? std::string("; trusted on first use")
                           : "; trusted by a hand-over from " +
                                 (*existing)->pins.back().device.substr(0, 16) + "...";
    }
    if (*existing) {
      const ClinicPatient& known = **existing;
      patient.first_imported = known.first_imported;
      auto stored = read_archive_json(known.archive_json, "stored record");
      if (!stored) return reject(stored.error().message());
      const std::string other = " the stored record of " + record.pseudonym +
                                " (another patient with the same pseudonym, or rewritten history)";
      switch (
          decide_merge({*stored, known.chain_head, known.chain_events, known.summary.exported_at},
                       {archive, chain, checked.as_of})) {
        case MergeDecision::kExtends:
          record.outcome = ImportOutcome::kExtended;
          break;
        case MergeDecision::kSame:
          record.outcome = ImportOutcome::kUnchanged;
          record.reason = "the same record as stored";
          record_in_log(*store_, record);
          return record;
        case MergeDecision::kOlder:
          record.outcome = ImportOutcome::kOlder;
          record.reason = "older than the stored record; nothing changed";
          record_in_log(*store_, record);
          return record;
        case MergeDecision::kPlansDiffer:
          return reject("its plans differ from" + other);
        case MergeDecision::kDoesNotContinue:
          return reject("its history does not continue" + other);
        case MergeDecision::kDoesNotMatch:
          return reject("its history does not match" + other);
      }
    } else {
      record.outcome = ImportOutcome::kImported;
    }
    patient.archive_json = std::move(checked.bytes);
    patient.chain_head = chain.head;
    patient.chain_events = static_cast<std::int64_t>(chain.events);
    patient.last_imported = clock_.now();
    patient.summary = checked.summary;
    if (patient.summary.protocol_differs &&
        record.reason.find(kProtocolDiffers) == std::string::npos) {
      record.reason += (record.reason.empty() ? "" : "; ") + std::string(kProtocolDiffers);
    }
    auto saved = store_->save_patient(patient, record, compared_with, pin.added);
    if (!saved && saved.error().code() == ErrorCode::kConflict && attempt < kMergeAttempts) {
      // Another importer stored this patient since it was read: compare again with that.
      checked.bytes = std::move(patient.archive_json);
      continue;
    }
    if (!saved) return reject(saved.error().message());
    return record;
  }
}

namespace {

// Whether a file in a folder handed to import is a sealed export, whatever its name: its first
// bytes say so (only those are read here; the whole file is checked when imported).
bool starts_as_sealed(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[64] = {};
  in.read(head, sizeof head);
  return is_sealed_export(std::string_view(head, static_cast<std::size_t>(in.gcount())));
}

// Why a folder's entry is not read, or "" when it is: a link out of the folder, or an entry
// named as an export that is not a regular file.
std::string refusal(const std::filesystem::directory_entry& item,
                    const std::filesystem::path& folder) {
  std::error_code ec;
  const std::string name = item.path().filename().string();
  const bool named_as_export = item.path().extension() == ".json";
  // A manifest is looked at with its export (check_file), not as a file of its own.
  if (name.size() > 14 && name.compare(name.size() - 14, 14, ".manifest.json") == 0) return {};
  if (const std::string target = link_out_of(item.path(), folder); !target.empty()) {
    return "a link that leads out of the folder (to " + target + "); not read";
  }
  const auto status = std::filesystem::status(item.path(), ec);
  if (!ec && !std::filesystem::is_regular_file(status) && named_as_export &&
      !std::filesystem::is_directory(status)) {
    return "not a regular file (a FIFO, socket or device); not read";
  }
  return {};
}

}  // namespace

Result<ClinicImportReport> ClinicApp::import(
    const std::vector<std::filesystem::path>& paths,
    const std::function<void(std::size_t, std::size_t)>& progress, const ImportLimits& limits) {
  // Each file to read, or the reason it is not read.
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::pair<std::filesystem::path, std::string>> found;
      for (const auto& item : std::filesystem::directory_iterator(path, ec)) {
        const std::string name = item.path().filename().string();
        if (std::string why = refusal(item, path); !why.empty()) {
          found.emplace_back(item.path(), std::move(why));
          continue;
        }
        if (!item.is_regular_file()) continue;
        const bool plain =
            item.path().extension() == ".json" && name.find(".manifest.json") == std::string::npos;
        if (plain || starts_as_sealed(item.path())) found.emplace_back(item.path(), "");
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(path, ec)) {
      files.emplace_back(path, "");  // read_file says what is wrong with a FIFO or a device
    } else {
      return invalid_input(path.string() + ": no such file or folder");
    }
  }
  // The files are checked on worker threads, a few ahead, and merged one by one in file order:
  // the outcome is the same as one at a time, and both cores work.
  auto seen = store_->imported_digests();
  if (!seen) return seen.error();
  (void)date::get_tzdb();  // loaded once, before the workers read it
  auto loaded_keys = load_keys();
  if (!loaded_keys) return loaded_keys.error();
  const ClinicKeys* keys = *loaded_keys ? &**loaded_keys : nullptr;
  // The clinic's protocol as it is now (another desktop may have set it): read once per import.
  auto loaded_protocol = own_protocol();
  if (!loaded_protocol) return loaded_protocol.error();
  const OwnProtocol* own = *loaded_protocol ? &**loaded_protocol : nullptr;
  auto latest = store_->clinic_protocol();
  if (!latest) return latest.error();
  const std::int64_t judged_with = *latest ? (*latest)->seq : 0;
  const Instant now = clock_.now();
  // A few ahead, and no more bytes at once than the limit allows (one file at a time beyond).
  const std::size_t ahead = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::uintmax_t> sizes(files.size(), 0);
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    const auto size = files[i].second.empty() ? std::filesystem::file_size(files[i].first, ec) : 0;
    sizes[i] = ec ? 0 : std::min(size, limits.export_bytes);
  }
  struct Pending {
    std::future<Checked> checked;
    std::uintmax_t bytes;
  };
  std::deque<Pending> pending;
  std::uintmax_t in_flight = 0;
  std::size_t next = 0;
  ClinicImportReport report;
  for (std::size_t i = 0; i < files.size(); ++i) {
    while (next < files.size() && pending.size() < ahead &&
           (pending.empty() || in_flight + sizes[next] <= limits.bytes_in_flight)) {
      const std::string& why = files[next].second;
      if (!why.empty()) {
        std::promise<Checked> refused;
        Checked checked;
        checked.record.file = files[next].first.string();
        checked.record.imported_at = now;
        checked.record.outcome = ImportOutcome::kRejected;
        checked.record.reason = why;
        checked.rejected = true;
        refused.set_value(std::move(checked));
        pending.push_back({refused.get_future(), 0});
      } else {
        pending.push_back(
            {std::async(std::launch::async,
                        [&files, &seen, keys, own, now, n = next, max = limits.export_bytes] {
                          return check_file(files[n].first, now, *seen, keys, max, own);
                        }),
             sizes[next]});
      }
      in_flight += pending.back().bytes;
      ++next;
    }
    Checked checked = pending.front().checked.get();
    in_flight -= pending.front().bytes;
    pending.pop_front();
    checked.summary.judged_with = judged_with;
    // A rejected file is not remembered: fixed (say, its manifest found), it may come again.
    report.files.push_back(merge(std::move(checked)));
    if (progress) progress(i + 1, files.size());
  }
  // The clinic's protocol changed while these were judged (another desktop): judged again now.
  auto rejudged = judge_stale();
  if (!rejudged) return rejudged.error();
  return report;
}

Result<std::vector<ClinicPatient>> ClinicApp::list(std::optional<Verdict> status, ClinicSort sort) {
  auto patients = store_->patients();
  if (!patients) return patients.error();
  std::vector<ClinicPatient> out;
  for (auto& patient : *patients) {
    if (!status || patient.summary.verdict == *status) out.push_back(std::move(patient));
  }
  // Urgent, then contact, then those gone quiet, then as expected.
  const Instant now = clock_.now();
  for (ClinicPatient& patient : out) patient.silent = is_silent(patient.summary, now);
  const auto rank = [](const ClinicPatient& p) {
    return 2 * static_cast<int>(p.summary.verdict) +
           (p.summary.verdict == Verdict::kExpected && p.silent ? 1 : 0);
  };
  const auto by = [&](const ClinicPatient& a, const ClinicPatient& b) {
    switch (sort) {
      case ClinicSort::kStatus:
        if (rank(a) != rank(b)) return rank(a) > rank(b);
        break;
      case ClinicSort::kPatient:
        break;
      case ClinicSort::kLastCheckin:
        if (a.summary.last_checkin != b.summary.last_checkin) {
          return a.summary.last_checkin.value_or(Instant::min()) <
                 b.summary.last_checkin.value_or(Instant::min());  // longest silent first
        }
        break;
      case ClinicSort::kAdherence:
        if (a.summary.adherence != b.summary.adherence) {
          return a.summary.adherence.value_or(2.0) < b.summary.adherence.value_or(2.0);
        }
        break;
      case ClinicSort::kWorst:
        if (a.summary.worst_severity != b.summary.worst_severity) {
          return a.summary.worst_severity > b.summary.worst_severity;
        }
        break;
    }
    return a.pseudonym < b.pseudonym;
  };
  std::sort(out.begin(), out.end(), by);
  return out;
}

Result<FhirDelivery> fhir_delivery(const FhirRecord& record) {
  auto archive = read_archive_json(record.archive_json, record.pseudonym);
  if (!archive) return archive.error();
  return FhirDelivery{record.pseudonym,
                      write_fhir_transaction(*archive, record.pseudonym, record.exported_at,
                                             date::locate_zone("UTC"))};
}

Result<std::vector<FhirDelivery>> ClinicApp::fhir_deliveries(
    const std::optional<std::string>& pseudonym) {
  auto records = fhir_records(pseudonym);
  if (!records) return records.error();
  std::vector<FhirDelivery> deliveries;
  for (const FhirRecord& record : *records) {
    auto delivery = fhir_delivery(record);
    if (!delivery) return delivery.error();
    deliveries.push_back(std::move(*delivery));
  }
  return deliveries;
}

Result<std::vector<FhirRecord>> ClinicApp::fhir_records(
    const std::optional<std::string>& pseudonym) {
  std::vector<std::string> chosen;
  if (pseudonym) {
    chosen.push_back(*pseudonym);
  } else {
    auto patients = list(std::nullopt, ClinicSort::kPatient);
    if (!patients) return patients.error();
    for (const auto& patient : *patients) chosen.push_back(patient.pseudonym);
  }
  std::vector<FhirRecord> records;
  for (const auto& name : chosen) {
    auto patient = store_->patient(name);
    if (!patient) return patient.error();
    if (!*patient) {
      return Error(ErrorCode::kNotFound, Notice{NoticeId::kUnknownPatient, {{"patient", name}}});
    }
    records.push_back({name, std::move((*patient)->archive_json), (*patient)->summary.exported_at});
  }
  return records;
}

Result<ClinicPatientView> ClinicApp::show(const std::string& pseudonym) {
  auto patient = store_->patient(pseudonym);
  if (!patient) return patient.error();
  if (!*patient) {
    return Error(ErrorCode::kNotFound, Notice{NoticeId::kUnknownPatient, {{"patient", pseudonym}}});
  }
  ClinicPatientView view;
  view.patient = std::move(**patient);
  view.patient.silent = is_silent(view.patient.summary, clock_.now());
  auto archive = read_archive_json(view.patient.archive_json, pseudonym);
  if (!archive) return archive.error();
  view.archive = std::move(*archive);
  auto plans = plans_of(view.archive, pseudonym);
  if (!plans) return plans.error();
  view.plans = std::move(*plans);
  auto own = own_protocol();
  if (!own) return own.error();
  const Protocol* own_rules = *own ? &(*own)->protocol : nullptr;
  auto judged =
      judge(view.archive, followed(view.plans), view.patient.summary.exported_at, own_rules);
  if (!judged) return judged.error();
  view.entries = std::move(judged->entries);
  view.assessment = std::move(judged->assessment);
  view.timeline = std::move(judged->timeline);
  const Plan& plan = followed(view.plans);
  for (const auto& session : view.plans) {
    if (session.get() == &plan) view.current = session;
  }
  view.revisions = entry_revisions(view.archive.symptom_versions);
  // The expected course drawn is the one the verdicts use: the clinic's, when it has one (with
  // the patient's for a symptom it does not list).
  Protocol charted = own_rules ? *own_rules : plan.protocol;
  if (own_rules) {
    for (const SymptomDef& def : plan.protocol.symptoms) {
      if (!charted.find_symptom(def.id)) charted.symptoms.push_back(def);
    }
  }
  view.charts = symptom_charts(charted, view.entries, plan.details.treated_at);
  const Plan verdict_plan = judged_as(plan, own_rules);
  view.flags = flags_by_day(verdict_plan, view.entries);
  const SymptomSeries series(view.entries);
  for (const SymptomEntry& entry : view.entries) {
    view.entry_verdicts.push_back(assess_entry(verdict_plan, series, entry).verdict);
  }
  if (*own) {
    view.judged_with = (*own)->record;
    view.protocol_differences =
        protocol_differences((*own)->record.protocol_json, plan.protocol_json);
  }
  return view;
}

Result<ClinicApp::Rejudged> ClinicApp::judge_stale() {
  auto latest = store_->clinic_protocol();
  if (!latest) return latest.error();
  const std::int64_t seq = *latest ? (*latest)->seq : 0;
  Rejudged counts;
  auto names = store_->patients_to_judge(seq);
  if (!names) return names.error();
  if (names->empty()) return counts;
  auto own = own_protocol();
  if (!own) return own.error();
  for (const std::string& name : *names) {
    // An import storing this patient meanwhile moves its revision on: read it again.
    for (int attempt = 1;; ++attempt) {
      auto patient = store_->patient(name);
      if (!patient) return patient.error();
      if (!*patient) break;
      auto summary = judged_again(**patient, *own ? &(*own)->protocol : nullptr,
                                  *own ? &(*own)->record.protocol_json : nullptr);
      const bool readable = summary.ok();
      // A stored record that no longer reads keeps its verdict (marked judged, so that it is not
      // read again at every opening); the next import replaces it.
      PatientSummary judged = readable ? std::move(*summary) : (*patient)->summary;
      judged.judged_with = seq;
      auto saved = store_->save_verdict(name, judged, (*patient)->revision);
      if (!saved && saved.error().code() == ErrorCode::kConflict && attempt < kMergeAttempts) {
        continue;
      }
      if (!saved) return saved.error();
      if (!readable) {
        ++counts.unreadable;
      } else {
        ++counts.judged;
        if (judged.protocol_differs) ++counts.differing;
      }
      break;
    }
  }
  return counts;
}

Result<std::optional<ClinicApp::OwnProtocol>> ClinicApp::own_protocol() {
  auto stored = store_->clinic_protocol();
  if (!stored) return stored.error();
  if (!*stored || (*stored)->protocol_json.empty()) return std::optional<OwnProtocol>();
  auto loaded = load_protocol((*stored)->protocol_json, "the clinic's protocol");
  if (!loaded) {
    return Error(ErrorCode::kStorage,
                 "the clinic's protocol as stored does not load (the database was changed "
                 "outside the app; set it again with clinic protocol set): " +
                     loaded.error().message());
  }
  return std::optional<OwnProtocol>(OwnProtocol{std::move(**stored), std::move(loaded->protocol)});
}

Result<ClinicProtocolChange> ClinicApp::set_protocol(const std::filesystem::path& file) {
  auto text = read_file(file, kMaxProtocolBytes);
  if (!text) return text.error();
  auto loaded = load_protocol(*text, file.string());
  if (!loaded) return loaded.error();
  ClinicProtocol protocol;
  protocol.protocol_json = std::move(loaded->resolved_json);
  protocol.source = file.string();
  return change_protocol(std::move(protocol));
}

Result<ClinicProtocolChange> ClinicApp::clear_protocol() { return change_protocol({}); }

Result<ClinicProtocolChange> ClinicApp::change_protocol(ClinicProtocol protocol) {
  protocol.set_at = clock_.now();
  // Stored with every patient marked to judge again, in one transaction: whatever stops the
  // judging below (a crash, another desktop), the next opening finishes it.
  auto stored = store_->add_clinic_protocol(protocol);
  if (!stored) return stored.error();
  ClinicProtocolChange change;
  change.protocol = std::move(*stored);
  auto judged = judge_stale();
  if (!judged) return judged.error();
  change.judged = judged->judged;
  change.differing = judged->differing;
  change.unreadable = judged->unreadable;
  return change;
}

Result<std::optional<ClinicProtocol>> ClinicApp::protocol() {
  auto own = own_protocol();
  if (!own) return own.error();
  if (!*own) return std::optional<ClinicProtocol>();
  return std::optional<ClinicProtocol>((*own)->record);
}

Result<std::vector<ClinicProtocol>> ClinicApp::protocol_history() {
  return store_->clinic_protocols();
}

}  // namespace aftercare
