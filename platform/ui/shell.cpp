#include "ui/shell.h"

#include <imgui_internal.h>

#include <cmath>
#include <utility>

#include "base/visible_text.h"
#include "schedule/zone.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Shell::Shell(App& app, ClinicPanel* clinic, NotificationCenter* notifications, Layout layout,
             float display_scale, std::filesystem::path export_dir)
    : app_(app),
      clinic_(clinic),
      notifications_(notifications),
      display_scale_(display_scale),
      export_dir_(std::move(export_dir)),
      strings_(state_.language),
      theme_(make_theme(display_scale, state_.large_text)) {
  state_.layout = layout;
  if (auto preferences = app_.display_preferences(); preferences) {
    state_.language = preferences->language == "fr" ? Language::kFrench : Language::kEnglish;
    state_.clock_24h = preferences->clock_24h;
    state_.large_text = preferences->large_text;
    state_.include_name = preferences->include_name;
  }
  refresh();
  // What the opening found (a database others could read, now mended; a daily backup that
  // failed): told once, in the banner.
  for (const auto& notice : app_.opening_notices()) {
    state_.banner += (state_.banner.empty() ? "" : "\n") +
                     fill_placeholders(strings_.get(notice_key(notice.id)), notice.args);
    state_.banner_is_error = state_.banner_is_error || notice.id != NoticeId::kFileMadeOwnerOnly;
  }
  if (!patient_.plan) state_.screen = Screen::kOnboarding;
  if (clinic_) {
    refresh_clinic();
    if (!patient_.plan) state_.screen = Screen::kClinic;
  }
}

bool Shell::take_style_change() {
  const bool changed = style_changed_;
  style_changed_ = false;
  return changed;
}

void Shell::report(const Status& status, const std::string& success) {
  if (status && persistence_ && !success.empty()) {
    // "Saved" only once it is: persist_changes() shows it when the storage holds the change.
    pending_success_ = success;
    state_.banner = strings_.get("storage.saving");
    state_.banner_is_error = false;
    return;
  }
  // A failure after the change (a refresh) is what the banner says, not the pending "Saved".
  if (!status) pending_success_.clear();
  state_.banner = status ? success : strings_.word(status.error());
  state_.banner_is_error = !status;
}

void Shell::refresh() {
  if (strings_.language() != state_.language) strings_ = Strings(state_.language);
  const Theme wanted = make_theme(display_scale_, state_.large_text);
  if (wanted.scale != theme_.scale) {
    theme_ = wanted;
    style_changed_ = true;
  }
  PatientSnapshot snapshot;
  snapshot.now = app_.now();
  snapshot.device_zone = std::string(app_.zone()->name());
  snapshot.zone_database = zone_database_version();
  if (auto key = app_.device_key()) snapshot.device_key = std::move(*key);
  if (auto name = app_.patient_name()) snapshot.patient_name = std::move(*name);
  auto plan = app_.current_plan();
  if (!plan) return report(plan.error());
  snapshot.plan = *plan;
  if (snapshot.plan) {
    auto today = app_.today();
    if (!today) return report(today.error());
    snapshot.today = std::move(*today);
    auto log = app_.symptom_log();
    if (!log) return report(log.error());
    snapshot.log = std::move(*log);
    snapshot.today_model =
        make_today_model(*snapshot.today, snapshot.log->now, strings_, state_.clock_24h);
    auto reminders = app_.reminder_window(std::nullopt);
    if (!reminders) return report(reminders.error());
    snapshot.settings = reminders->settings;
    snapshot.reminders = std::move(*reminders);
    auto outdoors = app_.mode_on("outdoors");
    snapshot.outdoors = outdoors && *outdoors;
  } else if (state_.screen != Screen::kClinic && state_.screen != Screen::kSettings) {
    state_.screen = Screen::kOnboarding;
  }
  patient_ = std::move(snapshot);
}

void Shell::refresh_clinic() {
  if (!clinic_) return;
  if (Status refreshed = clinic_->refresh(state_.clinic); !refreshed) report(refreshed);
}

Status Shell::open_patient(const std::string& pseudonym) {
  state_.screen = Screen::kClinic;
  state_.clinic.selected = pseudonym;
  if (!clinic_) return Error(ErrorCode::kNotFound, "no clinic review here");
  Status opened = clinic_->refresh(state_.clinic);
  if (!opened) {
    state_.clinic.selected.clear();
    report(opened);
  }
  return opened;
}

