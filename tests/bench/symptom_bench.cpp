// A durable symptom entry through the core (App::log_symptom on a file database: validation,
// the entry and its chain link in one transaction, WAL with synchronous=FULL, then the verdict)
// beside a bare sqlite3 insert of the same row with the same pragmas, in one run.
// Run: build/tests/bench/symptom_bench
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

#include "app/app.h"
#include "support/fake_clock.h"

namespace aftercare {
namespace {

std::filesystem::path temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "aftercare-bench-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp");
  return pattern;
}

// The same table as the patient database's (schema v3), the same row, the same pragmas.
constexpr const char* kBareSchema =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
    "CREATE TABLE symptom_entry (row INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL, "
    "version INTEGER NOT NULL, plan_id INTEGER NOT NULL, action TEXT NOT NULL, "
    "symptom TEXT NOT NULL, severity INTEGER NOT NULL, area TEXT NOT NULL, note TEXT "
    "NOT NULL, photo_sha256 TEXT, relieved INTEGER, felt_at INTEGER NOT NULL, zone "
    "TEXT NOT NULL, checkin_id INTEGER, recorded_at INTEGER NOT NULL, prev_hash TEXT "
    "NOT NULL, hash TEXT NOT NULL, UNIQUE (entry_id, version)) STRICT;";
constexpr const char* kBareInsert =
    "INSERT INTO symptom_entry (entry_id, version, plan_id, action, symptom, "
    "severity, area, note, felt_at, zone, recorded_at, prev_hash, hash) VALUES "
    "(?, 1, 1, 'logged', 'redness', ?, '', 'bench', 1812000000, "
    "'Europe/London', 1812000000, "
    "'0000000000000000000000000000000000000000000000000000000000000000', "
    "'1111111111111111111111111111111111111111111111111111111111111111')";

// A patient's database three weeks into the plan: a plan and 60 entries.
struct Patient {
  std::filesystem::path dir = temp_dir();
  const date::time_zone* london = *locate_zone("Europe/London");
  FakeClock clock{*parse_moment("2027-06-10T09:30", london)};
  FixedDeviceZone device{std::string("Europe/London")};
  std::unique_ptr<App> app;

  Patient() {
    auto opened = App::open(dir, clock, device);
    if (!opened) throw std::runtime_error(opened.error().message());
    app = std::move(*opened);
    PlanDetails details;
    details.treated_at = *parse_moment("2027-06-10T09:00", london);
    details.areas = {"face"};
    if (!app->start_plan(details, std::nullopt)) throw std::runtime_error("plan");
    for (int i = 0; i < 60; ++i) {
      SymptomReport report;
      report.symptom = SymptomId(i % 2 ? "redness" : "swelling");
      report.severity = 2;
      (void)app->log_symptom(report, std::nullopt);
    }
  }
  ~Patient() {
    app.reset();
    std::filesystem::remove_all(dir);
  }
};

void BM_DurableEntryThroughCore(benchmark::State& state) {
  auto patient = std::make_unique<Patient>();  // untimed: before the loop
  int count = 0;
  for (auto _ : state) {
    SymptomReport report;
    report.symptom = SymptomId("redness");
    report.severity = count % 4;
    report.note = "bench";
    auto result = patient->app->log_symptom(report, std::nullopt);
    if (!result) state.SkipWithError(result.error().message().c_str());
    ++count;
  }
}
// 300 entries on top of 60: a patient's log of a few weeks, several runs for a stable median.
BENCHMARK(BM_DurableEntryThroughCore)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(300)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

