#include <cmath>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "base/visible_text.h"
#include "ui/clinic_review.h"
#include "ui/views.h"
#include "ui/widgets.h"

namespace aftercare::ui {

namespace {

// The clinic's words for a verdict (the patient's say "contact your clinic").
const char* verdict_key(Verdict verdict) {
  switch (verdict) {
    case Verdict::kExpected:
      return "clinic.expected";
    case Verdict::kContactClinic:
      return "clinic.contact";
    case Verdict::kUrgent:
      return "clinic.urgent";
  }
  return "clinic.expected";
}

// Every session of the series with its corrections, the notes, and every edit (old and new
// values) and delete of an entry: what the patient changed is never hidden from the clinic.
void draw_record_history(const Theme& theme, const Strings& strings,
                         const ClinicPatientView& patient) {
  const auto* utc = date::locate_zone("UTC");
  title(theme, strings.get("clinic.sessions"));
  for (const auto& session : patient.plans) {
    text_wrapped(
        session->cancelled ? theme.muted : theme.text,
        strings.format(session->cancelled ? "clinic.session_cancelled" : "clinic.session",
                       {{"session", std::to_string(session->session_number)},
                        {"date", format_minute_offset(session->details.treated_at,
                                                      zone_or(session->details.zone, utc))}}));
    for (const PlanChange& change : session->changes) {
      if (change.field == PlanField::kStatus) continue;
      text_wrapped(theme.muted, "  " + std::string(plan_field_name(change.field)) + ": " +
                                    visible_text(change.before, true) + " -> " +
                                    visible_text(change.after, true));
    }
  }
  title(theme, strings.get("clinic.notes_and_edits"));
  bool any = false;
  for (const SymptomEntry& entry : patient.entries) {
    if (entry.report.note.empty()) continue;
    any = true;
    text_wrapped(theme.text,
                 "#" + std::to_string(entry.entry.value()) + "  " +
                     format_minute_offset(entry.report.felt_at, zone_or(entry.report.zone, utc)) +
                     "  \"" + visible_text(entry.report.note, true) + "\"");
  }
  for (const EntryRevision& revision : patient.revisions) {
    any = true;
    const SymptomVersion& v = revision.version;
    std::string line =
        "#" + std::to_string(v.entry.value()) + " v" + std::to_string(v.version) + " " +
        strings.get(v.action == EntryAction::kDeleted ? "clinic.deleted" : "clinic.edited") + " " +
        format_minute_offset(v.recorded_at, zone_or(v.report.zone, utc));
    for (const ReportChange& change : revision.changes) {
      line += "; " + change.field + ": " + visible_text(change.before, true) + " -> " +
              visible_text(change.after, true);
    }
    text_wrapped(theme.muted, line);
  }
  if (!any) text_wrapped(theme.muted, strings.get("clinic.no_notes"));
}

Action draw_detail(ViewContext& view, const ClinicSnapshot& clinic) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  const ClinicPatientView& patient = *clinic.selected;
  Action action;
  if (touch_button(theme, strings.get("clinic.back").c_str(), 160, false)) {
    view.state.clinic.selected.clear();
  }
  title(theme, patient.patient.pseudonym);
  // The name, when the patient's latest export carried it (their choice).
  if (!patient.patient.summary.name.empty()) {
    text_wrapped(theme.text, visible_text(patient.patient.summary.name, true));
  }
  begin_card(theme, "verdict");
  text_wrapped(verdict_color(theme, patient.assessment.verdict),
               strings.get(verdict_key(patient.assessment.verdict)));
  for (const VerdictReason& reason : patient.assessment.reasons) {
    text_wrapped(theme.text, "- " + reason.message);
  }
  if (patient.patient.silent) text_wrapped(theme.warn, strings.get("clinic.silent"));
  // Which protocol the verdict follows: the clinic's own, and where the patient's differs.
  if (patient.judged_with) {
    text_wrapped(
        theme.muted,
        strings.format(
            "clinic.judged_with",
            {{"date",
              format_date(local_date(patient.judged_with->set_at, date::locate_zone("UTC")))},
             {"source", std::filesystem::path(patient.judged_with->source).filename().string()}}));
    if (patient.protocol_differences.empty()) {
      text_wrapped(theme.muted, strings.get("clinic.protocol_follows"));
    } else {
      text_wrapped(theme.warn, strings.get("clinic.protocol_differs"));
      for (const auto& line : patient.protocol_differences) text_wrapped(theme.muted, line);
    }
  }
  end_card(theme);
  // Whose signature the clinic accepts for this patient, how it came to, and a new phone's key
  // to trust instead (when its old phone cannot sign a hand-over).
  title(theme, strings.get("clinic.device"));
  begin_card(theme, "device");
  const auto& pins = patient.patient.pins;
  if (pins.empty()) {
    text_wrapped(theme.muted, strings.get("clinic.device_none"));
  } else {
    text_wrapped(theme.text, pins.back().device);
    for (auto pin = pins.rbegin(); pin != pins.rend(); ++pin) {
      text_wrapped(theme.muted,
                   format_date(local_date(pin->at, date::locate_zone("UTC"))) + "  " + pin->detail);
    }
  }
  text_wrapped(theme.muted, strings.get("clinic.trust_hint"));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - theme.px(150));
  ImGui::PushStyleVar(
      ImGuiStyleVar_FramePadding,
      ImVec2(theme.px(12), (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2));
  ImGui::InputText("##trust", &view.state.clinic.trust_device);
  ImGui::PopStyleVar();
  record_touch_target("trust", true);
  ImGui::SameLine();
  if (touch_button(theme, strings.get("clinic.trust").c_str(), 140)) {
    action = Action::of(Action::Kind::kClinicTrust);
  }
  end_card(theme);
  draw_adherence(theme, strings, patient.timeline);
  // Flags by day: each day's entries that were outside the usual course when logged.
  title(theme, strings.get("clinic.day_flags"));
  for (const DayFlags& day : patient.flags) {
    text_wrapped(theme.text, format_date(day.day));
    for (const VerdictReason& reason : day.reasons)
      text_wrapped(theme.muted, "  " + reason.message);
  }
  draw_record_history(theme, strings, patient);
  for (const SymptomChart& chart : patient.charts) {
    text_wrapped(theme.text, chart.title);
    draw_symptom_chart(theme, chart);
  }
  return action;
}

// The patient table, as ClinicApp::list filtered and sorted it; a click on a row opens it, a
// click on a header sorts by that column.
void draw_patient_table(ViewContext& view, const ClinicSnapshot& clinic) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  ClinicForm& form = view.state.clinic;
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY;
  if (ImGui::BeginTable("patients", 5, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(strings.get("clinic.verdict").c_str(),
                            ImGuiTableColumnFlags_DefaultSort, 0,
                            static_cast<ImGuiID>(ClinicSort::kStatus));
    ImGui::TableSetupColumn(strings.get("clinic.patient").c_str(), 0, 0,
                            static_cast<ImGuiID>(ClinicSort::kPatient));
    // Wide enough for a date, a time and the patient's offset; the others share the rest.
    ImGui::TableSetupColumn(strings.get("clinic.last_checkin").c_str(),
                            ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("2027-03-14 19:00 -04:00").x + theme.px(16),
                            static_cast<ImGuiID>(ClinicSort::kLastCheckin));
    ImGui::TableSetupColumn(strings.get("clinic.adherence").c_str(), 0, 0,
                            static_cast<ImGuiID>(ClinicSort::kAdherence));
    ImGui::TableSetupColumn(strings.get("clinic.worst").c_str(), 0, 0,
                            static_cast<ImGuiID>(ClinicSort::kWorst));
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* sort = ImGui::TableGetSortSpecs(); sort && sort->SpecsDirty) {
      if (sort->SpecsCount > 0) form.sort = static_cast<ClinicSort>(sort->Specs[0].ColumnUserID);
      sort->SpecsDirty = false;
    }
    // The Shell lists patients already filtered and sorted by ClinicApp::list.
    const date::time_zone* utc = date::locate_zone("UTC");  // for a row that names no zone
    for (const ClinicPatient& patient : clinic.patients) {
      const PatientSummary& summary = patient.summary;
      ImGui::TableNextRow(0, theme.px(theme.touch_target));
      ImGui::TableNextColumn();
      // As expected but gone quiet: said so, in the caution colour, and sorted above.
      const bool quiet = summary.verdict == Verdict::kExpected && patient.silent;
      ImGui::PushStyleColor(ImGuiCol_Text,
                            ImGui::ColorConvertU32ToFloat4(
                                quiet ? theme.warn : verdict_color(theme, summary.verdict)));
      if (ImGui::Selectable((strings.get(quiet ? "clinic.silent" : verdict_key(summary.verdict)) +
                             "##" + patient.pseudonym)
                                .c_str(),
                            false, ImGuiSelectableFlags_SpanAllColumns,
                            ImVec2(0, theme.px(theme.touch_target) - theme.px(8)))) {
        form.selected = patient.pseudonym;
      }
      ImGui::PopStyleColor();
      record_touch_target(patient.pseudonym);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(
          summary.name.empty()
              ? patient.pseudonym.c_str()
              : (patient.pseudonym + "  " + visible_text(summary.name, true)).c_str());
      ImGui::TableNextColumn();
      // In the patient's time where they checked in, with its offset.
      ImGui::TextUnformatted(
          summary.last_checkin
              ? format_minute_offset(*summary.last_checkin, zone_or(summary.last_checkin_zone, utc))
                    .c_str()
              : "-");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(
          summary.adherence
              ? (std::to_string(static_cast<int>(std::lround(*summary.adherence * 100))) + "%")
                    .c_str()
              : "-");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(
          summary.worst_symptom.empty()
              ? "-"
              : (summary.worst_symptom + " " + std::to_string(summary.worst_severity)).c_str());
    }
    ImGui::EndTable();
  }
}

