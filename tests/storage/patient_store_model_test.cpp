// Issue 13, item 9: the SQLite patient store against a plain model (as tdlib tests its stores).
// Random operations drawn from everything PatientStore can do, valid and refused, with the store
// closed and opened again, backed up and moved by archive and restore at random points; after
// every operation each read of the store is compared with the model (the whole archive every
// fourth step). A failure names the seed and the step: run the test case again with
// `-c "seed N"` to see it again.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "domain/journal.h"
#include "storage/patient_store.h"
#include "support/dice.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::Dice;

constexpr int kStepsPerSeed = 300;

// ---- Text forms: a difference between store and model shows as two readable lists.

std::string q(const std::string& text) { return "\"" + text + "\""; }

std::string t(Instant at) { return std::to_string(at.time_since_epoch().count()); }

std::string t(const std::optional<Instant>& at) { return at ? t(*at) : "none"; }

std::string text(const PlanRecord& plan) {
  std::string areas;
  for (const auto& area : plan.details.areas) areas += area + "|";
  return "plan " + std::to_string(plan.id.value()) + " session " +
         std::to_string(plan.session_number) + " treated " + t(plan.details.treated_at) + " zone " +
         q(plan.details.zone) + " areas " + q(areas) + " clinic " + q(plan.details.clinic_name) +
         " phone " + q(plan.details.clinic_phone) + " device " + q(plan.details.device) +
         " products " + q(plan.details.products) + " created " + t(plan.created_at) + " protocol " +
         q(plan.protocol_json);
}

std::string text(const StepEvent& event) {
  return "step " + std::to_string(event.seq) + " plan " + std::to_string(event.plan.value()) + " " +
         q(event.step.value()) + " " + q(event.occurrence) + " scheduled " + t(event.scheduled_at) +
         " " + step_action_name(event.action) + " at " + t(event.at) + " recorded " +
         t(event.recorded_at) + " prev " + event.chain.prev_hash + " hash " + event.chain.hash;
}

std::string text(const SymptomVersion& v) {
  const SymptomReport& r = v.report;
  return "row " + std::to_string(v.row) + " entry " + std::to_string(v.entry.value()) + " v" +
         std::to_string(v.version) + " plan " + std::to_string(v.plan.value()) + " " +
         entry_action_name(v.action) + " " + q(r.symptom.value()) + " severity " +
         std::to_string(r.severity) + " area " + q(r.area) + " note " + q(r.note) + " photo " +
         (r.photo_sha256 ? *r.photo_sha256 : "none") + " relieved " +
         (r.relieved ? (*r.relieved ? "yes" : "no") : "none") + " felt " + t(r.felt_at) + " zone " +
         q(r.zone) + " checkin " + (v.checkin ? std::to_string(*v.checkin) : "none") +
         " recorded " + t(v.recorded_at) + " prev " + v.chain.prev_hash + " hash " + v.chain.hash;
}

std::string text(const ReminderEvent& event) {
  return "reminder " + std::to_string(event.seq) + " plan " + std::to_string(event.plan.value()) +
         " " + q(event.reminder) + " " + reminder_action_name(event.action) + " at " + t(event.at) +
         " until " + t(event.until);
}

std::string text(const ZoneChange& change) { return "zone " + t(change.at) + " " + q(change.zone); }

std::string text(const RecordState& state) {
  return "record " + std::to_string(state.seq) + " " + t(state.recorded_at) + " " +
         q(state.sections) + " " + state.chain.prev_hash + " " + state.chain.hash;
}

std::string text(const ModeChange& change) {
  return "mode " + t(change.at) + " " + q(change.mode) + (change.on ? " on" : " off");
}

template <typename T>
std::string lines(const std::vector<T>& items) {
  std::string out;
  for (const auto& item : items) out += text(item) + "\n";
  return out;
}

template <typename T>
std::string lines(const std::map<std::int64_t, T>& items) {
  std::string out;
  for (const auto& [key, item] : items) out += std::to_string(key) + ": " + text(item) + "\n";
  return out;
}

