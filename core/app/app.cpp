#include "app/app.h"

#include <algorithm>
#include <cstdio>

#include "app/private_file.h"
#include "base/files.h"

namespace aftercare {

namespace {

constexpr std::uintmax_t kMaxProtocolFileBytes = 1 << 20;

Result<std::shared_ptr<const Plan>> to_plan(const PlanRecord& record) {
  auto plan = plan_from_record(record, "stored plan " + std::to_string(record.id.value()));
  if (!plan) return Error(ErrorCode::kStorage, plan.error().message());
  return plan;
}

}  // namespace

namespace {

// The plan shown is no longer the current one: nothing is changed, the person looks again.
Error changed_meanwhile(const Plan& current) {
  return Error(ErrorCode::kConflict, "the current plan is now session " +
                                         std::to_string(current.session_number) +
                                         " (another window or command changed it); nothing "
                                         "changed: look at the plan again");
}

}  // namespace

Error App::no_plan() { return Error(ErrorCode::kNotFound, Notice{NoticeId::kNoPlan, {}}); }

Result<std::unique_ptr<App>> App::open(const std::filesystem::path& data_dir, const Clock& clock,
                                       const DeviceZone& device_zone) {
  AFTERCARE_TRY(ensure_private_directory(data_dir));
  const OwnerOnly widened = make_owner_only(data_dir / kDatabaseFile);
  auto store = open_patient_store(data_dir / kDatabaseFile);
  if (!store) {
    // Say the way out when there is one.
    auto saved = PatientBackups::list(data_dir);
    if (store.error().code() == ErrorCode::kStorage && saved && !saved->empty()) {
      return Error(ErrorCode::kStorage,
                   Notice{NoticeId::kDatabaseHasBackups, {{"problem", store.error().message()}}});
    }
    return store.error();
  }
  auto app = open(std::move(*store), clock, device_zone);
  if (!app) return app;
  (*app)->data_dir_ = data_dir;
  if (auto notice = owner_only_notice(data_dir / kDatabaseFile, widened)) {
    (*app)->opening_notices_.push_back(std::move(*notice));
  }
  // A daily backup that fails (a full disk, a folder that cannot be written) does not keep the
  // patient from their steps: the front end says so, and the next start tries again.
  if (auto backed_up = PatientBackups::take_if_due(*(*app)->store_, data_dir, clock.now());
      !backed_up) {
    (*app)->opening_notices_.push_back(
        {NoticeId::kDailyBackupFailed, {{"problem", backed_up.error().message()}}});
  }
  return app;
}

Result<std::unique_ptr<App>> App::open(std::unique_ptr<PatientStore> store, const Clock& clock,
                                       const DeviceZone& device_zone) {
  std::unique_ptr<App> app(new App(std::move(store), clock, device_zone));
  AFTERCARE_TRY(app->sync_zone(false));
  return app;
}

Status App::sync_zone(bool record, std::optional<Instant> at) {
  if (!zone_changes_) {
    auto history = store_->zone_history();
    if (!history) return history.error();
    zone_changes_ = std::move(*history);
  }
  const auto& history = *zone_changes_;
  std::optional<std::string> name = device_zone_.current();
  if (!name) {
    // The platform cannot tell: keep the zone the device was last seen in.
    name = history.empty() ? std::string("UTC") : history.back().zone;
  }
  if (!zone_ || zone_->name() != *name) {
    auto zone = locate_zone(*name);
    if (!zone) return zone.error();
    zone_ = *zone;
  }
  if (!record) return {};
  const Instant now = at.value_or(clock_.now());
  // The common case, and on every write: still in the zone of the latest change.
  if (!history.empty() && history.back().at <= now && history.back().zone == zone_->name()) {
    return {};
  }
  auto known = ZoneHistory::make(history, zone_);
  if (!known) return known.error();
  if (history.empty() || known->zone_at(now) != zone_) {
    const ZoneChange change{now, std::string(zone_->name())};
    AFTERCARE_TRY(store_->record_zone(change));
    zone_changes_.reset();
  }
  return {};
}

Result<Instant> App::parse_time(std::string_view text) const { return parse_moment(text, zone_); }

std::string App::format_time(Instant instant) const { return format_iso(instant, zone_); }

Result<std::shared_ptr<const Plan>> App::start_plan(
    PlanDetails details, const std::optional<std::filesystem::path>& protocol_file) {
  AFTERCARE_TRY(sync_zone(false));
  if (details.zone.empty()) details.zone = std::string(zone_->name());
  auto zone = locate_zone(details.zone);
  if (!zone) return zone.error();
  details.zone = std::string((*zone)->name());
  // A session of a series: what the patient told the app for the one before (clinic, phone,
  // areas, device, products) carries over unless given again.
  auto previous = current_plan();
  if (!previous) return previous.error();
  if (*previous) {
    const PlanDetails& before = (*previous)->details;
    if (details.areas.empty()) details.areas = before.areas;
    if (details.clinic_name.empty()) details.clinic_name = before.clinic_name;
    if (details.clinic_phone.empty()) details.clinic_phone = before.clinic_phone;
    if (details.device.empty()) details.device = before.device;
    if (details.products.empty()) details.products = before.products;
  }
  if (details.areas.empty()) details.areas = {"face"};
  std::vector<std::string> areas;  // each once, in the order given
  for (auto& area : details.areas) {
    if (std::find(areas.begin(), areas.end(), area) == areas.end()) areas.push_back(area);
  }
  details.areas = std::move(areas);
  AFTERCARE_TRY(validate_plan_details(details));
  const Instant now = clock_.now();
  // A planned treatment up to a year ahead; an old one up to a year back (a series is months).
  if (details.treated_at > now + kMaxTreatmentDistance ||
      details.treated_at < now - kMaxTreatmentDistance) {
    return invalid_input(NoticeId::kTreatmentTooFar,
                         {{"time", format_time(details.treated_at)},
                          {"clock", format_clock(details.treated_at, zone_)},
                          {"now", format_time(now)}});
  }
  Result<LoadedProtocol> protocol =
      protocol_file ? check_protocol_file(*protocol_file)
                    : load_protocol(default_protocol_text(), "default protocol");
  if (!protocol) return protocol.error();
  // Sessions are numbered in treatment order: a new one comes after the last, and the series
  // never runs past its length.
  if (*previous) {
    const Plan& last = **previous;
    const NoticeArgs args = {{"time", format_time(details.treated_at)},
                             {"clock", format_clock(details.treated_at, zone_)},
                             {"session", std::to_string(last.session_number)},
                             {"treated", format_time(last.details.treated_at)}};
    if (details.treated_at == last.details.treated_at) {
      return invalid_input(NoticeId::kTreatmentRepeated, args);
    }
    if (details.treated_at < last.details.treated_at) {
      return invalid_input(NoticeId::kTreatmentBeforeSession, args);
    }
    if (last.session_number >= protocol->protocol.series.sessions) {
      return invalid_input(NoticeId::kSeriesComplete,
                           {{"sessions", std::to_string(protocol->protocol.series.sessions)}});
    }
  }
  AFTERCARE_TRY(sync_zone(true));
  auto id = store_->add_plan(details, protocol->resolved_json, now);
  if (!id) return id.error();
  plan_.reset();
  return current_plan();
}

Result<std::shared_ptr<const Plan>> App::current_plan() {
  // A long-running front end must notice a session started or corrected by another process.
  auto revision = store_->plan_revision();
  if (!revision) return revision.error();
  if (plan_ && *revision == plan_revision_) return plan_;
  plan_.reset();
  log_cache_.reset();
  auto all = plans();
  if (!all) return all.error();
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    if (!(*it)->cancelled) {
      plan_ = *it;
      break;
    }
  }
  plan_revision_ = *revision;
  return plan_;
}

