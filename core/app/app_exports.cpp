// The export use cases of App: a snapshot of the database written as CSV or .ics, with a
// manifest that lets a clinic check the file.
#include "app/app.h"
#include "app/private_file.h"
#include "base/files.h"
#include "exchange/csv_writer.h"
#include "exchange/fhir_writer.h"
#include "exchange/ics_writer.h"
#include "exchange/json_archive.h"
#include "exchange/pdf_report.h"
#include "exchange/sealed_export.h"

#include <nlohmann/json.hpp>

namespace aftercare {

namespace {
constexpr const char* kPseudonymKey = "patient_pseudonym";
// The hand-overs this device accepted, as a JSON list (write_hand_overs).
constexpr const char* kHandOversKey = "device_hand_overs";
}  // namespace

Result<ExportResult> App::export_to(ExportFormat format, const std::filesystem::path& out,
                                    bool include_name) {
  std::string text;
  auto device = device_keys();
  if (!device) return device.error();
  auto result = build_export(format, out, text, include_name);
  if (!result) return result.error();
  // The export and its manifest as one unit: both on disk before either replaces a file.
  AFTERCARE_TRY(write_private_files(
      {{out, text}, {result->manifest_file, write_manifest(result->manifest, zone_, *device)}}));
  result->device = key_to_hex(device->public_key);
  return result;
}

Result<ExportResult> App::export_into(ExportFormat format, const std::filesystem::path& folder,
                                      bool include_name) {
  static constexpr const char* kExtensions[] = {"csv", "json", "fhir.json", "ics", "pdf"};
  AFTERCARE_TRY(ensure_private_directory(folder));
  return export_to(format,
                   folder / (std::string("aftercare.") + kExtensions[static_cast<int>(format)]),
                   include_name);
}

Result<std::string> App::patient_name() {
  auto name = store_->setting(kPatientNameSetting);
  if (!name) return name.error();
  return name->value_or("");
}

Status App::set_patient_name(const std::string& name) {
  AFTERCARE_TRY(validate_patient_name(name));
  return store_->set_setting(kPatientNameSetting, name, clock_.now());
}

Result<DeviceKeys> App::device_keys() {
  if (data_dir_.empty()) {
    static const DeviceKeys kEphemeral = generate_device_keys();  // an in-memory store's
    return kEphemeral;
  }
  // Read once: the apps ask for the key at every refresh, and a device's key never changes.
  if (device_keys_) return *device_keys_;
  const auto file = data_dir_ / kDeviceKeyFile;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    const DeviceKeys created = generate_device_keys();
    auto made = create_private_file(file, key_file_text(created.secret_key, created.public_key));
    if (!made) return made.error();
    if (*made) return *(device_keys_ = created);
    // Another process created it meanwhile: that key is the device's.
  }
  auto text = read_secret_file(file);
  if (!text) return text.error();
  auto keys = read_key_file_text(*text, 64, 32, file.string() + " (the device key)");
  if (!keys) return keys.error();
  return *(device_keys_ = DeviceKeys{std::move(keys->second), std::move(keys->first)});
}

Result<ExportResult> App::export_sealed(const std::filesystem::path& out,
                                        const std::string& clinic_public_key_hex,
                                        bool include_name) {
  auto clinic = key_from_hex(clinic_public_key_hex, 32, "the clinic's key");
  if (!clinic) return clinic.error();
  auto device = device_keys();
  if (!device) return device.error();
  std::string text;
  auto result = build_export(ExportFormat::kJson, out, text, include_name);
  if (!result) return result.error();
  AFTERCARE_TRY(write_private_file(
      out, seal_export(text, write_manifest(result->manifest, zone_, *device), *device, *clinic)));
  result->manifest_file.clear();  // inside the sealed file
  result->device = key_to_hex(device->public_key);
  return result;
}