std::string lines(const std::map<std::string, std::string>& settings) {
  std::string out;
  for (const auto& [key, value] : settings) out += q(key) + " = " + q(value) + "\n";
  return out;
}

using test::require_ok;
using test::require_refused;

// ---- The model: what the store should hold, in plain containers.

struct PatientModel {
  std::vector<PlanRecord> plans;         // ascending id
  std::vector<StepEvent> steps;          // ascending seq
  std::vector<SymptomVersion> symptoms;  // ascending row
  std::vector<ReminderEvent> reminders;  // ascending seq
  std::vector<ZoneChange> zones;         // as recorded
  std::vector<ModeChange> modes;         // as recorded
  std::map<std::string, std::string> settings;
  std::vector<RecordState> states;  // ascending seq

  bool has_plan(PlanId id) const {
    return std::any_of(plans.begin(), plans.end(),
                       [&](const PlanRecord& plan) { return plan.id == id; });
  }

  std::int64_t max_plan_id() const { return plans.empty() ? 0 : plans.back().id.value(); }

  int max_session() const {
    int session = 0;
    for (const auto& plan : plans) session = std::max(session, plan.session_number);
    return session;
  }

  /// The last event of the shared step/symptom numbering, and its hash.
  std::pair<std::int64_t, std::string> last_event() const {
    std::pair<std::int64_t, std::string> last(0, kGenesisHash);
    if (!steps.empty() && steps.back().seq > last.first) {
      last = {steps.back().seq, steps.back().chain.hash};
    }
    if (!symptoms.empty() && symptoms.back().row > last.first) {
      last = {symptoms.back().row, symptoms.back().chain.hash};
    }
    if (!states.empty() && states.back().seq > last.first) {
      last = {states.back().seq, states.back().chain.hash};
    }
    return last;
  }

  /// After a plan, zone change, mode change or chained setting is stored: the record's new
  /// state joins the chain, unless it is the latest one already (or there is nothing to record).
  void record_changed(Instant at) {
    PatientArchive parts;
    parts.plans = plans;
    parts.zone_changes = by_time(zones);
    parts.mode_changes = by_time(modes);
    parts.settings = settings;
    const std::string sections = record_sections(parts);
    if (states.empty() ? !has_chained_parts(parts) : states.back().sections == sections) return;
    const auto [seq, hash] = last_event();
    RecordState state{seq + 1, sections, at, {}};
    state.chain = stamp(state.seq, ChainKind::kRecord, canonical_text(state), hash);
    states.push_back(std::move(state));
  }

  /// The entry's latest version, 0 for an entry never stored.
  int latest_version(EntryId entry) const {
    int version = 0;
    for (const auto& v : symptoms) {
      if (v.entry == entry) version = std::max(version, v.version);
    }
    return version;
  }

  std::int64_t max_entry() const {
    std::int64_t entry = 0;
    for (const auto& v : symptoms) entry = std::max(entry, v.entry.value());
    return entry;
  }

  std::int64_t max_checkin() const {
    std::int64_t checkin = 0;
    for (const auto& v : symptoms) checkin = std::max(checkin, v.checkin.value_or(0));
    return checkin;
  }

  std::int64_t next_reminder_seq() const {
    return reminders.empty() ? 1 : reminders.back().seq + 1;
  }

  /// The event as stored next: numbered after the last event and chained to it; nullopt when
  /// the store must refuse it (no such plan).
  std::optional<StepEvent> step_as_stored(const StepEvent& event) const {
    if (!has_plan(event.plan)) return std::nullopt;
    const auto [seq, hash] = last_event();
    StepEvent stored = event;
    stored.seq = seq + 1;
    stored.chain = stamp(stored.seq, ChainKind::kStep, canonical_text(stored), hash);
    return stored;
  }

