#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "app/clinic_app.h"
#include "support/clinic_database.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

// A patient's phone: a plan, some ratings, and exports into a shared folder.
struct Phone {
  test::TempDir dir;
  FakeClock clock{at("2027-06-10T09:30", "Europe/London")};
  FixedDeviceZone zone{std::string("Europe/London")};
  std::unique_ptr<App> app;
  explicit Phone(int redness) {
    auto opened = App::open(dir.path(), clock, zone);
    REQUIRE(opened.ok());
    app = std::move(*opened);
    PlanDetails details;
    details.treated_at = at("2027-06-10T09:00", "Europe/London");
    details.areas = {"face"};
    REQUIRE(app->start_plan(details, std::nullopt).ok());
    rate("redness", redness, "2027-06-10T19:30");
  }
  void rate(const std::string& symptom, int severity, const std::string& when) {
    clock.set(at(when, "Europe/London"));
    REQUIRE(app->check_in({{SymptomId(symptom), severity}}, "").ok());
  }
  std::filesystem::path export_to(const std::filesystem::path& folder, const std::string& name) {
    auto result = app->export_to(ExportFormat::kJson, folder / name);
    REQUIRE(result.ok());
    return result->file;
  }
};

TEST_CASE("clinic import: new, extended, unchanged, older; twice changes nothing", "[clinic]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  FakeClock clinic_clock(at("2027-06-15T09:00", "Europe/London"));
  test::ClinicDatabase database;
  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock, database.location());
  REQUIRE(clinic.ok());

  Phone anna(3), ben(2);
  ben.rate("pus", 1, "2027-06-11T08:00");
  const auto anna_first = anna.export_to(exports.path(), "anna-1.json");
  ben.export_to(exports.path(), "ben.json");
  auto first = (*clinic)->import({exports.path()});
  REQUIRE(first.ok());
  CHECK(first->count(ImportOutcome::kImported) == 2);

  auto again = (*clinic)->import({exports.path()});
  REQUIRE(again.ok());
  CHECK(again->count(ImportOutcome::kUnchanged) == 2);

  anna.rate("redness", 2, "2027-06-11T19:30");
  anna.export_to(exports.path(), "anna-2.json");
  auto newer = (*clinic)->import({exports.path()});
  REQUIRE(newer.ok());
  CHECK(newer->count(ImportOutcome::kExtended) == 1);
  CHECK(newer->count(ImportOutcome::kUnchanged) == 2);

  // The first export again, under another name: older than what is stored.
  std::filesystem::copy_file(anna_first, exports.path() / "anna-old.json");
  std::filesystem::copy_file(anna_first.string() + ".manifest.json",
                             exports.path() / "anna-old.json.manifest.json");
  auto older = (*clinic)->import({exports.path() / "anna-old.json"});
  REQUIRE(older.ok());
  CHECK(older->files.front().outcome == ImportOutcome::kUnchanged);  // same bytes as before

  // Files are checked in parallel but merged in file order: two copies of one new export in one
  // import are stored once, the second reported unchanged; an extension after its base works.
  test::TempDir batch;
  Phone cleo(2);
  const auto cleo_one = cleo.export_to(batch.path(), "cleo-1.json");
  std::filesystem::copy_file(cleo_one, batch.path() / "cleo-1-copy.json");
  std::filesystem::copy_file(cleo_one.string() + ".manifest.json",
                             batch.path() / "cleo-1-copy.json.manifest.json");
  cleo.rate("swelling", 2, "2027-06-11T19:30");
  cleo.export_to(batch.path(), "cleo-2.json");
  auto together = (*clinic)->import({batch.path()});
  REQUIRE(together.ok());
  REQUIRE(together->files.size() == 3);
  CHECK(together->files[0].outcome == ImportOutcome::kImported);   // cleo-1-copy.json
  CHECK(together->files[1].outcome == ImportOutcome::kUnchanged);  // cleo-1.json, same bytes
  CHECK(together->files[2].outcome == ImportOutcome::kExtended);   // cleo-2.json

  // An older export arriving after a newer one changes nothing.
  test::TempDir later;
  Phone dora(4);
  const auto dora_old = dora.export_to(later.path(), "dora-1.json");
  dora.rate("redness", 3, "2027-06-11T19:30");
  const auto dora_new = dora.export_to(later.path(), "dora-2.json");
  REQUIRE((*clinic)->import({dora_new}).ok());
  auto stale = (*clinic)->import({dora_old});
  REQUIRE(stale.ok());
  CHECK(stale->files.front().outcome == ImportOutcome::kOlder);

  // A later export with no new event but a new session still refreshes the record.
  test::TempDir next;
  PlanDetails second;
  second.treated_at = at("2027-07-08T09:00", "Europe/London");
  second.areas = {"face"};
  dora.clock.set(at("2027-07-08T10:00", "Europe/London"));
  REQUIRE(dora.app->start_plan(second, std::nullopt).ok());
  auto session_two = (*clinic)->import({dora.export_to(next.path(), "dora-3.json")});
  REQUIRE(session_two.ok());
  CHECK(session_two->files.front().outcome == ImportOutcome::kExtended);

  auto list = (*clinic)->list(std::nullopt, ClinicSort::kStatus);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 4);
  CHECK(list->front().summary.verdict == Verdict::kUrgent);  // urgent first
  CHECK(list->front().summary.reasons.front() == "Pus or oozing can be a sign of infection.");
  auto anna_row = std::find_if(list->begin(), list->end(), [&](const ClinicPatient& p) {
    return p.summary.worst_severity == 3 && p.summary.verdict == Verdict::kExpected;
  });
  REQUIRE(anna_row != list->end());
  CHECK(anna_row->summary.worst_symptom == "Redness");
  auto urgent_only = (*clinic)->list(Verdict::kUrgent, ClinicSort::kPatient);
  REQUIRE(urgent_only.ok());
  CHECK(urgent_only->size() == 1);

  auto shown = (*clinic)->show(anna_row->pseudonym);
  REQUIRE(shown.ok());
  CHECK(shown->entries.size() == 2);
  CHECK((*clinic)->show("P-nobody").error().code() == ErrorCode::kNotFound);
}

