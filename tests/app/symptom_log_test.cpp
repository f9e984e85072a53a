#include <sys/stat.h>

#include <fstream>

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include "app/app.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

using test::at;

struct Patient {
  test::TempDir dir;
  FakeClock clock{at("2027-03-13T21:30", "America/Toronto")};
  FixedDeviceZone device{std::string("America/Toronto")};
  std::unique_ptr<App> app;

  Patient() {
    reopen();
    PlanDetails details;
    details.treated_at = at("2027-03-13T21:00", "America/Toronto");
    details.areas = {"face"};
    details.clinic_phone = "+1 416 555 0100";
    REQUIRE(app->start_plan(details).ok());
  }

  void reopen() {
    app.reset();
    auto opened = App::open(dir.path(), clock, device);
    REQUIRE(opened.ok());
    app = std::move(*opened);
  }

  Result<EntryResult> log(const std::string& symptom, int severity, const std::string& note = "") {
    SymptomReport report;
    report.symptom = SymptomId(symptom);
    report.severity = severity;
    report.note = note;
    return app->log_symptom(report, std::nullopt);
  }

  std::size_t versions() {
    auto log = app->symptom_log();
    REQUIRE(log.ok());
    return log->versions.size();
  }

  std::filesystem::path db() const { return dir.path() / App::kDatabaseFile; }
};

void exec_sql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  INFO(sql);
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

TEST_CASE("an edit and a delete keep every earlier version", "[symptoms][history]") {
  Patient p;
  p.clock.set(at("2027-03-14T10:00", "America/Toronto"));
  auto logged = p.log("redness", 4, "warm");
  REQUIRE(logged.ok());
  const EntryId id = logged->stored.front().entry;
  CHECK(logged->stored.front().version == 1);
  EntryEdit edit;
  edit.severity = 3;
  auto edited = p.app->edit_entry(id, edit);
  REQUIRE(edited.ok());
  CHECK(edited->stored.front().version == 2);
  CHECK(edited->stored.front().report.note == "warm");
  auto deleted = p.app->delete_entry(id);
  REQUIRE(deleted.ok());
  auto log = p.app->symptom_log();
  REQUIRE(log.ok());
  REQUIRE(log->versions.size() == 3);
  CHECK(log->versions[0].report.severity == 4);
  CHECK(log->versions[1].report.severity == 3);
  CHECK(log->versions[2].action == EntryAction::kDeleted);
  CHECK(log->entries.empty());
  CHECK(p.app->delete_entry(id).error().code() == ErrorCode::kConflict);
  CHECK(p.app->edit_entry(id, edit).error().code() == ErrorCode::kConflict);
  CHECK(p.app->edit_entry(EntryId(99), edit).error().code() == ErrorCode::kInvalidInput);
}

TEST_CASE("bad entries are refused with a clear message and nothing is stored", "[symptoms]") {
  Patient p;
  p.clock.set(at("2027-03-14T10:00", "America/Toronto"));
  REQUIRE(p.log("redness", 2).ok());
  auto links_before = p.app->verify_log();
  REQUIRE(links_before.ok());
  struct Bad {
    std::string symptom;
    int severity;
    const char* message;
  };
  for (const Bad& bad : {Bad{"redness", 11, "severity: must be a whole number from 0"},
                         Bad{"redness", -1, "severity: must be a whole number from 0"},
                         Bad{"glow", 3, "unknown symptom \"glow\""}}) {
    INFO(bad.message);
    auto result = p.log(bad.symptom, bad.severity);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == ErrorCode::kInvalidInput);
    CHECK_THAT(result.error().message(), Catch::Contains(bad.message));
  }
  auto bad_text = p.log("redness", 2, std::string("ok \xff"));
  REQUIRE_FALSE(bad_text.ok());
  CHECK_THAT(bad_text.error().message(), Catch::Contains("note: not valid UTF-8"));
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 2;
  auto photo = p.app->log_symptom(report, p.dir.path() / "missing.jpg");
  REQUIRE_FALSE(photo.ok());
  CHECK_THAT(photo.error().message(), Catch::Contains("missing.jpg does not exist"));
  report.felt_at = at("2027-03-15T10:00", "America/Toronto");
  const auto picture = p.dir.path() / "cheek.jpg";
  std::ofstream(picture) << "pixels";
  auto future = p.app->log_symptom(report, picture);
  REQUIRE_FALSE(future.ok());
  CHECK_THAT(future.error().message(), Catch::Contains("in the future"));
  CHECK(p.versions() == 1);
  auto links_after = p.app->verify_log();
  REQUIRE(links_after.ok());
  CHECK(links_after->events == links_before->events);
  CHECK_FALSE(std::filesystem::exists(p.dir.path() / "photos"));
}