Result<ExportResult> App::build_export(ExportFormat format, const std::filesystem::path& out,
                                       std::string& text, bool include_name) {
  AFTERCARE_TRY(sync_zone(false));
  // Made before the snapshot: a first pseudonym is a new state of the record, in the chain.
  auto patient = pseudonym();
  if (!patient) return patient.error();
  auto hand_overs = stored_hand_overs();
  if (!hand_overs) return hand_overs.error();
  // One snapshot for everything written: the file, its counts and its chain head agree even
  // while another process writes.
  auto archive = store_->archive();
  if (!archive) return archive.error();
  if (archive->plans.empty()) return no_plan();
  // The name leaves the device only when the patient chose it for this export (it is not under
  // the chain, so leaving it out changes no hash).
  std::string patient_name;
  if (auto kept = archive->settings.find(kPatientNameSetting); kept != archive->settings.end()) {
    patient_name = kept->second;
    archive->settings.erase(kept);
  }
  if (include_name && !patient_name.empty()) {
    archive->settings[kPatientNameSetting] = patient_name;
  }
  std::vector<std::shared_ptr<const Plan>> sessions;
  for (const auto& record : archive->plans) {
    auto plan = plan_from_record(record, "stored plan " + std::to_string(record.id.value()));
    if (!plan) return Error(ErrorCode::kStorage, plan.error().message());
    sessions.push_back(std::move(*plan));
  }
  // The session followed now: the latest not cancelled (nullptr when every one was).
  std::shared_ptr<const Plan> current;
  for (const auto& plan : sessions) {
    if (!plan->cancelled) current = plan;
  }
  const ChainCheck chain = verify_archive(*archive);
  if (!chain.ok) {
    return Error(ErrorCode::kStorage,
                 "the log does not verify, so it is not exported: " + chain.problem);
  }
  const Instant now = clock_.now();
  // The device is in zone_ now, whether or not that change is stored yet (as in zone_history).
  std::vector<ZoneChange> changes = archive->zone_changes;
  changes.push_back({now, std::string(zone_->name())});
  auto zones = ZoneHistory::make(std::move(changes), zone_);
  if (!zones) return zones.error();
  const Modes modes = Modes::from_changes(archive->mode_changes);

  ExportSnapshot snapshot;
  snapshot.taken_at = now;
  snapshot.zones = *zones;
  // The current session's adherence per day after treatment (the N-th 24 h: the day numbers of
  // the PDF's header, flags and charts), counted in the same pass; each `day` is the local date
  // that day starts on.
  std::vector<Adherence> days_after;
  for (const auto& plan : sessions) {
    snapshot.plans.push_back(plan.get());
    if (plan->cancelled) continue;  // not followed: nothing of it was the patient's to miss
    std::vector<StepEvent> events;
    for (const auto& event : archive->step_events) {
      if (event.plan == plan->id) events.push_back(event);
    }
    const auto records = fold_step_events(events);
    const Instant end = std::min(now, plan_end(*plan));
    if (end <= plan->details.treated_at) continue;
    for (const auto& occurrence :
         expand_steps(*plan, *zones, plan->details.treated_at, end, modes)) {
      StepItem item = classify(occurrence, records, now);
      // A window that closed before the plan was entered was not the patient's to miss.
      if (item.status == OccurrenceStatus::kMissed && occurrence.due_until <= plan->created_at) {
        continue;
      }
      if (plan == current) {
        const auto n = static_cast<std::size_t>(day_after_treatment(*plan, occurrence.scheduled));
        while (days_after.size() <= n) {
          days_after.push_back(
              {local_date(plan->details.treated_at + date::days(days_after.size()), zone_)});
        }
        Adherence& day = days_after[n];
        ++(item.status == OccurrenceStatus::kDone      ? day.done
           : item.status == OccurrenceStatus::kSkipped ? day.skipped
           : item.status == OccurrenceStatus::kMissed  ? day.missed
                                                       : day.open);
      }
      if (item.status == OccurrenceStatus::kMissed) {
        snapshot.missed.push_back({plan.get(), std::move(item)});
      }
    }
  }
  snapshot.step_events = archive->step_events;
  snapshot.symptom_versions = archive->symptom_versions;

  std::string name;
  switch (format) {
    case ExportFormat::kCsv:
      text = write_csv(snapshot);
      name = "csv";
      break;
    case ExportFormat::kJson: {
      text = write_archive_json(*archive, zone_, now);
      name = "json";
      break;
    }
    case ExportFormat::kFhir: {
      text = write_fhir_bundle(*archive, *patient, now, zone_);
      name = "fhir";
      break;
    }
    case ExportFormat::kPdf: {
      if (!current) return no_plan();
      auto today_now = today();
      if (!today_now) return today_now.error();
      auto cache = log_cache(*current);
      if (!cache) return cache.error();
      ReportInput input;
      input.plan = current.get();
      input.pseudonym = *patient;
      if (include_name) input.patient_name = patient_name;
      input.generated_at = now;
      input.zone = zone_;
      input.entries = sorted_entries((*cache)->entries);
      input.now = assess(*input.plan, input.entries, now);
      input.adherence_by_day = std::move(days_after);
      input.overall = today_now->timeline.overall_adherence;
      auto pdf = write_pdf_report(input);
      if (!pdf) return pdf.error();
      text = std::move(*pdf);
      name = "pdf";
      break;
    }
    case ExportFormat::kIcs:
      if (!current) return no_plan();
      text = write_ics(*current, *zones, zone_, now);
      name = "ics";
      break;
  }
  ExportResult result;
  result.file = out;
  result.manifest_file = out.string() + ".manifest.json";
  ExportManifest& manifest = result.manifest;
  manifest.format = name;
  manifest.file = out.filename().string();
  manifest.sha256 = sha256_hex(text);
  manifest.patient = *patient;
  manifest.created_at = now;
  manifest.from = sessions.front()->details.treated_at;
  manifest.to = now;
  manifest.counts = {
      {"sessions", static_cast<std::int64_t>(sessions.size())},
      {"step_events", static_cast<std::int64_t>(snapshot.step_events.size())},
      {"missed_steps", static_cast<std::int64_t>(snapshot.missed.size())},
      {"symptom_versions", static_cast<std::int64_t>(snapshot.symptom_versions.size())}};
  manifest.chain_head = chain.head;
  manifest.chain_events = static_cast<std::int64_t>(chain.events);
  manifest.hand_overs = std::move(*hand_overs);
  return result;
}

