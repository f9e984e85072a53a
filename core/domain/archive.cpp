#include "domain/archive.h"

#include "domain/protocol_loader.h"

namespace aftercare {

Result<std::shared_ptr<const Plan>> plan_from_record(const PlanRecord& record,
                                                     const std::string& source) {
  auto loaded = load_protocol(record.protocol_json, source);
  if (!loaded) return loaded.error();
  auto plan = std::make_shared<Plan>();
  plan->id = record.id;
  plan->session_number = record.session_number;
  plan->details = record.details;
  plan->protocol = std::move(loaded->protocol);
  plan->protocol_json = record.protocol_json;
  plan->created_at = record.created_at;
  return std::shared_ptr<const Plan>(std::move(plan));
}

ChainCheck verify_archive(const PatientArchive& archive) {
  std::map<std::int64_t, StepEvent> steps;
  for (const auto& event : archive.step_events) steps.emplace(event.seq, event);
  std::map<std::int64_t, SymptomVersion> symptoms;
  for (const auto& version : archive.symptom_versions) symptoms.emplace(version.row, version);
  return verify_chain(steps, symptoms);
}

}  // namespace aftercare