void Shell::guarded(const std::function<void()>& work) {
  try {
    work();
  } catch (const std::exception& e) {
    report(Error(ErrorCode::kInternal, std::string("something went wrong: ") + e.what()));
  } catch (...) {
    report(Error(ErrorCode::kInternal, "something went wrong"));
  }
}

void Shell::fire_due_reminders() {
  guarded([this] { fire_due_reminders_unguarded(); });
}

void Shell::fire_due_reminders_unguarded() {
  if (!patient_.plan) return;
  auto due = app_.fire_due_reminders();
  if (!due) return report(due.error());
  for (const ReminderItem& item : due->due.firing) {
    state_.banner = std::string(item.reminder.title);
    state_.banner_is_error = false;
    if (notifications_) {
      notifications_->show({item.reminder.id, std::string(item.reminder.title),
                            std::string(item.reminder.body), item.fire_at});
    }
  }
  if (due->missed_summary) {
    state_.banner = due->missed_summary->title;
    state_.banner_is_error = false;
    if (notifications_) notifications_->show(*due->missed_summary);
  }
  replan();
  refresh();
  persist_changes();
}

void Shell::export_now(ExportFormat format) {
  auto written = app_.export_into(format, export_dir_, state_.include_name);
  if (!written) return report(written.error());
  if (deliver_export_) {
    // The manifest goes with it: a clinic's import checks the file against it.
    deliver_export_(written->file);
    deliver_export_(written->manifest_file);
  }
  report({}, strings_.format("settings.exported", {{"file", written->file.string()}}));
}

void Shell::persist_changes() {
  if (!persistence_) return;
  persistence_->persist([this, success = std::exchange(pending_success_, {})](const Status& held) {
    if (!held) {
      state_.banner =
          strings_.format("storage.not_saved", {{"reason", strings_.word(held.error())}});
      state_.banner_is_error = true;
    } else if (!success.empty()) {
      state_.banner = success;
      state_.banner_is_error = false;
    }
  });
}

bool Shell::fail(const Status& status) {
  report(status);
  return false;
}

bool Shell::start_plan() {
  const OnboardingForm& form = state_.onboarding;
  PlanDetails details;
  if (!form.zone.empty()) {
    if (auto zone = locate_zone(form.zone); !zone) return fail(zone.error());
  }
  auto zone = locate_zone(form.zone.empty() ? patient_.device_zone : form.zone);
  if (!zone) return fail(zone.error());
  auto treated = parse_moment(form.date + "T" + form.time, *zone);
  if (!treated) return fail(treated.error().with_context(strings_.get("onboarding.treated_at")));
  details.treated_at = *treated;
  details.zone = form.zone;
  details.areas.assign(form.areas.begin(), form.areas.end());
  details.clinic_name = form.clinic;
  details.clinic_phone = form.phone;
  if (!form.name.empty()) {
    if (auto named = app_.set_patient_name(form.name); !named) return fail(named.error());
  }
  auto started = app_.start_plan(details, std::nullopt);
  if (!started) return fail(started.error());
  state_.screen = Screen::kToday;
  report({}, strings_.get("onboarding.started"));
  return true;
}

bool Shell::edit_plan() {
  PlanEditForm& form = state_.plan_edit;
  if (!patient_.plan) return false;
  const Plan& plan = *patient_.plan;
  // Only what the person changed in the form: a field left as shown stays as stored (its
  // area order, its seconds, a correction made meanwhile elsewhere).
  PlanEdit edit;
  edit.plan = PlanId(form.plan);
  const date::time_zone* zone = app_.zone();
  const auto local = to_local(plan.details.treated_at, zone);
  if (form.date != date::format("%Y-%m-%d", local) || form.time != date::format("%H:%M", local)) {
    auto treated = parse_moment(form.date + "T" + form.time, zone);
    if (!treated) return fail(treated.error().with_context(strings_.get("onboarding.treated_at")));
    edit.treated_at = *treated;
  }
  const std::set<std::string> shown(plan.details.areas.begin(), plan.details.areas.end());
  if (form.areas != shown) {
    std::vector<std::string> areas;  // the plan's order, then the ones added
    for (const auto& area : plan.details.areas) {
      if (form.areas.count(area)) areas.push_back(area);
    }
    for (const auto& area : form.areas) {
      if (!shown.count(area)) areas.push_back(area);
    }
    edit.areas = std::move(areas);
  }
  if (form.clinic != plan.details.clinic_name) edit.clinic_name = form.clinic;
  if (form.phone != plan.details.clinic_phone) edit.clinic_phone = form.phone;
  if (form.device != plan.details.device) edit.device = form.device;
  if (form.products != plan.details.products) edit.products = form.products;
  auto edited = app_.edit_plan(edit);
  if (!edited) return fail(edited.error());
  form.open = false;
  report({}, strings_.get("settings.plan_edited"));
  return true;
}

