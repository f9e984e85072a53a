// libFuzzer target: the `--at` time parser (ISO 8601 with an offset, or local in a zone with DST
// gaps and overlaps) and the duration parser of protocols.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/duration_text.h"
#include "schedule/zone.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace aftercare;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const date::time_zone* zones[] = {*locate_zone("America/Toronto"),
                                           *locate_zone("Australia/Lord_Howe"),
                                           *locate_zone("Asia/Kolkata")};
  for (const auto* zone : zones) {
    auto moment = parse_moment(text, zone);
    // What parses must print and parse back to the same instant.
    if (moment) {
      auto again = parse_moment(format_iso(*moment, zone), zone);
      if (!again || *again != *moment) __builtin_trap();
    }
  }
  auto duration = parse_duration(text);
  if (duration) {
    auto again = parse_duration(duration_to_text(*duration));
    if (!again || *again != *duration) __builtin_trap();
  }
  return 0;
}
