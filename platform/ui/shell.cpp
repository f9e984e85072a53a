#include "ui/shell.h"

#include <sys/stat.h>

#include <imgui_internal.h>

#include <cmath>

#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Shell::Shell(App& app, ClinicApp* clinic, NotificationCenter* notifications, Layout layout,
             float display_scale, std::filesystem::path export_dir)
    : app_(app),
      clinic_app_(clinic),
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
  }
  refresh();
  if (!patient_.plan) state_.screen = Screen::kOnboarding;
  if (clinic_app_) {
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
  state_.banner = status ? success : status.error().message();
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
    for (const SymptomDef& symptom : snapshot.plan->protocol.symptoms) {
      std::vector<SymptomEntry> entries;
      for (const SymptomEntry& entry : snapshot.log->entries) {
        if (entry.report.symptom == symptom.id) entries.push_back(entry);
      }
      if (entries.empty()) continue;
      snapshot.charts.push_back(symptom_chart(symptom, entries, snapshot.plan->details.treated_at));
    }
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
  if (!clinic_app_) return;
  ClinicSnapshot snapshot;
  snapshot.open = true;
  auto patients = clinic_app_->list(state_.clinic.filter, state_.clinic.sort);
  if (!patients) return report(patients.error());
  snapshot.patients = std::move(*patients);
  if (!state_.clinic.selected.empty()) {
    auto shown = clinic_app_->show(state_.clinic.selected);
    if (!shown) return report(shown.error());
    if (!shown->plans.empty()) {
      const Plan& plan = *shown->plans.back();
      for (const SymptomDef& symptom : plan.protocol.symptoms) {
        std::vector<SymptomEntry> entries;
        for (const SymptomEntry& entry : shown->entries) {
          if (entry.report.symptom == symptom.id) entries.push_back(entry);
        }
        if (!entries.empty()) {
          snapshot.selected_charts.push_back(
              symptom_chart(symptom, entries, plan.details.treated_at));
        }
      }
      const SymptomSeries series(shown->entries);
      for (const SymptomEntry& entry : shown->entries) {
        const Assessment judged = assess_entry(plan, series, entry);
        if (judged.verdict == Verdict::kExpected) continue;
        // The patient's calendar day, in the zone the entry was felt in.
        auto zone = locate_zone(entry.report.zone);
        if (!zone) zone = locate_zone(plan.details.zone);
        const auto local = zone ? (*zone)->to_local(entry.report.felt_at)
                                : date::local_seconds(entry.report.felt_at.time_since_epoch());
        const std::string day = format_date(date::year_month_day(date::floor<date::days>(local)));
        if (snapshot.selected_flags.empty() || snapshot.selected_flags.back().first != day) {
          snapshot.selected_flags.push_back({day, {}});
        }
        for (const VerdictReason& reason : judged.reasons) {
          snapshot.selected_flags.back().second.push_back(reason.message);
        }
      }
    }
    snapshot.selected = std::move(*shown);
  }
  clinic_ = std::move(snapshot);
  show_push();
}

void Shell::open_patient(const std::string& pseudonym) {
  state_.screen = Screen::kClinic;
  state_.clinic.selected = pseudonym;
  refresh_clinic();
}

void Shell::fire_due_reminders() {
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
  if (notifications_) (void)app_.replan(*notifications_);
  refresh();
}