TEST_CASE("a photo is copied owner-only under its SHA-256 and the entry keeps the digest",
          "[symptoms]") {
  Patient p;
  p.clock.set(at("2027-03-14T10:00", "America/Toronto"));
  // A JPEG by its first bytes, under a name that says PNG: stored as what it is.
  const std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF and the rest";
  const auto source = p.dir.path() / "cheek.PNG";
  std::ofstream(source, std::ios::binary) << jpeg;
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 3;
  // Not an image, whatever its name: refused, nothing stored or copied.
  const auto text = p.dir.path() / "notes.jpg";
  std::ofstream(text, std::ios::binary) << "not really a jpeg, but bytes";
  auto refused = p.app->log_symptom(report, text);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().notice()->id == NoticeId::kPhotoNotImage);
  CHECK_FALSE(std::filesystem::exists(p.dir.path() / "photos"));
  auto logged = p.app->log_symptom(report, source);
  REQUIRE(logged.ok());
  const auto& digest = logged->stored.front().report.photo_sha256;
  REQUIRE(digest);
  CHECK(*digest == sha256_hex(jpeg));
  const auto copy = p.dir.path() / "photos" / (*digest + ".jpg");
  REQUIRE(std::filesystem::exists(copy));
  struct stat info {};
  REQUIRE(::stat(copy.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(::stat((p.dir.path() / "photos").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
}

TEST_CASE("an entry's area is one the plan treated; relief is asked only where the protocol does",
          "[symptoms]") {
  Patient p;  // face only
  p.clock.set(at("2027-03-14T10:00", "America/Toronto"));
  SymptomReport report;
  report.symptom = SymptomId("redness");
  report.severity = 3;
  report.area = "neck";
  auto elsewhere = p.app->log_symptom(report, std::nullopt);
  REQUIRE_FALSE(elsewhere.ok());
  CHECK(elsewhere.error().notice()->id == NoticeId::kAreaNotInPlan);
  CHECK(elsewhere.error().message() ==
        "area: \"neck\" is not one of this plan's treated areas (face)");
  report.area = "face";
  report.relieved = true;
  auto relief = p.app->log_symptom(report, std::nullopt);
  REQUIRE_FALSE(relief.ok());
  CHECK(relief.error().message() == "relieved: asked only for pain, not for redness");
  report.symptom = SymptomId("pain");
  report.relieved = false;
  auto pain = p.app->log_symptom(report, std::nullopt);
  REQUIRE(pain.ok());
  // After the plan drops an area, an entry made there can still be edited as it is.
  PlanEdit edit;
  edit.areas = std::vector<std::string>{"face", "neck"};
  REQUIRE(p.app->edit_plan(edit).ok());
  report.symptom = SymptomId("redness");
  report.relieved.reset();
  report.area = "neck";
  auto neck = p.app->log_symptom(report, std::nullopt);
  REQUIRE(neck.ok());
  edit.areas = std::vector<std::string>{"face"};
  REQUIRE(p.app->edit_plan(edit).ok());
  EntryEdit severity;
  severity.severity = 2;
  CHECK(p.app->edit_entry(neck->stored.front().entry, severity).ok());
  EntryEdit move;
  move.area = "chest";
  CHECK_FALSE(p.app->edit_entry(neck->stored.front().entry, move).ok());
}

TEST_CASE("a check-in stores several ratings together, zeros included, and ticks the step",
          "[symptoms]") {
  Patient p;
  p.clock.set(at("2027-03-14T19:30", "America/Toronto"));
  auto result = p.app->check_in({{SymptomId("redness"), 3}, {SymptomId("swelling"), 0}}, "ok");
  REQUIRE(result.ok());
  REQUIRE(result->stored.size() == 2);
  CHECK(result->stored[0].checkin.has_value());
  CHECK(result->stored[0].checkin == result->stored[1].checkin);
  CHECK(result->stored[1].report.severity == 0);
  auto today = p.app->today();
  REQUIRE(today.ok());
  bool checked = false;
  for (const auto& item : today->timeline.today_steps) {
    if (item.occurrence.id == "checkin@2027-03-14T19:00") {
      checked = item.status == OccurrenceStatus::kDone;
    }
  }
  CHECK(checked);
  REQUIRE(result->checked_off);
  CHECK(result->checked_off->occurrence == "checkin@2027-03-14T19:00");
  CHECK_FALSE(result->check_off_failed);
  // A second check-in the same evening: the step is done already, which is not a failure.
  auto again = p.app->check_in({{SymptomId("itching"), 1}}, "");
  REQUIRE(again.ok());
  CHECK_FALSE(again->checked_off);
  CHECK_FALSE(again->check_off_failed);
  auto twice = p.app->check_in({{SymptomId("redness"), 3}, {SymptomId("redness"), 2}}, "");
  REQUIRE_FALSE(twice.ok());
  CHECK(p.versions() == 3);
}

TEST_CASE("verify passes on a real log and names the first event altered by hand",
          "[symptoms][chain]") {
  Patient p;
  for (const char* t : {"2027-03-14T10:00", "2027-03-14T20:05", "2027-03-15T10:00"}) {
    p.clock.set(at(t, "America/Toronto"));
    REQUIRE(p.log("redness", 3, "entry at " + std::string(t)).ok());
    (void)p.app->check_off(StepId("cleanse_pm"), StepAction::kDone);
  }
  auto good = p.app->verify_log();
  REQUIRE(good.ok());
  CHECK(good->ok);
  // The record's first states (the zone seen, the plan started), three entries, and the evening
  // cleanse ticked early on the 14th and on the 15th (on the 14th at 20:05 it is already done,
  // so that check-off is refused).
  CHECK(good->events == 7);
  p.app.reset();

  // Events: 1 the zone, 2 the plan, 3 entry, 4 check-off, 5 entry, 6 entry, 7 check-off.
  SECTION("a changed severity") {
    exec_sql(p.db(), "UPDATE symptom_entry SET severity = 1 WHERE row = 5");
    p.reopen();
    auto check = p.app->verify_log();
    REQUIRE(check.ok());
    CHECK_FALSE(check->ok);
    CHECK(check->problem ==
          "event 5 (a symptom entry): its content was changed after it was stored");
  }
  SECTION("a removed check-off") {
    exec_sql(p.db(), "DELETE FROM step_event WHERE seq = 4");
    p.reopen();
    auto check = p.app->verify_log();
    REQUIRE(check.ok());
    CHECK_FALSE(check->ok);
    CHECK(check->problem == "event 4 is missing (removed from the log)");
  }
  SECTION("an entry removed") {
    exec_sql(p.db(), "DELETE FROM symptom_entry WHERE row = 6");
    p.reopen();
    auto check = p.app->verify_log();
    REQUIRE(check.ok());
    CHECK_FALSE(check->ok);
    CHECK_THAT(check->problem, Catch::StartsWith("event 6 is missing"));
  }
  SECTION("an entry added outside the app") {
    exec_sql(p.db(),
             "INSERT INTO symptom_entry (row, entry_id, version, plan_id, action, symptom, "
             "severity, area, note, felt_at, zone, recorded_at, prev_hash, hash) VALUES (8, 9, 1, "
             "1, 'logged', 'redness', 0, '', '', 1805000000, 'UTC', 1805000000, 'x', 'y')");
    p.reopen();
    auto check = p.app->verify_log();
    REQUIRE(check.ok());
    CHECK_FALSE(check->ok);
    CHECK_THAT(check->problem, Catch::StartsWith("event 8 (a symptom entry)"));
  }
  SECTION("a rewritten hash") {
    exec_sql(p.db(), "UPDATE step_event SET hash = prev_hash WHERE seq = 4");
    p.reopen();
    auto check = p.app->verify_log();
    REQUIRE(check.ok());
    CHECK_FALSE(check->ok);
    CHECK_THAT(check->problem, Catch::StartsWith("event 4 (a step check-off)"));
  }
  // The rest of the record is under the chain too (issue #17): the audit moved the treatment
  // five days back, which flips the verdict; a zone change, a mode and a setting slipped in.
  SECTION("the treatment time moved") {
    exec_sql(p.db(), "UPDATE plan SET treated_at = treated_at - 432000");
    p.reopen();
    auto check = p.app->verify_log();
    REQUIRE(check.ok());
    CHECK_FALSE(check->ok);
    CHECK(check->problem == "plan 1: changed after event 2 recorded it");
    // And nothing new is recorded on top of it: a new state would take the change in.
    CHECK(p.app->set_mode("outdoors", true).error().code() == ErrorCode::kStorage);
    CHECK(p.app->verify_log()->problem == "plan 1: changed after event 2 recorded it");
  }
  SECTION("the protocol rewritten") {
    exec_sql(p.db(), "UPDATE plan SET protocol_json = replace(protocol_json, 'lukewarm', 'hot')");
    p.reopen();
    CHECK(p.app->verify_log()->problem == "plan 1: changed after event 2 recorded it");
  }
  SECTION("a zone change inserted") {
    exec_sql(p.db(), "INSERT INTO zone_change (at, zone) VALUES (1805000000, 'Asia/Tokyo')");
    p.reopen();
    CHECK(p.app->verify_log()->problem == "the zone changes: changed after event 2 recorded it");
  }
  SECTION("quiet hours set outside the app") {
    exec_sql(p.db(),
             "INSERT INTO setting (key, value, updated_at) VALUES ('quiet_hours', "
             "'23:00-06:00', 0)");
    p.reopen();
    CHECK(p.app->verify_log()->problem ==
          "the setting quiet_hours: not in the record of event 2 (inserted outside the app)");
  }
  SECTION("the record's last state removed") {
    exec_sql(p.db(), "DELETE FROM record_state WHERE seq = 2");
    p.reopen();
    CHECK(p.app->verify_log()->problem == "event 2 is missing (removed from the log)");
  }
}

TEST_CASE("a plan's corrections are under the chain: one changed or removed by hand is named",
          "[symptoms][chain]") {
  Patient p;
  p.clock.set(at("2027-03-14T10:00", "America/Toronto"));
  PlanEdit edit;
  edit.clinic_phone = "+1 416 555 0199";
  auto edited = p.app->edit_plan(edit);
  REQUIRE(edited.ok());
  CHECK((*edited)->details.clinic_phone == "+1 416 555 0199");
  REQUIRE((*edited)->changes.size() == 1);
  CHECK((*edited)->entered.clinic_phone != "+1 416 555 0199");
  // A screen still showing another plan changes nothing.
  PlanEdit stale;
  stale.plan = PlanId(99);
  stale.device = "pen, 1.0 mm";
  CHECK(p.app->edit_plan(stale).error().code() == ErrorCode::kConflict);
  CHECK(p.app->cancel_plan(PlanId(99)).error().code() == ErrorCode::kConflict);
  CHECK((*p.app->current_plan())->changes.size() == 1);
  REQUIRE(p.app->verify_log()->ok);
  p.app.reset();
  SECTION("a correction's new value rewritten") {
    exec_sql(p.db(), "UPDATE plan_change SET after = '+1 900 555 0000'");
    p.reopen();
    CHECK(p.app->verify_log()->problem == "plan 1 changes: changed after event 3 recorded it");
    PlanEdit more;
    more.device = "pen, 1.0 mm";
    CHECK(p.app->edit_plan(more).error().code() == ErrorCode::kStorage);
  }
  SECTION("a correction removed") {
    exec_sql(p.db(), "DELETE FROM plan_change");
    p.reopen();
    CHECK(p.app->verify_log()->problem == "plan 1 changes: removed since event 3 recorded it");
  }
  SECTION("a cancel slipped in") {
    exec_sql(p.db(),
             "INSERT INTO plan_change (plan_id, field, before, after, at) VALUES (1, 'status', "
             "'active', 'cancelled', 1805000000)");
    p.reopen();
    CHECK(p.app->verify_log()->problem == "plan 1 changes: changed after event 3 recorded it");
  }
}

}  // namespace
}  // namespace aftercare