  /// The versions as stored (entry ids, check-in, rows and chain filled in), or the error the
  /// whole batch must be refused with: kConflict for a version that is not the entry's next, a
  /// storage error for an unknown plan or a severity outside 0 to 10. Checked in the store's
  /// order: the version number first, then the row.
  Result<std::vector<SymptomVersion>> symptoms_as_stored(std::vector<SymptomVersion> versions,
                                                         bool as_checkin) const {
    auto [row, hash] = last_event();
    std::int64_t entries = max_entry();
    std::map<std::int64_t, int> in_batch;  // entry -> version, for entries met in this batch
    std::optional<std::int64_t> checkin;
    if (as_checkin) checkin = max_checkin() + 1;
    for (auto& v : versions) {
      if (v.entry.value() == 0) {
        v.entry = EntryId(++entries);
        v.version = 1;
      } else {
        const auto met = in_batch.find(v.entry.value());
        const int current = met != in_batch.end() ? met->second : latest_version(v.entry);
        if (current + 1 != v.version) return Error(ErrorCode::kConflict, "not the next version");
        entries = std::max(entries, v.entry.value());
      }
      if (!has_plan(v.plan) || v.report.severity < 0 || v.report.severity > kMaxSeverity) {
        return Error(ErrorCode::kStorage, "a row the schema refuses");
      }
      in_batch[v.entry.value()] = v.version;
      if (checkin) v.checkin = checkin;
      v.row = ++row;
      v.chain = stamp(v.row, ChainKind::kSymptom, canonical_text(v), hash);
      hash = v.chain.hash;
    }
    return versions;
  }

  bool reminder_fits(const ReminderEvent& event) const {
    return has_plan(event.plan) &&
           (event.action == ReminderAction::kSnoozed) == event.until.has_value();
  }

  template <typename T>
  static std::vector<T> of_plan(const std::vector<T>& items, PlanId plan) {
    std::vector<T> out;
    for (const auto& item : items) {
      if (item.plan == plan) out.push_back(item);
    }
    return out;
  }

  /// Ascending time; changes at the same instant in the order recorded.
  template <typename T>
  static std::vector<T> by_time(std::vector<T> changes) {
    std::stable_sort(changes.begin(), changes.end(),
                     [](const T& a, const T& b) { return a.at < b.at; });
    return changes;
  }
};

// ---- Every read of the store against the model; the archive (everything again, in one
// transaction) when `with_archive`.

