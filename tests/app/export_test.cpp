#include <sys/resource.h>
#include <sys/stat.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <sqlite3.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "app/private_file.h"
#include "exchange/csv_writer.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

TEST_CASE("CSV fields are quoted only when they must be, quotes doubled", "[exchange][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");
  CHECK(csv_field("légère ✓") == "légère ✓");
}

TEST_CASE("a CSV field a spreadsheet would run as a formula is neutralised (OWASP)",
          "[exchange][csv]") {
  CHECK(csv_field("=1+1") == "\"'=1+1\"");
  CHECK(csv_field("=HYPERLINK(\"http://x\",\"y\")") ==
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(csv_field("-2+3") == "\"'-2+3\"");
  CHECK(csv_field("+33 1 23") == "\"'+33 1 23\"");
  CHECK(csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(csv_field("\tcmd") == "\"'\tcmd\"");
  CHECK(csv_field("\rcmd") == "\"'\rcmd\"");
  // Only the first character counts; times, numbers and words stay as they are.
  CHECK(csv_field("1+1=2") == "1+1=2");
  CHECK(csv_field("2027-06-10T09:00:00-04:00") == "2027-06-10T09:00:00-04:00");
  CHECK(csv_field("'quoted") == "'quoted");
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
  REQUIRE((*app)->start_plan(details).ok());
  clock.set(at("2027-06-10T20:05", "Europe/Paris"));
  REQUIRE((*app)->check_off(StepId("cleanse_pm"), StepAction::kDone).ok());
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 4;
  report.note = "warm, \"like\" a sunburn";
  REQUIRE((*app)->log_symptom(report).ok());
  clock.set(at("2027-06-11T09:00", "Europe/Paris"));
  const auto out = dir.path() / "export.csv";
  auto result = (*app)->export_to(ExportFormat::kCsv, out);
  REQUIRE(result.ok());

  const std::string text = test::read_file(out);
  CHECK(text.rfind("\xEF\xBB\xBF"
                   "event_time,local_date,zone,recorded_at,kind,action",
                   0) == 0);
  CHECK(text.find("\r\n") != std::string::npos);
  CHECK(text.find("\"warm, \"\"like\"\" a sunburn\"") != std::string::npos);
  const auto manifest = nlohmann::json::parse(test::read_file(result->manifest_file));
  CHECK(manifest["sha256"] == sha256_hex(text));
  CHECK(manifest["format"] == "csv");
  // The record's states (the zone, the plan, the pseudonym made for this export), a step, a
  // symptom.
  CHECK(manifest["chain"]["events"] == 5);
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

// Files larger than `bytes` cannot be written while one lives (RLIMIT_FSIZE: write fails with
// EFBIG, SIGXFSZ ignored): a full disk, for the files this test writes.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }

 private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

std::size_t leftovers(const std::filesystem::path& dir) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".partial") != std::string::npos) ++count;
  }
  return count;
}