TEST_CASE("the clinic's summary keeps where the patient was: each time in the patient's zone",
          "[clinic]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  FakeClock clinic_clock(at("2027-06-15T09:00", "America/Toronto"));
  test::ClinicDatabase database;

  // Treated in London, the worst rating there, then a flight to Tokyo and a check-in there.
  Phone phone(4);
  phone.app.reset();
  FixedDeviceZone tokyo(std::string("Asia/Tokyo"));
  auto reopened = App::open(phone.dir.path(), phone.clock, tokyo);
  REQUIRE(reopened.ok());
  phone.app = std::move(*reopened);
  phone.rate("redness", 2, "2027-06-12T13:00");  // 21:00 in Tokyo
  phone.export_to(exports.path(), "travelled.json");

  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock, database.location());
  REQUIRE(clinic.ok());
  REQUIRE((*clinic)->import({exports.path()})->count(ImportOutcome::kImported) == 1);
  auto list = (*clinic)->list(std::nullopt, ClinicSort::kStatus);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  const PatientSummary& s = list->front().summary;
  CHECK(s.treated_zone == "Europe/London");
  CHECK(s.worst_zone == "Europe/London");  // redness 4, on the treatment's evening
  CHECK(s.last_checkin_zone == "Asia/Tokyo");
  CHECK(s.exported_zone == "Asia/Tokyo");
  REQUIRE(s.last_checkin.has_value());
  CHECK(format_iso(*s.last_checkin, date::locate_zone(s.last_checkin_zone)) ==
        "2027-06-12T21:00:00+09:00");
  CHECK(format_minute_offset(*s.worst_at, date::locate_zone(s.worst_zone)) ==
        "2027-06-10 19:30 +01:00");
}

TEST_CASE("a clinic database from before zones were kept gets them from its stored exports",
          "[storage][migration]") {
  test::TempDir clinic_dir;
  std::filesystem::copy_file(test::fixtures_dir() / "db" / "clinic_v1.db",
                             clinic_dir.path() / ClinicApp::kDatabaseFile);
  FakeClock clock(at("2027-06-15T09:00", "America/Toronto"));
  {
    auto clinic = ClinicApp::open(clinic_dir.path(), clock, "");
    REQUIRE(clinic.ok());
    auto list = (*clinic)->list(std::nullopt, ClinicSort::kPatient);
    REQUIRE(list.ok());
    REQUIRE(list->size() == 3);
    for (const ClinicPatient& p : *list) {
      INFO(p.pseudonym);
      CHECK(locate_zone(p.summary.exported_zone).ok());
      CHECK(locate_zone(p.summary.treated_zone).ok());
      CHECK(p.summary.last_checkin_zone.empty() == !p.summary.last_checkin.has_value());
      CHECK(p.summary.worst_zone.empty() == !p.summary.worst_at.has_value());
      CHECK(p.revision == 1);  // filled in, not a new write
    }
  }
  auto store = open_clinic_store(clinic_dir.path() / ClinicApp::kDatabaseFile);
  REQUIRE(store.ok());
  CHECK((*store)->patients_without_zones()->empty());
}

