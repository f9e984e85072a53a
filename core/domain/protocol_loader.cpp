#include "domain/protocol_loader.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration_text.h"
#include "domain/reminder.h"

namespace aftercare {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view kSchema = "aftercare-protocol/1";
constexpr int kMaxSeverity = 10;

std::string describe_type(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "an unsupported value";
  }
}

bool is_identifier(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  }) && std::islower(static_cast<unsigned char>(text[0]));
}

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Collects every problem of one document, so that a clinic fixes its file in one pass.
class Checker {
 public:
  explicit Checker(std::string source) : source_(std::move(source)) {}

  void problem(const std::string& path, const std::string& what) {
    problems_.push_back(source_ + ": " + (path.empty() ? "(document)" : path) + ": " + what);
  }

  bool failed() const { return !problems_.empty(); }

  Error error() const {
    std::string message;
    for (const auto& line : problems_) {
      if (!message.empty()) message += '\n';
      message += line;
    }
    return invalid_input(message);
  }

 private:
  std::string source_;
  std::vector<std::string> problems_;
};

// Reads the fields of one JSON object; reports missing, mistyped and unknown fields.
class ObjectReader {
 public:
  ObjectReader(Checker& checker, const json& object, std::string path)
      : checker_(checker), object_(object), path_(std::move(path)) {}

  bool is_object() {
    if (object_.is_object()) return true;
    checker_.problem(path_, "expected an object, got " + describe_type(object_));
    return false;
  }

  const json* field(const std::string& key, bool required) {
    known_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) checker_.problem(join_path(path_, key), "required field is missing");
      return nullptr;
    }
    return &*it;
  }

  std::string string(const std::string& key, bool required) {
    const json* value = field(key, required);
    if (!value) return {};
    if (!value->is_string()) {
      checker_.problem(join_path(path_, key), "expected a string, got " + describe_type(*value));
      return {};
    }
    const auto& text = value->get_ref<const std::string&>();
    if (required && text.empty()) checker_.problem(join_path(path_, key), "must not be empty");
    return text;
  }

  std::optional<std::string> optional_string(const std::string& key) {
    if (!object_.contains(key)) {
      known_.insert(key);
      return std::nullopt;
    }
    return string(key, false);
  }

  std::optional<std::chrono::minutes> duration(const std::string& key, bool required) {
    const json* value = field(key, required);
    if (!value) return std::nullopt;
    return read_duration(*value, join_path(path_, key));
  }

  std::optional<std::chrono::minutes> read_duration(const json& value, const std::string& path) {
    if (!value.is_string()) {
      checker_.problem(path, "expected a duration like \"2h\", \"30min\" or \"7d\", got " +
                                 describe_type(value));
      return std::nullopt;
    }
    auto parsed = parse_duration(value.get_ref<const std::string&>());
    if (!parsed) {
      checker_.problem(path, parsed.error().message());
      return std::nullopt;
    }
    return *parsed;
  }

  std::optional<TimeOfDay> read_time_of_day(const json& value, const std::string& path) {
    std::optional<TimeOfDay> time;
    if (value.is_string()) time = parse_time_of_day(value.get_ref<const std::string&>());
    if (!time) {
      checker_.problem(path, "expected a local time like \"08:00\" (24-hour HH:MM), got " +
                                 (value.is_string() ? "\"" + value.get<std::string>() + "\""
                                                    : describe_type(value)));
    }
    return time;
  }

  std::optional<int> integer(const std::string& key, bool required, int min, int max) {
    const json* value = field(key, required);
    if (!value) return std::nullopt;
    return read_integer(*value, join_path(path_, key), min, max);
  }

  std::optional<int> read_integer(const json& value, const std::string& path, int min, int max) {
    if (!value.is_number_integer()) {
      checker_.problem(path, "expected a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", got " + describe_type(value));
      return std::nullopt;
    }
    const auto number = value.get<long long>();
    if (number < min || number > max) {
      checker_.problem(path, "expected a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", got " + std::to_string(number));
      return std::nullopt;
    }
    return static_cast<int>(number);
  }

  bool boolean(const std::string& key, bool fallback) {
    const json* value = field(key, false);
    if (!value) return fallback;
    if (!value->is_boolean()) {
      checker_.problem(join_path(path_, key),
                       "expected true or false, got " + describe_type(*value));
      return fallback;
    }
    return value->get<bool>();
  }

  // Reports every field of the object that no reader asked for.
  void finish() {
    if (!object_.is_object()) return;
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (!known_.count(it.key())) checker_.problem(join_path(path_, it.key()), "unknown field");
    }
  }

  Checker& checker() { return checker_; }
  const std::string& path() const { return path_; }

 private:
  Checker& checker_;
  const json& object_;
  std::string path_;
  std::set<std::string> known_;
};