// One labelled text field of the push form, a touch target's height.
void form_field(const ViewContext& view, const char* label_key, const char* id,
                std::string& value) {
  const Theme& theme = view.theme;
  text_wrapped(theme.muted, view.strings.get(label_key));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - theme.px(140));
  ImGui::PushStyleVar(
      ImGuiStyleVar_FramePadding,
      ImVec2(theme.px(12), (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2));
  ImGui::InputText(id, &value);
  ImGui::PopStyleVar();
  record_touch_target(id + 2, true);
}

// How the push signs in to the FHIR server: the same settings as `clinic push`, the secrets
// named by their files (or left to the environment), never typed here.
void draw_sign_in(ViewContext& view) {
  const Theme& theme = view.theme;
  FhirAuthSettings& auth = view.state.clinic.fhir_auth;
  text_wrapped(theme.muted, view.strings.get("clinic.sign_in"));
  const std::pair<FhirAuthSettings::Kind, const char*> kinds[] = {
      {FhirAuthSettings::Kind::kNone, "clinic.auth_none"},
      {FhirAuthSettings::Kind::kBearer, "clinic.auth_bearer"},
      {FhirAuthSettings::Kind::kSmart, "clinic.auth_smart"}};
  bool first = true;
  for (const auto& [kind, key] : kinds) {
    if (!first) ImGui::SameLine();
    first = false;
    if (touch_button(theme, view.strings.get(key).c_str(), 0, auth.kind == kind)) auth.kind = kind;
  }
  if (auth.kind == FhirAuthSettings::Kind::kBearer) {
    form_field(view, "clinic.token_file", "##token_file", auth.token_file);
  } else if (auth.kind == FhirAuthSettings::Kind::kSmart) {
    form_field(view, "clinic.client_id", "##client_id", auth.client_id);
    form_field(view, "clinic.key_file", "##key_file", auth.key_file);
    form_field(view, "clinic.key_id", "##key_id", auth.key_id);
    form_field(view, "clinic.scope", "##scope", auth.scope);
  }
}

}  // namespace