bool Shell::cancel_plan() {
  auto cancelled = app_.cancel_plan(PlanId(state_.plan_edit.plan));
  if (!cancelled) return fail(cancelled.error());
  state_.plan_edit = PlanEditForm{};
  auto current = app_.current_plan();
  if (current && !*current) state_.screen = Screen::kOnboarding;
  report({}, strings_.get("settings.plan_cancelled"));
  return true;
}

bool Shell::log_symptom() {
  const LogForm& form = state_.log;
  SymptomReport entry;
  entry.symptom = SymptomId(form.symptom);
  entry.severity = form.severity;
  entry.area = form.area;
  entry.note = form.note;
  auto logged = app_.log_symptom(entry, std::nullopt);
  if (!logged) return fail(logged.error());
  const SymptomDef* symptom =
      patient_.plan ? patient_.plan->protocol.find_symptom(entry.symptom) : nullptr;
  report({}, strings_.format("log.saved", {{"symptom", symptom ? symptom->title : form.symptom},
                                           {"severity", std::to_string(form.severity)}}));
  state_.log.note.clear();
  return true;
}

void Shell::apply(const Action& action) {
  using Kind = Action::Kind;
  if (action.kind != Kind::kNone) redraw_ = true;
  switch (action.kind) {
    case Kind::kNone:
      return;
    case Kind::kGo:
      state_.screen = action.screen;
      state_.banner.clear();
      if (action.screen == Screen::kClinic) refresh_clinic();
      return;
    case Kind::kStartPlan:
      if (!start_plan()) return;
      break;
    case Kind::kEditPlan:
      if (!edit_plan()) return;
      break;
    case Kind::kCancelPlan:
      if (!cancel_plan()) return;
      break;
    case Kind::kCheckOff: {
      auto changed =
          app_.check_off(StepId(action.step), action.step_action, OccurrenceHint::of_id(action.id));
      report(changed ? Status() : Status(changed.error()));
      break;
    }
    case Kind::kUndo: {
      auto changed = app_.undo();
      report(changed ? Status() : Status(changed.error()));
      break;
    }
    case Kind::kLogSymptom:
      if (!log_symptom()) return;
      break;
    case Kind::kSnooze: {
      auto snoozed = app_.snooze_reminder(action.id, std::nullopt);
      if (!snoozed) return report(snoozed.error());
      report({}, strings_.format(
                     "reminders.snoozed",
                     {{"time", clock_time(snoozed->fire_at, app_.zone(), state_.clock_24h)}}));
      break;
    }
    case Kind::kDismiss: {
      auto dismissed = app_.dismiss_reminder(action.id);
      report(dismissed ? Status() : Status(dismissed.error()), strings_.get("reminders.dismissed"));
      break;
    }
    case Kind::kSetOutdoors:
      report(app_.set_mode("outdoors", action.flag));
      break;
    case Kind::kSetReminderSettings:
      report(app_.set_reminder_settings(action.reminder_settings));
      break;
    case Kind::kSetLanguage:
    case Kind::kSetClock24h:
    case Kind::kSetLargeText:
    case Kind::kSetIncludeName: {
      if (action.kind == Kind::kSetLanguage) state_.language = action.language;
      if (action.kind == Kind::kSetClock24h) state_.clock_24h = action.flag;
      if (action.kind == Kind::kSetLargeText) state_.large_text = action.flag;
      if (action.kind == Kind::kSetIncludeName) state_.include_name = action.flag;
      report(
          app_.set_display_preferences({state_.language == Language::kFrench ? "fr" : "en",
                                        state_.clock_24h, state_.large_text, state_.include_name}));
      break;
    }
    case Kind::kSetName: {
      auto set = app_.set_patient_name(state_.name);
      report(set, set ? strings_.get(state_.name.empty() ? "settings.name_cleared"
                                                         : "settings.name_saved")
                      : std::string());
      break;
    }
    case Kind::kExport:
      export_now(action.format);
      break;
    case Kind::kCallClinic:
      if (dial_) {
        dial_(action.id);
        report({}, strings_.format("today.calling", {{"phone", action.id}}));
      } else {
        ImGui::SetClipboardText(action.id.c_str());
        report({}, strings_.format("today.call_copied", {{"phone", action.id}}));
      }
      break;
    case Kind::kClinicImport:
    case Kind::kClinicPush:
    case Kind::kClinicTrust:
      if (!clinic_) return;
      if (auto notice = clinic_->apply(action, state_.clinic, strings_)) {
        state_.banner = notice->text;
        state_.banner_is_error = notice->error;
        // A key trusted is done with; one refused stays to be corrected.
        if (action.kind == Kind::kClinicTrust && !notice->error) state_.clinic.trust_device.clear();
      }
      return;
  }
  replan();
  refresh();
  persist_changes();
}