// Calls `each(key, value, path)` for the entries of an object of named definitions.
template <typename Each>
void for_each_definition(ObjectReader& parent, const std::string& key, bool non_empty, Each each) {
  const json* defs = parent.field(key, true);
  if (!defs) return;
  const std::string path = join_path(parent.path(), key);
  if (!defs->is_object()) {
    parent.checker().problem(path,
                             "expected an object of named entries, got " + describe_type(*defs));
    return;
  }
  if (non_empty && defs->empty()) parent.checker().problem(path, "must have at least one entry");
  for (auto it = defs->begin(); it != defs->end(); ++it) {
    const std::string entry_path = join_path(path, it.key());
    if (!is_identifier(it.key())) {
      parent.checker().problem(entry_path,
                               "a name must be lower-case letters, digits and _ (like "
                               "\"cleanse_am\")");
      continue;
    }
    each(it.key(), it.value(), entry_path);
  }
}

void read_schedule(ObjectReader& step_reader, StepDef& step) {
  const json* schedule = step_reader.field("schedule", true);
  if (!schedule) return;
  ObjectReader reader(step_reader.checker(), *schedule, join_path(step_reader.path(), "schedule"));
  if (!reader.is_object()) return;
  const std::string type = reader.string("type", true);
  if (type == "once") {
    step.kind = ScheduleKind::kOnce;
    step.after = reader.duration("after", true).value_or(Offset{});
  } else if (type == "daily") {
    step.kind = ScheduleKind::kDaily;
    const json* times = reader.field("times", true);
    const std::string times_path = join_path(reader.path(), "times");
    if (times && (!times->is_array() || times->empty())) {
      reader.checker().problem(times_path,
                               "expected a non-empty array of local times like "
                               "[\"08:00\", \"20:00\"], got " +
                                   describe_type(*times));
    } else if (times) {
      for (std::size_t i = 0; i < times->size(); ++i) {
        const std::string path = times_path + "[" + std::to_string(i) + "]";
        if (auto time = reader.read_time_of_day((*times)[i], path)) {
          if (!step.times.empty() && *time <= step.times.back()) {
            reader.checker().problem(path, "times must be in ascending order without repeats");
          }
          step.times.push_back(*time);
        }
      }
    }
  } else if (type == "every") {
    step.kind = ScheduleKind::kEvery;
    step.interval = reader.duration("interval", true).value_or(std::chrono::minutes{});
    if (reader.field("interval", true) && step.interval < std::chrono::minutes(15)) {
      reader.checker().problem(join_path(reader.path(), "interval"), "must be at least 15min");
    }
    const json* between = reader.field("between", true);
    const std::string between_path = join_path(reader.path(), "between");
    if (between && (!between->is_array() || between->size() != 2)) {
      reader.checker().problem(
          between_path,
          "expected two local times like [\"10:00\", \"18:00\"], got " + describe_type(*between));
    } else if (between) {
      auto start = reader.read_time_of_day((*between)[0], between_path + "[0]");
      auto end = reader.read_time_of_day((*between)[1], between_path + "[1]");
      if (start && end && *start > *end) {
        reader.checker().problem(between_path, "the first time must not be after the second");
      }
      step.between_start = start.value_or(TimeOfDay{});
      step.between_end = end.value_or(TimeOfDay{});
    }
  } else if (!type.empty()) {
    reader.checker().problem(join_path(reader.path(), "type"),
                             "expected \"once\", \"daily\" or \"every\", got \"" + type + "\"");
  }
  reader.finish();
}

