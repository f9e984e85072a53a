#include "domain/plan.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include <date/date.h>

#include "base/names.h"

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

namespace {

constexpr EnumName<PlanField> kPlanFields[] = {
    {PlanField::kClinicName, "clinic_name"},
    {PlanField::kClinicPhone, "clinic_phone"},
    {PlanField::kAreas, "areas"},
    {PlanField::kDevice, "device"},
    {PlanField::kProducts, "products"},
    {PlanField::kTreatedAt, "treated_at"},
    {PlanField::kStatus, "status"},
};

std::vector<std::string> split_areas(const std::string& text) {
  std::vector<std::string> areas;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    areas.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return areas;
}

}  // namespace

const char* plan_field_name(PlanField field) { return name_in(kPlanFields, field); }

std::optional<PlanField> plan_field_named(std::string_view name) {
  return value_named(kPlanFields, name);
}

std::string plan_time_text(Instant at) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", std::chrono::floor<std::chrono::seconds>(at));
}

std::optional<Instant> plan_time_from(std::string_view text) {
  std::istringstream in{std::string(text)};
  date::sys_seconds at;
  in >> date::parse("%Y-%m-%dT%H:%M:%SZ", at);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  if (plan_time_text(at) != text) return std::nullopt;
  return at;
}

Result<PlanDetails> apply_plan_changes(PlanDetails details, const std::vector<PlanChange>& changes,
                                       bool& cancelled) {
  cancelled = false;
  for (const auto& change : changes) {
    switch (change.field) {
      case PlanField::kClinicName:
        details.clinic_name = change.after;
        break;
      case PlanField::kClinicPhone:
        details.clinic_phone = change.after;
        break;
      case PlanField::kAreas:
        details.areas = split_areas(change.after);
        break;
      case PlanField::kDevice:
        details.device = change.after;
        break;
      case PlanField::kProducts:
        details.products = change.after;
        break;
      case PlanField::kTreatedAt: {
        const auto at = plan_time_from(change.after);
        if (!at) {
          return invalid_input("change " + std::to_string(change.id) +
                               ": treated_at: expected a UTC time, got \"" + change.after + "\"");
        }
        details.treated_at = *at;
        break;
      }
      case PlanField::kStatus:
        if (change.after != "active" && change.after != "cancelled") {
          return invalid_input("change " + std::to_string(change.id) +
                               ": status: expected active or cancelled, got \"" + change.after +
                               "\"");
        }
        cancelled = change.after == "cancelled";
        break;
    }
  }
  return details;
}

Status validate_plan_changes(const PlanDetails& entered, const std::vector<PlanChange>& changes) {
  std::int64_t last = 0;
  bool cancelled = false;
  PlanDetails details = entered;
  for (const auto& change : changes) {
    const std::string where = "change " + std::to_string(change.id);
    if (change.id <= last) return invalid_input(where + ": changes must follow in rising order");
    last = change.id;
    if (cancelled) return invalid_input(where + ": after the plan was cancelled");
    if (change.field == PlanField::kStatus) {
      if (change.before != "active" || change.after != "cancelled") {
        return invalid_input(where + ": status: only active -> cancelled");
      }
      cancelled = true;
      continue;
    }
    bool ignored = false;
    auto applied = apply_plan_changes(details, {change}, ignored);
    if (!applied) return applied.error();
    details = std::move(*applied);
    if (change.field == PlanField::kTreatedAt &&
        (details.treated_at > entered.treated_at + kMaxTreatmentCorrection ||
         details.treated_at < entered.treated_at - kMaxTreatmentCorrection)) {
      return invalid_input(where + ": treated_at: more than 24 h from the time first entered");
    }
    if (auto valid = validate_plan_details(details); !valid) {
      return valid.error().with_context(where);
    }
  }
  return {};
}

const std::vector<std::string>& treatment_areas() {
  static const std::vector<std::string> kAreas = {"face", "neck", "chest",   "hands",    "arms",
                                                  "legs", "back", "abdomen", "buttocks", "scalp"};
  return kAreas;
}

Status validate_patient_name(const std::string& name, const std::string& field) {
  return check_text(field, name);
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