void Shell::apply(const Action& action) {
  using Kind = Action::Kind;
  switch (action.kind) {
    case Kind::kNone:
      return;
    case Kind::kGo:
      state_.screen = action.screen;
      state_.banner.clear();
      if (action.screen == Screen::kClinic) refresh_clinic();
      return;
    case Kind::kStartPlan: {
      const OnboardingForm& form = state_.onboarding;
      PlanDetails details;
      if (!form.zone.empty()) {
        if (auto zone = locate_zone(form.zone); !zone) return report(zone.error());
      }
      auto zone = locate_zone(form.zone.empty() ? patient_.device_zone : form.zone);
      if (!zone) return report(zone.error());
      auto treated = parse_moment(form.date + "T" + form.time, *zone);
      if (!treated) return report(treated.error().with_context("treatment date and time"));
      details.treated_at = *treated;
      details.zone = form.zone;
      details.areas.assign(form.areas.begin(), form.areas.end());
      details.clinic_name = form.clinic;
      details.clinic_phone = form.phone;
      auto started = app_.start_plan(details, std::nullopt);
      if (!started) return report(started.error());
      state_.screen = Screen::kToday;
      report({}, strings_.get("onboarding.started"));
      break;
    }
    case Kind::kCheckOff: {
      auto changed = app_.check_off(StepId(action.step), action.step_action, action.id);
      report(changed ? Status() : Status(changed.error()));
      break;
    }
    case Kind::kUndo: {
      auto changed = app_.undo();
      report(changed ? Status() : Status(changed.error()));
      break;
    }
    case Kind::kLogSymptom: {
      const LogForm& form = state_.log;
      SymptomReport entry;
      entry.symptom = SymptomId(form.symptom);
      entry.severity = form.severity;
      entry.area = form.area;
      entry.note = form.note;
      auto logged = app_.log_symptom(entry, std::nullopt);
      if (!logged) return report(logged.error());
      const SymptomDef* symptom =
          patient_.plan ? patient_.plan->protocol.find_symptom(entry.symptom) : nullptr;
      report({}, strings_.format("log.saved", {{"symptom", symptom ? symptom->title : form.symptom},
                                               {"severity", std::to_string(form.severity)}}));
      state_.log.note.clear();
      break;
    }
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
    case Kind::kSetLargeText: {
      if (action.kind == Kind::kSetLanguage) state_.language = action.language;
      if (action.kind == Kind::kSetClock24h) state_.clock_24h = action.flag;
      if (action.kind == Kind::kSetLargeText) state_.large_text = action.flag;
      report(app_.set_display_preferences({state_.language == Language::kFrench ? "fr" : "en",
                                           state_.clock_24h, state_.large_text}));
      break;
    }
    case Kind::kExport: {
      static constexpr const char* kExtensions[] = {"csv", "json", "fhir.json", "ics", "pdf"};
      std::error_code ec;
      std::filesystem::create_directories(export_dir_, ec);
      if (ec || ::chmod(export_dir_.c_str(), 0700) != 0) {
        return report(Error(ErrorCode::kIo, export_dir_.string() + ": cannot create the folder"));
      }
      const auto file =
          export_dir_ / (std::string("aftercare.") + kExtensions[static_cast<int>(action.format)]);
      auto written = app_.export_to(action.format, file);
      if (!written) return report(written.error());
      report({}, strings_.format("settings.exported", {{"file", written->file.string()}}));
      break;
    }
    case Kind::kClinicImport: {
      if (!clinic_app_) return;
      auto imported = clinic_app_->import({state_.clinic.folder});
      if (!imported) return report(imported.error());
      report({}, strings_.format(
                     "clinic.imported",
                     {{"imported", std::to_string(imported->count(ImportOutcome::kImported))},
                      {"extended", std::to_string(imported->count(ImportOutcome::kExtended))},
                      {"unchanged", std::to_string(imported->count(ImportOutcome::kUnchanged))},
                      {"rejected", std::to_string(imported->count(ImportOutcome::kRejected))}}));
      refresh_clinic();
      return;
    }
    case Kind::kClinicPush: {
      if (!clinic_app_ || !http_ || push_.valid()) return;
      const std::string server = state_.clinic.fhir_server;
      if (!check_fhir_server(server)) {
        return report(invalid_input(strings_.get("clinic.fhir_server_invalid")));
      }
      // The records are read here, on the frame's thread, which owns the clinic database;
      // only the delivery runs on its own thread.
      auto deliveries = clinic_app_->fhir_deliveries(std::nullopt);
      if (!deliveries) return report(deliveries.error());
      push_done_ = 0;
      push_total_ = deliveries->size();
      push_problems_.clear();
      FhirPushOptions options;
      options.cancel = cancel_;
      push_ =
          std::async(std::launch::async, [this, server, options, list = std::move(*deliveries)] {
            auto pushed =
                push_fhir(list, server, *http_, options, [this](std::size_t done, std::size_t) {
                  push_done_ = done;
                  if (wake_) wake_();
                });
            if (wake_) wake_();
            return pushed;
          });
      show_push();
      state_.banner.clear();
      return;
    }
  }
  if (notifications_) (void)app_.replan(*notifications_);
  refresh();
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
      return draw_clinic(view, clinic_);
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

void Shell::set_fhir_client(HttpClient* http, std::function<void()> wake,
                            std::atomic<bool>* cancel) {
  http_ = http;
  wake_ = std::move(wake);
  cancel_ = cancel;
}

Shell::~Shell() {
  if (!push_.valid()) return;
  if (cancel_) *cancel_ = true;
  push_.wait();
}

void Shell::show_push() {
  clinic_.pushing = push_.valid();
  clinic_.push_done = push_done_.load();
  clinic_.push_total = push_total_;
  clinic_.push_problems = push_problems_;
}

void Shell::poll_push() {
  if (!push_.valid()) return;
  if (push_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return show_push();
  const FhirPushReport pushed = push_.get();
  push_problems_.clear();
  for (const auto& result : pushed.patients) {
    for (const auto& problem : result.problems) {
      if (result.outcome == FhirPushOutcome::kAccepted) continue;
      push_problems_.push_back(result.pseudonym + ": " + fhir_push_outcome_name(result.outcome) +
                               ": " + problem);
    }
  }
  show_push();
  state_.banner = strings_.format(
      "clinic.pushed", {{"accepted", std::to_string(pushed.count(FhirPushOutcome::kAccepted))},
                        {"rejected", std::to_string(pushed.count(FhirPushOutcome::kRejected))},
                        {"failed", std::to_string(pushed.count(FhirPushOutcome::kFailed))}});
  state_.banner_is_error = pushed.count(FhirPushOutcome::kAccepted) != pushed.patients.size();
}

void Shell::frame(float width, float height) {
  poll_push();
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
  const bool navigation = patient_.plan || clinic_app_;
  const bool phone = state_.layout == Layout::kPhone;
  const float nav_size =
      phone ? theme_.px(theme_.touch_target) + 2 * ImGui::GetStyle().WindowPadding.y
            : theme_.px(170);
  Action nav_action;
  if (navigation && !phone) {
    ImGui::BeginChild("navigation", ImVec2(nav_size, 0), false);
    nav_action = draw_navigation(view, clinic_app_ != nullptr);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  const ImVec2 content(0, navigation && phone ? -nav_size : 0);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(theme_.background));
  ImGui::BeginChild("content", content, false);
  if (!state_.banner.empty()) {
    begin_card(theme_, "banner");
    text_wrapped(state_.banner_is_error ? theme_.urgent : theme_.accent, state_.banner);
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
    nav_action = draw_navigation(view, clinic_app_ != nullptr);
  }
  ImGui::End();
  if (nav_action.kind != Action::Kind::kNone) action = nav_action;
  apply(action);
  if (clinic_app_ && (selected != state_.clinic.selected || filter != state_.clinic.filter ||
                      sort != state_.clinic.sort)) {
    refresh_clinic();
  }
}

}  // namespace aftercare::ui
