#include "exchange/json_archive.h"

#include <algorithm>
#include <set>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "base/duration_text.h"
#include "base/version.h"
#include "schedule/zone_history.h"

namespace aftercare {

namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kFormat = "aftercare-export";
// Version 2 added record_states (the plans, zones, modes and settings under the chain); version 1
// exports are still read, with only their events checked.
constexpr int kVersion = 2;

Json optional_text(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json stamp_json(const ChainStamp& stamp) {
  return Json{{"prev_hash", stamp.prev_hash}, {"hash", stamp.hash}};
}

}  // namespace

std::string write_archive_json(const PatientArchive& archive, const date::time_zone* zone,
                               Instant exported_at) {
  // Each instant with the offset of the zone the patient was in then (an unreadable history,
  // which the reader would refuse anyway, falls back to the export's zone).
  auto history = ZoneHistory::make(archive.zone_changes, zone);
  const ZoneHistory where = history ? std::move(*history) : ZoneHistory::constant(zone);
  const auto iso = [&](Instant at) { return format_iso(at, where.zone_at(at)); };
  Json doc;
  doc["format"] = kFormat;
  doc["version"] = kVersion;
  doc["generator"] = kGenerator;
  doc["exported_at"] = format_iso(exported_at, zone);
  doc["zone"] = std::string(zone->name());
  Json plans = Json::array();
  for (const auto& plan : archive.plans) {
    Json changes = Json::array();
    for (const auto& change : plan.changes) {
      changes.push_back({{"change", change.id},
                         {"field", plan_field_name(change.field)},
                         {"before", change.before},
                         {"after", change.after},
                         {"at", iso(change.at)}});
    }
    plans.push_back({{"plan", plan.id.value()},
                     {"session", plan.session_number},
                     {"treated_at", iso(plan.details.treated_at)},
                     {"zone", plan.details.zone},
                     {"areas", plan.details.areas},
                     {"clinic", plan.details.clinic_name},
                     {"clinic_phone", plan.details.clinic_phone},
                     {"device", plan.details.device},
                     {"products", plan.details.products},
                     {"created_at", iso(plan.created_at)},
                     {"protocol", Json::parse(plan.protocol_json)}});
    // Only a corrected plan has the key, so that an export without corrections reads as before.
    if (!changes.empty()) plans.back()["changes"] = std::move(changes);
  }
  doc["plans"] = std::move(plans);
  Json zones = Json::array();
  for (const auto& change : archive.zone_changes) {
    zones.push_back({{"at", iso(change.at)}, {"zone", change.zone}});
  }
  doc["zone_changes"] = std::move(zones);
  Json modes = Json::array();
  for (const auto& change : archive.mode_changes) {
    modes.push_back({{"at", iso(change.at)}, {"mode", change.mode}, {"on", change.on}});
  }
  doc["mode_changes"] = std::move(modes);
  Json steps = Json::array();
  for (const auto& event : archive.step_events) {
    const auto* at_zone = where.zone_at(event.at);
    steps.push_back({{"seq", event.seq},
                     {"plan", event.plan.value()},
                     {"step", event.step.value()},
                     {"occurrence", event.occurrence},
                     {"scheduled_at", iso(event.scheduled_at)},
                     {"action", step_action_name(event.action)},
                     {"at", format_iso(event.at, at_zone)},
                     {"local_date", format_date(local_date(event.at, at_zone))},
                     {"zone", std::string(at_zone->name())},
                     {"recorded_at", iso(event.recorded_at)},
                     {"chain", stamp_json(event.chain)}});
  }
  doc["step_events"] = std::move(steps);
  Json symptoms = Json::array();
  for (const auto& version : archive.symptom_versions) {
    const SymptomReport& report = version.report;
    const auto* felt_zone = zone_or(report.zone, where.zone_at(report.felt_at));
    symptoms.push_back({{"seq", version.row},
                        {"entry", version.entry.value()},
                        {"version", version.version},
                        {"plan", version.plan.value()},
                        {"action", entry_action_name(version.action)},
                        {"symptom", report.symptom.value()},
                        {"severity", report.severity},
                        {"area", report.area},
                        {"note", report.note},
                        {"photo_sha256", optional_text(report.photo_sha256)},
                        {"relieved", report.relieved ? Json(*report.relieved) : Json(nullptr)},
                        {"felt_at", format_iso(report.felt_at, felt_zone)},
                        {"local_date", format_date(local_date(report.felt_at, felt_zone))},
                        {"zone", report.zone},
                        {"checkin", version.checkin ? Json(*version.checkin) : Json(nullptr)},
                        {"recorded_at", iso(version.recorded_at)},
                        {"chain", stamp_json(version.chain)}});
  }
  doc["symptom_versions"] = std::move(symptoms);
  Json reminders = Json::array();
  for (const auto& event : archive.reminder_events) {
    reminders.push_back({{"plan", event.plan.value()},
                         {"reminder", event.reminder},
                         {"action", reminder_action_name(event.action)},
                         {"at", iso(event.at)},
                         {"until", event.until ? Json(iso(*event.until)) : Json(nullptr)}});
  }
  doc["reminder_events"] = std::move(reminders);
  doc["settings"] = archive.settings;
  Json states = Json::array();
  for (const auto& state : archive.record_states) {
    states.push_back({{"seq", state.seq},
                      {"sections", state.sections},
                      {"recorded_at", iso(state.recorded_at)},
                      {"chain", stamp_json(state.chain)}});
  }
  doc["record_states"] = std::move(states);
  return doc.dump(2) + "\n";
}

namespace {

using simdjson::dom::element;

// Reads fields of a document parsed by simdjson (an export is read 20 times faster than with
// nlohmann's parser, which a clinic importing a thousand exports feels); the first problem stops
// reading and is reported with its path. After a problem every accessor returns a null value, so
// callers may read on and check `failed()` once.
class Reader {
 public:
  Reader(std::string source, const date::time_zone* utc) : source_(std::move(source)), utc_(utc) {
    if (null_parser_.parse(std::string_view("null")).get(null_)) {
      throw std::runtime_error("simdjson cannot parse null");
    }
  }