Result<std::shared_ptr<const Plan>> App::edit_plan(const PlanEdit& edit) {
  AFTERCARE_TRY(sync_zone(false));
  auto current = current_plan();
  if (!current) return current.error();
  if (!*current) return no_plan();
  const Plan& plan = **current;
  if (edit.plan && *edit.plan != plan.id) return changed_meanwhile(plan);
  PlanDetails details = plan.details;
  if (edit.clinic_name) details.clinic_name = *edit.clinic_name;
  if (edit.clinic_phone) details.clinic_phone = *edit.clinic_phone;
  if (edit.device) details.device = *edit.device;
  if (edit.products) details.products = *edit.products;
  if (edit.areas) {
    details.areas.clear();  // each once, in the order given
    for (const auto& area : *edit.areas) {
      if (std::find(details.areas.begin(), details.areas.end(), area) == details.areas.end()) {
        details.areas.push_back(area);
      }
    }
  }
  if (edit.treated_at) details.treated_at = *edit.treated_at;
  AFTERCARE_TRY(validate_plan_details(details));
  if (details.treated_at != plan.details.treated_at) {
    const Instant entered = plan.entered.treated_at;
    const NoticeArgs args = {{"time", format_time(details.treated_at)},
                             {"clock", format_clock(details.treated_at, zone_)},
                             {"entered", format_time(entered)},
                             {"hours", std::to_string(kMaxTreatmentCorrection.count())}};
    if (details.treated_at > entered + kMaxTreatmentCorrection ||
        details.treated_at < entered - kMaxTreatmentCorrection) {
      return invalid_input(NoticeId::kTreatmentCorrectionRange, args);
    }
    auto all = plans();
    if (!all) return all.error();
    for (const auto& other : *all) {
      if (other->id == plan.id || other->cancelled || other->id.value() > plan.id.value()) continue;
      if (details.treated_at <= other->details.treated_at) {
        return invalid_input(NoticeId::kTreatmentBeforeSession,
                             {{"time", format_time(details.treated_at)},
                              {"clock", format_clock(details.treated_at, zone_)},
                              {"session", std::to_string(other->session_number)},
                              {"treated", format_time(other->details.treated_at)}});
      }
    }
  }
  std::vector<PlanChange> changes;
  const auto change = [&](PlanField field, const std::string& before, const std::string& after) {
    if (before != after) changes.push_back({0, plan.id, field, before, after, {}});
  };
  const auto joined = [](const std::vector<std::string>& areas) {
    std::string text;
    for (const auto& area : areas) text += (text.empty() ? "" : ",") + area;
    return text;
  };
  change(PlanField::kClinicName, plan.details.clinic_name, details.clinic_name);
  change(PlanField::kClinicPhone, plan.details.clinic_phone, details.clinic_phone);
  change(PlanField::kAreas, joined(plan.details.areas), joined(details.areas));
  change(PlanField::kDevice, plan.details.device, details.device);
  change(PlanField::kProducts, plan.details.products, details.products);
  change(PlanField::kTreatedAt, plan_time_text(plan.details.treated_at),
         plan_time_text(details.treated_at));
  if (changes.empty()) return invalid_input(NoticeId::kPlanUnchanged, {});
  AFTERCARE_TRY(sync_zone(true));
  AFTERCARE_TRY(store_->add_plan_changes(plan.id, changes, clock_.now()));
  plan_.reset();
  return current_plan();
}

