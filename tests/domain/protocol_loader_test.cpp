#include <algorithm>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/protocol_loader.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(test::fixtures_dir() / "protocols" / name);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("the default protocol loads with every step, restriction and rule of AFTERCARE.md",
          "[domain][protocol]") {
  auto loaded = load_protocol(default_protocol_text(), "microneedling.json");
  REQUIRE(loaded.ok());
  const Protocol& protocol = loaded->protocol;
  CHECK(protocol.id == "microneedling");
  for (const char* step : {"first_wash", "cleanse_am", "cleanse_pm", "moisturize", "spf_am",
                           "spf_reapply", "checkin"}) {
    INFO(step);
    CHECK(protocol.find_step(StepId(step)));
  }
  for (const char* restriction :
       {"no_makeup", "no_sun", "no_exercise", "no_pool_sauna", "no_exfoliants", "no_retinoids",
        "no_vitamin_c", "no_alcohol_toner", "no_picking"}) {
    INFO(restriction);
    CHECK(protocol.find_restriction(RestrictionId(restriction)));
  }
  for (const char* symptom :
       {"redness", "swelling", "itching", "burning", "pain", "dryness", "peeling", "bruising",
        "bumps", "bleeding", "pus", "spreading_redness", "warmth", "fever"}) {
    INFO(symptom);
    CHECK(protocol.find_symptom(SymptomId(symptom)));
  }
  CHECK(protocol.find_restriction(RestrictionId("no_makeup"))->duration == std::chrono::hours(24));
  CHECK(protocol.find_restriction(RestrictionId("no_exercise"))->duration ==
        std::chrono::hours(48));
  CHECK(protocol.find_restriction(RestrictionId("no_pool_sauna"))->duration ==
        std::chrono::hours(72));
  CHECK(protocol.find_step(StepId("first_wash"))->after == std::chrono::hours(4));
  CHECK(protocol.find_symptom(SymptomId("pus"))->infection_sign);
  CHECK(protocol.series.interval == date::days(28));
  CHECK(protocol.phases.size() == 3);
  CHECK(protocol.rules.size() == 7);
}

TEST_CASE("a clinic override changes only what it names and can remove an entry",
          "[domain][protocol]") {
  auto loaded = load_protocol(read_fixture("clinic_override.json"), "clinic_override.json");
  REQUIRE(loaded.ok());
  const Protocol& protocol = loaded->protocol;
  CHECK(protocol.name == "Glow Clinic aftercare");
  CHECK(protocol.find_restriction(RestrictionId("no_makeup"))->duration == std::chrono::hours(48));
  CHECK(protocol.find_restriction(RestrictionId("no_exercise"))->duration ==
        std::chrono::hours(48));
  CHECK_FALSE(protocol.find_restriction(RestrictionId("no_touching")));
  const StepDef* cleanse = protocol.find_step(StepId("cleanse_am"));
  REQUIRE(cleanse);
  CHECK(cleanse->times == std::vector<TimeOfDay>{std::chrono::minutes(7 * 60 + 30)});
  CHECK(cleanse->title == "Morning cleanse");
  CHECK(protocol.series.sessions == 4);
  // The resolved document loads on its own, as a stored plan does.
  auto again = load_protocol(loaded->resolved_json, "stored");
  REQUIRE(again.ok());
  CHECK(again->resolved_json == loaded->resolved_json);
}

struct BadCase {
  const char* name;
  const char* document;  // an override of the default protocol, or a whole document
  const char* expected;  // "<path>: <problem>" (or part of it)
};

