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
  // The phone's signing key, as a forger holding the phone would have it.
  DeviceKeys keys() const {
    auto text = test::read_file(dir.path() / App::kDeviceKeyFile);
    auto pair = read_key_file_text(text, 64, 32, "device.key");
    REQUIRE(pair.ok());
    return DeviceKeys{pair->second, pair->first};
  }
};

// `manifest` signed by `keys`, as the device would sign it.
std::string signed_by(const nlohmann::ordered_json& manifest, const DeviceKeys& keys) {
  auto text = sign_manifest(manifest.dump(), keys);
  REQUIRE(text.ok());
  return *text;
}

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

TEST_CASE("the clinic's own protocol judges every patient; one who follows another is flagged",
          "[clinic]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  FakeClock clinic_clock(at("2027-06-15T09:00", "Europe/London"));
  test::ClinicDatabase database;
  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock, database.location());
  REQUIRE(clinic.ok());
  // Redness 3 on day 2 is as expected by the default protocol, not by the clinic's stricter one.
  Phone ben(4);
  ben.rate("redness", 3, "2027-06-12T19:30");
  REQUIRE((*clinic)->import({ben.export_to(exports.path(), "ben.json")}).ok());
  const std::string ben_name = (*clinic)->list(std::nullopt, ClinicSort::kPatient)->at(0).pseudonym;
  const auto ben_row = [&] {
    auto list = (*clinic)->list(std::nullopt, ClinicSort::kPatient);
    REQUIRE(list.ok());
    for (const auto& p : *list) {
      if (p.pseudonym == ben_name) return p;
    }
    FAIL("not listed: " << ben_name);
    return ClinicPatient{};
  };
  CHECK(ben_row().summary.verdict == Verdict::kExpected);
  CHECK_FALSE(ben_row().summary.protocol_differs);

  // A file that is not a protocol is refused whole, and nothing changes.
  auto refused = (*clinic)->set_protocol(test::fixtures_dir() / "protocols" / "not_json.json");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidInput);
  CHECK_THAT(refused.error().message(), Catch::Contains("not_json.json"));
  CHECK_FALSE((*clinic)->protocol().value());
  CHECK((*clinic)->protocol_history().value().empty());

  const auto strict = clinic_dir.path() / "strict.json";
  {
    std::ofstream out(strict);
    out << R"({"extends": "microneedling", "id": "strict", "symptoms": {"redness":
              {"normal_until": "24h", "course": [["0h", 4], ["24h", 2], ["48h", 0]]}}})";
  }
  auto set = (*clinic)->set_protocol(strict);
  REQUIRE(set.ok());
  CHECK(set->judged == 1);
  CHECK(set->differing == 1);
  CHECK(set->protocol.source == strict.string());
  CHECK(set->protocol.set_at == clinic_clock.now());
  CHECK(ben_row().summary.verdict == Verdict::kContactClinic);
  CHECK(ben_row().summary.protocol_differs);
  auto shown = (*clinic)->show(ben_row().pseudonym);
  REQUIRE(shown.ok());
  REQUIRE(shown->judged_with);
  CHECK(shown->judged_with->seq == 1);
  CHECK(shown->assessment.verdict == Verdict::kContactClinic);
  CHECK(std::find(shown->protocol_differences.begin(), shown->protocol_differences.end(),
                  "symptoms.redness.normal_until: the clinic's \"24h\", the patient's \"72h\"") !=
        shown->protocol_differences.end());
  CHECK(std::find(shown->protocol_differences.begin(), shown->protocol_differences.end(),
                  "id: the clinic's \"strict\", the patient's \"microneedling\"") !=
        shown->protocol_differences.end());
  REQUIRE(shown->entry_verdicts.size() == shown->entries.size());
  CHECK(shown->entry_verdicts.back() == Verdict::kContactClinic);  // day 2's redness 3
  CHECK(shown->entry_verdicts.front() == Verdict::kExpected);      // day 0's redness 4
  CHECK_FALSE(shown->flags.empty());

  // A patient who follows the clinic's protocol is not flagged; a new export of one who does not
  // says so at import.
  Phone cleo(2);
  PlanDetails details;
  details.treated_at = at("2027-06-20T09:00", "Europe/London");
  details.areas = {"face"};
  cleo.clock.set(at("2027-06-20T10:00", "Europe/London"));
  REQUIRE(cleo.app->start_plan(details, strict).ok());
  cleo.rate("redness", 1, "2027-06-20T19:30");
  auto cleo_import = (*clinic)->import({cleo.export_to(exports.path(), "cleo.json")});
  REQUIRE(cleo_import.ok());
  CHECK_THAT(cleo_import->files.front().reason,
             !Catch::Contains("protocol differs from the clinic's"));
  ben.rate("redness", 2, "2027-06-13T19:30");
  auto ben_import = (*clinic)->import({ben.export_to(exports.path(), "ben-2.json")});
  REQUIRE(ben_import.ok());
  CHECK(ben_import->files.front().outcome == ImportOutcome::kExtended);
  CHECK_THAT(ben_import->files.front().reason,
             Catch::Contains("protocol differs from the clinic's"));
  auto cleo_shown = (*clinic)->show(cleo_import->files.front().pseudonym);
  REQUIRE(cleo_shown.ok());
  CHECK(cleo_shown->protocol_differences.empty());
  CHECK_FALSE(cleo_shown->patient.summary.protocol_differs);

  // Cleared: each patient's own protocol again; every setting kept.
  clinic_clock.set(at("2027-06-16T09:00", "Europe/London"));
  auto cleared = (*clinic)->clear_protocol();
  REQUIRE(cleared.ok());
  CHECK(cleared->judged == 2);
  CHECK(cleared->differing == 0);
  CHECK_FALSE((*clinic)->protocol().value());
  const auto history = (*clinic)->protocol_history().value();
  REQUIRE(history.size() == 2);
  CHECK(history[0].source == strict.string());
  CHECK_FALSE(history[0].protocol_json.empty());
  CHECK(history[1].protocol_json.empty());
  CHECK(history[1].seq == 2);
  auto after = (*clinic)->show(ben_row().pseudonym);
  REQUIRE(after.ok());
  CHECK_FALSE(after->judged_with);
  CHECK(after->protocol_differences.empty());
  CHECK_FALSE(after->patient.summary.protocol_differs);
}