Result<std::shared_ptr<const Plan>> App::cancel_plan(std::optional<PlanId> expected) {
  AFTERCARE_TRY(sync_zone(false));
  auto current = current_plan();
  if (!current) return current.error();
  if (!*current) return no_plan();
  if (expected && *expected != (*current)->id) return changed_meanwhile(**current);
  const PlanId id = (*current)->id;
  AFTERCARE_TRY(sync_zone(true));
  AFTERCARE_TRY(store_->add_plan_changes(
      id, {{0, id, PlanField::kStatus, "active", "cancelled", {}}}, clock_.now()));
  plan_.reset();
  auto all = plans();
  if (!all) return all.error();
  for (const auto& plan : *all) {
    if (plan->id == id) return plan;
  }
  return Error(ErrorCode::kStorage, "the cancelled plan is no longer stored");
}

Result<std::vector<std::shared_ptr<const Plan>>> App::plans() {
  auto records = store_->plans();
  if (!records) return records.error();
  std::vector<std::shared_ptr<const Plan>> plans;
  for (const auto& record : *records) {
    auto plan = to_plan(record);
    if (!plan) return plan.error();
    plans.push_back(*plan);
  }
  return plans;
}

Result<ZoneHistory> App::zone_history() {
  if (!zone_changes_) {
    auto history = store_->zone_history();
    if (!history) return history.error();
    zone_changes_ = std::move(*history);
  }
  std::vector<ZoneChange> changes = *zone_changes_;
  // The device is in zone_ now, whether or not that change is stored yet.
  changes.push_back({clock_.now(), std::string(zone_->name())});
  return ZoneHistory::make(std::move(changes), zone_);
}

Result<std::vector<StepEvent>> App::events_of_current_plan(const Plan& plan) {
  return store_->step_events(plan.id);
}

