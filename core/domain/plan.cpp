#include "domain/plan.h"

#include <algorithm>
#include <chrono>

namespace aftercare {

namespace {

constexpr std::size_t kMaxTextLength = 200;

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    unsigned min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // the sequence runs past the end
    unsigned code = c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

namespace {

Status check_text(const std::string& field, const std::string& value) {
  if (!is_valid_utf8(value)) return invalid_input(field + ": not valid UTF-8 text");
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

int day_after_treatment(const Plan& plan, Instant at) {
  // floor, not truncation: a second before the treatment is day -1, not day 0.
  return static_cast<int>(
      std::chrono::floor<std::chrono::days>(at - plan.details.treated_at).count());
}

}  // namespace aftercare