  static std::string join(std::string_view path, std::string_view key) {
    std::string joined(path);
    if (!joined.empty()) joined += '.';
    joined += key;
    return joined;
  }
  element at(element object, std::string_view key, std::string_view path) {
    element value;
    if (failed() || !object.is_object() || object.get_object().at_key(key).get(value)) {
      fail(join(path, key), "required field is missing");
      return null_;
    }
    return value;
  }
  std::string text(element object, std::string_view key, std::string_view path) {
    const element value = at(object, key, path);
    if (failed()) return {};
    std::string_view text;
    if (value.get_string().get(text)) return fail(join(path, key), "expected a string"), "";
    return std::string(text);
  }
  bool has(element object, std::string_view key) {
    element value;
    return !failed() && object.is_object() && !object.get_object().at_key(key).get(value);
  }
  bool is_null(element object, std::string_view key) {
    element value;
    return !failed() && object.is_object() && !object.get_object().at_key(key).get(value) &&
           value.is_null();
  }
  std::optional<std::string> optional_text(element object, std::string_view key,
                                           std::string_view path) {
    if (is_null(object, key)) return std::nullopt;
    return text(object, key, path);
  }
  std::int64_t integer(element object, std::string_view key, std::string_view path) {
    const element value = at(object, key, path);
    if (failed()) return 0;
    std::int64_t number = 0;
    if (value.get_int64().get(number)) return fail(join(path, key), "expected a whole number"), 0;
    return number;
  }
  std::optional<std::int64_t> optional_integer(element object, std::string_view key,
                                               std::string_view path) {
    if (is_null(object, key)) return std::nullopt;
    return integer(object, key, path);
  }
  Instant time(element object, std::string_view key, std::string_view path) {
    const std::string value = text(object, key, path);
    if (failed()) return {};
    auto parsed = parse_moment(value, utc_);
    if (!parsed || value.size() < 20) {
      return fail(join(path, key), "expected an ISO 8601 time with its offset"), Instant{};
    }
    return *parsed;
  }
  // An array's items (none after a problem).
  std::vector<element> array(element object, std::string_view key, std::string_view path) {
    const element value = at(object, key, path);
    std::vector<element> items;
    if (failed()) return items;
    simdjson::dom::array array;
    if (value.get_array().get(array)) return fail(join(path, key), "expected an array"), items;
    items.reserve(array.size());
    for (element item : array) items.push_back(item);
    return items;
  }
  std::optional<bool> boolean(element value, std::string_view path, const char* expected) {
    bool flag = false;
    if (failed()) return std::nullopt;
    if (value.get_bool().get(flag)) return fail(path, expected), std::nullopt;
    return flag;
  }
  void fail(std::string_view path, std::string_view problem) {
    if (!error_) {
      error_ = invalid_input(source_ + ": " + std::string(path) + ": " + std::string(problem));
    }
  }
  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::string source_;
  const date::time_zone* utc_;
  std::optional<Error> error_;
  simdjson::dom::parser null_parser_;
  element null_;
};

// "name[i]", reusing the buffer.
const std::string& item_path(std::string& buffer, const char* name, std::size_t i) {
  buffer = name;
  buffer += '[';
  buffer += std::to_string(i);
  buffer += ']';
  return buffer;
}

Result<PatientArchive> read_archive(std::string_view text, const std::string& source);

}  // namespace

Result<PatientArchive> read_archive_json(std::string_view text, const std::string& source) {
  // A field of the wrong type deep in a hostile file must be a message, never a crash.
  try {
    return read_archive(text, source);
  } catch (const std::exception& error) {
    return invalid_input(source + ": not an aftercare export (" + error.what() + ")");
  }
}

namespace {

// Reads a document through nlohmann's SAX interface keeping nothing: a parse that builds no
// tree, for the place of its first error.
struct FindError : nlohmann::json_sax<Json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    message = error.what();
    return false;
  }
};

