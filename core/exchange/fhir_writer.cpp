#include "exchange/fhir_writer.h"

#include <set>

#include <nlohmann/json.hpp>

#include "domain/journal.h"
#include "domain/protocol_loader.h"
#include "schedule/timeline.h"

namespace aftercare {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSnomed = "http://snomed.info/sct";
constexpr const char* kLoinc = "http://loinc.org";

Json reference(const std::string& uuid) { return Json{{"reference", "urn:uuid:" + uuid}}; }

std::string clock_text(TimeOfDay time) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d:00", static_cast<int>(time.count() / 60),
                static_cast<int>(time.count() % 60));
  return text;
}

Json body_site(const std::string& area) {
  std::string title = area;
  if (!title.empty())
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  Json site;
  if (area == "face") {
    site["coding"] =
        Json::array({{{"system", kSnomed}, {"code", "89545001"}, {"display", "Face structure"}}});
  }
  site["text"] = title;
  return site;
}

Json care_plan_activities(const Plan& plan, Instant now, const date::time_zone* zone) {
  const Instant treated = plan.details.treated_at;
  const auto iso = [&](Instant at) { return format_iso(at, zone); };
  Json activities = Json::array();
  for (const auto& restriction : plan.protocol.restrictions) {
    const Instant ends = treated + restriction.duration;
    Json detail{{"kind", "Task"},
                {"code", {{"text", restriction.title}}},
                {"status", now >= ends ? "completed" : "in-progress"},
                {"scheduledPeriod", {{"start", iso(treated)}, {"end", iso(ends)}}}};
    if (!restriction.detail.empty()) detail["description"] = restriction.detail;
    activities.push_back({{"detail", detail}});
  }
  for (const auto& step : plan.protocol.steps) {
    Json detail{{"kind", "Task"}, {"code", {{"text", step.title}}}};
    const Instant start = treated + step.from;
    const Instant end = step.until ? treated + *step.until : plan_end(plan);
    detail["status"] = now >= end ? "completed" : "scheduled";
    if (step.kind == ScheduleKind::kOnce) {
      detail["scheduledPeriod"] = {{"start", iso(treated + step.after)},
                                   {"end", iso(treated + step.after + step.window)}};
    } else {
      Json times = Json::array();
      if (step.kind == ScheduleKind::kDaily) {
        for (const auto time : step.times) times.push_back(clock_text(time));
      } else {
        for (TimeOfDay t = step.between_start; t <= step.between_end; t += step.interval) {
          times.push_back(clock_text(t));
        }
      }
      detail["scheduledTiming"] = {{"repeat",
                                    {{"boundsPeriod", {{"start", iso(start)}, {"end", iso(end)}}},
                                     {"frequency", times.size()},
                                     {"period", 1},
                                     {"periodUnit", "d"},
                                     {"timeOfDay", times}}}};
    }
    std::string description = step.instructions;
    if (step.condition) description += " (only while " + *step.condition + ")";
    detail["description"] = description;
    activities.push_back({{"detail", detail}});
  }
  return activities;
}

}  // namespace