void read_span(ObjectReader& reader, Offset& from, std::optional<Offset>& until,
               bool from_required) {
  from = reader.duration("from", from_required).value_or(Offset{});
  until = reader.duration("until", false);
  if (until && *until <= from) {
    reader.checker().problem(join_path(reader.path(), "until"), "must be later than \"from\"");
  }
}

void read_steps(ObjectReader& root, Protocol& protocol) {
  for_each_definition(
      root, "steps", true, [&](const std::string& id, const json& value, const std::string& path) {
        ObjectReader reader(root.checker(), value, path);
        if (!reader.is_object()) return;
        StepDef step;
        step.id = StepId(id);
        step.title = reader.string("title", true);
        step.instructions = reader.string("instructions", true);
        read_schedule(reader, step);
        read_span(reader, step.from, step.until, false);
        // A routine must end: open-ended steps would run past every plan horizon.
        if (step.kind != ScheduleKind::kOnce && !step.until && reader.field("schedule", false)) {
          root.checker().problem(join_path(path, "until"),
                                 "required for a daily or repeating step (how long it lasts, like "
                                 "\"7d\")");
        }
        step.window = reader.duration("window", true).value_or(std::chrono::minutes{});
        if (reader.field("window", false) && step.window <= std::chrono::minutes{}) {
          root.checker().problem(join_path(path, "window"), "must be longer than 0min");
        }
        step.condition = reader.optional_string("condition");
        if (step.condition && !is_identifier(*step.condition)) {
          root.checker().problem(join_path(path, "condition"),
                                 "expected a mode name like \"outdoors\"");
        }
        reader.finish();
        protocol.steps.push_back(std::move(step));
      });
}

void read_restrictions(ObjectReader& root, Protocol& protocol) {
  for_each_definition(root, "restrictions", false,
                      [&](const std::string& id, const json& value, const std::string& path) {
                        ObjectReader reader(root.checker(), value, path);
                        if (!reader.is_object()) return;
                        RestrictionDef restriction;
                        restriction.id = RestrictionId(id);
                        restriction.title = reader.string("title", true);
                        restriction.detail = reader.string("detail", false);
                        restriction.ended = reader.string("ended", false);
                        restriction.afterwards = reader.string("afterwards", false);
                        restriction.duration = reader.duration("duration", true).value_or(Offset{});
                        reader.finish();
                        protocol.restrictions.push_back(std::move(restriction));
                      });
}

void read_phases(ObjectReader& root, Protocol& protocol) {
  for_each_definition(root, "phases", true,
                      [&](const std::string& id, const json& value, const std::string& path) {
                        ObjectReader reader(root.checker(), value, path);
                        if (!reader.is_object()) return;
                        PhaseDef phase;
                        phase.id = id;
                        phase.title = reader.string("title", true);
                        phase.description = reader.string("description", false);
                        read_span(reader, phase.from, phase.until, true);
                        reader.finish();
                        protocol.phases.push_back(std::move(phase));
                      });
  std::sort(protocol.phases.begin(), protocol.phases.end(),
            [](const PhaseDef& a, const PhaseDef& b) { return a.from < b.from; });
  for (std::size_t i = 1; i < protocol.phases.size(); ++i) {
    const auto& previous = protocol.phases[i - 1];
    if (!previous.until || *previous.until > protocol.phases[i].from) {
      root.checker().problem("phases." + protocol.phases[i].id,
                             "overlaps phase \"" + previous.id + "\"");
    }
  }
}

