#include <sstream>

#include "base/duration_text.h"
#include "base/visible_text.h"
#include "domain/reminder.h"

#include "commands.h"
#include "exchange/timeline_json.h"
#include "services/cli_wording.h"
#include "text_format.h"

namespace aftercare::cli {

namespace {

// A change's value as a person reads it: a time in the zone, areas with spaces, "(none)".
std::string change_value(const PlanChange& change, const std::string& value,
                         const date::time_zone* zone) {
  if (value.empty()) return "(none)";
  if (change.field == PlanField::kTreatedAt) {
    if (const auto at = plan_time_from(value)) return format_iso(*at, zone);
  }
  if (change.field == PlanField::kAreas) {
    std::string text = visible_text(value, true);
    for (std::size_t i = 0; (i = text.find(',', i)) != std::string::npos; i += 2) {
      text.replace(i, 1, ", ");
    }
    return text;
  }
  return "\"" + visible_text(value, true) + "\"";
}

}  // namespace

void print_plan_changes(std::ostream& out, const Plan& plan, const date::time_zone* zone,
                        const std::string& indent) {
  for (const auto& change : plan.changes) {
    out << indent << format_iso(change.at, zone) << "  ";
    if (change.field == PlanField::kStatus && change.after == "cancelled") {
      out << "cancelled\n";
      continue;
    }
    out << plan_field_name(change.field) << ": " << change_value(change, change.before, zone)
        << " -> " << change_value(change, change.after, zone) << "\n";
  }
}

namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const auto first = item.find_first_not_of(' ');
    const auto last = item.find_last_not_of(' ');
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

std::string describe_schedule(const StepDef& step) {
  const auto hm = time_of_day_text;
  std::string text;
  switch (step.kind) {
    case ScheduleKind::kOnce:
      text = "once, " + describe_duration(step.after) + " after treatment";
      break;
    case ScheduleKind::kDaily:
      text = "daily at";
      for (std::size_t i = 0; i < step.times.size(); ++i) {
        text += (i == 0 ? " " : ", ") + hm(step.times[i]);
      }
      break;
    case ScheduleKind::kEvery:
      text = "every " + describe_duration(step.interval) + " from " + hm(step.between_start) +
             " to " + hm(step.between_end);
      break;
  }
  if (step.condition) text += ", while " + *step.condition;
  if (step.until) text += ", for " + describe_duration(*step.until);
  return text;
}

void print_plan(std::ostream& out, const Plan& plan, const App& app) {
  const auto* zone = app.zone();
  const Instant treated = plan.details.treated_at;
  out << "Plan " << plan.id.value() << ": session " << plan.session_number << " of "
      << plan.protocol.series.sessions << ", " << plan.protocol.name << "\n";
  out << "  Treated   " << date::format("%a %d %b %Y %H:%M", to_local(treated, zone)) << " "
      << zone_abbreviation(treated, zone) << " (" << zone->name() << ")\n";
  std::string areas;
  for (const auto& area : plan.details.areas) areas += (areas.empty() ? "" : ", ") + area;
  out << "  Areas     " << areas << "\n";
  if (!plan.details.clinic_name.empty() || !plan.details.clinic_phone.empty()) {
    out << "  Clinic    " << plan.details.clinic_name
        << (plan.details.clinic_name.empty() || plan.details.clinic_phone.empty() ? "" : ", ")
        << plan.details.clinic_phone << "\n";
  }
  if (!plan.details.device.empty()) out << "  Device    " << plan.details.device << "\n";
  if (!plan.details.products.empty()) out << "  Products  " << plan.details.products << "\n";
  if (!plan.changes.empty()) {
    out << "  Changes\n";
    print_plan_changes(out, plan, zone, "    ");
  }
  out << "\nSteps\n";
  for (const auto& step : plan.protocol.steps) {
    out << "  " << step.id.value()
        << std::string(14 - std::min<std::size_t>(13, step.id.value().size()), ' ') << step.title
        << " (" << describe_schedule(step) << ")\n";
  }
  out << "\nRestrictions\n";
  for (const auto& restriction : plan.protocol.restrictions) {
    const Instant ends = treated + restriction.duration;
    out << "  " << restriction.id.value()
        << std::string(18 - std::min<std::size_t>(17, restriction.id.value().size()), ' ')
        << restriction.title << ", until " << day_and_time(ends, app.now(), zone) << " "
        << zone_abbreviation(ends, zone) << "\n";
  }
}

}  // namespace

int report(const Error& error, std::ostream& err) {
  err << "aftercare: " << cli_words(error) << "\n";
  switch (error.code()) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kConflict:
      return 2;
    default:
      return 1;
  }
}

