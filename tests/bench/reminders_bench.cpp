// Expanding one year of reminders: the default protocol with every routine kept for 366 days
// (tests/interop/year_protocol.json), outdoors re-application on every day, restriction ends and
// the next session, in America/Toronto from 2027-01-10T21:00. The same plan and range as
// tests/bench/reference_expand.mjs (rrule + luxon); run both with tests/bench/run_reminders.sh.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "domain/protocol_loader.h"
#include "schedule/reminders.h"

namespace aftercare {
namespace {

Plan year_plan() {
  std::ifstream in(AFTERCARE_SOURCE_DIR "/tests/interop/year_protocol.json");
  std::stringstream text;
  text << in.rdbuf();
  auto loaded = load_protocol(text.str(), "year_protocol.json");
  if (!loaded) throw std::runtime_error(loaded.error().message());
  const auto* toronto = *locate_zone("America/Toronto");
  Plan plan;
  plan.id = PlanId(1);
  plan.details.treated_at = *parse_moment("2027-01-10T21:00", toronto);
  plan.details.zone = "America/Toronto";
  plan.details.areas = {"face"};
  plan.protocol = std::move(loaded->protocol);
  plan.created_at = plan.details.treated_at;
  return plan;
}

void BM_ExpandYearOfReminders(benchmark::State& state) {
  const Plan plan = year_plan();
  const auto zones = ZoneHistory::constant(*locate_zone("America/Toronto"));
  const Modes modes = Modes::always({"outdoors"});
  const Instant from = plan.details.treated_at;
  const Instant to = from + date::days(365);
  std::size_t count = 0;
  for (auto _ : state) {
    auto reminders = expand_reminders(plan, zones, from, to, modes);
    count = reminders.size();
    benchmark::DoNotOptimize(reminders.data());
  }
  state.counters["occurrences"] = static_cast<double>(count);
}
BENCHMARK(BM_ExpandYearOfReminders)->Unit(benchmark::kMicrosecond);

// The state a `reminders due` call computes over the same year: expansion, folding the event log,
// quiet hours and statuses.
void BM_ReminderItemsForYear(benchmark::State& state) {
  const Plan plan = year_plan();
  const auto zones = ZoneHistory::constant(*locate_zone("America/Toronto"));
  const Modes modes = Modes::always({"outdoors"});
  const std::map<std::string, StepRecord> records;
  const std::vector<ReminderEvent> events;
  const ReminderSettings settings;
  const ReminderState reminder_state{plan, zones, modes, records, events, settings};
  const Instant from = plan.details.treated_at;
  for (auto _ : state) {
    auto items =
        reminder_items(reminder_state, from, from + date::days(365), from + date::days(180));
    benchmark::DoNotOptimize(items.data());
  }
}
BENCHMARK(BM_ReminderItemsForYear)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace aftercare

BENCHMARK_MAIN();
