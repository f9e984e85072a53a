#include <catch2/catch.hpp>

#include "storage/clinic_store.h"
#include "storage/postgres/pg_db.h"
#include "support/clinic_database.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

// The store under test: the ClinicDatabase's PostgreSQL database, or a SQLite file in `dir`.
Result<std::unique_ptr<ClinicStore>> open_store(const test::ClinicDatabase& database,
                                                const test::TempDir& dir) {
  return database.postgres() ? open_postgres_clinic_store(database.location())
                             : open_clinic_store(dir.path() / "clinic.db");
}

TEST_CASE("a PostgreSQL database is told from a SQLite file, and named without its password",
          "[clinic][storage]") {
  CHECK(is_postgres_location("postgresql://clinic@db.example/aftercare"));
  CHECK(is_postgres_location("postgres:///aftercare"));
  CHECK(is_postgres_location("host=db.example dbname=aftercare"));
  CHECK(is_postgres_location("service=clinic"));
  CHECK(is_postgres_location(" dbname = 'aftercare clinic' "));
  CHECK_FALSE(is_postgres_location("clinic.db"));
  CHECK_FALSE(is_postgres_location("/srv/clinic/clinic.db"));
  CHECK_FALSE(is_postgres_location("a=b.db"));          // no such libpq keyword
  CHECK_FALSE(is_postgres_location("my clinic=1.db"));  // not a keyword before the "="
  CHECK_FALSE(is_postgres_location("=host=db.example"));
  CHECK(pg::redacted_uri("postgresql://clinic:s3cret@db.example/aftercare?password=x") ==
        "postgresql://clinic@db.example/aftercare");
  const std::string keywords =
      pg::redacted_uri("host=db.example password=s3cret dbname='a b' sslpassword=k");
  CHECK(keywords.find("s3cret") == std::string::npos);
  CHECK(keywords.find("sslpassword") == std::string::npos);
  CHECK(keywords.find("host=db.example") != std::string::npos);
  CHECK(keywords.find("dbname='a b'") != std::string::npos);
  CHECK(pg::redacted_uri("host=db.example password") == "(a PostgreSQL connection string)");
}

ClinicPatient patient(const std::string& pseudonym, const std::string& head, int events) {
  ClinicPatient p;
  p.pseudonym = pseudonym;
  p.archive_json = "{\"format\": \"aftercare-export\", \"note\": \"l'été \\u00e9\"}\n";
  p.chain_head = head;
  p.chain_events = events;
  p.first_imported = at("2027-06-15T09:00");
  p.last_imported = at("2027-06-15T09:00");
  p.summary.verdict = Verdict::kContactClinic;
  p.summary.reasons = {"Swelling at 3 of 10 on day 4 is stronger than usual.", "Second, 'quoted'"};
  p.summary.last_checkin = at("2027-06-14T21:30:15+02:00");
  p.summary.adherence = 2.0 / 3.0;  // read back exactly, not to 6 decimals
  p.summary.worst_symptom = "Swelling";
  p.summary.worst_severity = 3;
  p.summary.worst_at = at("2027-06-13T08:00");
  p.summary.session = 2;
  p.summary.treated_at = at("2027-06-10T09:00");
  p.summary.exported_at = at("2027-06-14T22:00");
  p.summary.exported_zone = "Asia/Tokyo";
  p.summary.treated_zone = "Europe/Paris";
  p.summary.last_checkin_zone = "Europe/Paris";
  p.summary.worst_zone = "America/St_Johns";
  return p;
}

ImportRecord record_of(const std::string& pseudonym, char digit, ImportOutcome outcome) {
  return ImportRecord{"exports/" + pseudonym + ".json",
                      std::string(64, digit),
                      pseudonym,
                      outcome,
                      "",
                      at("2027-06-15T09:00")};
}

