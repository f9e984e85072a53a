// decide_merge: how a known patient's new export stands to the clinic's stored record.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "domain/clinic.h"

namespace aftercare {
namespace {

Instant day(int n) { return Instant(std::chrono::hours(24 * n)) + std::chrono::hours(24 * 20000); }

// An archive of `plans` sessions and `events` events, numbered 1..events, event i's hash "h<i>"
// with a different `branch` giving other hashes from event `branch_from` on. Even numbers are
// step events, odd ones symptom versions (one numbering, as stored).
PatientArchive archive(int plans, int events, char branch = 'h', int branch_from = 1) {
  PatientArchive a;
  for (int i = 1; i <= plans; ++i) {
    PlanRecord plan;
    plan.id = PlanId(i);
    plan.session_number = i;
    plan.details.treated_at = day(30 * i);
    plan.protocol_json = "{\"name\":\"microneedling\"}";
    plan.created_at = day(30 * i);
    a.plans.push_back(plan);
  }
  for (int i = 1; i <= events; ++i) {
    const std::string hash = std::string(1, i >= branch_from ? branch : 'h') + std::to_string(i);
    if (i % 2 == 0) {
      StepEvent event;
      event.seq = i;
      event.chain.hash = hash;
      a.step_events.push_back(event);
    } else {
      SymptomVersion version;
      version.row = i;
      version.chain.hash = hash;
      a.symptom_versions.push_back(version);
    }
  }
  return a;
}

ChainCheck chain_of(const PatientArchive& a) {
  ChainCheck chain;
  chain.events = a.step_events.size() + a.symptom_versions.size();
  chain.head = "genesis";
  std::int64_t last = 0;
  for (const auto& e : a.step_events) {
    if (e.seq > last) last = e.seq, chain.head = e.chain.hash;
  }
  for (const auto& v : a.symptom_versions) {
    if (v.row > last) last = v.row, chain.head = v.chain.hash;
  }
  return chain;
}

// Issue #13: the merge's decision, once inside ClinicApp::merge, is a pure function with its
// own table.
TEST_CASE("a known patient's new export extends, repeats, predates or contradicts the record",
          "[clinic_merge]") {
  struct Case {
    const char* what;
    PatientArchive stored;
    PatientArchive incoming;
    int incoming_as_of;  // days; the stored record is as of day 100
    MergeDecision expected;
  };
  PatientArchive other_protocol = archive(1, 6);
  other_protocol.plans[0].protocol_json = "{\"name\":\"rewritten\"}";
  PatientArchive other_treatment = archive(1, 9);
  other_treatment.plans[0].details.treated_at = day(31);
  const Case cases[] = {
      {"the same export again", archive(1, 6), archive(1, 6), 100, MergeDecision::kSame},
      {"the same chain, exported earlier", archive(1, 6), archive(1, 6), 90, MergeDecision::kSame},
      {"the same chain, exported later", archive(1, 6), archive(1, 6), 101,
       MergeDecision::kExtends},
      {"the same chain and a new session", archive(1, 6), archive(2, 6), 100,
       MergeDecision::kExtends},
      {"the same chain, its plan rewritten", archive(1, 6), other_protocol, 101,
       MergeDecision::kPlansDiffer},
      {"the same chain with fewer plans", archive(2, 6), archive(1, 6), 101,
       MergeDecision::kPlansDiffer},
      {"new events after the stored head (a step event)", archive(1, 6), archive(1, 9), 101,
       MergeDecision::kExtends},
      {"new events after the stored head (a symptom version)", archive(1, 5), archive(1, 9), 101,
       MergeDecision::kExtends},
      {"new events after an empty record", archive(1, 0), archive(1, 4), 101,
       MergeDecision::kExtends},
      {"longer, but branching off before the stored head", archive(1, 6), archive(1, 9, 'x', 6),
       101, MergeDecision::kDoesNotContinue},
      {"longer, branching at the first event", archive(1, 6), archive(1, 9, 'x', 1), 101,
       MergeDecision::kDoesNotContinue},
      {"longer, its treatment time changed", archive(1, 6), other_treatment, 101,
       MergeDecision::kDoesNotContinue},
      {"shorter, the start of the stored chain", archive(1, 9), archive(1, 6), 90,
       MergeDecision::kOlder},
      {"no events at all (the start of every chain)", archive(1, 9), archive(1, 0), 90,
       MergeDecision::kOlder},
      {"shorter, but another chain", archive(1, 9), archive(1, 6, 'x', 3), 90,
       MergeDecision::kDoesNotMatch},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const ChainCheck stored_chain = chain_of(c.stored);
    const ChainCheck incoming_chain = chain_of(c.incoming);
    const MergeDecision decision = decide_merge(
        {c.stored, stored_chain.head, static_cast<std::int64_t>(stored_chain.events), day(100)},
        {c.incoming, incoming_chain, day(c.incoming_as_of)});
    CHECK(static_cast<int>(decision) == static_cast<int>(c.expected));
  }
}

}  // namespace
}  // namespace aftercare