std::string stable_uuid(const std::string& name) {
  std::string hex = sha256_hex(name).substr(0, 32);
  hex[12] = '8';  // version 8: custom
  static constexpr char kVariant[] = "89ab";
  hex[16] = kVariant[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

namespace {

Json fhir_bundle(const PatientArchive& archive, const std::string& pseudonym, Instant timestamp,
                 const date::time_zone* zone) {
  const auto uuid = [&](const std::string& what) { return stable_uuid(pseudonym + "/" + what); };
  Json entries = Json::array();
  const auto add = [&](const std::string& id, Json resource) {
    resource["id"] = id;
    entries.push_back({{"fullUrl", "urn:uuid:" + id}, {"resource", std::move(resource)}});
  };
  const std::string patient = uuid("patient");
  Json patient_resource = {
      {"resourceType", "Patient"},
      {"identifier", Json::array({{{"system", "urn:aftercare:patient"}, {"value", pseudonym}}})}};
  // The name only when the patient put it into this export (App::build_export).
  if (auto name = archive.settings.find(kPatientNameSetting);
      name != archive.settings.end() && !name->second.empty()) {
    patient_resource["name"] = Json::array({{{"text", name->second}}});
  }
  add(patient, std::move(patient_resource));

  std::vector<Plan> loaded;
  for (const auto& record : archive.plans) {
    // An archive is verified before export; a plan whose protocol does not load is skipped.
    if (auto plan = plan_from_record(record, "stored plan")) loaded.push_back(**plan);
  }
  std::set<int> numbered;  // session numbers already used: a cancelled plan's is taken again
  for (const auto& plan : loaded) {
    const auto* plan_zone = zone_or(plan.details.zone, zone);
    // The key (and identifier) a session had when first sent stays its own; a session that takes
    // the number of a cancelled one gets a key of its own.
    const bool first_of_number = numbered.insert(plan.session_number).second;
    const std::string number = std::to_string(plan.session_number) +
                               (first_of_number ? "" : "-plan-" + std::to_string(plan.id.value()));
    const std::string session = "session/" + number;
    const std::string procedure = uuid(session + "/procedure");
    Json sites = Json::array();
    for (const auto& area : plan.details.areas) sites.push_back(body_site(area));
    Json proc{
        {"resourceType", "Procedure"},
        {"identifier",
         Json::array({{{"system", "urn:aftercare:session"}, {"value", pseudonym + "-" + number}}})},
        // A plan started by mistake (`plan cancel`) was never this treatment.
        {"status", plan.cancelled ? "entered-in-error" : "completed"},
        {"code",
         {{"coding", Json::array({{{"system", "urn:aftercare:procedure"},
                                   {"code", "microneedling"},
                                   {"display", "Microneedling (collagen induction therapy)"}}})},
          {"text", "Microneedling (collagen induction therapy)"}}},
        {"subject", reference(patient)},
        {"performedDateTime", format_iso(plan.details.treated_at, plan_zone)}};
    if (!sites.empty()) proc["bodySite"] = sites;
    std::string note = "Session " + std::to_string(plan.session_number) + " of " +
                       std::to_string(plan.protocol.series.sessions) + ".";
    if (!plan.details.device.empty()) note += " Device: " + plan.details.device + ".";
    if (!plan.details.products.empty()) note += " Products: " + plan.details.products + ".";
    proc["note"] = Json::array({{{"text", note}}});
    add(procedure, std::move(proc));

    const std::string care_plan = uuid(session + "/careplan");
    const Instant end =
        std::max(plan_end(plan), plan.details.treated_at + plan.protocol.series.interval);
    add(care_plan, {{"resourceType", "CarePlan"},
                    {"identifier", Json::array({{{"system", "urn:aftercare:careplan"},
                                                 {"value", pseudonym + "-" + number}}})},
                    {"status", plan.cancelled     ? "entered-in-error"
                               : timestamp >= end ? "completed"
                                                  : "active"},
                    {"intent", "plan"},
                    {"title", plan.protocol.name},
                    {"subject", reference(patient)},
                    {"period",
                     {{"start", format_iso(plan.details.treated_at, plan_zone)},
                      {"end", format_iso(end, plan_zone)}}},
                    {"created", format_iso(plan.created_at, plan_zone)},
                    {"supportingInfo", Json::array({reference(procedure)})},
                    {"activity", care_plan_activities(plan, timestamp, plan_zone)}});

    // Check-ins: one QuestionnaireResponse each, from the current entries.
    std::map<std::int64_t, std::vector<const SymptomEntry*>> checkins;
    EntryMap current;
    for (const auto& version : archive.symptom_versions) {
      if (version.plan == plan.id) apply_version(current, version);
    }
    for (const auto& [id, entry] : current) {
      if (entry.checkin) checkins[*entry.checkin].push_back(&entry);
    }
    for (const auto& [checkin, items] : checkins) {
      Json answers = Json::array();
      for (const auto* entry : items) {
        const SymptomDef* def = plan.protocol.find_symptom(entry->report.symptom);
        answers.push_back({{"linkId", entry->report.symptom.value()},
                           {"text", (def ? def->title : entry->report.symptom.value()) + " (0-10)"},
                           {"answer", Json::array({{{"valueInteger", entry->report.severity}}})}});
      }
      const auto* felt_zone = zone_or(items.front()->report.zone, zone);
      add(uuid("checkin/" + std::to_string(checkin)),
          {{"resourceType", "QuestionnaireResponse"},
           {"identifier",
            {{"system", "urn:aftercare:checkin"},
             {"value", pseudonym + "-" + std::to_string(checkin)}}},
           {"basedOn", Json::array({reference(care_plan)})},
           {"partOf", Json::array({reference(procedure)})},
           {"status", "completed"},
           {"subject", reference(patient)},
           {"authored", format_iso(items.front()->first_recorded, felt_zone)},
           {"author", reference(patient)},
           {"item", answers}});
    }
    for (const auto& [id, entry] : current) {
      const SymptomReport& report = entry.report;
      const SymptomDef* def = plan.protocol.find_symptom(report.symptom);
      const std::string title = def ? def->title : report.symptom.value();
      Json code{{"text", title}};
      if (def && def->snomed) {
        code["coding"] =
            Json::array({{{"system", kSnomed}, {"code", *def->snomed}, {"display", title}}});
      } else if (def && def->loinc) {
        code["coding"] =
            Json::array({{{"system", kLoinc}, {"code", *def->loinc}, {"display", title}}});
      }
      const auto* felt_zone = zone_or(report.zone, zone);
      Json observation{
          {"resourceType", "Observation"},
          {"identifier", Json::array({{{"system", "urn:aftercare:entry"},
                                       {"value", pseudonym + "-" + std::to_string(id)}}})},
          {"partOf", Json::array({reference(procedure)})},
          {"status", entry.version > 1 ? "amended" : "final"},
          {"category",
           Json::array(
               {{{"coding",
                  Json::array(
                      {{{"system", "http://terminology.hl7.org/CodeSystem/observation-category"},
                        {"code", "survey"},
                        {"display", "Survey"}}})}}})},
          {"code", code},
          {"subject", reference(patient)},
          {"effectiveDateTime", format_iso(report.felt_at, felt_zone)},
          {"issued", format_iso(entry.recorded_at, felt_zone)},
          {"performer", Json::array({reference(patient)})},
          {"valueInteger", report.severity},
          {"method", {{"text", "Patient-reported 0-10 numeric rating scale"}}}};
      if (!report.note.empty()) observation["note"] = Json::array({{{"text", report.note}}});
      if (!report.area.empty()) observation["bodySite"] = body_site(report.area);
      if (entry.checkin) {
        observation["derivedFrom"] =
            Json::array({reference(uuid("checkin/" + std::to_string(*entry.checkin)))});
      }
      add(uuid("entry/" + std::to_string(id)), std::move(observation));
    }
  }
  Json bundle{{"resourceType", "Bundle"},
              {"id", uuid("bundle")},
              {"identifier", {{"system", "urn:aftercare:export"}, {"value", pseudonym}}},
              {"type", "collection"},
              {"timestamp", format_iso(timestamp, zone)},
              {"entry", entries}};
  return bundle;
}

}  // namespace

std::string write_fhir_bundle(const PatientArchive& archive, const std::string& pseudonym,
                              Instant timestamp, const date::time_zone* zone) {
  return fhir_bundle(archive, pseudonym, timestamp, zone).dump(2) + "\n";
}

std::string write_fhir_transaction(const PatientArchive& archive, const std::string& pseudonym,
                                   Instant timestamp, const date::time_zone* zone) {
  Json collection = fhir_bundle(archive, pseudonym, timestamp, zone);
  Json entries = Json::array();
  for (auto& entry : collection["entry"]) {
    Json& resource = entry["resource"];
    // The server assigns ids; the entries refer to each other by fullUrl (urn:uuid), which the
    // server resolves to those ids.
    resource.erase("id");
    const Json& identifier =
        resource["identifier"].is_array() ? resource["identifier"][0] : resource["identifier"];
    const std::string type = resource["resourceType"].get<std::string>();
    Json request{{"method", "PUT"},
                 {"url", type + "?identifier=" + identifier["system"].get<std::string>() + "|" +
                             identifier["value"].get<std::string>()}};
    entries.push_back({{"fullUrl", entry["fullUrl"]},
                       {"resource", std::move(resource)},
                       {"request", std::move(request)}});
  }
  Json bundle{{"resourceType", "Bundle"},
              {"type", "transaction"},
              {"timestamp", collection["timestamp"]},
              {"entry", std::move(entries)}};
  return bundle.dump() + "\n";
}

}  // namespace aftercare