TEST_CASE(
    "clinic import reports a tampered, truncated, foreign or impostor file and merges "
    "nothing",
    "[clinic]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  FakeClock clinic_clock(at("2027-06-15T09:00", "Europe/London"));
  test::ClinicDatabase database;
  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock, database.location());
  REQUIRE(clinic.ok());
  Phone anna(3), carl(5);
  const auto good = anna.export_to(exports.path(), "anna.json");
  REQUIRE((*clinic)->import({good}).ok());
  const std::string text = test::read_file(good);
  const auto write = [&](const std::string& name, const std::string& content,
                         const std::optional<std::string>& manifest) {
    const auto file = exports.path() / name;
    std::ofstream(file, std::ios::binary) << content;
    if (manifest) std::ofstream(file.string() + ".manifest.json", std::ios::binary) << *manifest;
    return file;
  };
  std::string tampered = text;
  tampered.replace(tampered.find("\"severity\": 3"), 13, "\"severity\": 1");
  const std::string manifest = test::read_file(good.string() + ".manifest.json");

  // An impostor: carl's export relabelled with anna's pseudonym, with a manifest to match.
  const auto carl_file = carl.export_to(exports.path(), "carl.json");
  auto carl_doc = nlohmann::ordered_json::parse(test::read_file(carl_file));
  auto anna_doc = nlohmann::ordered_json::parse(text);
  carl_doc["settings"]["patient_pseudonym"] = anna_doc["settings"]["patient_pseudonym"];
  const std::string impostor = carl_doc.dump(2) + "\n";
  auto impostor_manifest =
      nlohmann::ordered_json::parse(test::read_file(carl_file.string() + ".manifest.json"));
  impostor_manifest["patient"] = anna_doc["settings"]["patient_pseudonym"];
  impostor_manifest["sha256"] = sha256_hex(impostor);

  // A pseudonym made to reach into FHIR search URLs and file names.
  auto odd_doc = carl_doc;
  odd_doc["settings"]["patient_pseudonym"] = "P-x,urn:aftercare:entry|../P-victim";
  const std::string odd = odd_doc.dump(2) + "\n";
  auto odd_manifest = impostor_manifest;
  odd_manifest["patient"] = odd_doc["settings"]["patient_pseudonym"];
  odd_manifest["sha256"] = sha256_hex(odd);

  struct Bad {
    std::filesystem::path file;
    const char* reason;
  };
  const Bad cases[] = {
      {write("tampered.json", tampered, manifest), "SHA-256 differs from its manifest"},
      {write("truncated.json", text.substr(0, text.size() / 3), manifest),
       "SHA-256 differs from its manifest"},
      {write("foreign.json", "{\"hello\": 1}", std::nullopt), "no manifest"},
      {write("odd-manifest.json", text + " ", std::string("{\"sha256\": 1}")),
       "not an aftercare export or manifest"},
      {write("impostor.json", impostor, impostor_manifest.dump()),
       "another patient with the same pseudonym"},
      {write("odd-pseudonym.json", odd, odd_manifest.dump()),
       "pseudonym is not one aftercare writes"},
  };
  for (const auto& bad : cases) {
    INFO(bad.file.filename().string());
    auto result = (*clinic)->import({bad.file});
    REQUIRE(result.ok());
    REQUIRE(result->files.size() == 1);
    CHECK(result->files.front().outcome == ImportOutcome::kRejected);
    CHECK_THAT(result->files.front().reason, Catch::Contains(bad.reason));
  }
  // A manifest that is a FIFO nobody writes to, or a link to /dev/zero: refused at once, not
  // waited on or read without end.
  const auto fifo = write("fifo.json", text + "\n", std::nullopt);
  REQUIRE(::mkfifo((fifo.string() + ".manifest.json").c_str(), 0600) == 0);
  const auto zero = write("zero.json", text + "\n\n", std::nullopt);
  std::filesystem::create_symlink("/dev/zero", zero.string() + ".manifest.json");
  const std::pair<std::filesystem::path, const char*> refusals[] = {
      {fifo, "its manifest: "}, {zero, "its manifest is a link that leads out of the folder"}};
  for (const auto& [file, why] : refusals) {
    INFO(file.filename().string());
    auto result = (*clinic)->import({file});
    REQUIRE(result.ok());
    REQUIRE(result->files.size() == 1);
    CHECK(result->files.front().outcome == ImportOutcome::kRejected);
    CHECK_THAT(result->files.front().reason, Catch::Contains(why));
  }
  CHECK_THAT((*clinic)->import({fifo})->files.front().reason,
             Catch::Contains("not a regular file"));
  auto list = (*clinic)->list(std::nullopt, ClinicSort::kPatient);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK(list->front().summary.worst_severity == 3);  // anna's record is untouched
}