void Shell::replan() {
  if (!notifications_) return;
  // The reminders stay with the OS as last planned; the banner says they could not be moved.
  if (Status planned = app_.replan(*notifications_); !planned) report(planned);
}

Action Shell::draw_screen(ViewContext& view) {
  switch (state_.screen) {
    case Screen::kOnboarding:
      return draw_onboarding(view, patient_);
    case Screen::kToday:
      return draw_today(view, patient_);
    case Screen::kLog:
      return draw_log(view, patient_);
    case Screen::kProgress:
      return draw_progress(view, patient_);
    case Screen::kReminders:
      return draw_reminders(view, patient_);
    case Screen::kSettings:
      return draw_settings(view, patient_);
    case Screen::kClinic:
      return clinic_ ? clinic_->draw(view) : Action{};
  }
  return {};
}

void Shell::scroll_by_drag() {
  // Touch first: a finger dragged up or down scrolls the screen, wherever it started (ImGui
  // scrolls by wheel only). A mostly sideways drag stays with the item under it (the slider).
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 drag = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, theme_.px(8));
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows |
                              ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) ||
      std::abs(drag.y) <= std::abs(drag.x)) {
    return;
  }
  ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
  // The press becomes a scroll: the button under the finger must not fire on release.
  ImGui::ClearActiveID();
}

void Shell::poll() {
  if (!clinic_) return;
  if (auto notice = clinic_->poll(strings_)) {
    state_.banner = notice->text;
    state_.banner_is_error = notice->error;
  }
}

void Shell::frame(float width, float height) {
  poll();
  begin_touch_frame();
  const std::string selected = state_.clinic.selected;
  const auto filter = state_.clinic.filter;
  const auto sort = state_.clinic.sort;
  ViewContext view{theme_, strings_, state_};
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGui::Begin("aftercare", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const bool navigation = patient_.plan || clinic_;
  const bool phone = state_.layout == Layout::kPhone;
  const float nav_size =
      phone ? theme_.px(theme_.touch_target) + 2 * ImGui::GetStyle().WindowPadding.y
            : theme_.px(170);
  Action nav_action;
  if (navigation && !phone) {
    ImGui::BeginChild("navigation", ImVec2(nav_size, 0), false);
    nav_action = draw_navigation(view, clinic_ != nullptr);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  const ImVec2 content(0, navigation && phone ? -nav_size : 0);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(theme_.background));
  ImGui::BeginChild("content", content, false);
  if (!state_.banner.empty()) {
    begin_card(theme_, "banner");
    // A message may quote a file name or a server's words: their control characters visible.
    text_wrapped(state_.banner_is_error ? theme_.urgent : theme_.accent,
                 visible_text(state_.banner));
    end_card(theme_);
  }
  // On a wide window, forms keep a readable width; Today, Progress and the clinic use it all.
  const bool form = state_.screen == Screen::kOnboarding || state_.screen == Screen::kLog ||
                    state_.screen == Screen::kReminders || state_.screen == Screen::kSettings;
  const bool column = !phone && form;
  if (column) {
    ImGui::BeginChild("column",
                      ImVec2(std::min(ImGui::GetContentRegionAvail().x, theme_.px(640)), 0), false);
  }
  Action action = draw_screen(view);
  scroll_by_drag();
  if (column) ImGui::EndChild();
  ImGui::EndChild();
  ImGui::PopStyleColor();
  if (navigation && phone) {
    ImGui::Separator();
    nav_action = draw_navigation(view, clinic_ != nullptr);
  }
  ImGui::End();
  if (nav_action.kind != Action::Kind::kNone) action = nav_action;
  guarded([&] { apply(action); });
  if (clinic_ && (selected != state_.clinic.selected || filter != state_.clinic.filter ||
                  sort != state_.clinic.sort)) {
    guarded([this] { refresh_clinic(); });
  }
}

}  // namespace aftercare::ui
