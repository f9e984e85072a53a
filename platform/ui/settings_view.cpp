#include "exchange/pdf_report.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

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
  return action;
}

}  // namespace aftercare::ui
