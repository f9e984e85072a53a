#pragma once

#include <filesystem>
#include <string>

#include "domain/plan.h"
#include "schedule/zone.h"
#include "support/fake_clock.h"

namespace aftercare::test {

/// The zone, or a failed test.
const date::time_zone* zone(const std::string& name);

/// A moment written as the CLI reads it ("2027-03-14T21:30" local in `zone_name`, or with an
/// offset), or a failed test.
Instant at(const std::string& text, const std::string& zone_name = "UTC");

/// A plan on the default protocol (or `protocol_json`), treated at `treated` local in
/// `zone_name`, entered at the treatment instant.
Plan make_plan(const std::string& zone_name, const std::string& treated,
               const std::string& protocol_json = "");

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The bytes of a file ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);
/// Writes `text` as the whole of `path` (the test fails when it cannot).
void write_text(const std::filesystem::path& path, const std::string& text);

/// The source tree's tests/fixtures directory.
std::filesystem::path fixtures_dir();

}  // namespace aftercare::test
