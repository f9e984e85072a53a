#include "exchange/pdf_report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <map>

#include "base/version.h"
#include "exchange/chart.h"

namespace aftercare {

namespace {

// "d3". Appended, not `"d" + ...`: GCC 12 at -O3 reports a false -Wrestrict on that.
std::string day_label(long day) {
  std::string label = "d";
  label.append(std::to_string(day));
  return label;
}

constexpr double kPageWidth = 595.0;  // A4 in points
constexpr double kPageHeight = 842.0;
constexpr double kMargin = 40.0;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;

struct Colour {
  double r, g, b;
};
// One table of colours: verdicts, text, chart.
constexpr Colour kText{0.10, 0.10, 0.12};
constexpr Colour kMuted{0.40, 0.40, 0.45};
constexpr Colour kExpected{0.16, 0.55, 0.30};
constexpr Colour kContact{0.85, 0.50, 0.05};
constexpr Colour kUrgent{0.78, 0.12, 0.12};
constexpr Colour kBand{0.86, 0.90, 0.95};
constexpr Colour kBandLine{0.45, 0.60, 0.80};
constexpr Colour kRating{0.20, 0.25, 0.60};
constexpr Colour kGrid{0.85, 0.85, 0.85};

Colour verdict_colour(Verdict verdict) {
  switch (verdict) {
    case Verdict::kExpected:
      return kExpected;
    case Verdict::kContactClinic:
      return kContact;
    case Verdict::kUrgent:
      return kUrgent;
  }
  return kText;
}

std::string verdict_words(Verdict verdict) {
  switch (verdict) {
    case Verdict::kExpected:
      return "Within the usual course";
    case Verdict::kContactClinic:
      return "Outside the usual course: contact the patient";
    case Verdict::kUrgent:
      return "Urgent: possible infection or severe reaction";
  }
  return "";
}

class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {}

  // Writes text at the cursor, wrapped to `width`; moves the cursor below it. With `draw` false,
  // only measures (the cursor moves all the same).
  double text(const std::string& content, double size, bool bold = false, Colour colour = kText,
              double x = kMargin, double width = kContentWidth, bool draw = true) {
    PangoLayout* layout = pango_cairo_create_layout(cr_);
    PangoFontDescription* font = pango_font_description_from_string("DejaVu Sans");
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, content.c_str(), -1);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    if (draw) {
      cairo_set_source_rgb(cr_, colour.r, colour.g, colour.b);
      cairo_move_to(cr_, x, y_);
      pango_cairo_show_layout(cr_, layout);
    }
    pango_font_description_free(font);
    g_object_unref(layout);
    const double height = static_cast<double>(h) / PANGO_SCALE;
    y_ += height;
    return height;
  }
  void space(double points) { y_ += points; }
  // Starts a new page when fewer than `needed` points are left.
  void need(double needed) {
    if (y_ + needed <= kPageHeight - kMargin) return;
    cairo_show_page(cr_);
    y_ = kMargin;
  }
  double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  cairo_t* cr() const { return cr_; }

 private:
  cairo_t* cr_;
  double y_ = kMargin;
};

void draw_chart(Page& page, const SymptomChart& chart, double x, double y, double width,
                double height) {
  cairo_t* cr = page.cr();
  const double left = x + 22, bottom = y + height - 14, top = y + 16;
  const double plot_w = width - 28, plot_h = bottom - top;
  const auto px = [&](const ChartPoint& p) { return left + p.x * plot_w; };
  const auto py = [&](const ChartPoint& p) { return bottom - p.y * plot_h; };
  // Grid and axis labels: 0, 5, 10; day ticks.
  cairo_set_line_width(cr, 0.5);
  cairo_set_source_rgb(cr, kGrid.r, kGrid.g, kGrid.b);
  for (int level : {0, 5, 10}) {
    const double gy = bottom - plot_h * level / 10.0;
    cairo_move_to(cr, left, gy);
    cairo_line_to(cr, left + plot_w, gy);
  }
  cairo_stroke(cr);
  // The expected band: filled under the expected maximum.
  if (!chart.band.empty()) {
    cairo_move_to(cr, px(chart.band.front()), bottom);
    for (const auto& p : chart.band) cairo_line_to(cr, px(p), py(p));
    cairo_line_to(cr, px(chart.band.back()), bottom);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, kBand.r, kBand.g, kBand.b);
    cairo_fill(cr);
    cairo_set_line_width(cr, 1);
    cairo_set_source_rgb(cr, kBandLine.r, kBandLine.g, kBandLine.b);
    cairo_move_to(cr, px(chart.band.front()), py(chart.band.front()));
    for (const auto& p : chart.band) cairo_line_to(cr, px(p), py(p));
    cairo_stroke(cr);
  }
  // The patient's ratings.
  cairo_set_source_rgb(cr, kRating.r, kRating.g, kRating.b);
  cairo_set_line_width(cr, 1.5);
  for (std::size_t i = 0; i < chart.ratings.size(); ++i) {
    const auto& p = chart.ratings[i];
    if (i == 0) {
      cairo_move_to(cr, px(p), py(p));
    } else {
      cairo_line_to(cr, px(p), py(p));
    }
  }
  cairo_stroke(cr);
  for (const auto& p : chart.ratings) {
    cairo_arc(cr, px(p), py(p), 2.5, 0, 2 * M_PI);
    cairo_fill(cr);
  }
  const double saved = page.y();
  page.set_y(y);
  page.text(chart.title, 9, true, kText, x, width);
  for (int level : {0, 5, 10}) {
    page.set_y(bottom - plot_h * level / 10.0 - 5);
    page.text(std::to_string(level), 6.5, false, kMuted, x + 4, 16);
  }
  for (const auto& [tick_x, day] : chart.day_ticks) {
    page.set_y(bottom + 2);
    page.text(day_label(day), 6.5, false, kMuted, left + tick_x * plot_w - 5, 24);
  }
  page.set_y(saved);
}