void print_json(std::ostream& out, const nlohmann::ordered_json& document) {
  out << document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

int plan_start(Context& context) {
  const auto& args = context.args;
  const auto treated_text = args.option("--treated");
  if (!treated_text) {
    return report(invalid_input("plan start: --treated TIME is required (when your treatment "
                                "ended, e.g. 2027-03-13T21:00)"),
                  context.err);
  }
  auto treated = context.app.parse_time(*treated_text);
  if (!treated) return report(treated.error().with_context("--treated"), context.err);
  PlanDetails details;
  details.treated_at = *treated;
  details.zone = args.global.zone.value_or("");
  if (auto areas = args.option("--areas")) {
    details.areas = split_list(*areas);
    if (details.areas.empty()) {
      return report(invalid_input("--areas: name at least one treated area"), context.err);
    }
  }  // else the previous session's, or face
  details.clinic_name = args.option("--clinic").value_or("");
  details.clinic_phone = args.option("--clinic-phone").value_or("");
  details.device = args.option("--device").value_or("");
  details.products = args.option("--products").value_or("");
  std::optional<std::filesystem::path> protocol;
  if (auto file = args.option("--protocol")) protocol = *file;
  auto plan = context.app.start_plan(details, protocol);
  if (!plan) return report(plan.error(), context.err);
  if (args.global.json) {
    print_json(context.out, plan_to_json(**plan, context.app.zone()));
    return kExitOk;
  }
  context.out << "Started your aftercare plan.\n\n";
  print_plan(context.out, **plan, context.app);
  context.out << "\nRun `aftercare today` to see what to do now.\n";
  return kExitOk;
}

int plan_edit(Context& context) {
  const auto& args = context.args;
  PlanEdit edit;
  edit.clinic_name = args.option("--clinic");
  edit.clinic_phone = args.option("--clinic-phone");
  edit.device = args.option("--device");
  edit.products = args.option("--products");
  if (auto areas = args.option("--areas")) {
    edit.areas = split_list(*areas);
    if (edit.areas->empty()) {
      return report(invalid_input("--areas: name at least one treated area"), context.err);
    }
  }
  if (auto treated_text = args.option("--treated")) {
    auto treated = context.app.parse_time(*treated_text);
    if (!treated) return report(treated.error().with_context("--treated"), context.err);
    edit.treated_at = *treated;
  }
  if (!edit.clinic_name && !edit.clinic_phone && !edit.device && !edit.products && !edit.areas &&
      !edit.treated_at) {
    return report(invalid_input("plan edit: give what to correct: --clinic, --clinic-phone, "
                                "--areas, --device, --products or --treated"),
                  context.err);
  }
  auto plan = context.app.edit_plan(edit);
  if (!plan) return report(plan.error(), context.err);
  if (args.global.json) {
    print_json(context.out, plan_to_json(**plan, context.app.zone()));
    return kExitOk;
  }
  context.out << "Corrected your plan.\n\n";
  print_plan(context.out, **plan, context.app);
  return kExitOk;
}

int plan_cancel(Context& context) {
  auto plan = context.app.cancel_plan();
  if (!plan) return report(plan.error(), context.err);
  auto current = context.app.current_plan();
  if (!current) return report(current.error(), context.err);
  if (context.args.global.json) {
    Json doc;
    doc["cancelled"] = plan_to_json(**plan, context.app.zone());
    doc["current"] = *current ? plan_to_json(**current, context.app.zone()) : Json(nullptr);
    print_json(context.out, doc);
    return kExitOk;
  }
  const auto* zone = context.app.zone();
  context.out << "Cancelled plan " << (*plan)->id.value() << " (session " << (*plan)->session_number
              << ", treated " << format_iso((*plan)->details.treated_at, zone)
              << "). It stays in the history and the exports, marked cancelled.\n";
  if (*current) {
    context.out << "You follow session " << (*current)->session_number << " again, treated "
                << format_iso((*current)->details.treated_at, zone) << ".\n";
  } else {
    context.out << "No plan now: start one with `aftercare plan start --treated TIME`.\n";
  }
  return kExitOk;
}

int plan_show(Context& context) {
  auto plan = context.app.current_plan();
  if (!plan) return report(plan.error(), context.err);
  if (!*plan) {
    return report(Error(ErrorCode::kNotFound,
                        "no plan yet: start one with `aftercare plan start --treated TIME`"),
                  context.err);
  }
  if (context.args.global.json) {
    print_json(context.out, plan_to_json(**plan, context.app.zone()));
  } else {
    print_plan(context.out, **plan, context.app);
  }
  return kExitOk;
}

int protocol_check(const Arguments& args, std::ostream& out, std::ostream& err) {
  const std::string file = args.words.back();
  auto loaded = App::check_protocol_file(file);
  if (!loaded) {
    if (args.global.json) {
      nlohmann::ordered_json document;
      document["file"] = file;
      document["valid"] = false;
      nlohmann::ordered_json problems = nlohmann::ordered_json::array();
      std::stringstream lines(loaded.error().message());
      for (std::string line; std::getline(lines, line);) problems.push_back(line);
      document["problems"] = problems;
      print_json(out, document);
    }
    if (loaded.error().code() != ErrorCode::kInvalidInput) return report(loaded.error(), err);
    err << "aftercare: " << file << " is not a valid protocol:\n";
    std::stringstream lines(loaded.error().message());
    for (std::string line; std::getline(lines, line);) err << "  " << line << "\n";
    return kExitUsage;
  }
  const Protocol& protocol = loaded->protocol;
  if (args.global.json) {
    nlohmann::ordered_json document;
    document["file"] = file;
    document["valid"] = true;
    document["protocol"] = protocol.id;
    document["name"] = protocol.name;
    document["steps"] = protocol.steps.size();
    document["restrictions"] = protocol.restrictions.size();
    document["symptoms"] = protocol.symptoms.size();
    document["rules"] = protocol.rules.size();
    print_json(out, document);
  } else {
    out << file << ": a valid protocol, \"" << protocol.name << "\": " << protocol.steps.size()
        << " steps, " << protocol.restrictions.size() << " restrictions, "
        << protocol.symptoms.size() << " symptoms, " << protocol.rules.size() << " rules\n";
  }
  return kExitOk;
}

}  // namespace aftercare::cli
