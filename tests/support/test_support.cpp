#include "support/test_support.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "domain/protocol_loader.h"

namespace aftercare::test {

const date::time_zone* zone(const std::string& name) {
  auto found = locate_zone(name);
  REQUIRE(found.ok());
  return *found;
}

Instant at(const std::string& text, const std::string& zone_name) {
  auto parsed = parse_moment(text, zone(zone_name));
  INFO(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

Plan make_plan(const std::string& zone_name, const std::string& treated,
               const std::string& protocol_json) {
  auto loaded = load_protocol(protocol_json.empty() ? default_protocol_text() : protocol_json,
                              "test protocol");
  if (!loaded) FAIL(loaded.error().message());
  Plan plan;
  plan.id = PlanId(1);
  plan.details.treated_at = at(treated, zone_name);
  plan.details.zone = zone_name;
  plan.details.areas = {"face"};
  plan.protocol = std::move(loaded->protocol);
  plan.protocol_json = std::move(loaded->resolved_json);
  plan.created_at = plan.details.treated_at;
  return plan;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "aftercare-test-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  REQUIRE(out.good());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path fixtures_dir() { return AFTERCARE_FIXTURES_DIR; }

}  // namespace aftercare::test
