#include "domain/plan.h"

#include <algorithm>

namespace aftercare {

namespace {

constexpr std::size_t kMaxTextLength = 200;

Status check_text(const std::string& field, const std::string& value) {
  if (value.size() > kMaxTextLength) {
    return invalid_input(field + ": at most " + std::to_string(kMaxTextLength) +
                         " characters, got " + std::to_string(value.size()));
  }
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return invalid_input(field + ": must not contain control characters or line breaks");
  }
  return {};
}

}  // namespace

const std::vector<std::string>& treatment_areas() {
  static const std::vector<std::string> kAreas = {"face", "neck", "chest",   "hands",    "arms",
                                                  "legs", "back", "abdomen", "buttocks", "scalp"};
  return kAreas;
}

Status validate_plan_details(const PlanDetails& details) {
  if (details.areas.empty()) return invalid_input("areas: name at least one treated area");
  for (const auto& area : details.areas) {
    const auto& known = treatment_areas();
    if (std::find(known.begin(), known.end(), area) == known.end()) {
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
      return invalid_input("areas: unknown area \"" + area + "\" (known: " + list + ")");
    }
  }
  AFTERCARE_TRY(check_text("clinic", details.clinic_name));
  AFTERCARE_TRY(check_text("clinic phone", details.clinic_phone));
  AFTERCARE_TRY(check_text("device", details.device));
  AFTERCARE_TRY(check_text("products", details.products));
  if (!details.clinic_phone.empty() &&
      !std::all_of(details.clinic_phone.begin(), details.clinic_phone.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' ||
               c == '.';
      })) {
    return invalid_input("clinic phone: \"" + details.clinic_phone +
                         "\" may hold only digits, spaces and + - ( ) .");
  }
  return {};
}

}  // namespace aftercare