TEST_CASE("a row judged with an earlier protocol setting is judged again by the next import",
          "[clinic][storage]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  FakeClock clinic_clock(at("2027-06-15T09:00", "Europe/London"));
  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock);
  REQUIRE(clinic.ok());
  Phone ben(4);
  ben.rate("redness", 3, "2027-06-12T19:30");
  auto imported = (*clinic)->import({ben.export_to(exports.path(), "ben.json")});
  REQUIRE(imported.ok());
  const std::string name = imported->files.front().pseudonym;
  const auto strict = clinic_dir.path() / "strict.json";
  test::write_text(strict, R"({"extends": "microneedling", "symptoms": {"redness":
                   {"normal_until": "24h", "course": [["0h", 4], ["24h", 2], ["48h", 0]]}}})");
  REQUIRE((*clinic)->set_protocol(strict).ok());
  const auto verdict = [&] {
    return (*clinic)->list(std::nullopt, ClinicSort::kPatient)->at(0).summary.verdict;
  };
  CHECK(verdict() == Verdict::kContactClinic);
  {
    // Another desktop's import that had read the clinic's protocol before it was set stores its
    // verdict after: judged with setting 0.
    auto store = open_clinic_store(clinic_dir.path() / ClinicApp::kDatabaseFile);
    REQUIRE(store.ok());
    auto row = (*store)->patient(name);
    REQUIRE(row.ok());
    REQUIRE(*row);
    PatientSummary old = (*row)->summary;
    CHECK(old.judged_with == 1);
    old.verdict = Verdict::kExpected;
    old.judged_with = 0;
    REQUIRE((*store)->save_verdict(name, old, (*row)->revision).ok());
    CHECK((*store)->patients_to_judge(1).value() == std::vector<std::string>{name});
    // A verdict over a revision another import moved on is refused.
    auto moved = (*store)->save_verdict(name, old, (*row)->revision + 1);
    REQUIRE_FALSE(moved.ok());
    CHECK(moved.error().code() == ErrorCode::kConflict);
  }
  CHECK(verdict() == Verdict::kExpected);
  // The next import, even of nothing new, judges it again with the current setting.
  REQUIRE((*clinic)->import({exports.path()}).ok());
  CHECK(verdict() == Verdict::kContactClinic);
  // So does opening the clinic.
  {
    auto store = open_clinic_store(clinic_dir.path() / ClinicApp::kDatabaseFile);
    REQUIRE(store.ok());
    auto row = (*store)->patient(name);
    PatientSummary old = (*row)->summary;
    old.verdict = Verdict::kExpected;
    old.judged_with = 0;
    REQUIRE((*store)->save_verdict(name, old, (*row)->revision).ok());
  }
  auto reopened = ClinicApp::open(clinic_dir.path(), clinic_clock);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->list(std::nullopt, ClinicSort::kPatient)->at(0).summary.verdict ==
        Verdict::kContactClinic);
}