void check_store(PatientStore& store, const PatientModel& model, bool with_archive = true) {
  auto plans = store.plans();
  require_ok(plans);
  REQUIRE(lines(*plans) == lines(model.plans));

  auto latest_id = store.latest_plan_id();
  require_ok(latest_id);
  REQUIRE(latest_id->has_value() == !model.plans.empty());
  if (*latest_id) REQUIRE((*latest_id)->value() == model.plans.back().id.value());
  auto latest = store.latest_plan();
  require_ok(latest);
  REQUIRE(latest->has_value() == !model.plans.empty());
  if (*latest) REQUIRE(text(**latest) == text(model.plans.back()));

  // Every plan's own lists, and those of plans that do not exist (none).
  std::vector<PlanId> ids = {PlanId(0), PlanId(model.max_plan_id() + 1)};
  for (const auto& plan : model.plans) ids.push_back(plan.id);
  for (const PlanId id : ids) {
    INFO("plan " << id.value());
    auto steps = store.step_events(id);
    require_ok(steps);
    REQUIRE(lines(*steps) == lines(PatientModel::of_plan(model.steps, id)));
    auto symptoms = store.symptom_versions(id);
    require_ok(symptoms);
    REQUIRE(lines(*symptoms) == lines(PatientModel::of_plan(model.symptoms, id)));
    auto reminders = store.reminder_events(id);
    require_ok(reminders);
    REQUIRE(lines(*reminders) == lines(PatientModel::of_plan(model.reminders, id)));
  }

  std::map<std::int64_t, StepEvent> model_steps;
  for (const auto& event : model.steps) model_steps.emplace(event.seq, event);
  std::map<std::int64_t, SymptomVersion> model_symptoms;
  for (const auto& v : model.symptoms) model_symptoms.emplace(v.row, v);
  auto all_steps = store.all_step_events();
  require_ok(all_steps);
  REQUIRE(lines(*all_steps) == lines(model_steps));
  auto all_symptoms = store.all_symptom_versions();
  require_ok(all_symptoms);
  REQUIRE(lines(*all_symptoms) == lines(model_symptoms));
  auto full = store.archive();
  require_ok(full);
  REQUIRE(lines(full->record_states) == lines(model.states));
  std::map<std::int64_t, RecordState> model_states;
  for (const auto& state : model.states) model_states.emplace(state.seq, state);
  const ChainCheck chain = verify_chain(*all_steps, *all_symptoms, model_states);
  INFO(chain.problem);
  REQUIRE(chain.ok);
  REQUIRE(chain.head == model.last_event().second);

  auto zones = store.zone_history();
  require_ok(zones);
  REQUIRE(lines(*zones) == lines(PatientModel::by_time(model.zones)));
  auto modes = store.mode_changes();
  require_ok(modes);
  REQUIRE(lines(*modes) == lines(PatientModel::by_time(model.modes)));

  for (const auto& key : {"quiet_hours", "snooze", "window", "clé", "", "never set"}) {
    INFO("setting " << q(key));
    auto value = store.setting(key);
    require_ok(value);
    const auto known = model.settings.find(key);
    REQUIRE(value->has_value() == (known != model.settings.end()));
    if (*value) REQUIRE(**value == known->second);
  }

  if (!with_archive) return;
  auto archive = store.archive();
  require_ok(archive);
  REQUIRE(lines(archive->plans) == lines(model.plans));
  REQUIRE(lines(archive->zone_changes) == lines(PatientModel::by_time(model.zones)));
  REQUIRE(lines(archive->mode_changes) == lines(PatientModel::by_time(model.modes)));
  REQUIRE(lines(archive->step_events) == lines(model.steps));
  REQUIRE(lines(archive->symptom_versions) == lines(model.symptoms));
  REQUIRE(lines(archive->reminder_events) == lines(model.reminders));
  REQUIRE(lines(archive->settings) == lines(model.settings));
}

// ---- Random values.

const std::vector<std::string>& words() {
  static const std::vector<std::string> kWords = {
      "",
      "a",
      "Glow Clinic",
      "l'été à Montréal",
      "emoji \xF0\x9F\x99\x82 ok",
      "say \"hi\" and 'bye'",
      "comma, then more",
      "two\nlines",
      "tab\there",
      "中文 ñ ü",
      "%s %d %n",
      "'); DROP TABLE plan; --",
      "back\\slash",
      std::string(1500, 'L'),
  };
  return kWords;
}

const std::vector<std::string> kZones = {"America/Toronto", "Europe/Paris", "UTC", "Asia/Kolkata",
                                         "Pacific/Chatham"};
const std::vector<std::string> kModes = {"outdoors", "travel", "gym", "météo"};
const std::vector<std::string> kSteps = {"cleanse_am", "cleanse_pm", "spf", "moisturize"};
const std::vector<std::string> kSymptoms = {"redness", "swelling", "pain", "itching"};
const std::vector<std::string> kSettingKeys = {"quiet_hours", "snooze", "window", "clé", ""};
const std::vector<std::string> kProtocols = {"{}", "{\"p\":1}",
                                             "{\"name\":\"défaut\",\"steps\":[]}",
                                             "{\"long\":\"" + std::string(5000, 'p') + "\"}"};

Instant moment(Dice& dice) {
  static const Instant kStart = std::chrono::sys_days{std::chrono::year{2027} / 3 / 13};
  // Often the same few instants: ties must keep the order recorded.
  if (dice.one_in(5)) return kStart + std::chrono::hours(dice.between(0, 2));
  return kStart + std::chrono::seconds(dice.between(0, 60 * 86400));
}

