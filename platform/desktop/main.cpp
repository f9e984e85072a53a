// aftercare-desktop: the patient screens in a wide window, and the clinic's review of many
// patients (with --clinic-dir).
#include "ui/clinic_review.h"
#include "ui/front_end.h"

int main(int argc, char** argv) {
  using aftercare::ui::FrontEnd;
  using aftercare::ui::Layout;
  return aftercare::ui::run_front_end(
      FrontEnd{"aftercare-desktop", Layout::kDesktop, 1100, 720, aftercare::ui::open_clinic_review},
      argc, argv);
}
