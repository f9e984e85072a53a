// libFuzzer target: the JSON export reader (the patient's import and the clinic's), then the
// chain check over whatever it read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/archive.h"
#include "exchange/json_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto archive = aftercare::read_archive_json(text, "fuzz.json");
  if (archive) (void)aftercare::verify_archive(*archive);
  return 0;
}