TEST_CASE("files written as one unit: a failed write leaves every previous file as it was",
          "[exchange][files]") {
  test::TempDir dir;
  const auto a = dir.path() / "export.json";
  const auto b = dir.path() / "export.json.manifest.json";
  REQUIRE(write_private_files({{a, "old export"}, {b, "old manifest"}}).ok());
  {
    // The first file fits, the second does not: neither replaces the old one.
    FileSizeLimit limit(100);
    auto failed = write_private_files({{a, "new export"}, {b, std::string(200, 'm')}});
    REQUIRE_FALSE(failed.ok());
    CHECK_THAT(failed.error().message(), Catch::Contains("export.json.manifest.json"));
  }
  CHECK(test::read_file(a) == "old export");
  CHECK(test::read_file(b) == "old manifest");
  CHECK(leftovers(dir.path()) == 0);
  REQUIRE(write_private_files({{a, "new export"}, {b, "new manifest"}}).ok());
  CHECK(test::read_file(a) == "new export");
  CHECK(test::read_file(b) == "new manifest");

  // Created once: a second creation finds the first and changes nothing.
  const auto key = dir.path() / "device.key";
  CHECK(*create_private_file(key, "first") == true);
  CHECK(*create_private_file(key, "second") == false);
  CHECK(test::read_file(key) == "first");
  CHECK(leftovers(dir.path()) == 0);
  // Eight threads racing to create one file: one creates it, every other finds it whole.
  const auto raced = dir.path() / "raced.key";
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, failures{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto made = create_private_file(raced, "key " + std::to_string(i) + std::string(4000, 'k'));
      if (!made)
        ++failures;
      else if (*made)
        ++created;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(created == 1);
  CHECK(failures == 0);
  CHECK(test::read_file(raced).size() == 4005);  // "key N" and 4000 more

  // A secret key others can read is refused, with the fix.
  std::filesystem::permissions(key, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  auto wide = read_secret_file(key);
  REQUIRE_FALSE(wide.ok());
  CHECK_THAT(wide.error().message(), Catch::Contains("mode 0640") && Catch::Contains("chmod 600"));
}

TEST_CASE("an export that cannot be written leaves the previous export and manifest intact",
          "[exchange][files]") {
  test::TempDir dir;
  FakeClock clock(at("2027-06-10T09:30", "Europe/Paris"));
  FixedDeviceZone device(std::string("Europe/Paris"));
  auto app = App::open(dir.path() / "db", clock, device);
  REQUIRE(app.ok());
  PlanDetails details;
  details.treated_at = at("2027-06-10T09:00", "Europe/Paris");
  details.areas = {"face"};
  REQUIRE((*app)->start_plan(details).ok());
  const auto out = dir.path() / "out" / "export.json";
  std::filesystem::create_directories(out.parent_path());
  auto first = (*app)->export_to(ExportFormat::kJson, out);
  REQUIRE(first.ok());
  const std::string old_export = test::read_file(out);
  const std::string old_manifest = test::read_file(first->manifest_file);
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 4;
  report.note = std::string(1500, 'n');  // the next export is larger than the limit below
  clock.set(at("2027-06-10T19:00", "Europe/Paris"));
  REQUIRE((*app)->log_symptom(report).ok());
  {
    FileSizeLimit limit(old_export.size() + 100);
    auto failed = (*app)->export_to(ExportFormat::kJson, out);
    REQUIRE_FALSE(failed.ok());
  }
  CHECK(test::read_file(out) == old_export);
  CHECK(test::read_file(first->manifest_file) == old_manifest);
  CHECK(leftovers(out.parent_path()) == 0);
  REQUIRE((*app)->export_to(ExportFormat::kJson, out).ok());
  const auto manifest = nlohmann::json::parse(test::read_file(first->manifest_file));
  CHECK(manifest["sha256"] == sha256_hex(test::read_file(out)));
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
    REQUIRE((*app)->start_plan(details).ok());
    SymptomReport report;
    report.symptom = SymptomId("redness");
    report.severity = 4;
    REQUIRE((*app)->log_symptom(report).ok());
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

namespace aftercare {
namespace {

struct Device {
  test::TempDir dir;
  FakeClock clock{at("2027-06-10T09:30", "Europe/Paris")};
  FixedDeviceZone zone{std::string("Europe/Paris")};
  std::unique_ptr<App> app;
  Device() {
    auto opened = App::open(dir.path() / "db", clock, zone);
    REQUIRE(opened.ok());
    app = std::move(*opened);
  }
};

TEST_CASE("a JSON export imported into an empty database exports again byte for byte",
          "[exchange][json]") {
  Device phone;
  PlanDetails details;
  details.treated_at = at("2027-06-10T09:00", "Europe/Paris");
  details.areas = {"face", "neck"};
  details.clinic_name = "Clinique, \"Éclat\"";
  REQUIRE(phone.app->start_plan(details).ok());
  phone.clock.set(at("2027-06-10T20:05", "Europe/Paris"));
  REQUIRE(phone.app->check_off(StepId("cleanse_pm"), StepAction::kDone).ok());
  REQUIRE(phone.app->undo().ok());
  REQUIRE(phone.app->set_mode("outdoors", true).ok());
  SymptomReport report;
  report.symptom = SymptomId("pain");
  report.severity = 5;
  report.relieved = false;
  report.note = "line one\nline two";
  auto logged = phone.app->log_symptom(report, std::nullopt);
  REQUIRE(logged.ok());
  EntryEdit edit;
  edit.severity = 3;
  REQUIRE(phone.app->edit_entry(logged->stored.front().entry, edit).ok());
  REQUIRE(phone.app->check_in({{SymptomId("redness"), 2}, {SymptomId("swelling"), 0}}, "").ok());
  REQUIRE(phone.app->fire_due_reminders().ok());
  phone.clock.set(at("2027-06-11T09:00", "Europe/Paris"));
  auto first = phone.app->export_to(ExportFormat::kJson, phone.dir.path() / "first.json");
  REQUIRE(first.ok());

  Device laptop;
  laptop.clock.set(phone.clock.now());
  auto imported = laptop.app->import_archive(first->file);
  REQUIRE(imported.ok());
  CHECK(imported->symptom_versions.size() == 4);
  auto second = laptop.app->export_to(ExportFormat::kJson, laptop.dir.path() / "second.json");
  REQUIRE(second.ok());
  CHECK(test::read_file(first->file) == test::read_file(second->file));
  auto verified = laptop.app->verify_log();
  REQUIRE(verified.ok());
  CHECK(verified->ok);
  CHECK(verified->head == first->manifest.chain_head);

  // Into a database that has a plan: refused, nothing changed.
  auto again = laptop.app->import_archive(first->file);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code() == ErrorCode::kConflict);
}

TEST_CASE("an altered, truncated or foreign file is not imported", "[exchange][json]") {
  Device phone;
  PlanDetails details;
  details.treated_at = at("2027-06-10T09:00", "Europe/Paris");
  details.areas = {"face"};
  REQUIRE(phone.app->start_plan(details).ok());
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 4;
  REQUIRE(phone.app->log_symptom(report).ok());
  auto exported = phone.app->export_to(ExportFormat::kJson, phone.dir.path() / "export.json");
  REQUIRE(exported.ok());
  const std::string text = test::read_file(exported->file);

  struct Bad {
    const char* name;
    std::string content;
    bool keep_manifest;
    const char* message;
  };
  std::string altered = text;
  altered.replace(altered.find("\"severity\": 4"), 13, "\"severity\": 1");
  // An event copied under the same number: it would hide from the chain check.
  auto doubled = nlohmann::ordered_json::parse(text);
  doubled["symptom_versions"].push_back(doubled["symptom_versions"][0]);
  const Bad cases[] = {
      {"an event twice", doubled.dump(2), false, "appears twice"},
      {"a field of the wrong type",
       "{\"format\": \"aftercare-export\", \"version\": 1, \"plans\": 7}", false,
       "plans: expected an array"},
      {"altered, with its manifest", altered, true, "does not match its manifest"},
      {"altered, without a manifest", altered, false, "the log was altered"},
      {"truncated", text.substr(0, text.size() / 2), false, "not valid JSON"},
      {"not an export", "{\"hello\": 1}", false, "not an aftercare export"},
  };
  for (const auto& bad : cases) {
    INFO(bad.name);
    Device laptop;
    const auto file = laptop.dir.path() / "incoming.json";
    std::ofstream(file, std::ios::binary) << bad.content;
    if (bad.keep_manifest) {
      std::filesystem::copy_file(exported->manifest_file,
                                 laptop.dir.path() / "incoming.json.manifest.json");
    }
    auto result = laptop.app->import_archive(file);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().message(), Catch::Contains(bad.message));
    auto plan = laptop.app->current_plan();
    REQUIRE(plan.ok());
    CHECK(*plan == nullptr);
  }
}

}  // namespace
}  // namespace aftercare