Result<std::string> App::pseudonym() {
  auto stored = store_->setting(kPseudonymKey);
  if (!stored) return stored.error();
  if (*stored) return std::move(**stored);
  // Made once: two first exports at once both get the one stored.
  return store_->setting_once(kPseudonymKey, "P-" + random_hex(8), clock_.now());
}

Result<std::vector<HandOver>> App::stored_hand_overs() {
  auto stored = store_->setting(kHandOversKey);
  if (!stored) return stored.error();
  if (!*stored) return std::vector<HandOver>();
  auto read = read_hand_overs(**stored, "the stored hand-overs");
  if (!read) return Error(ErrorCode::kStorage, read.error().message());
  return read;
}

Result<std::string> App::device_key() {
  auto keys = device_keys();
  if (!keys) return keys.error();
  return key_to_hex(keys->public_key);
}

Result<App::DeviceInfo> App::device() {
  auto keys = device_keys();
  if (!keys) return keys.error();
  // Read, not made: a new phone asked for its key before the old phone's export is imported
  // must stay empty for that import.
  auto patient = store_->setting(kPseudonymKey);
  if (!patient) return patient.error();
  auto hand_overs = stored_hand_overs();
  if (!hand_overs) return hand_overs.error();
  return DeviceInfo{key_to_hex(keys->public_key), patient->value_or(""), std::move(*hand_overs)};
}

Result<HandOver> App::hand_over_to(const std::string& new_device_key_hex) {
  auto keys = device_keys();
  if (!keys) return keys.error();
  auto patient = pseudonym();
  if (!patient) return patient.error();
  return sign_hand_over(*patient, *keys, new_device_key_hex, clock_.now());
}

