#include "domain/clinic.h"
#include "base/names.h"

namespace aftercare {

namespace {
constexpr EnumName<ImportOutcome> kOutcomes[] = {
    {ImportOutcome::kImported, "imported"},   {ImportOutcome::kExtended, "extended"},
    {ImportOutcome::kUnchanged, "unchanged"}, {ImportOutcome::kOlder, "older"},
    {ImportOutcome::kRejected, "rejected"},
};

constexpr EnumName<ClinicSort> kSorts[] = {
    {ClinicSort::kStatus, "status"},
    {ClinicSort::kPatient, "patient"},
    {ClinicSort::kLastCheckin, "last_checkin"},
    {ClinicSort::kAdherence, "adherence"},
    {ClinicSort::kWorst, "worst"},
};

constexpr EnumName<PinSource> kPinSources[] = {
    {PinSource::kFirstUse, "first_use"},
    {PinSource::kHandOver, "hand_over"},
    {PinSource::kClinic, "clinic"},
};
}  // namespace

const char* pin_source_name(PinSource source) { return name_in(kPinSources, source); }

std::optional<PinSource> pin_source_named(const std::string& name) {
  return value_named(kPinSources, name);
}

std::optional<ClinicSort> clinic_sort_named(const std::string& name) {
  return value_named(kSorts, name);
}

std::vector<std::string> clinic_sort_names() { return names_in(kSorts); }

const char* import_outcome_name(ImportOutcome outcome) { return name_in(kOutcomes, outcome); }

std::optional<ImportOutcome> import_outcome_named(const std::string& name) {
  return value_named(kOutcomes, name);
}

namespace {

// The hash of event number `n` of `archive` (step events, symptom versions and record states
// share one numbering); null when it has no such event.
const std::string* event_hash(const PatientArchive& archive, std::int64_t n) {
  for (const auto& event : archive.step_events) {
    if (event.seq == n) return &event.chain.hash;
  }
  for (const auto& version : archive.symptom_versions) {
    if (version.row == n) return &version.chain.hash;
  }
  for (const auto& state : archive.record_states) {
    if (state.seq == n) return &state.chain.hash;
  }
  return nullptr;
}

}  // namespace

MergeDecision decide_merge(const StoredRecord& stored, const IncomingExport& incoming) {
  const PatientArchive& archive = incoming.archive;
  const ChainCheck& chain = incoming.chain;
  bool same_plans = stored.archive.plans.size() <= archive.plans.size();
  for (std::size_t i = 0; same_plans && i < stored.archive.plans.size(); ++i) {
    const PlanRecord& a = stored.archive.plans[i];
    const PlanRecord& b = archive.plans[i];
    same_plans = a.id == b.id && a.details.treated_at == b.details.treated_at &&
                 a.protocol_json == b.protocol_json && a.created_at == b.created_at;
  }
  const auto events = static_cast<std::int64_t>(chain.events);
  if (chain.head == stored.chain_head) {
    if (!same_plans) return MergeDecision::kPlansDiffer;
    const bool newer =
        incoming.as_of > stored.exported_at || archive.plans.size() > stored.archive.plans.size();
    // No new event, but a later export or session: stored, so the clinic sees it.
    return newer ? MergeDecision::kExtends : MergeDecision::kSame;
  }
  if (events > stored.chain_events) {
    if (!same_plans) return MergeDecision::kDoesNotContinue;
    if (stored.chain_events == 0) return MergeDecision::kExtends;
    // The hash of the new chain's event number `stored.chain_events` must be the stored head
    // (verify_chain has checked that the numbers run 1..n without gaps or repeats).
    const std::string* hash = event_hash(archive, stored.chain_events);
    return hash && *hash == stored.chain_head ? MergeDecision::kExtends
                                              : MergeDecision::kDoesNotContinue;
  }
  // Fewer events: an older export when its chain is the start of the stored one (an export with
  // no events at all is the start of every chain).
  const std::string* hash = events == 0 ? nullptr : event_hash(stored.archive, events);
  return events == 0 || (hash && *hash == chain.head) ? MergeDecision::kOlder
                                                      : MergeDecision::kDoesNotMatch;
}

}  // namespace aftercare