TEST_CASE("bad protocol files are rejected with the file, the JSON path and the problem",
          "[domain][protocol]") {
  const BadCase cases[] = {
      {"wrong type",
       R"({"extends": "microneedling", "restrictions": {"no_makeup": {"duration": 48}}})",
       "restrictions.no_makeup.duration: expected a duration like \"2h\", \"30min\" or \"7d\", "
       "got a number"},
      {"unknown field",
       R"({"extends": "microneedling", "steps": {"cleanse_am": {"colour": "blue"}}})",
       "steps.cleanse_am.colour: unknown field"},
      {"negative duration",
       R"({"extends": "microneedling", "restrictions": {"no_exercise": {"duration": "-12h"}}})",
       "restrictions.no_exercise.duration: \"-12h\" is not a duration"},
      {"missing step field",
       R"({"extends": "microneedling", "steps": {"night": {"title": "N", "instructions": "I", "window": "1h"}}})",
       "steps.night.schedule: required field is missing"},
      {"missing title", R"({"extends": "microneedling", "steps": {"cleanse_am": {"title": null}}})",
       "steps.cleanse_am.title: required field is missing"},
      {"empty title", R"({"extends": "microneedling", "steps": {"cleanse_am": {"title": ""}}})",
       "steps.cleanse_am.title: must not be empty"},
      {"bad time of day",
       R"({"extends": "microneedling", "steps": {"cleanse_am": {"schedule": {"times": ["8am"]}}}})",
       "steps.cleanse_am.schedule.times[0]: expected a local time like \"08:00\""},
      {"hour 24",
       R"({"extends": "microneedling", "steps": {"cleanse_am": {"schedule": {"times": ["24:00"]}}}})",
       "steps.cleanse_am.schedule.times[0]"},
      {"unsorted times",
       R"({"extends": "microneedling", "steps": {"moisturize": {"schedule": {"times": ["13:00", "08:00"]}}}})",
       "steps.moisturize.schedule.times[1]: times must be in ascending order"},
      {"unknown schedule type",
       R"({"extends": "microneedling", "steps": {"cleanse_am": {"schedule": {"type": "weekly"}}}})",
       "steps.cleanse_am.schedule.type: expected \"once\", \"daily\" or \"every\""},
      {"routine without an end",
       R"({"extends": "microneedling", "steps": {"cleanse_am": {"until": null}}})",
       "steps.cleanse_am.until: required for a daily or repeating step"},
      {"zero window", R"({"extends": "microneedling", "steps": {"cleanse_am": {"window": "0h"}}})",
       "steps.cleanse_am.window: must be longer than 0min"},
      {"until before from",
       R"({"extends": "microneedling", "steps": {"cleanse_am": {"from": "2d", "until": "1d"}}})",
       "steps.cleanse_am.until: must be later than \"from\""},
      {"unknown unit",
       R"({"extends": "microneedling", "restrictions": {"no_sun": {"duration": "2w"}}})",
       "restrictions.no_sun.duration: \"2w\" is not a duration like \"2h\", \"30min\" or \"7d\" "
       "(unknown unit \"w\")"},
      {"bad name", R"({"extends": "microneedling", "steps": {"Cleanse AM": {"title": "x"}}})",
       "steps.Cleanse AM: a name must be lower-case letters"},
      {"severity out of range",
       R"({"extends": "microneedling", "rules": {"severe": {"threshold": 11}}})",
       "rules.severe.threshold: expected a whole number from 1 to 10, got 11"},
      {"rule on unknown symptom",
       R"({"extends": "microneedling", "rules": {"came_back": {"symptoms": ["glow"]}}})",
       "rules.came_back.symptoms[0]: expected the name of a symptom defined in \"symptoms\""},
      {"unknown rule kind",
       R"({"extends": "microneedling", "rules": {"severe": {"kind": "vibes"}}})",
       "rules.severe.kind: unknown rule kind \"vibes\""},
      {"unknown verdict",
       R"({"extends": "microneedling", "rules": {"severe": {"verdict": "panic"}}})",
       "rules.severe.verdict: expected \"contact_clinic\" or \"urgent\""},
      {"course out of order",
       R"({"extends": "microneedling", "symptoms": {"redness": {"course": [["24h", 5], ["0h", 6]]}}})",
       "symptoms.redness.course[1]: offsets must be in ascending order"},
      {"overlapping phases",
       R"({"extends": "microneedling", "phases": {"proliferation": {"from": "48h"}}})",
       "phases.proliferation: overlaps phase \"inflammation\""},
      {"series too short", R"({"extends": "microneedling", "series": {"interval": "2h"}})",
       "series.interval: must be at least 1d"},
      {"no steps", R"({"extends": "microneedling", "steps": {"first_wash": null, "cleanse_am": null,
         "cleanse_pm": null, "moisturize": null, "spf_am": null, "spf_reapply": null, "checkin": null}})",
       "steps: must have at least one entry"},
      {"unknown top-level field", R"({"extends": "microneedling", "colour": "blue"})",
       "colour: unknown field"},
      {"extends something else", R"({"extends": "laser"})", "extends: expected \"microneedling\""},
      {"override with schema", R"({"extends": "microneedling", "schema": "aftercare-protocol/1"})",
       "schema: an override file"},
      {"wrong schema", R"({"schema": "aftercare-protocol/9", "id": "x", "name": "x", "steps": {},
         "restrictions": {}, "phases": {}, "symptoms": {}, "rules": {}, "series": {}})",
       "schema: expected \"aftercare-protocol/1\""},
      {"not an object", "[1, 2, 3]", "(document): expected an object, got an array"},
      {"not JSON", R"({"steps": )", "not valid JSON"},
  };
  for (const auto& bad : cases) {
    INFO(bad.name);
    auto loaded = load_protocol(bad.document, "clinic.json");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code() == ErrorCode::kInvalidInput);
    CHECK_THAT(loaded.error().message(), Catch::StartsWith("clinic.json: "));
    CHECK_THAT(loaded.error().message(), Catch::Contains(bad.expected));
  }
}

