#include "domain/protocol.h"
#include "base/names.h"

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

namespace {
constexpr EnumName<Verdict> kVerdicts[] = {
    {Verdict::kExpected, "expected"},
    {Verdict::kContactClinic, "contact_clinic"},
    {Verdict::kUrgent, "urgent"},
};
}  // namespace

const char* verdict_name(Verdict verdict) { return name_in(kVerdicts, verdict); }

std::optional<Verdict> verdict_named(const std::string& name) {
  return value_named(kVerdicts, name);
}

}  // namespace aftercare