void read_course(ObjectReader& reader, SymptomDef& symptom) {
  const json* course = reader.field("course", false);
  if (!course) return;
  const std::string path = join_path(reader.path(), "course");
  if (!course->is_array()) {
    reader.checker().problem(path,
                             "expected an array of [offset, severity] pairs like "
                             "[[\"0h\", 6], [\"72h\", 2]], got " +
                                 describe_type(*course));
    return;
  }
  for (std::size_t i = 0; i < course->size(); ++i) {
    const std::string point_path = path + "[" + std::to_string(i) + "]";
    const json& point = (*course)[i];
    if (!point.is_array() || point.size() != 2) {
      reader.checker().problem(point_path, "expected an [offset, severity] pair like [\"24h\", 5]");
      continue;
    }
    auto at = reader.read_duration(point[0], point_path + "[0]");
    auto severity = reader.read_integer(point[1], point_path + "[1]", 0, kMaxSeverity);
    if (!at || !severity) continue;
    if (!symptom.course.empty() && *at <= symptom.course.back().at) {
      reader.checker().problem(point_path, "offsets must be in ascending order");
    }
    symptom.course.push_back({*at, *severity});
  }
}

void read_symptoms(ObjectReader& root, Protocol& protocol) {
  for_each_definition(root, "symptoms", true,
                      [&](const std::string& id, const json& value, const std::string& path) {
                        ObjectReader reader(root.checker(), value, path);
                        if (!reader.is_object()) return;
                        SymptomDef symptom;
                        symptom.id = SymptomId(id);
                        symptom.title = reader.string("title", true);
                        symptom.infection_sign = reader.boolean("infection_sign", false);
                        symptom.normal_until = reader.duration("normal_until", false);
                        read_course(reader, symptom);
                        symptom.snomed = reader.optional_string("snomed");
                        symptom.loinc = reader.optional_string("loinc");
                        reader.finish();
                        protocol.symptoms.push_back(std::move(symptom));
                      });
}

std::optional<RuleKind> rule_kind_from(const std::string& name) {
  static const std::pair<const char*, RuleKind> kKinds[] = {
      {"severity_at_least", RuleKind::kSeverityAtLeast},
      {"above_course", RuleKind::kAboveCourse},
      {"worsening", RuleKind::kWorsening},
      {"rebound", RuleKind::kRebound},
      {"past_window", RuleKind::kPastWindow},
      {"present", RuleKind::kPresent},
      {"unrelieved", RuleKind::kUnrelieved},
  };
  for (const auto& [text, kind] : kKinds) {
    if (name == text) return kind;
  }
  return std::nullopt;
}

void read_rule_symptoms(ObjectReader& reader, const Protocol& protocol, RuleDef& rule,
                        bool required) {
  const json* symptoms = reader.field("symptoms", required);
  if (!symptoms) return;
  const std::string path = join_path(reader.path(), "symptoms");
  if (!symptoms->is_array() || symptoms->empty()) {
    reader.checker().problem(
        path, "expected a non-empty array of symptom names, got " + describe_type(*symptoms));
    return;
  }
  for (std::size_t i = 0; i < symptoms->size(); ++i) {
    const json& name = (*symptoms)[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!name.is_string() || !protocol.find_symptom(SymptomId(name.get<std::string>()))) {
      reader.checker().problem(
          item_path,
          "expected the name of a symptom defined in "
          "\"symptoms\", got " +
              (name.is_string() ? "\"" + name.get<std::string>() + "\"" : describe_type(name)));
      continue;
    }
    rule.symptoms.emplace_back(name.get<std::string>());
  }
}