TEST_CASE("the clinic store keeps every field of a patient and of its import record", "[clinic]") {
  test::ClinicDatabase database;
  test::TempDir dir;
  auto store = open_store(database, dir);
  REQUIRE(store.ok());
  const ClinicPatient full = patient("P-full", "aa11", 7);
  ClinicPatient sparse = patient("P-sparse", "", 0);
  sparse.summary = PatientSummary{};
  sparse.summary.treated_at = at("2027-06-10T09:00");
  sparse.summary.exported_at = at("2027-06-10T10:00");
  REQUIRE((*store)
              ->save_patient(full, record_of("P-full", '1', ImportOutcome::kImported), std::nullopt)
              .ok());
  REQUIRE(
      (*store)
          ->save_patient(sparse, record_of("P-sparse", '2', ImportOutcome::kImported), std::nullopt)
          .ok());
  auto rejected = record_of("", '3', ImportOutcome::kRejected);
  rejected.reason = "no manifest beside it";
  REQUIRE((*store)->record_import(rejected).ok());

  auto stored = (*store)->patient("P-full");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  const ClinicPatient& p = **stored;
  CHECK(p.archive_json == full.archive_json);
  CHECK(p.chain_head == "aa11");
  CHECK(p.chain_events == 7);
  CHECK(p.first_imported == full.first_imported);
  CHECK(p.summary.verdict == Verdict::kContactClinic);
  CHECK(p.summary.reasons == full.summary.reasons);
  CHECK(p.summary.last_checkin == full.summary.last_checkin);
  CHECK(p.summary.adherence == full.summary.adherence);
  CHECK(p.summary.worst_symptom == "Swelling");
  CHECK(p.summary.worst_severity == 3);
  CHECK(p.summary.worst_at == full.summary.worst_at);
  CHECK(p.summary.session == 2);
  CHECK(p.summary.treated_at == full.summary.treated_at);
  CHECK(p.summary.exported_at == full.summary.exported_at);
  CHECK(p.summary.exported_zone == "Asia/Tokyo");
  CHECK(p.summary.treated_zone == "Europe/Paris");
  CHECK(p.summary.last_checkin_zone == "Europe/Paris");
  CHECK(p.summary.worst_zone == "America/St_Johns");

  auto empty = (*store)->patient("P-sparse");
  REQUIRE(empty.ok());
  REQUIRE(empty->has_value());
  CHECK_FALSE((*empty)->summary.last_checkin);
  CHECK_FALSE((*empty)->summary.adherence);
  CHECK_FALSE((*empty)->summary.worst_at);
  CHECK((*empty)->summary.reasons.empty());
  CHECK_FALSE((*store)->patient("P-nobody")->has_value());

  auto all = (*store)->patients();
  REQUIRE(all.ok());
  CHECK(all->size() == 2);
  for (const auto& listed : *all) CHECK(listed.archive_json.empty());  // summaries only
  // The sparse one was stored without zones (as rows from before they were kept): found, and
  // filled in only at the revision read, once.
  CHECK(*(*store)->patients_without_zones() == std::vector<std::string>{"P-sparse"});
  PatientSummary zones;
  zones.exported_zone = "Europe/London";
  zones.treated_zone = "Europe/London";
  REQUIRE((*store)->fill_zones("P-sparse", zones, 2).ok());  // not its revision: nothing
  CHECK((*store)->patients_without_zones()->size() == 1);
  REQUIRE((*store)->fill_zones("P-sparse", zones, 1).ok());
  CHECK((*store)->patients_without_zones()->empty());
  zones.exported_zone = "Asia/Tokyo";
  REQUIRE((*store)->fill_zones("P-sparse", zones, 1).ok());  // has zones now: nothing
  const auto filled = (*store)->patient("P-sparse");
  CHECK((*filled)->summary.exported_zone == "Europe/London");
  CHECK((*filled)->summary.treated_zone == "Europe/London");
  CHECK((*filled)->summary.last_checkin_zone.empty());
  CHECK((*filled)->summary.verdict == Verdict::kExpected);
  CHECK((*filled)->revision == 1);

  auto digests = (*store)->imported_digests();
  REQUIRE(digests.ok());
  CHECK(*digests == std::unordered_set<std::string>{std::string(64, '1'), std::string(64, '2'),
                                                    std::string(64, '3')});
  auto record = (*store)->import_of(std::string(64, '3'));
  REQUIRE(record.ok());
  REQUIRE(record->has_value());
  CHECK((*record)->outcome == ImportOutcome::kRejected);
  CHECK((*record)->reason == "no manifest beside it");
  CHECK((*record)->imported_at == at("2027-06-15T09:00"));

  // The first outcome of a file is kept.
  REQUIRE((*store)->record_import(record_of("", '3', ImportOutcome::kUnchanged)).ok());
  CHECK((*(*store)->import_of(std::string(64, '3')))->outcome == ImportOutcome::kRejected);

  // Reopened (the migrations run again and find nothing to do): every row is still there.
  store->reset();
  auto reopened = open_store(database, dir);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->patients()->size() == 2);
  CHECK((*reopened)->imported_digests()->size() == 3);
}

