#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <sqlite3.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "exchange/csv_writer.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("CSV fields are quoted only when they must be, quotes doubled", "[exchange][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");
  CHECK(csv_field("légère ✓") == "légère ✓");
}

TEST_CASE("a CSV export has one row per event and a manifest that matches it", "[exchange][csv]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T09:30", "Europe/Paris"));
  FixedDeviceZone device(std::string("Europe/Paris"));
  auto app = App::open(dir.path() / "db", clock, device);
  REQUIRE(app.ok());
  PlanDetails details;
  details.treated_at = at("2027-06-10T09:00", "Europe/Paris");
  details.areas = {"face"};
  REQUIRE((*app)->start_plan(details, std::nullopt).ok());
  clock.set(at("2027-06-10T20:05", "Europe/Paris"));
  REQUIRE((*app)->check_off(StepId("cleanse_pm"), StepAction::kDone, std::nullopt).ok());
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 4;
  report.note = "warm, \"like\" a sunburn";
  REQUIRE((*app)->log_symptom(report, std::nullopt).ok());
  clock.set(at("2027-06-11T09:00", "Europe/Paris"));
  const auto out = dir.path() / "export.csv";
  auto result = (*app)->export_to(ExportFormat::kCsv, out);
  REQUIRE(result.ok());

  const std::string text = slurp(out);
  CHECK(text.rfind("\xEF\xBB\xBF"
                   "event_time,recorded_at,kind,action",
                   0) == 0);
  CHECK(text.find("\r\n") != std::string::npos);
  CHECK(text.find("\"warm, \"\"like\"\" a sunburn\"") != std::string::npos);
  const auto manifest = nlohmann::json::parse(slurp(result->manifest_file));
  CHECK(manifest["sha256"] == sha256_hex(text));
  CHECK(manifest["format"] == "csv");
  CHECK(manifest["chain"]["events"] == 2);
  CHECK(manifest["counts"]["step_events"] == 1);
  CHECK(manifest["counts"]["symptom_versions"] == 1);
  CHECK(manifest["range"]["from"] == "2027-06-10T09:00:00+02:00");
  const std::string patient = manifest["patient"];
  CHECK(patient.rfind("P-", 0) == 0);
  struct stat info {};
  REQUIRE(::stat(out.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(::stat(result->manifest_file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  // The pseudonym stays the same from one export to the next.
  auto again = (*app)->export_to(ExportFormat::kCsv, dir.path() / "again.csv");
  REQUIRE(again.ok());
  CHECK(again->manifest.patient == patient);
}

TEST_CASE("a log altered by hand is not exported", "[exchange][csv][chain]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T09:30", "Europe/Paris"));
  FixedDeviceZone device(std::string("Europe/Paris"));
  {
    auto app = App::open(dir.path(), clock, device);
    REQUIRE(app.ok());
    PlanDetails details;
    details.treated_at = at("2027-06-10T09:00", "Europe/Paris");
    details.areas = {"face"};
    REQUIRE((*app)->start_plan(details, std::nullopt).ok());
    SymptomReport report;
    report.symptom = SymptomId("redness");
    report.severity = 4;
    REQUIRE((*app)->log_symptom(report, std::nullopt).ok());
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path() / App::kDatabaseFile).c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "UPDATE symptom_entry SET severity = 1", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(db);
  auto app = App::open(dir.path(), clock, device);
  REQUIRE(app.ok());
  auto result = (*app)->export_to(ExportFormat::kCsv, dir.path() / "export.csv");
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.error().message(), Catch::Contains("does not verify"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "export.csv"));
}

}  // namespace
}  // namespace aftercare
