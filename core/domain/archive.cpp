#include "domain/archive.h"

#include "domain/protocol_loader.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace aftercare {

Result<std::shared_ptr<const Plan>> plan_from_record(const PlanRecord& record,
                                                     const std::string& source) {
  auto loaded = load_protocol(record.protocol_json, source);
  if (!loaded) return loaded.error();
  auto plan = std::make_shared<Plan>();
  plan->id = record.id;
  plan->session_number = record.session_number;
  auto details = apply_plan_changes(record.details, record.changes, plan->cancelled);
  if (!details) return details.error().with_context(source);
  plan->details = std::move(*details);
  plan->entered = record.details;
  plan->changes = record.changes;
  plan->protocol = std::move(loaded->protocol);
  plan->protocol_json = record.protocol_json;
  plan->created_at = record.created_at;
  return std::shared_ptr<const Plan>(std::move(plan));
}

namespace {

void field(std::string& out, std::string_view value) { append_field(out, value); }
void field(std::string& out, std::int64_t value) { append_field(out, value); }
void field(std::string& out, Instant at) { append_field(out, at.time_since_epoch().count()); }

std::string canonical_plan(const PlanRecord& plan) {
  std::string out = "aftercare-plan/1;";
  field(out, plan.id.value());
  field(out, plan.session_number);
  const PlanDetails& d = plan.details;
  field(out, d.treated_at);
  field(out, d.zone);
  field(out, static_cast<std::int64_t>(d.areas.size()));
  for (const auto& area : d.areas) field(out, area);
  field(out, d.clinic_name);
  field(out, d.clinic_phone);
  field(out, d.device);
  field(out, d.products);
  // As the JSON export writes it back (nlohmann's compact form, keys in file order), so that a
  // plan read from an export hashes as it did where it was stored.
  const auto protocol = nlohmann::ordered_json::parse(plan.protocol_json, nullptr, false);
  field(out, protocol.is_discarded() ? plan.protocol_json : protocol.dump());
  field(out, plan.created_at);
  return out;
}

std::string canonical_changes(const PlanRecord& plan) {
  std::string out = "aftercare-plan-changes/1;";
  for (const auto& change : plan.changes) {
    field(out, change.id);
    field(out, plan_field_name(change.field));
    field(out, change.before);
    field(out, change.after);
    field(out, change.at);
  }
  return out;
}

// The sections as name -> digest, in the order written.
std::vector<std::pair<std::string, std::string>> parse_sections(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    const auto equals = line.rfind('=');
    out.emplace_back(line.substr(0, equals),
                     equals == std::string::npos ? "" : line.substr(equals + 1));
    start = end + 1;
  }
  return out;
}

std::string described(const std::string& section) {
  if (section.rfind("setting ", 0) == 0) return "the setting " + section.substr(8);
  if (section.rfind("plan ", 0) == 0) return section;
  return "the " + section;
}

}  // namespace

bool is_chained_setting(const std::string& key) {
  // The keys App stores them under (app.cpp, app_reminders.cpp, app_exports.cpp).
  return key == "quiet_hours" || key == "snooze_minutes" || key == "notification_window" ||
         key == "patient_pseudonym";
}

bool has_chained_parts(const PatientArchive& archive) {
  return !archive.plans.empty() || !archive.zone_changes.empty() || !archive.mode_changes.empty() ||
         std::any_of(archive.settings.begin(), archive.settings.end(),
                     [](const auto& s) { return is_chained_setting(s.first); });
}

std::string record_sections(const PatientArchive& archive) {
  std::string out;
  const auto line = [&](const std::string& name, const std::string& text) {
    out += name + "=" + sha256_hex(text) + "\n";
  };
  for (const auto& plan : archive.plans) {
    line("plan " + std::to_string(plan.id.value()), canonical_plan(plan));
    // Only with corrections, so that the states recorded before corrections existed still match.
    if (!plan.changes.empty()) {
      line("plan " + std::to_string(plan.id.value()) + " changes", canonical_changes(plan));
    }
  }
  std::string zones = "aftercare-zones/1;";
  for (const auto& change : archive.zone_changes) {
    field(zones, change.at);
    field(zones, change.zone);
  }
  line("zone changes", zones);
  std::string modes = "aftercare-modes/1;";
  for (const auto& change : archive.mode_changes) {
    field(modes, change.at);
    field(modes, change.mode);
    field(modes, change.on ? "on" : "off");
  }
  line("mode changes", modes);
  for (const auto& [key, value] : archive.settings) {
    if (is_chained_setting(key)) line("setting " + key, value);
  }
  return out;
}

std::string record_difference(const std::string& recorded_text, std::int64_t seq,
                              const std::string& current_text) {
  if (recorded_text == current_text) return {};
  const std::string event = "event " + std::to_string(seq);
  const auto recorded = parse_sections(recorded_text);
  const auto current = parse_sections(current_text);
  for (const auto& part : recorded) {
    const std::string& name = part.first;
    const std::string& digest = part.second;
    const auto now = std::find_if(current.begin(), current.end(),
                                  [&](const auto& c) { return c.first == name; });
    if (now == current.end()) {
      return described(name) + ": removed since " + event + " recorded it";
    }
    if (now->second != digest) return described(name) + ": changed after " + event + " recorded it";
  }
  for (const auto& part : current) {
    const std::string& name = part.first;
    const auto before = std::find_if(recorded.begin(), recorded.end(),
                                     [&](const auto& r) { return r.first == name; });
    if (before == recorded.end()) {
      return described(name) + ": not in the record of " + event + " (inserted outside the app)";
    }
  }
  return "the record differs from the one " + event + " recorded";
}

ChainCheck verify_archive(const PatientArchive& archive) {
  std::map<std::int64_t, StepEvent> steps;
  for (const auto& event : archive.step_events) steps.emplace(event.seq, event);
  std::map<std::int64_t, SymptomVersion> symptoms;
  for (const auto& version : archive.symptom_versions) symptoms.emplace(version.row, version);
  std::map<std::int64_t, RecordState> records;
  for (const auto& state : archive.record_states) records.emplace(state.seq, state);
  ChainCheck check = verify_chain(steps, symptoms, records);
  if (!check.ok || !archive.record_chained) return check;
  const auto fail = [&](const std::string& problem) {
    check.ok = false;
    check.problem = problem;
    return check;
  };
  if (records.empty()) {
    return has_chained_parts(archive)
               ? fail(
                     "the plans, zone changes, modes and settings are under no event of "
                     "the chain (its record events were removed)")
               : check;
  }
  const RecordState& latest = records.rbegin()->second;
  const std::string difference =
      record_difference(latest.sections, latest.seq, record_sections(archive));
  if (!difference.empty()) return fail(difference);
  return check;
}

}  // namespace aftercare