// The patient's advice is written for them; the clinician gets what they can act on.
std::string clinician_note(const ReportInput& input) {
  if (input.now.reasons.empty()) return "No current rating is outside the usual course.";
  return input.now.verdict == Verdict::kUrgent
             ? "The patient was told to call the clinic now and, if severe, to seek urgent care."
             : "The patient was told to contact the clinic.";
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

bool pdf_report_available() { return true; }

Result<std::string> write_pdf_report(const ReportInput& input) {
  const Plan& plan = *input.plan;
  const auto* zone = input.zone;
  std::string pdf;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append, &pdf, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Aftercare report");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, kGenerator);
  cairo_t* cr = cairo_create(surface);
  Page page(cr);

  const Instant treated = plan.details.treated_at;
  const int day = day_after_treatment(plan, input.generated_at);
  page.text("Microneedling aftercare report", 18, true);
  page.space(2);
  if (!input.patient_name.empty()) page.text(input.patient_name, 12, true);
  page.text("Patient " + input.pseudonym + "  ·  session " + std::to_string(plan.session_number) +
                " of " + std::to_string(plan.protocol.series.sessions) + "  ·  day " +
                std::to_string(day) + " after treatment",
            10, false, kMuted);
  std::string areas;
  for (const auto& area : plan.details.areas) areas += (areas.empty() ? "" : ", ") + area;
  std::string clinic = plan.details.clinic_name;
  if (!plan.details.clinic_phone.empty()) {
    clinic += (clinic.empty() ? "" : ", ") + plan.details.clinic_phone;
  }
  page.text("Treated " + date::format("%a %d %b %Y %H:%M", to_local(treated, zone)) + " " +
                zone->get_info(treated).abbrev + "  ·  areas: " + areas +
                (clinic.empty() ? "" : "  ·  clinic: " + clinic),
            9, false, kMuted);
  page.text("Generated " + format_iso(input.generated_at, zone) + " from " +
                std::to_string(input.entries.size()) + " symptom ratings",
            9, false, kMuted);
  page.space(12);

  // The verdict, in colour, with its reasons.
  const Colour colour = verdict_colour(input.now.verdict);
  const double box_top = page.y();
  page.space(8);  // measure first, then draw the box, then the text on it
  page.text(verdict_words(input.now.verdict), 14, true, {1, 1, 1}, kMargin + 10, kContentWidth - 20,
            false);
  for (const auto& reason : input.now.reasons) {
    page.text("•  " + reason.message, 10, false, {1, 1, 1}, kMargin + 10, kContentWidth - 20,
              false);
  }
  page.text(clinician_note(input), 9.5, false, {1, 1, 1}, kMargin + 10, kContentWidth - 20, false);
  page.space(8);
  const double box_height = page.y() - box_top;
  cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
  cairo_rectangle(cr, kMargin, box_top, kContentWidth, box_height);
  cairo_fill(cr);
  page.set_y(box_top + 8);
  page.text(verdict_words(input.now.verdict), 14, true, {1, 1, 1}, kMargin + 10,
            kContentWidth - 20);
  for (const auto& reason : input.now.reasons) {
    page.text("•  " + reason.message, 10, false, {1, 1, 1}, kMargin + 10, kContentWidth - 20);
  }
  page.text(clinician_note(input), 9.5, false, {1, 1, 1}, kMargin + 10, kContentWidth - 20);
  page.set_y(box_top + box_height + 14);

  // Flags by day: every rating outside the usual course, as of when it was felt.
  page.text("Flags by day", 12, true);
  page.space(3);
  std::map<long, std::vector<std::string>> flags;
  std::map<long, Verdict> worst;
  for (const auto& entry : input.entries) {
    const Assessment judged = assess_entry(plan, input.entries, entry);
    if (judged.verdict == Verdict::kExpected) continue;
    const long entry_day = day_after_treatment(plan, entry.report.felt_at);
    for (const auto& reason : judged.reasons) {
      if (reason.entry && *reason.entry == entry.entry) flags[entry_day].push_back(reason.message);
    }
    worst[entry_day] = std::max(worst[entry_day], judged.verdict);
  }
  if (flags.empty()) {
    page.text("No flags: every rating was within the usual course for its day.", 10);
  }
  for (const auto& [flag_day, messages] : flags) {
    page.need(30);
    std::string line = "Day " + std::to_string(flag_day) + " (" +
                       std::string(verdict_name(worst[flag_day])) + "): ";
    for (std::size_t i = 0; i < messages.size(); ++i) line += (i ? " " : "") + messages[i];
    page.text(line, 9.5, false, verdict_colour(worst[flag_day]));
  }
  page.space(12);

  // Adherence per day.
  page.need(60);
  page.text("Adherence", 12, true);
  page.space(3);
  const auto overall = input.overall.ratio();
  page.text(overall ? "Overall " + std::to_string(static_cast<int>(std::lround(*overall * 100))) +
                          " % of steps done (" + std::to_string(input.overall.done) + " done, " +
                          std::to_string(input.overall.skipped) + " skipped, " +
                          std::to_string(input.overall.missed) + " missed)"
                    : "No steps settled yet.",
            10);
  page.text("Per day after treatment, as the charts number them (d0: the first 24 h).", 8.5, false,
            kMuted);
  page.space(4);
  const double bar_top = page.y();
  const double bar_height = 40;
  const std::size_t days = input.adherence_by_day.size();
  const double bar_width = days ? std::min(28.0, kContentWidth / static_cast<double>(days)) : 0;
  for (std::size_t i = 0; i < days; ++i) {
    const auto& a = input.adherence_by_day[i];
    const double bx = kMargin + i * bar_width;
    cairo_set_source_rgb(cr, kGrid.r, kGrid.g, kGrid.b);
    cairo_rectangle(cr, bx + 2, bar_top, bar_width - 4, bar_height);
    cairo_fill(cr);
    if (const auto ratio = a.ratio()) {
      cairo_set_source_rgb(cr, kExpected.r, kExpected.g, kExpected.b);
      cairo_rectangle(cr, bx + 2, bar_top + bar_height * (1 - *ratio), bar_width - 4,
                      bar_height * *ratio);
      cairo_fill(cr);
    }
    page.set_y(bar_top + bar_height + 1);
    page.text(day_label(i), 6.5, false, kMuted, bx + 4, bar_width);
  }
  page.set_y(bar_top + bar_height + 14);

  // A chart per logged symptom against its usual course, two to a row.
  page.need(40);
  page.text("Symptoms against their usual course", 12, true);
  page.text(
      "Shaded: the usual upper limit for that day after treatment. Dots: the patient's "
      "ratings (0 to 10).",
      8.5, false, kMuted);
  page.space(6);
  std::vector<const SymptomDef*> logged;
  for (const auto& symptom : plan.protocol.symptoms) {
    for (const auto& entry : input.entries) {
      if (entry.report.symptom == symptom.id) {
        logged.push_back(&symptom);
        break;
      }
    }
  }
  const double chart_w = (kContentWidth - 15) / 2, chart_h = 125;
  for (std::size_t i = 0; i < logged.size(); ++i) {
    if (i % 2 == 0) page.need(chart_h + 8);
    const double cx = kMargin + (i % 2) * (chart_w + 15);
    draw_chart(page, symptom_chart(*logged[i], input.entries, treated), cx, page.y(), chart_w,
               chart_h);
    if (i % 2 == 1 || i + 1 == logged.size()) page.space(chart_h + 8);
  }
  if (logged.empty()) page.text("No symptoms logged yet.", 10);

  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Error(ErrorCode::kInternal,
                 std::string("writing the PDF report failed: ") + cairo_status_to_string(status));
  }
  return pdf;
}

}  // namespace aftercare