Action draw_clinic(ViewContext& view, const ClinicSnapshot& clinic) {
  const Theme& theme = view.theme;
  const Strings& strings = view.strings;
  ClinicForm& form = view.state.clinic;
  if (clinic.selected && !form.selected.empty()) return draw_detail(view, clinic);
  Action action;
  title(theme, strings.get("clinic.title"));
  text_wrapped(theme.muted, strings.get("clinic.folder"));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - theme.px(140));
  ImGui::PushStyleVar(
      ImGuiStyleVar_FramePadding,
      ImVec2(theme.px(12), (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2));
  ImGui::InputText("##folder", &form.folder);
  ImGui::PopStyleVar();
  record_touch_target("folder");
  ImGui::SameLine();
  if (touch_button(theme, strings.get("clinic.import").c_str(), 120)) {
    action = Action::of(Action::Kind::kClinicImport);
  }
  // The clinic's FHIR server: every patient's record delivered, in the background.
  text_wrapped(theme.muted, strings.get("clinic.fhir_server"));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - theme.px(140));
  ImGui::PushStyleVar(
      ImGuiStyleVar_FramePadding,
      ImVec2(theme.px(12), (theme.px(theme.touch_target) - ImGui::GetFontSize()) / 2));
  ImGui::InputTextWithHint("##fhir", "https://", &form.fhir_server);
  ImGui::PopStyleVar();
  record_touch_target("fhir_server");
  ImGui::SameLine();
  if (clinic.pushing) {
    ImGui::BeginDisabled();
    (void)touch_button(theme, strings.get("clinic.push").c_str(), 120);
    ImGui::EndDisabled();
    text_wrapped(theme.muted,
                 strings.format("clinic.pushing", {{"done", std::to_string(clinic.push_done)},
                                                   {"total", std::to_string(clinic.push_total)}}));
  } else if (touch_button(theme, strings.get("clinic.push").c_str(), 120)) {
    action = Action::of(Action::Kind::kClinicPush);
  }
  draw_sign_in(view);
  for (const auto& problem : clinic.push_problems) text_wrapped(theme.muted, problem);
  text_wrapped(theme.muted, strings.get("clinic.filter"));
  const std::pair<std::optional<Verdict>, std::string> filters[] = {
      {std::nullopt, strings.get("clinic.all")},
      {Verdict::kUrgent, strings.get("clinic.urgent")},
      {Verdict::kContactClinic, strings.get("clinic.contact")},
      {Verdict::kExpected, strings.get("clinic.expected")}};
  bool first = true;
  for (const auto& [verdict, label] : filters) {
    if (!first) ImGui::SameLine();
    first = false;
    if (touch_button(theme, label.c_str(), 0, form.filter == verdict)) form.filter = verdict;
  }
  if (clinic.patients.empty()) {
    text_wrapped(theme.muted, strings.get("clinic.none"));
    return action;
  }
  text_wrapped(theme.muted, strings.get("clinic.patient_times"));
  draw_patient_table(view, clinic);
  return action;
}

}  // namespace aftercare::ui