PlanDetails random_details(Dice& dice) {
  PlanDetails details;
  details.treated_at = moment(dice);
  details.zone = dice.pick(kZones);
  for (const auto& area : treatment_areas()) {
    if (dice.one_in(3)) details.areas.push_back(area);
  }
  details.clinic_name = dice.pick(words());
  details.clinic_phone = dice.one_in(2) ? "+1 416 555 0100" : dice.pick(words());
  details.device = dice.pick(words());
  details.products = dice.pick(words());
  return details;
}

SymptomReport random_report(Dice& dice) {
  SymptomReport report;
  report.symptom = SymptomId(dice.pick(kSymptoms));
  report.severity = dice.between(0, kMaxSeverity);
  report.area = dice.one_in(3) ? "" : dice.pick(treatment_areas());
  report.note = dice.pick(words());
  if (dice.one_in(3)) report.photo_sha256 = dice.hex(64);
  if (dice.one_in(3)) report.relieved = dice.one_in(2);
  report.felt_at = moment(dice);
  report.zone = dice.pick(kZones);
  return report;
}

ReminderAction random_reminder_action(Dice& dice) {
  static const std::vector<ReminderAction> kActions = {
      ReminderAction::kFired, ReminderAction::kSnoozed, ReminderAction::kDismissed,
      ReminderAction::kCompleted, ReminderAction::kMissedReported};
  return dice.pick(kActions);
}

// ---- One run: a store on disk, its model, and the operations.

struct PatientRun {
  explicit PatientRun(std::uint32_t seed) : dice(seed) {}

  std::filesystem::path next_file(const std::string& stem) {
    return dir.path() / (stem + "-" + std::to_string(++files) + ".db");
  }

  Dice dice;
  PatientModel model;
  test::TempDir dir;
  int files = 0;
  std::filesystem::path file;
  std::unique_ptr<PatientStore> store;
  std::string what;  ///< The operation of this step, in words.
};

std::unique_ptr<PatientStore> open_or_fail(const std::filesystem::path& file) {
  auto opened = open_patient_store(file);
  INFO(file.string());
  require_ok(opened);
  return std::move(*opened);
}

/// A plan id for an event: usually one of the plans, sometimes one that does not exist.
PlanId plan_for_event(PatientRun& run) {
  if (run.model.plans.empty() || run.dice.one_in(12)) {
    return PlanId(run.dice.one_in(2) ? 0 : run.model.max_plan_id() + run.dice.between(1, 3));
  }
  return run.dice.pick(run.model.plans).id;
}

void add_plan(PatientRun& run) {
  const PlanDetails details = random_details(run.dice);
  const std::string& protocol = run.dice.pick(kProtocols);
  const Instant created = moment(run.dice);
  run.what = "add_plan treated " + t(details.treated_at);
  INFO(run.what);
  auto id = run.store->add_plan(details, protocol, created);
  require_ok(id);
  // A new plan is the most recent: its id is above every other.
  REQUIRE(id->value() > run.model.max_plan_id());
  run.model.plans.push_back(
      PlanRecord{*id, run.model.max_session() + 1, details, protocol, created, {}});
  run.model.record_changed(created);
}

void append_step(PatientRun& run) {
  Dice& dice = run.dice;
  static const std::vector<StepAction> kActions = {StepAction::kDone, StepAction::kSkipped,
                                                   StepAction::kUndone};
  StepEvent event;
  event.plan = plan_for_event(run);
  event.step = StepId(dice.pick(kSteps));
  event.scheduled_at = moment(dice);
  event.occurrence = event.step.value() + "@" + t(event.scheduled_at);
  event.action = dice.pick(kActions);
  event.at = moment(dice);
  event.recorded_at = moment(dice);
  // Numbered and chained by the store, whatever the caller put there.
  event.seq = dice.between(0, 50);
  event.chain = {"caller's prev", "caller's hash"};
  run.what = "append_step_event " + text(event);
  INFO(run.what);
  const auto expected = run.model.step_as_stored(event);
  auto seq = run.store->append_step_event(event);
  if (!expected) return require_refused(seq);
  require_ok(seq);
  REQUIRE(*seq == expected->seq);
  run.model.steps.push_back(*expected);
}