void BM_BareSqliteInsert(benchmark::State& state) {
  const auto dir = temp_dir();
  sqlite3* db = nullptr;
  sqlite3_open((dir / "bare.db").c_str(), &db);
  sqlite3_exec(db, kBareSchema, nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, kBareInsert, -1, &insert, nullptr);
  int i = 0;
  for (auto _ : state) {
    sqlite3_bind_int(insert, 1, ++i);
    sqlite3_bind_int(insert, 2, i % 4);
    if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
}
// The durable, chained write alone (core/storage): what the use case adds on top is the
// validation, the zone and the verdict.
void BM_DurableEntryThroughStorage(benchmark::State& state) {
  Patient patient;
  patient.app.reset();
  auto store = open_patient_store(patient.dir / App::kDatabaseFile);
  if (!store) throw std::runtime_error(store.error().message());
  auto plan = (*store)->latest_plan();
  int count = 0;
  for (auto _ : state) {
    SymptomVersion version;
    version.plan = (**plan).id;
    version.report.symptom = SymptomId("redness");
    version.report.severity = count++ % 4;
    version.report.note = "bench";
    version.report.felt_at = patient.clock.now();
    version.report.zone = "Europe/London";
    version.recorded_at = patient.clock.now();
    auto stored = (*store)->append_symptom_versions({version}, false);
    if (!stored) state.SkipWithError(stored.error().message().c_str());
  }
}
BENCHMARK(BM_DurableEntryThroughStorage)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(300)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

// The bare insert inside BEGIN IMMEDIATE ... COMMIT with the two lookups a chained entry needs
// (the last event's hash, the next entry id): what SQLite itself costs for the core's write.
void BM_BareSqliteChainedInsert(benchmark::State& state) {
  const auto dir = temp_dir();
  sqlite3* db = nullptr;
  sqlite3_open((dir / "bare.db").c_str(), &db);
  sqlite3_exec(db, kBareSchema, nullptr, nullptr, nullptr);
  sqlite3_stmt *begin = nullptr, *commit = nullptr, *last = nullptr, *next = nullptr,
               *insert = nullptr;
  sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
  sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr);
  sqlite3_prepare_v2(db, "SELECT row, hash FROM symptom_entry ORDER BY row DESC LIMIT 1", -1, &last,
                     nullptr);
  sqlite3_prepare_v2(db, "SELECT coalesce(max(entry_id), 0) + 1 FROM symptom_entry", -1, &next,
                     nullptr);
  sqlite3_prepare_v2(db, kBareInsert, -1, &insert, nullptr);
  int i = 0;
  for (auto _ : state) {
    for (sqlite3_stmt* stmt : {begin, last, next}) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
      }
      sqlite3_reset(stmt);
    }
    sqlite3_bind_int(insert, 1, ++i);
    sqlite3_bind_int(insert, 2, i % 4);
    if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_reset(insert);
    sqlite3_step(commit);
    sqlite3_reset(commit);
  }
  for (sqlite3_stmt* stmt : {begin, commit, last, next, insert}) sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_BareSqliteChainedInsert)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(300)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

BENCHMARK(BM_BareSqliteInsert)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(300)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

// The target's comparison, made fair: the core's durable entry and the bare insert alternate in
// one loop, in the same folder, so both see the same disk at the same moments (fsync times drift
// by tens of percent over a run). Reports each one's median and the core's overhead over the
// bare insert as counters; the benchmark's own time is the pair's.
void BM_CoreBesideBareInterleaved(benchmark::State& state) {
  auto patient = std::make_unique<Patient>();
  sqlite3* db = nullptr;
  sqlite3_open((patient->dir / "bare.db").c_str(), &db);
  sqlite3_exec(db, kBareSchema, nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, kBareInsert, -1, &insert, nullptr);
  std::vector<double> core_us, bare_us;
  int count = 0;
  using Clock = std::chrono::steady_clock;
  for (auto _ : state) {
    SymptomReport report;
    report.symptom = SymptomId("redness");
    report.severity = count % 4;
    report.note = "bench";
    // Alternate which one goes first, so neither always follows the other's fsync.
    auto bare_insert = [&] {
      const auto start = Clock::now();
      sqlite3_bind_int(insert, 1, count + 1);
      sqlite3_bind_int(insert, 2, count % 4);
      if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
      sqlite3_reset(insert);
      return Clock::now() - start;
    };
    const auto bare_first = count % 2 ? bare_insert() : Clock::duration{};
    const auto start = Clock::now();
    auto result = patient->app->log_symptom(report, std::nullopt);
    const auto core_time = Clock::now() - start;
    const auto bare_time = count % 2 ? bare_first : bare_insert();
    ++count;
    if (!result) state.SkipWithError(result.error().message().c_str());
    core_us.push_back(std::chrono::duration<double, std::micro>(core_time).count());
    bare_us.push_back(std::chrono::duration<double, std::micro>(bare_time).count());
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  auto median = [](std::vector<double>& values) {
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return values[values.size() / 2];
  };
  const double core = median(core_us);
  const double bare = median(bare_us);
  state.counters["core_us"] = core;
  state.counters["bare_us"] = bare;
  state.counters["overhead_pct"] = 100.0 * (core - bare) / bare;
}
BENCHMARK(BM_CoreBesideBareInterleaved)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(400)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

// The same use case on an in-memory database: the core's own CPU cost, without any I/O.
void BM_EntryThroughCoreInMemory(benchmark::State& state) {
  const auto* london = *locate_zone("Europe/London");
  FakeClock clock(*parse_moment("2027-06-10T09:30", london));
  const FixedDeviceZone device(std::string("Europe/London"));
  auto store = open_memory_patient_store();
  auto app = App::open(std::move(*store), clock, device);
  PlanDetails details;
  details.treated_at = *parse_moment("2027-06-10T09:00", london);
  details.areas = {"face"};
  (void)(*app)->start_plan(details, std::nullopt);
  int count = 0;
  for (auto _ : state) {
    SymptomReport report;
    report.symptom = SymptomId(count++ % 2 ? "redness" : "swelling");
    report.severity = count % 4;
    auto result = (*app)->log_symptom(report, std::nullopt);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_EntryThroughCoreInMemory)->Unit(benchmark::kMicrosecond)->Iterations(300);

}  // namespace
}  // namespace aftercare

BENCHMARK_MAIN();