void read_rules(ObjectReader& root, Protocol& protocol) {
  for_each_definition(
      root, "rules", false, [&](const std::string& id, const json& value, const std::string& path) {
        ObjectReader reader(root.checker(), value, path);
        if (!reader.is_object()) return;
        RuleDef rule;
        rule.id = id;
        rule.message = reader.string("message", true);
        const std::string verdict = reader.string("verdict", true);
        if (verdict == "contact_clinic") {
          rule.verdict = Verdict::kContactClinic;
        } else if (verdict == "urgent") {
          rule.verdict = Verdict::kUrgent;
        } else if (!verdict.empty()) {
          root.checker().problem(
              join_path(path, "verdict"),
              "expected \"contact_clinic\" or \"urgent\", got \"" + verdict + "\"");
        }
        const std::string kind_name = reader.string("kind", true);
        const auto kind = rule_kind_from(kind_name);
        if (!kind) {
          if (!kind_name.empty()) {
            root.checker().problem(join_path(path, "kind"),
                                   "unknown rule kind \"" + kind_name +
                                       "\" (expected severity_at_least, above_course, worsening, "
                                       "rebound, past_window, present or unrelieved)");
          }
          return;
        }
        rule.kind = *kind;
        switch (rule.kind) {
          case RuleKind::kSeverityAtLeast:
            rule.threshold = reader.integer("threshold", true, 1, kMaxSeverity).value_or(0);
            read_rule_symptoms(reader, protocol, rule, false);
            break;
          case RuleKind::kAboveCourse:
            rule.tolerance = reader.integer("tolerance", true, 0, kMaxSeverity).value_or(0);
            read_rule_symptoms(reader, protocol, rule, false);
            break;
          case RuleKind::kWorsening:
            rule.after = reader.duration("after", true).value_or(Offset{});
            rule.min_change = reader.integer("min_change", true, 1, kMaxSeverity).value_or(1);
            read_rule_symptoms(reader, protocol, rule, true);
            break;
          case RuleKind::kRebound:
            rule.min_change = reader.integer("min_change", true, 1, kMaxSeverity).value_or(1);
            read_rule_symptoms(reader, protocol, rule, true);
            break;
          case RuleKind::kPastWindow:
            rule.margin = reader.duration("margin", true).value_or(Offset{});
            read_rule_symptoms(reader, protocol, rule, false);
            break;
          case RuleKind::kPresent:
          case RuleKind::kUnrelieved:
            rule.threshold = reader.integer("threshold", true, 1, kMaxSeverity).value_or(1);
            read_rule_symptoms(reader, protocol, rule, true);
            break;
        }
        reader.finish();
        protocol.rules.push_back(std::move(rule));
      });
}

void read_series(ObjectReader& root, Protocol& protocol) {
  const json* series = root.field("series", true);
  if (!series) return;
  ObjectReader reader(root.checker(), *series, "series");
  if (!reader.is_object()) return;
  protocol.series.interval = reader.duration("interval", true).value_or(std::chrono::minutes{});
  if (reader.field("interval", false) && protocol.series.interval < std::chrono::days(1)) {
    root.checker().problem("series.interval", "must be at least 1d");
  }
  protocol.series.sessions = reader.integer("sessions", true, 1, 50).value_or(1);
  reader.finish();
}

void read_triage(ObjectReader& root, Protocol& protocol) {
  const json* triage = root.field("triage", false);
  if (!triage) return;
  ObjectReader reader(root.checker(), *triage, "triage");
  if (!reader.is_object()) return;
  if (auto after = reader.duration("silent_after", false)) {
    protocol.triage.silent_after = *after;
    if (*after < std::chrono::hours(1)) {
      root.checker().problem("triage.silent_after", "must be at least 1h");
    }
  }
  reader.finish();
}

void read_preparation(ObjectReader& root, Protocol& protocol) {
  if (!root.field("preparation", false)) return;  // protocols written before it have none
  for_each_definition(root, "preparation", false,
                      [&](const std::string& id, const json& value, const std::string& path) {
                        ObjectReader reader(root.checker(), value, path);
                        if (!reader.is_object()) return;
                        PreparationDef item;
                        item.id = id;
                        item.title = reader.string("title", true);
                        item.instructions = reader.string("instructions", true);
                        item.before = reader.duration("before", true).value_or(Offset{});
                        if (item.before > std::chrono::days(60)) {
                          root.checker().problem(join_path(path, "before"), "at most 60d");
                        }
                        reader.finish();
                        protocol.preparation.push_back(std::move(item));
                      });
}