void append_symptoms(PatientRun& run) {
  Dice& dice = run.dice;
  const PatientModel& model = run.model;
  std::map<std::int64_t, const SymptomVersion*> latest;  // entry -> its latest version
  for (const auto& v : model.symptoms) latest[v.entry.value()] = &v;
  std::map<std::int64_t, int> planned;  // entry -> version in this batch
  std::vector<SymptomVersion> versions(static_cast<std::size_t>(dice.between(0, 4)));
  for (auto& v : versions) {
    v.report = random_report(dice);
    v.recorded_at = moment(dice);
    v.row = dice.between(0, 50);  // assigned by the store
    v.chain = {"caller's prev", "caller's hash"};
    if (latest.empty() || dice.one_in(2)) {
      v.entry = EntryId(0);
      v.plan = plan_for_event(run);
      v.action = EntryAction::kLogged;
    } else {
      // The next version of an entry, as an edit keeps the entry's check-in.
      auto it = latest.begin();
      std::advance(it, dice.between(0, static_cast<int>(latest.size()) - 1));
      const SymptomVersion& last = *it->second;
      v.entry = last.entry;
      v.plan = last.plan;
      v.checkin = last.checkin;
      v.action = dice.one_in(4) ? EntryAction::kDeleted : EntryAction::kEdited;
      const auto met = planned.find(v.entry.value());
      v.version = (met != planned.end() ? met->second : last.version) + 1;
      planned[v.entry.value()] = v.version;
    }
  }
  // Now and then one version the store must refuse, which refuses the whole batch.
  if (!versions.empty() && dice.one_in(4)) {
    auto& bad =
        versions[static_cast<std::size_t>(dice.between(0, static_cast<int>(versions.size()) - 1))];
    switch (dice.between(0, 3)) {
      case 0:
        bad.report.severity = dice.one_in(2) ? kMaxSeverity + 1 : -1;
        break;
      case 1:
        bad.plan = PlanId(model.max_plan_id() + 7);
        break;
      case 2:
        // An entry no one stored, as if edited: its next version would be 1.
        bad.entry = EntryId(model.max_entry() + 100);
        bad.version = 2;
        break;
      default:
        if (bad.entry.value() != 0) {
          bad.version += dice.one_in(2) ? 1 : -1;  // stale, or a version skipped
        } else {
          bad.report.severity = kMaxSeverity + 1;
        }
        break;
    }
  }
  const bool as_checkin = dice.one_in(3);
  run.what = "append_symptom_versions" + std::string(as_checkin ? " as a check-in" : "") + ":\n" +
             lines(versions);
  INFO(run.what);
  const auto expected = model.symptoms_as_stored(versions, as_checkin);
  auto stored = run.store->append_symptom_versions(versions, as_checkin);
  if (!expected) {
    return require_refused(stored, expected.error().code() == ErrorCode::kConflict
                                       ? std::optional<ErrorCode>(ErrorCode::kConflict)
                                       : std::nullopt);
  }
  require_ok(stored);
  REQUIRE(lines(*stored) == lines(*expected));
  for (const auto& v : *expected) run.model.symptoms.push_back(v);
}

ReminderEvent random_reminder(PatientRun& run) {
  Dice& dice = run.dice;
  ReminderEvent event;
  event.seq = dice.between(0, 50);  // assigned by the store
  event.plan = plan_for_event(run);
  event.reminder = dice.one_in(3) ? "lifted:no_makeup" : dice.pick(kSteps) + "@" + t(moment(dice));
  event.action = random_reminder_action(dice);
  event.at = moment(dice);
  if (event.action == ReminderAction::kSnoozed) {
    event.until = event.at + std::chrono::minutes(dice.between(1, 60));
  }
  // Now and then a snooze without its end, or an end without a snooze: refused.
  if (dice.one_in(10)) {
    event.until = event.until ? std::nullopt : std::optional<Instant>(moment(dice));
  }
  return event;
}

