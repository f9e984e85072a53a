// Clinic import of generated patient exports beside a baseline that loads the same rows into
// SQLite with the sqlite3 command-line tool's CSV import, in one run; and, given a PostgreSQL
// database, the same import and the triage list (every patient, urgent first) on the clinic
// store on PostgreSQL beside the SQLite one.
//
//   build/tests/bench/clinic_bench [PATIENTS=1000] [DAYS=90] [POSTGRESQL_URI]
//   tests/bench/run_clinic.sh      (starts a throwaway PostgreSQL server for the third)
//
// Each patient: one plan on the default protocol, DAYS days of about 20 events a day (14 step
// check-offs or skips, two check-ins of 3 ratings), chained as the app chains them, written as a
// JSON export with its manifest. The baseline CSV holds one row per event with the same fields.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

#include "app/clinic_app.h"
#include "domain/journal.h"
#include "domain/protocol_loader.h"
#include "exchange/csv_writer.h"
#include "exchange/json_archive.h"
#include "exchange/manifest.h"
#include "support/fake_clock.h"

namespace aftercare {
namespace {

using Stopwatch = std::chrono::steady_clock;

double seconds_since(Stopwatch::time_point start) {
  return std::chrono::duration<double>(Stopwatch::now() - start).count();
}

struct Generated {
  std::size_t events = 0;
};

Generated generate(const std::filesystem::path& dir, int patients, int days) {
  const auto* utc = *locate_zone("UTC");
  const auto* london = *locate_zone("Europe/London");
  const auto protocol = load_protocol(default_protocol_text(), "default");
  std::ofstream csv(dir / "baseline.csv", std::ios::binary);
  std::mt19937 random(42);
  Generated generated;
  const DeviceKeys device = generate_device_keys();  // one phone per patient would do as well
  const char* steps[] = {"cleanse_am", "cleanse_pm", "moisturize", "spf_am", "checkin"};
  const char* symptoms[] = {"redness", "swelling", "itching"};
  for (int p = 0; p < patients; ++p) {
    PatientArchive archive;
    const std::string pseudonym = "P-bench" + std::to_string(100000 + p);
    const Instant treated = *parse_moment("2027-01-10T09:00", london);
    archive.plans.push_back(
        {PlanId(1),
         1,
         PlanDetails{
             treated, "Europe/London", {"face"}, "Bench Clinic", "+44 20 7946 0000", "", ""},
         protocol->resolved_json,
         treated,
         {}});
    archive.zone_changes.push_back({treated, "Europe/London"});
    archive.settings["patient_pseudonym"] = pseudonym;
    std::string previous = kGenesisHash;
    std::int64_t seq = 0;
    std::int64_t entry = 0;
    std::int64_t checkin = 0;
    for (int day = 0; day < days; ++day) {
      const Instant morning = treated + date::days(day) + std::chrono::hours(1);
      for (int i = 0; i < 14; ++i) {
        StepEvent event;
        event.seq = ++seq;
        event.plan = PlanId(1);
        event.step = StepId(steps[i % 5]);
        event.occurrence = event.step.value() + "@" + std::to_string(day) + "-" + std::to_string(i);
        event.scheduled_at = morning + std::chrono::minutes(50 * i);
        event.action = random() % 10 ? StepAction::kDone : StepAction::kSkipped;
        event.at = event.scheduled_at + std::chrono::minutes(5);
        event.recorded_at = event.at;
        event.chain = stamp(event.seq, ChainKind::kStep, canonical_text(event), previous);
        previous = event.chain.hash;
        csv << event.seq << ",step," << event.step.value() << "," << event.occurrence << ","
            << step_action_name(event.action) << "," << event.at.time_since_epoch().count() << ","
            << pseudonym << "," << event.chain.hash << "\r\n";
        archive.step_events.push_back(std::move(event));
      }
      for (int round = 0; round < 2; ++round) {
        ++checkin;
        for (int s = 0; s < 3; ++s) {
          SymptomVersion version;
          version.row = ++seq;
          version.entry = EntryId(++entry);
          version.plan = PlanId(1);
          version.report.symptom = SymptomId(symptoms[s]);
          version.report.severity = std::max(0, 5 - day / 2 + static_cast<int>(random() % 3));
          version.report.felt_at = morning + std::chrono::hours(10 * round + 2);
          version.report.zone = "Europe/London";
          version.checkin = checkin;
          version.recorded_at = version.report.felt_at;
          version.chain =
              stamp(version.row, ChainKind::kSymptom, canonical_text(version), previous);
          previous = version.chain.hash;
          csv << version.row << ",symptom," << symptoms[s] << ",entry-" << entry << ",logged,"
              << version.report.felt_at.time_since_epoch().count() << "," << pseudonym << ","
              << version.chain.hash << "\r\n";
          archive.symptom_versions.push_back(std::move(version));
        }
      }
    }
    generated.events += static_cast<std::size_t>(seq);
    const Instant exported = treated + date::days(days);
    const std::string text = write_archive_json(archive, utc, exported);
    const auto file = dir / "exports" / (pseudonym + ".json");
    std::ofstream(file, std::ios::binary) << text;
    ExportManifest manifest;
    manifest.format = "json";
    manifest.file = file.filename().string();
    manifest.sha256 = sha256_hex(text);
    manifest.patient = pseudonym;
    manifest.created_at = exported;
    manifest.from = treated;
    manifest.to = exported;
    manifest.chain_head = previous;
    manifest.chain_events = seq;
    std::ofstream(file.string() + ".manifest.json", std::ios::binary)
        << write_manifest(manifest, utc, device);
  }
  return generated;
}

}  // namespace
}  // namespace aftercare