TEST_CASE("every problem of a file is reported at once, one per line", "[domain][protocol]") {
  auto loaded = load_protocol(
      R"({"extends": "microneedling", "restrictions": {"no_makeup": {"duration": 48}},
          "steps": {"cleanse_am": {"colour": "blue"}}})",
      "clinic.json");
  REQUIRE_FALSE(loaded.ok());
  const std::string& message = loaded.error().message();
  CHECK_THAT(message, Catch::Contains("clinic.json: restrictions.no_makeup.duration"));
  CHECK_THAT(message, Catch::Contains("clinic.json: steps.cleanse_am.colour: unknown field"));
  CHECK(std::count(message.begin(), message.end(), '\n') == 1);
}

TEST_CASE("the fixture files of bad protocols each fail", "[domain][protocol]") {
  for (const char* name : {"wrong_type.json", "unknown_field.json", "negative_duration.json",
                           "missing_step_field.json", "not_json.json"}) {
    INFO(name);
    CHECK_FALSE(load_protocol(read_fixture(name), name).ok());
  }
}

TEST_CASE("a number too large for JSON's doubles is a message, not a crash (found by fuzzing)",
          "[domain][protocol]") {
  // Regression (issue #7, fuzz_protocol): nlohmann's out_of_range escaped load_protocol.
  auto loaded = load_protocol(read_fixture("huge_number.json"), "huge.json");
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.error().message(), Catch::StartsWith("huge.json: not valid JSON"));
}

TEST_CASE("the triage's quiet time is protocol data, 36 h by default", "[domain][protocol]") {
  auto loaded = load_protocol(default_protocol_text(), "default");
  REQUIRE(loaded.ok());
  CHECK(loaded->protocol.triage.silent_after == std::chrono::hours(36));
  auto longer = load_protocol(R"({"extends": "microneedling", "triage": {"silent_after": "3d"}})",
                              "clinic.json");
  REQUIRE(longer.ok());
  CHECK(longer->protocol.triage.silent_after == std::chrono::days(3));
  auto short_one = load_protocol(
      R"({"extends": "microneedling", "triage": {"silent_after": "30min"}})", "clinic.json");
  REQUIRE_FALSE(short_one.ok());
  CHECK_THAT(short_one.error().message(),
             Catch::Contains("triage.silent_after: must be at least 1h"));
  auto unknown =
      load_protocol(R"({"extends": "microneedling", "triage": {"quiet": "3d"}})", "clinic.json");
  REQUIRE_FALSE(unknown.ok());
}

