#include "exchange/pdf_report.h"
#include "schedule/zone.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

namespace {

// The plan's details, with a form to correct them and a way to cancel a plan started by mistake.
Action draw_plan_details(ViewContext& view, const Plan& plan, const std::string& device_zone) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  PlanEditForm& form = view.state.plan_edit;
  Action action;
  title(theme, strings.get("settings.plan"));
  if (form.plan != plan.id.value()) {  // another plan is current: what was typed is for none
    form = PlanEditForm{};
    form.plan = plan.id.value();
  }
  const auto located = locate_zone(device_zone);
  const date::time_zone* zone = located ? *located : date::locate_zone("UTC");
  const auto local = to_local(plan.details.treated_at, zone);
  const float width = ImGui::GetContentRegionAvail().x / theme.scale;
  if (!form.open) {
    std::string areas;
    for (const auto& area : plan.details.areas) areas += (areas.empty() ? "" : ", ") + area;
    text_wrapped(theme.text, strings.format("settings.plan_summary",
                                            {{"session", std::to_string(plan.session_number)},
                                             {"date", date::format("%Y-%m-%d %H:%M", local)},
                                             {"areas", areas}}));
    if (!plan.details.clinic_name.empty() || !plan.details.clinic_phone.empty()) {
      text_wrapped(theme.muted, plan.details.clinic_name +
                                    (plan.details.clinic_name.empty() ? "" : " ") +
                                    plan.details.clinic_phone);
    }
    if (!plan.changes.empty()) {
      text_wrapped(theme.muted, strings.format("settings.plan_changes",
                                               {{"count", std::to_string(plan.changes.size())}}));
    }
    if (touch_button(theme, strings.get("settings.plan_edit").c_str(), width)) {
      form = PlanEditForm{};
      form.open = true;
      form.plan = plan.id.value();
      form.date = date::format("%Y-%m-%d", local);
      form.time = date::format("%H:%M", local);
      form.areas.insert(plan.details.areas.begin(), plan.details.areas.end());
      form.clinic = plan.details.clinic_name;
      form.phone = plan.details.clinic_phone;
      form.device = plan.details.device;
      form.products = plan.details.products;
    }
  } else {
    text_field(theme, strings.get("onboarding.date"), "##plan_date", form.date);
    text_field(theme, strings.get("onboarding.time"), "##plan_time", form.time);
    text_wrapped(theme.muted, strings.get("settings.plan_time_bound"));
    text_wrapped(theme.muted, strings.get("onboarding.areas"));
    area_toggles(theme, form.areas);
    text_field(theme, strings.get("onboarding.clinic"), "##plan_clinic", form.clinic);
    text_field(theme, strings.get("onboarding.phone"), "##plan_phone", form.phone);
    text_field(theme, strings.get("settings.plan_device"), "##plan_device", form.device);
    text_field(theme, strings.get("settings.plan_products"), "##plan_products", form.products);
    if (touch_button(theme, strings.get("settings.plan_save").c_str(), width / 2 - 4)) {
      action = Action::of(Action::Kind::kEditPlan);
    }
    ImGui::SameLine();
    if (touch_button(theme, strings.get("settings.plan_close").c_str(), width / 2 - 4, false)) {
      form.open = false;
    }
  }
  if (!form.confirm_cancel) {
    if (touch_button(theme, strings.get("settings.plan_cancel").c_str(), width, false)) {
      form.confirm_cancel = true;
    }
  } else {
    text_wrapped(theme.warn, strings.get("settings.plan_cancel_confirm"));
    if (touch_button(theme, strings.get("settings.plan_cancel_yes").c_str(), width / 2 - 4)) {
      action = Action::of(Action::Kind::kCancelPlan);
    }
    ImGui::SameLine();
    if (touch_button(theme, strings.get("settings.plan_cancel_no").c_str(), width / 2 - 4, false)) {
      form.confirm_cancel = false;
    }
  }
  return action;
}

}  // namespace