TEST_CASE("clinic import opens exports sealed for it and refuses others' and altered ones",
          "[clinic]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  test::TempDir other_dir;
  FakeClock clinic_clock(at("2027-06-15T09:00", "Europe/London"));
  test::ClinicDatabase database, other_database;
  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock, database.location());
  auto other = ClinicApp::open(other_dir.path(), clinic_clock, other_database.location());
  REQUIRE(clinic.ok());
  REQUIRE(other.ok());
  auto key = (*clinic)->public_key();
  REQUIRE(key.ok());
  CHECK(*key == *(*clinic)->public_key());  // created once, then kept
  CHECK((std::filesystem::status(clinic_dir.path() / ClinicApp::kKeyFile).permissions() &
         std::filesystem::perms::group_all) == std::filesystem::perms::none);

  Phone anna(3);
  const auto file = exports.path() / "anna.sealed";
  auto sealed = anna.app->export_sealed(file, *key);
  REQUIRE(sealed.ok());
  CHECK_FALSE(std::filesystem::exists(file.string() + ".manifest.json"));  // inside the box
  CHECK(test::read_file(file).find("redness") == std::string::npos);       // nothing readable

  auto imported = (*clinic)->import({file});
  REQUIRE(imported.ok());
  REQUIRE(imported->files.size() == 1);
  CHECK(imported->files[0].outcome == ImportOutcome::kImported);
  CHECK(imported->files[0].reason == "sealed; signed by device " + sealed->device.substr(0, 16));
  CHECK((*clinic)->import({file})->files[0].outcome == ImportOutcome::kUnchanged);

  (void)(*other)->public_key();
  auto refused = (*other)->import({file});
  REQUIRE(refused.ok());
  CHECK(refused->files[0].outcome == ImportOutcome::kRejected);
  CHECK_THAT(refused->files[0].reason, Catch::Contains("sealed for another clinic"));
  auto listed = (*other)->list(std::nullopt, ClinicSort::kStatus);
  CHECK(listed->empty());

  CHECK_FALSE(anna.app->export_sealed(exports.path() / "bad", "not-a-key").ok());
}

TEST_CASE("two desktops importing the same exports at once store each patient once, newest kept",
          "[clinic][concurrency]") {
  // Six patients with two exports each, the second continuing the first.
  test::TempDir exports;
  std::vector<std::unique_ptr<Phone>> phones;
  std::vector<std::filesystem::path> files;
  std::map<std::string, std::string> newest_head;  // by pseudonym, from the manifests
  for (int i = 0; i < 6; ++i) {
    phones.push_back(std::make_unique<Phone>(2 + i % 3));
    const std::string name = std::string("p").append(std::to_string(i));
    files.push_back(phones.back()->export_to(exports.path(), name + "-1.json"));
    phones.back()->rate("swelling", 1 + i % 2, "2027-06-11T19:30");
    files.push_back(phones.back()->export_to(exports.path(), name + "-2.json"));
    const auto manifest =
        nlohmann::json::parse(test::read_file(files.back().string() + ".manifest.json"));
    newest_head[manifest["patient"].get<std::string>()] =
        manifest["chain"]["head"].get<std::string>();
  }
  const std::vector<std::filesystem::path> reversed(files.rbegin(), files.rend());

  // The same order on both, opposite orders, and newest first on both.
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    test::TempDir shared, desk_a, desk_b;
    test::ClinicDatabase database;
    const std::string location =
        database.postgres() ? database.location() : (shared.path() / "clinic.db").string();
    FakeClock clock(at("2027-06-15T09:00", "Europe/London"));
    auto a = ClinicApp::open(desk_a.path(), clock, location);
    auto b = ClinicApp::open(desk_b.path(), clock, location);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    std::optional<Result<ClinicImportReport>> from_a, from_b;
    std::thread first([&] { from_a = (*a)->import(round == 2 ? reversed : files); });
    std::thread second([&] { from_b = (*b)->import(round == 0 ? files : reversed); });
    first.join();
    second.join();
    REQUIRE(from_a->ok());
    REQUIRE(from_b->ok());
    const auto& ra = **from_a;
    const auto& rb = **from_b;
    for (const auto* report : {&ra, &rb}) {
      for (const auto& file : report->files) {
        INFO(file.file << ": " << file.reason);
        CHECK(file.outcome != ImportOutcome::kRejected);
      }
    }
    // Each patient is new to exactly one of them; the other saw it stored.
    CHECK(ra.count(ImportOutcome::kImported) + rb.count(ImportOutcome::kImported) == 6);

    auto list = (*a)->list(std::nullopt, ClinicSort::kPatient);
    REQUIRE(list.ok());
    REQUIRE(list->size() == 6);
    for (const auto& patient : *list) {
      INFO(patient.pseudonym);
      CHECK(patient.chain_head == newest_head.at(patient.pseudonym));
      CHECK(patient.summary.worst_severity >= 1);
    }
    // Every file is on record once: a third import changes nothing.
    auto again = (*b)->import(files);
    REQUIRE(again.ok());
    CHECK(again->count(ImportOutcome::kUnchanged) == files.size());
  }
}

}  // namespace
}  // namespace aftercare