int main(int argc, char** argv) {
  using namespace aftercare;
  const int patients = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int days = argc > 2 ? std::atoi(argv[2]) : 90;
  std::string pattern =
      (std::filesystem::temp_directory_path() / "aftercare-clinic-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  std::filesystem::create_directories(dir / "exports");

  auto start = Stopwatch::now();
  const auto generated = generate(dir, patients, days);
  std::cout << "generated " << patients << " exports of " << days << " days, " << generated.events
            << " events, in " << seconds_since(start) << " s\n";

  // Ours: clinic import of the folder (digest, parse, chain check, summary, durable store).
  FakeClock clock(*parse_moment("2027-06-01T09:00Z", *locate_zone("UTC")));
  auto clinic = ClinicApp::open(dir / "clinic", clock);
  if (!clinic) return 1;
  start = Stopwatch::now();
  auto report = (*clinic)->import({dir / "exports"});
  const double ours = seconds_since(start);
  if (!report || report->count(ImportOutcome::kImported) != static_cast<std::size_t>(patients)) {
    std::cerr << "import failed\n";
    return 1;
  }

  // Baseline: the same rows through the sqlite3 tool's CSV import, same durability pragmas.
  {
    std::ofstream sql(dir / "baseline.sql");
    sql << "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = FULL;\n"
        << "CREATE TABLE events (seq INTEGER, kind TEXT, what TEXT, ref TEXT, action TEXT, "
           "at INTEGER, patient TEXT, hash TEXT);\n"
        << ".import --csv " << (dir / "baseline.csv").string() << " events\n";
  }
  const std::string command = "sqlite3 " + (dir / "baseline.db").string() + " < " +
                              (dir / "baseline.sql").string() + " > /dev/null";
  start = Stopwatch::now();
  const int status = std::system(command.c_str());
  const double baseline = seconds_since(start);
  if (status != 0) {
    std::cerr << "the sqlite3 baseline failed (is sqlite3 installed?)\n";
    return 1;
  }
  std::cout << "clinic import, SQLite (ours): " << ours << " s\n"
            << "sqlite3 .import --csv (base): " << baseline << " s\n"
            << "ratio:                        " << ours / baseline << " x the baseline\n";
  // The triage list: every patient's summary read and sorted, urgent first (median of 25).
  const auto triage = [](ClinicApp& app) {
    std::vector<double> runs;
    for (int i = 0; i < 25; ++i) {
      const auto begin = Stopwatch::now();
      auto listed = app.list(std::nullopt, ClinicSort::kStatus);
      runs.push_back(seconds_since(begin) * 1000);
      if (!listed) return -1.0;
    }
    std::sort(runs.begin(), runs.end());
    return runs[runs.size() / 2];
  };
  const double sqlite_triage = triage(**clinic);
  std::cout << "triage list, SQLite:         " << sqlite_triage << " ms (median of 25)\n";
  if (argc > 3) {
    auto on_postgres = ClinicApp::open(dir / "clinic-pg", clock, argv[3]);
    if (!on_postgres) {
      std::cerr << on_postgres.error().message() << "\n";
      return 1;
    }
    start = Stopwatch::now();
    auto pg_report = (*on_postgres)->import({dir / "exports"});
    const double pg_import = seconds_since(start);
    if (!pg_report ||
        pg_report->count(ImportOutcome::kImported) != static_cast<std::size_t>(patients)) {
      std::cerr << "import into PostgreSQL failed\n";
      return 1;
    }
    const double pg_triage = triage(**on_postgres);
    std::cout << "clinic import, PostgreSQL:   " << pg_import << " s (" << pg_import / ours
              << " x SQLite)\n"
              << "triage list, PostgreSQL:     " << pg_triage << " ms (median of 25)\n";
  }
  if (std::getenv("AFTERCARE_BENCH_KEEP")) {
    std::cout << "kept: " << dir.string() << "\n";
  } else {
    std::filesystem::remove_all(dir);
  }
  return 0;
}
