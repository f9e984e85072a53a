// The build without cairo and pango (the web app): the clinician's PDF is not there, and says so.
#include "exchange/pdf_report.h"

namespace aftercare {

bool pdf_report_available() { return false; }

Result<std::string> write_pdf_report(const ReportInput&) {
  return Error(ErrorCode::kNotFound, "the PDF report is not part of this build (no cairo)");
}

}  // namespace aftercare
