#include "exchange/json_archive.h"

#include <set>

#include <nlohmann/json.hpp>

#include "base/duration_text.h"

namespace aftercare {

namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kFormat = "aftercare-export";
constexpr int kVersion = 1;

Json optional_text(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// Reads fields of a document; the first problem stops reading and is reported with its path.
class Reader {
 public:
  Reader(std::string source, const date::time_zone* utc) : source_(std::move(source)), utc_(utc) {}

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  const Json& at(const Json& object, const std::string& key, const std::string& path) {
    if (!object.is_object() || !object.contains(key)) {
      fail(join(path, key), "required field is missing");
      return null_;
    }
    return object[key];
  }
  std::string text(const Json& object, const std::string& key, const std::string& path) {
    const Json& value = at(object, key, path);
    if (failed()) return {};
    if (!value.is_string()) return fail(join(path, key), "expected a string"), std::string();
    return value.get<std::string>();
  }
  std::optional<std::string> optional_text(const Json& object, const std::string& key,
                                           const std::string& path) {
    if (object.is_object() && object.contains(key) && object[key].is_null()) return std::nullopt;
    return text(object, key, path);
  }
  std::int64_t integer(const Json& object, const std::string& key, const std::string& path) {
    const Json& value = at(object, key, path);
    if (failed()) return 0;
    if (!value.is_number_integer()) return fail(join(path, key), "expected a whole number"), 0;
    return value.get<std::int64_t>();
  }
  std::optional<std::int64_t> optional_integer(const Json& object, const std::string& key,
                                               const std::string& path) {
    if (object.is_object() && object.contains(key) && object[key].is_null()) return std::nullopt;
    return integer(object, key, path);
  }
  Instant time(const Json& object, const std::string& key, const std::string& path) {
    const std::string value = text(object, key, path);
    if (failed()) return {};
    auto parsed = parse_moment(value, utc_);
    if (!parsed || value.size() < 20) {
      return fail(join(path, key), "expected an ISO 8601 time with its offset"), Instant{};
    }
    return *parsed;
  }
  const Json& array(const Json& object, const std::string& key, const std::string& path) {
    const Json& value = at(object, key, path);
    if (!failed() && !value.is_array()) fail(join(path, key), "expected an array");
    return value;
  }
  void fail(const std::string& path, const std::string& problem) {
    if (!error_) error_ = invalid_input(source_ + ": " + path + ": " + problem);
  }
  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::string source_;
  const date::time_zone* utc_;
  std::optional<Error> error_;
  const Json null_;
};

Json stamp_json(const ChainStamp& stamp) {
  return Json{{"prev_hash", stamp.prev_hash}, {"hash", stamp.hash}};
}

}  // namespace

std::string write_archive_json(const PatientArchive& archive, const date::time_zone* zone,
                               Instant exported_at) {
  const auto iso = [&](Instant at) { return format_iso(at, zone); };
  Json doc;
  doc["format"] = kFormat;
  doc["version"] = kVersion;
  doc["generator"] = "aftercare 0.1.0";
  doc["exported_at"] = iso(exported_at);
  doc["zone"] = std::string(zone->name());
  Json plans = Json::array();
  for (const auto& plan : archive.plans) {
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
    steps.push_back({{"seq", event.seq},
                     {"plan", event.plan.value()},
                     {"step", event.step.value()},
                     {"occurrence", event.occurrence},
                     {"scheduled_at", iso(event.scheduled_at)},
                     {"action", step_action_name(event.action)},
                     {"at", iso(event.at)},
                     {"recorded_at", iso(event.recorded_at)},
                     {"chain", stamp_json(event.chain)}});
  }
  doc["step_events"] = std::move(steps);
  Json symptoms = Json::array();
  for (const auto& version : archive.symptom_versions) {
    const SymptomReport& report = version.report;
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
                        {"felt_at", iso(report.felt_at)},
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
  return doc.dump(2) + "\n";
}

namespace {
Result<PatientArchive> read_archive(std::string_view text, const std::string& source);
}  // namespace

Result<PatientArchive> read_archive_json(std::string_view text, const std::string& source) {
  // A field of the wrong type deep in a hostile file must be a message, never a crash.
  try {
    return read_archive(text, source);
  } catch (const nlohmann::json::exception& error) {
    return invalid_input(source + ": not an aftercare export (" + error.what() + ")");
  }
}

namespace {

Result<PatientArchive> read_archive(std::string_view text, const std::string& source) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& error) {
    const std::string what = error.what();
    const auto at = what.find("at line");
    return invalid_input(source + ": not valid JSON (" +
                         (at == std::string::npos ? what : what.substr(at)) + ")");
  }
  if (!doc.is_object() || doc.value("format", "") != kFormat) {
    return invalid_input(source + ": not an aftercare export (no \"format\": \"" + kFormat + "\")");
  }
  if (doc.value("version", 0) != kVersion) {
    return invalid_input(source + ": version: this program reads aftercare-export version " +
                         std::to_string(kVersion));
  }
  Reader r(source, date::locate_zone("UTC"));
  PatientArchive archive;
  const Json& plans = r.array(doc, "plans", "");
  for (std::size_t i = 0; !r.failed() && i < plans.size(); ++i) {
    const std::string path = "plans[" + std::to_string(i) + "]";
    const Json& p = plans[i];
    PlanRecord plan;
    plan.id = PlanId(r.integer(p, "plan", path));
    plan.session_number = static_cast<int>(r.integer(p, "session", path));
    plan.details.treated_at = r.time(p, "treated_at", path);
    plan.details.zone = r.text(p, "zone", path);
    const Json& areas = r.array(p, "areas", path);
    for (const auto& area : areas) {
      if (!area.is_string()) r.fail(path + ".areas", "expected names of areas");
      if (!r.failed()) plan.details.areas.push_back(area.get<std::string>());
    }
    plan.details.clinic_name = r.text(p, "clinic", path);
    plan.details.clinic_phone = r.text(p, "clinic_phone", path);
    plan.details.device = r.text(p, "device", path);
    plan.details.products = r.text(p, "products", path);
    plan.created_at = r.time(p, "created_at", path);
    const Json& protocol = r.at(p, "protocol", path);
    if (!r.failed() && !protocol.is_object()) r.fail(path + ".protocol", "expected an object");
    if (!r.failed()) plan.protocol_json = protocol.dump();
    archive.plans.push_back(std::move(plan));
  }
  const Json& zones = r.array(doc, "zone_changes", "");
  for (std::size_t i = 0; !r.failed() && i < zones.size(); ++i) {
    const std::string path = "zone_changes[" + std::to_string(i) + "]";
    archive.zone_changes.push_back({r.time(zones[i], "at", path), r.text(zones[i], "zone", path)});
  }
  const Json& modes = r.array(doc, "mode_changes", "");
  for (std::size_t i = 0; !r.failed() && i < modes.size(); ++i) {
    const std::string path = "mode_changes[" + std::to_string(i) + "]";
    const Json& on = r.at(modes[i], "on", path);
    if (!r.failed() && !on.is_boolean()) r.fail(path + ".on", "expected true or false");
    if (r.failed()) break;
    archive.mode_changes.push_back(
        {r.time(modes[i], "at", path), r.text(modes[i], "mode", path), on.get<bool>()});
  }
  const auto read_stamp = [&](const Json& item, const std::string& path) {
    const Json& chain = r.at(item, "chain", path);
    return ChainStamp{r.text(chain, "prev_hash", path + ".chain"),
                      r.text(chain, "hash", path + ".chain")};
  };
  const Json& steps = r.array(doc, "step_events", "");
  for (std::size_t i = 0; !r.failed() && i < steps.size(); ++i) {
    const std::string path = "step_events[" + std::to_string(i) + "]";
    const Json& e = steps[i];
    StepEvent event;
    event.seq = r.integer(e, "seq", path);
    event.plan = PlanId(r.integer(e, "plan", path));
    event.step = StepId(r.text(e, "step", path));
    event.occurrence = r.text(e, "occurrence", path);
    event.scheduled_at = r.time(e, "scheduled_at", path);
    const std::string action = r.text(e, "action", path);
    if (action == "done") {
      event.action = StepAction::kDone;
    } else if (action == "skipped") {
      event.action = StepAction::kSkipped;
    } else if (action == "undone") {
      event.action = StepAction::kUndone;
    } else if (!r.failed()) {
      r.fail(path + ".action", "expected done, skipped or undone");
    }
    event.at = r.time(e, "at", path);
    event.recorded_at = r.time(e, "recorded_at", path);
    event.chain = read_stamp(e, path);
    archive.step_events.push_back(std::move(event));
  }
  const Json& symptoms = r.array(doc, "symptom_versions", "");
  for (std::size_t i = 0; !r.failed() && i < symptoms.size(); ++i) {
    const std::string path = "symptom_versions[" + std::to_string(i) + "]";
    const Json& v = symptoms[i];
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
    const Json& relieved = r.at(v, "relieved", path);
    if (!r.failed() && !relieved.is_null() && !relieved.is_boolean()) {
      r.fail(path + ".relieved", "expected true, false or null");
    }
    if (!r.failed() && relieved.is_boolean()) report.relieved = relieved.get<bool>();
    report.felt_at = r.time(v, "felt_at", path);
    report.zone = r.text(v, "zone", path);
    version.checkin = r.optional_integer(v, "checkin", path);
    version.recorded_at = r.time(v, "recorded_at", path);
    version.chain = read_stamp(v, path);
    archive.symptom_versions.push_back(std::move(version));
  }
  const Json& reminders = r.array(doc, "reminder_events", "");
  for (std::size_t i = 0; !r.failed() && i < reminders.size(); ++i) {
    const std::string path = "reminder_events[" + std::to_string(i) + "]";
    const Json& e = reminders[i];
    ReminderEvent event;
    event.seq = static_cast<std::int64_t>(i) + 1;
    event.plan = PlanId(r.integer(e, "plan", path));
    event.reminder = r.text(e, "reminder", path);
    const auto action = reminder_action_from(r.text(e, "action", path));
    if (!action && !r.failed()) r.fail(path + ".action", "unknown reminder action");
    event.action = action.value_or(ReminderAction::kFired);
    event.at = r.time(e, "at", path);
    if (!r.failed() && !r.at(e, "until", path).is_null()) event.until = r.time(e, "until", path);
    archive.reminder_events.push_back(std::move(event));
  }
  const Json& settings = r.at(doc, "settings", "");
  if (!r.failed() && !settings.is_object()) r.fail("settings", "expected an object");
  for (auto it = settings.begin(); !r.failed() && it != settings.end(); ++it) {
    if (!it.value().is_string()) {
      r.fail("settings." + it.key(), "expected a string");
      break;
    }
    archive.settings[it.key()] = it.value().get<std::string>();
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
  return archive;
}

}  // namespace

}  // namespace aftercare