void append_reminder(PatientRun& run) {
  const ReminderEvent event = random_reminder(run);
  run.what = "append_reminder_event " + text(event);
  INFO(run.what);
  auto seq = run.store->append_reminder_event(event);
  if (!run.model.reminder_fits(event)) return require_refused(seq);
  require_ok(seq);
  REQUIRE(*seq == run.model.next_reminder_seq());
  ReminderEvent stored = event;
  stored.seq = *seq;
  run.model.reminders.push_back(stored);
}

void append_reminders(PatientRun& run) {
  std::vector<ReminderEvent> events(static_cast<std::size_t>(run.dice.between(0, 5)));
  for (auto& event : events) event = random_reminder(run);
  run.what = "append_reminder_events:\n" + lines(events);
  INFO(run.what);
  auto status = run.store->append_reminder_events(events);
  const bool all_fit = std::all_of(events.begin(), events.end(), [&](const ReminderEvent& event) {
    return run.model.reminder_fits(event);
  });
  if (!all_fit) return require_refused(status);
  require_ok(status);
  for (auto event : events) {
    event.seq = run.model.next_reminder_seq();
    run.model.reminders.push_back(event);
  }
}

void record_zone(PatientRun& run) {
  const ZoneChange change{moment(run.dice), run.dice.pick(kZones)};
  run.what = "record_zone " + text(change);
  INFO(run.what);
  require_ok(run.store->record_zone(change));
  run.model.zones.push_back(change);
  run.model.record_changed(change.at);
}

void record_mode(PatientRun& run) {
  const ModeChange change{moment(run.dice), run.dice.pick(kModes), run.dice.one_in(2)};
  run.what = "record_mode " + text(change);
  INFO(run.what);
  require_ok(run.store->record_mode(change));
  run.model.modes.push_back(change);
  run.model.record_changed(change.at);
}

void set_setting(PatientRun& run) {
  const std::string& key = run.dice.pick(kSettingKeys);
  const std::string& value = run.dice.pick(words());
  run.what = "set_setting " + q(key) + " = " + q(value);
  INFO(run.what);
  const Instant at = moment(run.dice);
  require_ok(run.store->set_setting(key, value, at));
  run.model.settings[key] = value;
  if (is_chained_setting(key)) run.model.record_changed(at);
}

void set_settings(PatientRun& run) {
  std::vector<std::pair<std::string, std::string>> values(
      static_cast<std::size_t>(run.dice.between(0, 3)));
  run.what = "set_settings";
  for (auto& [key, value] : values) {
    key = run.dice.pick(kSettingKeys);
    value = run.dice.pick(words());
    run.what += " " + q(key) + " = " + q(value);
  }
  INFO(run.what);
  const Instant at = moment(run.dice);
  require_ok(run.store->set_settings(values, at));
  bool chained = false;
  for (const auto& [key, value] : values) {
    run.model.settings[key] = value;  // the last one wins
    chained = chained || is_chained_setting(key);
  }
  if (chained) run.model.record_changed(at);
}

void reopen(PatientRun& run) {
  run.what = "close and open " + run.file.filename().string() + " again";
  INFO(run.what);
  run.store.reset();
  run.store = open_or_fail(run.file);
}

void backup(PatientRun& run) {
  if (run.dice.one_in(4)) {
    const auto nowhere = run.dir.path() / "no such folder" / "backup.db";
    run.what = "backup_to a folder that does not exist";
    INFO(run.what);
    require_refused(run.store->backup_to(nowhere));
    CHECK_FALSE(std::filesystem::exists(nowhere));
    return;
  }
  const auto copy_path = run.next_file("backup");
  const bool carry_on = run.dice.one_in(2);
  run.what = "backup_to " + copy_path.filename().string() +
             (carry_on ? ", and carry on in the backup" : "");
  INFO(run.what);
  require_ok(run.store->backup_to(copy_path));
  auto copy = open_or_fail(copy_path);
  check_store(*copy, run.model);
  if (carry_on) {
    run.store = std::move(copy);
    run.file = copy_path;
  }
}

