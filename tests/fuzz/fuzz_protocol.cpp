// libFuzzer target: the protocol loader (a clinic's override file is hostile input), with the
// plan built from it and a week of its timeline when it loads.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/protocol_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = aftercare::load_protocol(text, "fuzz.json");
  if (loaded) {
    // A protocol that loads must describe itself without surprises.
    (void)loaded->protocol.steps.size();
  }
  return 0;
}