TEST_CASE("a patient gone quiet sorts above those as expected; one who never checked in too",
          "[clinic]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  FakeClock clinic_clock(at("2027-06-11T09:00", "Europe/London"));
  test::ClinicDatabase database;
  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock, database.location());
  REQUIRE(clinic.ok());
  Phone anna(2), ben(2);  // both treated 2027-06-10 09:00, rated that evening
  anna.rate("redness", 1, "2027-06-11T19:30");
  const auto row = [&](const std::string& pseudonym) {
    auto list = (*clinic)->list(std::nullopt, ClinicSort::kStatus);
    REQUIRE(list.ok());
    for (const auto& p : *list) {
      if (p.pseudonym == pseudonym) return p;
    }
    FAIL("not listed: " << pseudonym);
    return ClinicPatient{};
  };
  REQUIRE((*clinic)->import({anna.export_to(exports.path(), "anna.json")}).ok());
  auto imported_ben = (*clinic)->import({ben.export_to(exports.path(), "ben.json")});
  REQUIRE(imported_ben.ok());
  const std::string ben_name = imported_ben->files.front().pseudonym;
  // Ben's last check-in 2027-06-10 19:30: quiet from 36 h later.
  CHECK(row(ben_name).summary.silent_from == at("2027-06-12T07:30", "Europe/London"));
  CHECK_FALSE(row(ben_name).silent);
  clinic_clock.set(at("2027-06-12T07:31", "Europe/London"));
  CHECK(row(ben_name).silent);
  auto list = (*clinic)->list(std::nullopt, ClinicSort::kStatus);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK(list->front().pseudonym == ben_name);  // quiet, above the one as expected
  CHECK_FALSE(list->back().silent);
  CHECK(list->back().summary.verdict == Verdict::kExpected);
  auto shown = (*clinic)->show(ben_name);
  REQUIRE(shown.ok());
  CHECK(shown->patient.silent);

  // One who never checked in is not "as expected": quiet from the treatment on.
  {
    // A phone without any rating: its plan, exported at once.
    test::TempDir quiet_dir;
    FakeClock quiet_clock{at("2027-06-11T09:30", "Europe/London")};
    FixedDeviceZone quiet_zone{std::string("Europe/London")};
    auto opened = App::open(quiet_dir.path(), quiet_clock, quiet_zone);
    REQUIRE(opened.ok());
    PlanDetails details;
    details.treated_at = at("2027-06-11T09:00", "Europe/London");
    details.areas = {"face"};
    REQUIRE((*opened)->start_plan(details, std::nullopt).ok());
    auto written = (*opened)->export_to(ExportFormat::kJson, exports.path() / "silent.json");
    REQUIRE(written.ok());
    auto imported = (*clinic)->import({written->file});
    REQUIRE(imported.ok());
    const auto quiet = row(imported->files.front().pseudonym);
    CHECK_FALSE(quiet.summary.last_checkin);
    // Counted from when the first check-in was due (the treatment: the step has no "from").
    CHECK(quiet.summary.silent_from == details.treated_at + std::chrono::hours(36));
    CHECK_FALSE(quiet.silent);
    clinic_clock.set(details.treated_at + std::chrono::hours(36));
    CHECK(row(imported->files.front().pseudonym).silent);
    // An urgent patient still sorts above one gone quiet.
    Phone eve(2);
    eve.rate("pus", 2, "2027-06-10T20:00");
    auto eve_import = (*clinic)->import({eve.export_to(exports.path(), "eve.json")});
    REQUIRE(eve_import.ok());
    auto sorted = (*clinic)->list(std::nullopt, ClinicSort::kStatus);
    REQUIRE(sorted.ok());
    CHECK(sorted->front().pseudonym == eve_import->files.front().pseudonym);
    CHECK(sorted->front().summary.verdict == Verdict::kUrgent);
    CHECK(sorted->back().summary.verdict == Verdict::kExpected);
  }

  // The check-ins end on day 14: a last check-in on day 13 never makes a patient quiet.
  Phone dora(2);
  for (int day = 1; day <= 13; ++day) {
    dora.rate("redness", 0, "2027-06-" + std::to_string(10 + day) + "T19:30");
  }
  auto dora_import = (*clinic)->import({dora.export_to(exports.path(), "dora.json")});
  REQUIRE(dora_import.ok());
  clinic_clock.set(at("2027-07-30T09:00", "Europe/London"));
  CHECK_FALSE(row(dora_import->files.front().pseudonym).summary.silent_from);
  CHECK_FALSE(row(dora_import->files.front().pseudonym).silent);

  // The clinic's protocol says how long quiet is.
  const auto patient_protocol = clinic_dir.path() / "patient.json";
  test::write_text(patient_protocol,
                   R"({"extends": "microneedling", "triage": {"silent_after": "72h"}})");
  REQUIRE((*clinic)->set_protocol(patient_protocol).ok());
  CHECK(row(ben_name).summary.silent_from == at("2027-06-13T19:30", "Europe/London"));
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
  // Stored before silence was judged: judged again from the exports when the clinic opened.
  CHECK((*store)->patients_to_judge(0)->empty());
  const auto patients = (*store)->patients();
  REQUIRE(patients.ok());
  CHECK(std::any_of(patients->begin(), patients->end(),
                    [](const ClinicPatient& p) { return p.summary.silent_from.has_value(); }));
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
       "not an aftercare export manifest"},
      // Signed with anna's own key (a forger holding her phone): the chain still tells, for the
      // pseudonym is part of the record's state.
      {write("impostor.json", impostor, signed_by(impostor_manifest, anna.keys())),
       "the setting patient_pseudonym: changed after"},
      {write("odd-pseudonym.json", odd, signed_by(odd_manifest, carl.keys())),
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

TEST_CASE(
    "clinic import accepts a patient's exports only from the device it pinned, a hand-over "
    "or the clinic's choice",
    "[clinic][trust]") {
  test::TempDir exports;
  test::TempDir clinic_dir;
  FakeClock clinic_clock(at("2027-06-15T09:00", "Europe/London"));
  test::ClinicDatabase database;
  auto clinic = ClinicApp::open(clinic_dir.path(), clinic_clock, database.location());
  REQUIRE(clinic.ok());
  Phone anna(3);
  const auto first = anna.export_to(exports.path(), "anna-1.json");
  auto imported = (*clinic)->import({first});
  REQUIRE(imported.ok());
  const std::string pseudonym = imported->files.at(0).pseudonym;
  const std::string anna_key = key_to_hex(anna.keys().public_key);
  CHECK(imported->files[0].reason ==
        "signed by device " + anna_key.substr(0, 16) + "; trusted on first use");
  const auto shown = [&] {
    auto view = (*clinic)->show(pseudonym);
    REQUIRE(view.ok());
    return *view;
  };
  REQUIRE(shown().patient.pins.size() == 1);
  CHECK(shown().patient.pins[0].device == anna_key);
  CHECK(shown().patient.pins[0].source == PinSource::kFirstUse);
  const auto rejected = [&](const std::filesystem::path& file) {
    auto result = (*clinic)->import({file});
    REQUIRE(result.ok());
    REQUIRE(result->files.size() == 1);
    CHECK(result->files[0].outcome == ImportOutcome::kRejected);
    return result->files[0].reason;
  };
  const auto entries_stored = [&] { return shown().entries.size(); };
  REQUIRE(entries_stored() == 1);

  // The audit's forgery: anna's export restored on another device, an entry deleted there, and
  // exported signed by that device. The chain continues hers, so only the signer tells.
  FakeClock forger_clock(at("2027-06-11T08:00", "Europe/London"));
  FixedDeviceZone london{std::string("Europe/London")};
  test::TempDir forger_dir;
  auto forger = App::open(forger_dir.path(), forger_clock, london);
  REQUIRE(forger.ok());
  // As a new phone would be used: opened (its zone recorded), its key asked for, then the import.
  CHECK((*forger)->today().error().code() == ErrorCode::kNotFound);  // no plan yet
  REQUIRE((*forger)->device().ok());
  CHECK((*forger)->device()->patient.empty());  // none made before the import
  REQUIRE((*forger)->import_archive(first).ok());
  REQUIRE((*forger)->verify_log()->ok);
  REQUIRE((*forger)->delete_entry(EntryId(1)).ok());
  const auto forged = exports.path() / "forged.json";
  REQUIRE((*forger)->export_to(ExportFormat::kJson, forged).ok());
  auto forger_key = (*forger)->device();
  REQUIRE(forger_key.ok());
  CHECK_THAT(rejected(forged),
             Catch::Contains("signed by device " + forger_key->key.substr(0, 16)) &&
                 Catch::Contains("not by the device the clinic trusts") &&
                 Catch::Contains(anna_key.substr(0, 16)));
  CHECK(entries_stored() == 1);  // the record unchanged

  // The same forgery with its manifest's signature stripped, or its range rewritten after
  // signing (the export time pushed to 2031).
  auto forged_manifest =
      nlohmann::ordered_json::parse(test::read_file(forged.string() + ".manifest.json"));
  auto stripped = forged_manifest;
  stripped.erase("signature");
  const auto unsigned_file = exports.path() / "unsigned.json";
  std::filesystem::copy_file(forged, unsigned_file);
  std::ofstream(unsigned_file.string() + ".manifest.json") << stripped.dump(2);
  CHECK_THAT(rejected(unsigned_file), Catch::Contains("not signed by a device"));
  const auto later = exports.path() / "anna-later.json";
  std::ofstream(later) << test::read_file(first) << " ";
  auto rewritten =
      nlohmann::ordered_json::parse(test::read_file(first.string() + ".manifest.json"));
  rewritten["range"]["to"] = "2031-01-01T00:00:00+00:00";
  rewritten["sha256"] = sha256_hex(test::read_file(later));
  std::ofstream(later.string() + ".manifest.json") << rewritten.dump();
  CHECK_THAT(rejected(later), Catch::Contains("signature does not hold"));
  CHECK(entries_stored() == 1);

  // A hand-over for another patient, or made by a key the clinic does not trust, moves nothing.
  auto stray =
      sign_hand_over("P-0000000000000000", anna.keys(), forger_key->key, forger_clock.now());
  REQUIRE(stray.ok());
  const auto stray_file = exports.path() / "stray.hand-over.json";
  std::ofstream(stray_file) << write_hand_over(*stray);
  CHECK_FALSE((*forger)->accept_hand_over(stray_file).ok());  // not this record
  const DeviceKeys nobody = generate_device_keys();
  auto self_made = sign_hand_over(pseudonym, nobody, forger_key->key, forger_clock.now());
  REQUIRE(self_made.ok());
  std::ofstream(stray_file) << write_hand_over(*self_made);
  REQUIRE((*forger)->accept_hand_over(stray_file).ok());  // the phone keeps what it is given
  REQUIRE((*forger)->export_to(ExportFormat::kJson, forged).ok());
  CHECK_THAT(rejected(forged), Catch::Contains("not by the device the clinic trusts"));

  // A real hand-over, after the clinic pinned her phone: it signs her record over to the new one.
  anna.clock.set(at("2027-06-16T09:00", "Europe/London"));
  auto hand_over = anna.app->hand_over_to(forger_key->key);
  REQUIRE(hand_over.ok());
  const auto hand_over_file = exports.path() / "anna.hand-over.json";
  std::ofstream(hand_over_file) << write_hand_over(*hand_over);
  CHECK_FALSE(anna.app->accept_hand_over(hand_over_file).ok());  // made for the other device
  auto altered = *hand_over;
  altered.to = key_to_hex(nobody.public_key);
  const auto altered_file = exports.path() / "altered.hand-over.json";
  std::ofstream(altered_file) << write_hand_over(altered);
  CHECK_FALSE((*forger)->accept_hand_over(altered_file).ok());  // its signature fails
  REQUIRE((*forger)->accept_hand_over(hand_over_file).ok());
  forger_clock.set(at("2027-06-16T10:00", "Europe/London"));
  const auto handed = exports.path() / "new-phone.json";
  REQUIRE((*forger)->export_to(ExportFormat::kJson, handed).ok());
  auto accepted = (*clinic)->import({handed});
  REQUIRE(accepted.ok());
  CHECK(accepted->files[0].outcome == ImportOutcome::kExtended);
  CHECK_THAT(accepted->files[0].reason,
             Catch::Contains("trusted by a hand-over from " + anna_key.substr(0, 16)));
  REQUIRE(shown().patient.pins.size() == 2);
  CHECK(shown().patient.pins[1].source == PinSource::kHandOver);
  CHECK(shown().patient.pins[1].device == forger_key->key);
  // Now the old phone is the stranger.
  anna.rate("redness", 2, "2027-06-16T19:30");
  CHECK_THAT(rejected(anna.export_to(exports.path(), "old-phone.json")),
             Catch::Contains("not by the device the clinic trusts"));

  // The clinic's own choice: back to anna's phone, recorded beside the others.
  CHECK((*clinic)->trust(pseudonym, "not a key").error().code() == ErrorCode::kInvalidInput);
  CHECK((*clinic)->trust("P-unknown", anna_key).error().code() == ErrorCode::kNotFound);
  clinic_clock.set(at("2027-06-17T09:00", "Europe/London"));
  auto trusted = (*clinic)->trust(pseudonym, anna_key);
  REQUIRE(trusted.ok());
  CHECK(trusted->source == PinSource::kClinic);
  REQUIRE(shown().patient.pins.size() == 3);
  // The new phone's old hand-over does not undo that choice.
  forger_clock.set(at("2027-06-17T10:00", "Europe/London"));
  REQUIRE((*forger)->export_to(ExportFormat::kJson, exports.path() / "replayed.json").ok());
  CHECK_THAT(rejected(exports.path() / "replayed.json"),
             Catch::Contains("not by the device the clinic trusts"));
  REQUIRE(shown().patient.pins.size() == 3);
  // The file refused before is checked again: its device is trusted now, but its history does
  // not continue the new phone's (which deleted an entry), so it is still refused, for that.
  const auto reason = rejected(exports.path() / "old-phone.json");
  CHECK_THAT(reason, Catch::Contains("history does not continue"));
  CHECK_THAT(reason, !Catch::Contains("trusts"));
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
  CHECK(imported->files[0].reason ==
        "sealed; signed by device " + sealed->device.substr(0, 16) + "; trusted on first use");
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
