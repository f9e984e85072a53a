// libFuzzer target: the clinic import of one file. The input is the export; its manifest is made
// to match (digest, patient, range), so that the fuzzer gets past the digest check into the
// reader, the chain check, the plans, the verdict and the merge with the stored record.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/clinic_app.h"
#include "domain/journal.h"
#include "support/fake_clock.h"

namespace {

// A folder for the run, removed at exit (its name kept in plain storage, which outlives the
// static objects that exit destroys first).
char work_path[4096];

void remove_work_dir() {
  std::error_code ec;
  std::filesystem::remove_all(work_path, ec);
}

std::filesystem::path work_dir() {
  if (work_path[0] == '\0') {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "aftercare-fuzz-XXXXXX").string();
    if (pattern.size() >= sizeof work_path || !::mkdtemp(pattern.data())) std::abort();
    std::memcpy(work_path, pattern.c_str(), pattern.size() + 1);
    std::atexit(remove_work_dir);
  }
  return work_path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace aftercare;
  static FakeClock clock(std::chrono::sys_seconds(std::chrono::seconds(1810000000)));
  static auto clinic = ClinicApp::open(work_dir() / "clinic", clock);
  if (!clinic) std::abort();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const auto file = work_dir() / "in" / "export.json";
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  // The patient named in the manifest: taken from the input when it names one, so that
  // extensions and reused pseudonyms get exercised too.
  std::string patient = "P-fuzz";
  if (const auto at = bytes.find("\"patient_pseudonym\": \""); at != std::string::npos) {
    const auto start = at + 22;
    patient = bytes.substr(start, bytes.find('"', start) - start);
  }
  std::ofstream(file.string() + ".manifest.json", std::ios::binary | std::ios::trunc)
      << "{\"format\": \"json\", \"sha256\": \"" << sha256_hex(bytes) << "\", \"patient\": \""
      << patient << "\", \"range\": {\"to\": \"2027-06-01T00:00:00Z\"}}";
  (void)(*clinic)->import({file});
  return 0;
}
