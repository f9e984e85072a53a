#include "domain/protocol.h"

#include <algorithm>

namespace aftercare {

namespace {

template <typename Def, typename Id>
const Def* find_by_id(const std::vector<Def>& defs, const Id& id) {
  auto it = std::find_if(defs.begin(), defs.end(), [&](const Def& def) { return def.id == id; });
  return it == defs.end() ? nullptr : &*it;
}

}  // namespace

const StepDef* Protocol::find_step(const StepId& wanted) const { return find_by_id(steps, wanted); }

const RestrictionDef* Protocol::find_restriction(const RestrictionId& wanted) const {
  return find_by_id(restrictions, wanted);
}

const SymptomDef* Protocol::find_symptom(const SymptomId& wanted) const {
  return find_by_id(symptoms, wanted);
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kExpected:
      return "expected";
    case Verdict::kContactClinic:
      return "contact_clinic";
    case Verdict::kUrgent:
      return "urgent";
  }
  return "expected";
}

std::optional<Verdict> verdict_named(const std::string& name) {
  for (auto verdict : {Verdict::kExpected, Verdict::kContactClinic, Verdict::kUrgent}) {
    if (name == verdict_name(verdict)) return verdict;
  }
  return std::nullopt;
}

}  // namespace aftercare