Result<App::StepState> App::load_step_state(bool record_zone) {
  AFTERCARE_TRY(sync_zone(record_zone));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  auto zones = zone_history();
  if (!zones) return zones.error();
  auto events = events_of_current_plan(**plan);
  if (!events) return events.error();
  auto modes = store_->mode_changes();
  if (!modes) return modes.error();
  return StepState{*plan, std::move(*zones), fold_step_events(*events),
                   Modes::from_changes(std::move(*modes))};
}

Result<TodaySnapshot> App::today() {
  auto state = load_step_state(true);
  if (!state) return state.error();
  return TodaySnapshot{state->plan, build_timeline(*state->plan, state->zones, state->records,
                                                   clock_.now(), zone_, state->modes)};
}

Result<StepChange> App::check_off(const StepId& step, StepAction action,
                                  const OccurrenceHint& which) {
  auto state = load_step_state(false);
  if (!state) return state.error();
  const std::shared_ptr<const Plan>& plan = state->plan;
  const Instant now = clock_.now();
  auto item = select_occurrence(*plan, state->zones, state->records, step, now, zone_, state->modes,
                                which.at, which.id);
  if (!item) return item.error();
  if (item->record) {
    return Error(ErrorCode::kConflict, Notice{NoticeId::kAlreadyMarked,
                                              {{"occurrence", item->occurrence.id},
                                               {"action", step_action_name(item->record->action)},
                                               {"time", format_time(item->record->at)},
                                               {"clock", format_clock(item->record->at, zone_)}}});
  }
  StepEvent event;
  event.plan = plan->id;
  event.step = step;
  event.occurrence = item->occurrence.id;
  event.scheduled_at = item->occurrence.scheduled;
  event.action = action;
  event.at = now;
  event.recorded_at = now;
  AFTERCARE_TRY(sync_zone(true, now));  // the change no later than the check-off
  auto seq = store_->append_step_event(event);
  if (!seq) return seq.error();
  event.seq = *seq;
  return StepChange{event, plan, item->occurrence.step, action};
}

Result<StepChange> App::undo() {
  AFTERCARE_TRY(sync_zone(false));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  auto events = events_of_current_plan(**plan);
  if (!events) return events.error();
  auto target = undo_target(*events);
  if (!target) return Error(ErrorCode::kConflict, Notice{NoticeId::kNothingToUndo, {}});
  StepEvent event = *target;
  event.action = StepAction::kUndone;
  event.at = clock_.now();
  event.recorded_at = event.at;
  AFTERCARE_TRY(sync_zone(true));
  auto seq = store_->append_step_event(event);
  if (!seq) return seq.error();
  event.seq = *seq;
  return StepChange{event, *plan, (*plan)->protocol.find_step(event.step), target->action};
}

Result<LoadedProtocol> App::check_protocol_file(const std::filesystem::path& path) {
  auto text = read_file(path, kMaxProtocolFileBytes);
  if (!text) return text.error();
  return load_protocol(*text, path.string());
}

namespace {

constexpr const char* kLanguageKey = "display_language";
constexpr const char* kClockKey = "display_clock";
constexpr const char* kLargeTextKey = "display_large_text";
constexpr const char* kIncludeNameKey = "export_include_name";

}  // namespace

Result<DisplayPreferences> App::display_preferences() {
  DisplayPreferences preferences;
  auto language = store_->setting(kLanguageKey);
  if (!language) return language.error();
  if (*language && (**language == "en" || **language == "fr")) preferences.language = **language;
  auto clock = store_->setting(kClockKey);
  if (!clock) return clock.error();
  if (*clock) preferences.clock_24h = **clock != "12h";
  auto large = store_->setting(kLargeTextKey);
  if (!large) return large.error();
  if (*large) preferences.large_text = **large == "on";
  auto include = store_->setting(kIncludeNameKey);
  if (!include) return include.error();
  if (*include) preferences.include_name = **include == "on";
  return preferences;
}

Status App::set_display_preferences(const DisplayPreferences& preferences) {
  if (preferences.language != "en" && preferences.language != "fr") {
    return invalid_input(NoticeId::kUnknownLanguage, {{"language", preferences.language}});
  }
  return store_->set_settings({{kLanguageKey, preferences.language},
                               {kClockKey, preferences.clock_24h ? "24h" : "12h"},
                               {kLargeTextKey, preferences.large_text ? "on" : "off"},
                               {kIncludeNameKey, preferences.include_name ? "on" : "off"}},
                              clock_.now());
}

Result<std::filesystem::path> App::back_up() {
  return PatientBackups::take(*store_, data_dir_, clock_.now());
}

}  // namespace aftercare