Protocol read_protocol(Checker& checker, const json& document) {
  Protocol protocol;
  ObjectReader root(checker, document, "");
  if (!root.is_object()) return protocol;
  const std::string schema = root.string("schema", true);
  if (!schema.empty() && schema != kSchema) {
    checker.problem("schema", "expected \"" + std::string(kSchema) + "\", got \"" + schema + "\"");
  }
  protocol.id = root.string("id", true);
  if (!protocol.id.empty() && !is_identifier(protocol.id)) {
    checker.problem("id", "a name must be lower-case letters, digits and _");
  }
  protocol.name = root.string("name", true);
  read_steps(root, protocol);
  read_restrictions(root, protocol);
  read_phases(root, protocol);
  // Symptoms before rules: rules name symptoms.
  read_symptoms(root, protocol);
  read_rules(root, protocol);
  read_series(root, protocol);
  read_triage(root, protocol);
  read_preparation(root, protocol);
  root.finish();
  return protocol;
}

}  // namespace

Result<LoadedProtocol> load_protocol(std::string_view text, const std::string& source) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& error) {
    // A syntax error, or a number out of range (found by fuzzing, issue #7).
    const std::string what = error.what();
    const auto at = what.find("at line");
    return invalid_input(source + ": not valid JSON (" +
                         (at == std::string::npos ? what : what.substr(at)) + ")");
  }
  if (document.is_object() && document.contains("extends")) {
    const json& extends = document["extends"];
    if (!extends.is_string() || extends.get<std::string>() != "microneedling") {
      return invalid_input(source +
                           ": extends: expected \"microneedling\", the protocol this "
                           "program knows, got " +
                           (extends.is_string() ? "\"" + extends.get<std::string>() + "\""
                                                : describe_type(extends)));
    }
    json patch = document;
    patch.erase("extends");
    if (patch.contains("schema")) {
      return invalid_input(source +
                           ": schema: an override file (with \"extends\") takes its "
                           "schema from the protocol it extends; remove this field");
    }
    document = json::parse(default_protocol_text());
    document.merge_patch(patch);
  }
  Checker checker(source);
  Protocol protocol = read_protocol(checker, document);
  if (checker.failed()) return checker.error();
  return LoadedProtocol{std::move(protocol), document.dump()};
}

namespace {

std::string shown_value(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

void differences_of(const nlohmann::json& clinic, const nlohmann::json& patient,
                    const std::string& path, std::vector<std::string>& out) {
  if (clinic.is_object() && patient.is_object()) {
    std::set<std::string> keys;
    for (const auto& [key, _] : clinic.items()) keys.insert(key);
    for (const auto& [key, _] : patient.items()) keys.insert(key);
    for (const std::string& key : keys) {
      // The triage is the clinic's alone (the patient's app never reads it), and the preparation
      // was over before the aftercare a clinic judges: neither is a difference.
      if (path.empty() && (key == "triage" || key == "preparation")) continue;
      const std::string at = path.empty() ? key : path + "." + key;
      const bool in_clinic = clinic.contains(key);
      const bool in_patient = patient.contains(key);
      if (!in_patient) {
        out.push_back(at + ": only in the clinic's");
      } else if (!in_clinic) {
        out.push_back(at + ": only in the patient's");
      } else {
        differences_of(clinic.at(key), patient.at(key), at, out);
      }
    }
    return;
  }
  if (clinic != patient) {
    out.push_back((path.empty() ? std::string("the document") : path) + ": the clinic's " +
                  shown_value(clinic) + ", the patient's " + shown_value(patient));
  }
}

}  // namespace

std::vector<std::string> protocol_differences(std::string_view clinic_json,
                                              std::string_view patient_json, std::size_t limit) {
  const auto clinic = nlohmann::json::parse(clinic_json, nullptr, false);
  const auto patient = nlohmann::json::parse(patient_json, nullptr, false);
  std::vector<std::string> out;
  if (clinic.is_discarded() || patient.is_discarded()) {
    if (clinic_json != patient_json) out.push_back("the document: not readable as JSON");
    return out;
  }
  differences_of(clinic, patient, "", out);
  if (out.size() > limit) {
    const std::size_t more = out.size() - limit;
    out.resize(limit);
    out.push_back("and " + std::to_string(more) + " more");
  }
  return out;
}

}  // namespace aftercare