Result<HandOver> App::accept_hand_over(const std::filesystem::path& file) {
  auto text = read_file(file, kMaxManifestBytes);
  if (!text) return text.error();
  auto hand_over = read_hand_over(*text, file.string());
  if (!hand_over) return hand_over.error();
  auto info = device();
  if (!info) return info.error();
  if (hand_over->to != info->key) {
    return invalid_input(file.string() + ": made for another device (" +
                         hand_over->to.substr(0, 16) + "...), not this one (" +
                         info->key.substr(0, 16) + "...)");
  }
  if (info->patient.empty() || hand_over->patient != info->patient) {
    return invalid_input(file.string() + ": hands over " + hand_over->patient +
                         ", not this record" +
                         (info->patient.empty() ? std::string() : " (" + info->patient + ")") +
                         ": import the old device's export first");
  }
  for (const auto& kept : info->hand_overs) {
    if (kept.signature == hand_over->signature) return hand_over;  // already kept
  }
  info->hand_overs.push_back(*hand_over);
  AFTERCARE_TRY(store_->set_setting(kHandOversKey, write_hand_overs(info->hand_overs), now()));
  return hand_over;
}

Result<App::ExportCheck> App::verify_export(const std::filesystem::path& file) {
  auto text = read_file(file, kMaxExportBytes);
  if (!text) return text.error();
  if (is_sealed_export(*text)) {
    return invalid_input(file.string() +
                         ": sealed for a clinic; only that clinic's key opens it (the clinic "
                         "checks it on import)");
  }
  const std::filesystem::path manifest_file = file.string() + ".manifest.json";
  auto manifest_text = read_file(manifest_file, kMaxManifestBytes);
  if (!manifest_text) return manifest_text.error().with_context("its manifest");
  auto manifest = read_manifest(*manifest_text, manifest_file.string());
  if (!manifest) return manifest.error();
  if (manifest->sha256 != sha256_hex(*text)) {
    return invalid_input(file.string() + ": altered or truncated: its SHA-256 differs from " +
                         "its manifest's");
  }
  ExportCheck check;
  check.format = manifest->format;
  check.patient = manifest->patient;
  check.device = manifest->device;
  auto keys = device_keys();
  if (!keys) return keys.error();
  check.this_device = check.device == key_to_hex(keys->public_key);
  if (manifest->format == "json") {
    auto archive = read_archive_json(*text, file.string());
    if (!archive) return archive.error();
    const ChainCheck chain = verify_archive(*archive);
    if (!chain.ok) return invalid_input(file.string() + ": the log was altered: " + chain.problem);
    if (chain.head != manifest->chain_head) {
      return invalid_input(file.string() +
                           ": its hash chain ends elsewhere than its manifest says");
    }
    check.events = static_cast<std::int64_t>(chain.events);
  }
  return check;
}

Result<PatientArchive> App::import_archive(const std::filesystem::path& file) {
  std::error_code ec;
  auto read = read_file(file, kMaxExportBytes);
  if (!read) return read.error();
  const std::string text = std::move(*read);
  // A manifest beside the file must match it.
  const std::filesystem::path manifest_file = file.string() + ".manifest.json";
  if (std::filesystem::exists(manifest_file, ec)) {
    auto manifest_text = read_file(manifest_file, kMaxManifestBytes);
    if (!manifest_text) return manifest_text.error();
    auto manifest = read_manifest(*manifest_text, manifest_file.string());
    if (!manifest) return manifest.error();
    if (manifest->sha256 != sha256_hex(text)) {
      return invalid_input(file.string() + ": does not match its manifest (SHA-256 differs): " +
                           "altered or truncated");
    }
  }
  auto archive = read_archive_json(text, file.string());
  if (!archive) return archive.error();
  const ChainCheck check = verify_archive(*archive);
  if (!check.ok) return invalid_input(file.string() + ": the log was altered: " + check.problem);
  for (const auto& plan : archive->plans) {
    auto protocol = load_protocol(plan.protocol_json,
                                  file.string() + ": plan " + std::to_string(plan.id.value()));
    if (!protocol) return protocol.error();
    if (auto zone = locate_zone(plan.details.zone); !zone) {
      return zone.error().with_context(file.string());
    }
  }
  AFTERCARE_TRY(store_->restore(*archive));
  plan_.reset();
  log_cache_.reset();
  zone_changes_.reset();
  return std::move(*archive);
}

}  // namespace aftercare