// simdjson says what is wrong but not where: nlohmann's parser names the line and column (without
// building the document: a hostile file costs no more memory here than its bytes).
Error not_json(std::string_view text, const std::string& source, simdjson::error_code code) {
  FindError found;
  if (!Json::sax_parse(text.begin(), text.end(), &found) && !found.message.empty()) {
    const auto at = found.message.find("at line");
    return invalid_input(source + ": not valid JSON (" +
                         (at == std::string::npos ? found.message : found.message.substr(at)) +
                         ")");
  }
  return invalid_input(source + ": not valid JSON (" + simdjson::error_message(code) + ")");
}

Result<PatientArchive> read_archive(std::string_view text, const std::string& source) {
  simdjson::dom::parser parser;
  element doc;
  if (const auto code = parser.parse(text.data(), text.size()).get(doc)) {
    return not_json(text, source, code);
  }
  Reader r(source, date::locate_zone("UTC"));
  std::string_view format;
  std::int64_t format_version = 0;
  if (!doc.is_object() || doc["format"].get(format) || format != kFormat) {
    return invalid_input(source + ": not an aftercare export (no \"format\": \"" + kFormat + "\")");
  }
  if (doc["version"].get(format_version) || format_version < 1 || format_version > kVersion) {
    return invalid_input(source + ": version: this program reads aftercare-export version " +
                         std::to_string(kVersion));
  }
  PatientArchive archive;
  std::string path;
  const auto plans = r.array(doc, "plans", "");
  std::set<std::int64_t> change_ids;  // one numbering over every plan's changes
  for (std::size_t i = 0; !r.failed() && i < plans.size(); ++i) {
    item_path(path, "plans", i);
    const element p = plans[i];
    PlanRecord plan;
    plan.id = PlanId(r.integer(p, "plan", path));
    plan.session_number = static_cast<int>(r.integer(p, "session", path));
    plan.details.treated_at = r.time(p, "treated_at", path);
    plan.details.zone = r.text(p, "zone", path);
    for (const element area : r.array(p, "areas", path)) {
      std::string_view name;
      if (area.get_string().get(name)) r.fail(path + ".areas", "expected names of areas");
      if (!r.failed()) plan.details.areas.emplace_back(name);
    }
    plan.details.clinic_name = r.text(p, "clinic", path);
    plan.details.clinic_phone = r.text(p, "clinic_phone", path);
    plan.details.device = r.text(p, "device", path);
    plan.details.products = r.text(p, "products", path);
    plan.created_at = r.time(p, "created_at", path);
    const element protocol = r.at(p, "protocol", path);
    if (!r.failed() && !protocol.is_object()) r.fail(path + ".protocol", "expected an object");
    // The protocol as the writer prints it (nlohmann's compact form, keys in file order), so
    // that an export read and written again is the same file.
    if (!r.failed()) plan.protocol_json = Json::parse(simdjson::minify(protocol)).dump();
    if (r.has(p, "changes")) {
      const auto changes = r.array(p, "changes", path);
      std::string change_path;
      for (std::size_t k = 0; !r.failed() && k < changes.size(); ++k) {
        change_path = path + ".changes[" + std::to_string(k) + "]";
        const element c = changes[k];
        PlanChange change;
        change.id = r.integer(c, "change", change_path);
        change.plan = plan.id;
        const std::string field = r.text(c, "field", change_path);
        if (const auto named = plan_field_named(field)) {
          change.field = *named;
        } else if (!r.failed()) {
          r.fail(change_path + ".field", "unknown field \"" + field + "\"");
        }
        change.before = r.text(c, "before", change_path);
        change.after = r.text(c, "after", change_path);
        change.at = r.time(c, "at", change_path);
        if (!r.failed() && !change_ids.insert(change.id).second) {
          r.fail(change_path + ".change", "repeats change " + std::to_string(change.id));
        }
        plan.changes.push_back(std::move(change));
      }
      if (!r.failed()) {
        if (auto valid = validate_plan_changes(plan.details, plan.changes); !valid) {
          r.fail(path + ".changes", valid.error().message());
        }
      }
    }
    if (!r.failed() && std::any_of(archive.plans.begin(), archive.plans.end(),
                                   [&](const PlanRecord& other) { return other.id == plan.id; })) {
      r.fail(path + ".plan", "repeats plan " + std::to_string(plan.id.value()));
    }
    archive.plans.push_back(std::move(plan));
  }
  const auto zones = r.array(doc, "zone_changes", "");
  for (std::size_t i = 0; !r.failed() && i < zones.size(); ++i) {
    item_path(path, "zone_changes", i);
    archive.zone_changes.push_back({r.time(zones[i], "at", path), r.text(zones[i], "zone", path)});
  }
  const auto modes = r.array(doc, "mode_changes", "");
  for (std::size_t i = 0; !r.failed() && i < modes.size(); ++i) {
    item_path(path, "mode_changes", i);
    const auto on = r.boolean(r.at(modes[i], "on", path), path + ".on", "expected true or false");
    if (r.failed()) break;
    archive.mode_changes.push_back(
        {r.time(modes[i], "at", path), r.text(modes[i], "mode", path), *on});
  }
  const auto read_stamp = [&](element item, const std::string& item_path) {
    const element chain = r.at(item, "chain", item_path);
    const std::string chain_path = item_path + ".chain";
    return ChainStamp{r.text(chain, "prev_hash", chain_path), r.text(chain, "hash", chain_path)};
  };
  const auto steps = r.array(doc, "step_events", "");
  archive.step_events.reserve(steps.size());
  for (std::size_t i = 0; !r.failed() && i < steps.size(); ++i) {
    item_path(path, "step_events", i);
    const element e = steps[i];
    StepEvent event;
    event.seq = r.integer(e, "seq", path);
    event.plan = PlanId(r.integer(e, "plan", path));
    event.step = StepId(r.text(e, "step", path));
    event.occurrence = r.text(e, "occurrence", path);
    event.scheduled_at = r.time(e, "scheduled_at", path);
    if (const auto action = step_action_named(r.text(e, "action", path))) {
      event.action = *action;
    } else if (!r.failed()) {
      r.fail(path + ".action", "expected done, skipped or undone");
    }
    event.at = r.time(e, "at", path);
    event.recorded_at = r.time(e, "recorded_at", path);
    event.chain = read_stamp(e, path);
    archive.step_events.push_back(std::move(event));
  }
  const auto symptoms = r.array(doc, "symptom_versions", "");
  archive.symptom_versions.reserve(symptoms.size());
  for (std::size_t i = 0; !r.failed() && i < symptoms.size(); ++i) {
    item_path(path, "symptom_versions", i);
    const element v = symptoms[i];
    SymptomVersion version;
    version.row = r.integer(v, "seq", path);
    version.entry = EntryId(r.integer(v, "entry", path));
    version.version = static_cast<int>(r.integer(v, "version", path));
    version.plan = PlanId(r.integer(v, "plan", path));
    const auto action = entry_action_from(r.text(v, "action", path));
    if (!action && !r.failed()) r.fail(path + ".action", "expected logged, edited or deleted");
    version.action = action.value_or(EntryAction::kLogged);
    SymptomReport& report = version.report;
    report.symptom = SymptomId(r.text(v, "symptom", path));
    report.severity = static_cast<int>(r.integer(v, "severity", path));
    if (!r.failed() && (report.severity < 0 || report.severity > kMaxSeverity)) {
      r.fail(path + ".severity", "expected 0 to 10");
    }
    report.area = r.text(v, "area", path);
    report.note = r.text(v, "note", path);
    report.photo_sha256 = r.optional_text(v, "photo_sha256", path);
    if (!r.is_null(v, "relieved")) {
      report.relieved =
          r.boolean(r.at(v, "relieved", path), path + ".relieved", "expected true, false or null");
    }
    report.felt_at = r.time(v, "felt_at", path);
    report.zone = r.text(v, "zone", path);
    version.checkin = r.optional_integer(v, "checkin", path);
    version.recorded_at = r.time(v, "recorded_at", path);
    version.chain = read_stamp(v, path);
    archive.symptom_versions.push_back(std::move(version));
  }
  const auto reminders = r.array(doc, "reminder_events", "");
  for (std::size_t i = 0; !r.failed() && i < reminders.size(); ++i) {
    item_path(path, "reminder_events", i);
    const element e = reminders[i];
    ReminderEvent event;
    event.seq = static_cast<std::int64_t>(i) + 1;
    event.plan = PlanId(r.integer(e, "plan", path));
    event.reminder = r.text(e, "reminder", path);
    const auto action = reminder_action_from(r.text(e, "action", path));
    if (!action && !r.failed()) r.fail(path + ".action", "unknown reminder action");
    event.action = action.value_or(ReminderAction::kFired);
    event.at = r.time(e, "at", path);
    if (!r.failed() && !r.is_null(e, "until")) event.until = r.time(e, "until", path);
    archive.reminder_events.push_back(std::move(event));
  }
  const element settings = r.at(doc, "settings", "");
  simdjson::dom::object fields;
  if (!r.failed() && settings.get_object().get(fields)) r.fail("settings", "expected an object");
  if (!r.failed()) {
    for (const auto field : fields) {
      std::string_view value;
      if (field.value.get_string().get(value)) {
        r.fail("settings." + std::string(field.key), "expected a string");
        break;
      }
      archive.settings[std::string(field.key)] = std::string(value);
    }
  }
  archive.record_chained = format_version >= 2;
  const auto states =
      archive.record_chained ? r.array(doc, "record_states", "") : std::vector<element>();
  for (std::size_t i = 0; !r.failed() && archive.record_chained && i < states.size(); ++i) {
    item_path(path, "record_states", i);
    const element e = states[i];
    RecordState state;
    state.seq = r.integer(e, "seq", path);
    state.sections = r.text(e, "sections", path);
    state.recorded_at = r.time(e, "recorded_at", path);
    state.chain = read_stamp(e, path);
    archive.record_states.push_back(std::move(state));
  }
  if (r.failed()) return r.error();
  // One numbering for every event: a number used twice would hide an event from the chain check.
  std::set<std::int64_t> numbers;
  for (const auto& event : archive.step_events) {
    if (!numbers.insert(event.seq).second) {
      return invalid_input(source + ": event " + std::to_string(event.seq) + " appears twice");
    }
  }
  for (const auto& version : archive.symptom_versions) {
    if (!numbers.insert(version.row).second) {
      return invalid_input(source + ": event " + std::to_string(version.row) + " appears twice");
    }
  }
  for (const auto& state : archive.record_states) {
    if (!numbers.insert(state.seq).second) {
      return invalid_input(source + ": event " + std::to_string(state.seq) + " appears twice");
    }
  }
  return archive;
}

}  // namespace

}  // namespace aftercare