TEST_CASE("the clinic store writes a patient only over the revision an import compared with",
          "[clinic]") {
  test::ClinicDatabase database;
  test::TempDir dir;
  auto store = open_store(database, dir);
  REQUIRE(store.ok());
  const ClinicPatient first = patient("P-anna", "h1", 1);
  REQUIRE(
      (*store)
          ->save_patient(first, record_of("P-anna", 'a', ImportOutcome::kImported), std::nullopt)
          .ok());

  // Another importer also found her unknown: refused, and its record not kept.
  ClinicPatient rival = patient("P-anna", "h1-other", 1);
  auto twice = (*store)->save_patient(rival, record_of("P-anna", 'b', ImportOutcome::kImported),
                                      std::nullopt);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code() == ErrorCode::kConflict);
  CHECK((*(*store)->patient("P-anna"))->chain_head == "h1");
  CHECK_FALSE((*store)->import_of(std::string(64, 'b'))->has_value());

  // Stored as revision 1. Compared with another revision: refused.
  CHECK((*(*store)->patient("P-anna"))->revision == 1);
  ClinicPatient second = patient("P-anna", "h2", 2);
  second.summary.exported_at = at("2027-06-16T09:00");
  second.last_imported = at("2027-06-16T09:30");
  for (const std::int64_t stale : {0, 2}) {
    auto refused =
        (*store)->save_patient(second, record_of("P-anna", 'c', ImportOutcome::kExtended), stale);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code() == ErrorCode::kConflict);
  }
  CHECK((*(*store)->patient("P-anna"))->chain_head == "h1");
  CHECK_FALSE((*store)->import_of(std::string(64, 'c'))->has_value());

  // Compared with what is stored: written, the revision moved on, the first import time kept.
  REQUIRE(
      (*store)->save_patient(second, record_of("P-anna", 'c', ImportOutcome::kExtended), 1).ok());
  // The same revision again (an importer that read before that write): refused, even with the
  // same chain head and export time as now stored.
  auto late = (*store)->save_patient(second, record_of("P-anna", 'd', ImportOutcome::kExtended), 1);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code() == ErrorCode::kConflict);
  auto now = (*store)->patient("P-anna");
  CHECK((*now)->chain_head == "h2");
  CHECK((*now)->chain_events == 2);
  CHECK((*now)->revision == 2);
  CHECK((*now)->first_imported == first.first_imported);
  CHECK((*now)->last_imported == second.last_imported);
  CHECK((*now)->summary.exported_at == second.summary.exported_at);
  CHECK((*store)->import_of(std::string(64, 'c'))->has_value());
}

TEST_CASE("the PostgreSQL clinic store refuses a database that is not its own, or is newer",
          "[clinic]") {
  test::ClinicDatabase database;
  if (!database.postgres()) {
    // SQLite's counterpart (application_id, user_version) is in the storage tests.
    CHECK(database.location().empty());
    return;
  }
  test::ClinicDatabase other;
  other.run("CREATE TABLE invoices (id integer PRIMARY KEY)");
  auto foreign = open_postgres_clinic_store(other.location());
  REQUIRE_FALSE(foreign.ok());
  CHECK_THAT(foreign.error().message(), Catch::Contains("not an aftercare clinic database"));
  CHECK_THAT(foreign.error().message(),
             !Catch::Contains("postgresql://aftercare:"));  // no password

  // The server drops the connection (a restart): the store connects again for what comes next.
  {
    auto store = open_postgres_clinic_store(database.location());
    REQUIRE(store.ok());
    database.run(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
        "current_database() AND pid <> pg_backend_pid()");
    (void)(*store)->patients();  // may fail: the server hung up on it
    auto after = (*store)->patients();
    REQUIRE(after.ok());
    CHECK(after->empty());
  }

  database.run(
      "INSERT INTO aftercare_schema (application, version) VALUES ('aftercare-clinic', 99)");
  auto newer = open_postgres_clinic_store(database.location());
  REQUIRE_FALSE(newer.ok());
  CHECK_THAT(newer.error().message(), Catch::Contains("made by a newer aftercare"));

  auto unreachable = open_postgres_clinic_store("postgresql://clinic:secret@127.0.0.1:1/clinic");
  REQUIRE_FALSE(unreachable.ok());
  CHECK_THAT(unreachable.error().message(),
             Catch::StartsWith("postgresql://clinic@127.0.0.1:1/clinic: cannot connect"));
  CHECK_THAT(unreachable.error().message(), !Catch::Contains("secret"));
}

TEST_CASE("a version 1 SQLite clinic database moves its exports to their own table, every row kept",
          "[storage][migration]") {
  test::TempDir dir;
  const auto file = dir.path() / "clinic.db";
  std::filesystem::copy_file(test::fixtures_dir() / "db" / "clinic_v1.db", file);
  auto store = open_clinic_store(file);
  REQUIRE(store.ok());
  auto patients = (*store)->patients();
  REQUIRE(patients.ok());
  REQUIRE(patients->size() == 3);
  for (const auto& listed : *patients) {
    INFO(listed.pseudonym);
    auto full = (*store)->patient(listed.pseudonym);
    REQUIRE(full.ok());
    REQUIRE(full->has_value());
    CHECK((*full)->archive_json.find(listed.pseudonym) != std::string::npos);
    CHECK((*full)->chain_head == listed.chain_head);
    CHECK((*full)->chain_events > 0);
    CHECK((*full)->revision == 1);  // every migrated row starts at revision 1
  }
  CHECK((*store)->imported_digests()->size() == 3);
  // Reopened: nothing left to migrate, nothing lost.
  store->reset();
  auto again = open_clinic_store(file);
  REQUIRE(again.ok());
  CHECK((*again)->patients()->size() == 3);
}

}  // namespace
}  // namespace aftercare