TEST_CASE("preparation before a planned treatment is protocol data, checked like the rest",
          "[domain][protocol]") {
  auto loaded = load_protocol(default_protocol_text(), "default");
  REQUIRE(loaded.ok());
  const auto& preparation = loaded->protocol.preparation;
  REQUIRE(preparation.size() == 5);
  CHECK(preparation[0].id == "stop_retinoids");
  CHECK(preparation[0].before == std::chrono::days(5));
  // A clinic may drop one and lengthen another.
  auto clinic = load_protocol(
      R"({"extends": "microneedling", "preparation": {"antiviral": null,
          "stop_retinoids": {"before": "14d"}}})",
      "clinic.json");
  INFO((clinic ? std::string() : clinic.error().message()));
  REQUIRE(clinic.ok());
  CHECK(clinic->protocol.preparation.size() == 4);
  CHECK(clinic->protocol.preparation[0].before == std::chrono::days(14));
  for (const char* bad : {R"({"extends": "microneedling", "preparation": {"x": {"title": "X",
                              "instructions": "Y", "before": "90d"}}})",
                          R"({"extends": "microneedling", "preparation": {"x": {"title": "X",
                              "before": "1d"}}})",
                          R"({"extends": "microneedling", "preparation": []})"}) {
    auto refused = load_protocol(bad, "clinic.json");
    CHECK_FALSE(refused.ok());
    if (!refused) CHECK_THAT(refused.error().message(), Catch::Contains("preparation"));
  }
  // A protocol stored before preparation existed loads with none.
  auto old = nlohmann::json::parse(default_protocol_text());
  old.erase("preparation");
  auto without = load_protocol(old.dump(), "stored plan");
  REQUIRE(without.ok());
  CHECK(without->protocol.preparation.empty());
}

TEST_CASE("two protocols' differences are listed by JSON path", "[domain][protocol]") {
  struct Case {
    const char* clinic;
    const char* patient;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {R"({"a": 1, "b": {"c": "x"}})", R"({"b": {"c": "x"}, "a": 1})", {}},
      {R"({"steps": {"cleanse": {"until": "7d"}}})",
       R"({"steps": {"cleanse": {"until": "5d"}}})",
       {"steps.cleanse.until: the clinic's \"7d\", the patient's \"5d\""}},
      {R"({"steps": {"a": {}}})",
       R"({"steps": {"b": {}}})",
       {"steps.a: only in the clinic's", "steps.b: only in the patient's"}},
      {R"({"course": [[0, 6], [24, 5]]})",
       R"({"course": [[0, 6]]})",
       {"course: the clinic's [[0,6],[24,5]], the patient's [[0,6]]"}},
      {R"({"t": "0123456789012345678901234567890123456789012345678901234567890123"})",
       R"({"t": 1})",
       {"t: the clinic's \"01234567890123456789012345678901234567890123456789012345..., the "
        "patient's 1"}},
      {R"({"a": 1})", "not json", {"the document: not readable as JSON"}},
      {R"({"triage": {"silent_after": "3d"}, "a": 1})", R"({"a": 1})", {}},
      {R"([1])", R"({"a": 1})", {"the document: the clinic's [1], the patient's {\"a\":1}"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.clinic, c.patient);
    CHECK(protocol_differences(c.clinic, c.patient) == c.expected);
  }
  // The default protocol against itself; and a long list is cut with a count.
  const std::string text(default_protocol_text());
  CHECK(protocol_differences(text, text).empty());
  const auto many = protocol_differences(R"({"a": 1, "b": 2, "c": 3})", "{}", 2);
  CHECK(many == std::vector<std::string>{"a: only in the clinic's", "b: only in the clinic's",
                                         "and 1 more"});
}

}  // namespace
}  // namespace aftercare
