// aftercare-phone: the patient app in a phone's portrait layout, touch first.
#include "ui/front_end.h"

int main(int argc, char** argv) {
  using aftercare::ui::FrontEnd;
  using aftercare::ui::Layout;
  return aftercare::ui::run_front_end(FrontEnd{"aftercare-phone", Layout::kPhone, 390, 844}, argc,
                                      argv);
}