Action draw_settings(ViewContext& view, const PatientSnapshot& patient) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  const UiState& state = view.state;
  Action action;
  title(theme, strings.get("settings.title"));
  text_wrapped(theme.muted, strings.get("settings.language"));
  // Each language by its own name; the tables are parsed once, not every frame.
  static const Strings kEnglish(Language::kEnglish);
  static const Strings kFrench(Language::kFrench);
  for (const Strings* named : {&kEnglish, &kFrench}) {
    const Language language = named->language();
    if (language != Language::kEnglish) ImGui::SameLine();
    if (touch_button(theme, named->get("language.name").c_str(), 120, state.language == language)) {
      action = Action::of(Action::Kind::kSetLanguage);
      action.language = language;
    }
  }
  ImGui::Spacing();
  if (touch_toggle(theme, strings.get("settings.clock_24h").c_str(), state.clock_24h)) {
    action = Action::of(Action::Kind::kSetClock24h);
    action.flag = !state.clock_24h;
  }
  if (touch_toggle(theme, strings.get("settings.large_text").c_str(), state.large_text)) {
    action = Action::of(Action::Kind::kSetLargeText);
    action.flag = !state.large_text;
  }
  if (!patient.zone_database.empty()) {
    text_wrapped(theme.muted,
                 strings.format("settings.zone_data", {{"version", patient.zone_database}}));
  }
  // Shown when asked for (a clinic trusting a new phone needs it), in groups of four, to read
  // out over the phone.
  if (!patient.device_key.empty()) {
    bool& shown = view.state.show_device_key;
    if (touch_toggle(theme, strings.get("settings.show_device_key").c_str(), shown)) {
      shown = !shown;
    }
    if (shown) {
      std::string grouped;
      for (std::size_t i = 0; i < patient.device_key.size(); i += 4) {
        grouped += (i == 0 ? "" : " ") + patient.device_key.substr(i, 4);
      }
      text_wrapped(theme.muted, strings.format("settings.device_key", {{"key", grouped}}));
    }
  }
  // The name: kept on this device, in an export only when the switch says so.
  ImGui::Spacing();
  UiState& editable = view.state;
  if (!editable.name_loaded) {
    editable.name = patient.patient_name;
    editable.name_loaded = true;
  }
  text_field(theme, strings.get("settings.name"), "##patient_name", editable.name);
  if (editable.name != patient.patient_name &&
      touch_button(theme, strings.get("settings.name_save").c_str(), 160)) {
    action = Action::of(Action::Kind::kSetName);
  }
  if (touch_toggle(theme, strings.get("settings.include_name").c_str(), state.include_name)) {
    action = Action::of(Action::Kind::kSetIncludeName);
    action.flag = !state.include_name;
  }
  text_wrapped(theme.muted, strings.get(state.include_name && !patient.patient_name.empty()
                                            ? "settings.include_name_on"
                                            : "settings.include_name_off"));
  if (!patient.plan) return action;
  ImGui::Spacing();
  title(theme, strings.get("settings.export"));
  const std::pair<const char*, ExportFormat> formats[] = {{"PDF", ExportFormat::kPdf},
                                                          {"CSV", ExportFormat::kCsv},
                                                          {"JSON", ExportFormat::kJson},
                                                          {"FHIR", ExportFormat::kFhir},
                                                          {"ICS", ExportFormat::kIcs}};
  bool first = true;
  for (const auto& [name, format] : formats) {
    if (format == ExportFormat::kPdf && !pdf_report_available()) continue;
    if (!first) ImGui::SameLine();
    first = false;
    if (touch_button(theme, name, 56, false)) {
      action = Action::of(Action::Kind::kExport);
      action.format = format;
    }
  }
  // Below the exports, which are used every week: correcting the plan is rare.
  ImGui::Spacing();
  if (Action plan = draw_plan_details(view, *patient.plan, patient.device_zone);
      plan.kind != Action::Kind::kNone) {
    action = plan;
  }
  return action;
}

}  // namespace aftercare::ui