/// `archive` with one row the schema refuses, after rows it takes (which must not stay).
PatientArchive spoiled(PatientArchive archive, Dice& dice, std::string& how) {
  const int choice = dice.between(0, 3);
  if (choice == 0 && !archive.plans.empty()) {
    how = "a plan id twice";
    archive.plans.push_back(archive.plans.front());
  } else if (choice == 1 && !archive.symptom_versions.empty()) {
    how = "a symptom row twice";
    archive.symptom_versions.push_back(archive.symptom_versions.back());
  } else if (choice == 2 && !archive.plans.empty()) {
    how = "a snooze without its end";
    archive.reminder_events.push_back(ReminderEvent{
        0, archive.plans.back().id, "spf@x", ReminderAction::kSnoozed, Instant{}, std::nullopt});
  } else {
    how = "a step of a plan it does not hold";
    StepEvent event;
    event.seq = 1000000;
    event.plan = PlanId(1000000);
    event.step = StepId("spf");
    event.occurrence = "spf@x";
    archive.step_events.push_back(event);
  }
  return archive;
}

void move_by_restore(PatientRun& run) {
  const auto fresh_file = run.next_file("restored");
  run.what =
      "archive, restore into a new " + fresh_file.filename().string() + " and carry on there";
  INFO(run.what);
  auto archive = run.store->archive();
  require_ok(archive);
  auto fresh = open_or_fail(fresh_file);
  if (run.dice.one_in(2)) {
    std::string how;
    const PatientArchive bad = spoiled(*archive, run.dice, how);
    INFO("first an archive with " << how << ": all or nothing");
    require_refused(fresh->restore(bad));
    check_store(*fresh, PatientModel{});
  }
  require_ok(fresh->restore(*archive));
  run.store = std::move(fresh);
  run.file = fresh_file;
}

void restore_over_plans(PatientRun& run) {
  run.what = "restore its own archive over its plans";
  INFO(run.what);
  auto archive = run.store->archive();
  require_ok(archive);
  require_refused(run.store->restore(*archive), ErrorCode::kConflict);
}

using Operation = void (*)(PatientRun&);

struct Weighted {
  int weight;
  Operation operation;
};

// Writes most often, the rare operations (reopen, backup, restore) a few times per run.
const std::vector<Weighted> kOperations = {
    {6, add_plan},          {16, append_step}, {16, append_symptoms}, {9, append_reminder},
    {5, append_reminders},  {5, record_zone},  {5, record_mode},      {5, set_setting},
    {3, set_settings},      {3, reopen},       {2, backup},           {2, move_by_restore},
    {1, restore_over_plans}};

Operation draw(PatientRun& run) {
  if (run.model.plans.empty() && run.dice.one_in(2)) return add_plan;
  int total = 0;
  for (const auto& op : kOperations) total += op.weight;
  int roll = run.dice.between(1, total);
  for (const auto& op : kOperations) {
    roll -= op.weight;
    if (roll <= 0) {
      if (op.operation == restore_over_plans && run.model.plans.empty()) return add_plan;
      return op.operation;
    }
  }
  return add_plan;
}

TEST_CASE("the SQLite patient store agrees with a plain model under random operations and reopens",
          "[storage][model]") {
  for (const std::uint32_t seed : {13u, 2027u, 31337u, 900001u}) {
    DYNAMIC_SECTION("seed " << seed) {
      PatientRun run(seed);
      run.file = run.next_file("patient");
      run.store = open_or_fail(run.file);
      check_store(*run.store, run.model);
      for (int step = 1; step <= kStepsPerSeed; ++step) {
        CAPTURE(seed, step);
        draw(run)(run);
        INFO("after " << run.what);
        check_store(*run.store, run.model, step % 4 == 0);
      }
      reopen(run);
      check_store(*run.store, run.model);
      // Each run reaches the interesting states, or it proves little.
      CHECK(run.model.plans.size() >= 3);
      CHECK(run.model.steps.size() >= 20);
      CHECK(run.model.symptoms.size() >= 20);
      CHECK(run.model.reminders.size() >= 20);
    }
  }
}

}  // namespace
}  // namespace aftercare
