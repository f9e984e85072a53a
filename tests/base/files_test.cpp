// read_file: whole regular files within a limit; everything else refused at once, by name.
#include <sys/stat.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "base/files.h"
#include "support/test_support.h"

namespace aftercare {
namespace {

TEST_CASE("read_file reads a whole regular file, up to its limit", "[base][file]") {
  test::TempDir dir;
  const auto file = dir.path() / "a.json";
  const std::string text(70000, 'x');  // more than one read's buffer
  std::ofstream(file, std::ios::binary) << text;
  auto read = read_file(file, text.size());
  REQUIRE(read.ok());
  CHECK(*read == text);
  auto over = read_file(file, text.size() - 1);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code() == ErrorCode::kInvalidInput);
  CHECK(over.error().message() == file.string() + ": too large (70000 bytes; at most 69999 bytes)");
  std::ofstream(dir.path() / "empty", std::ios::binary);
  CHECK(read_file(dir.path() / "empty", 1).value().empty());
}

TEST_CASE("read_file refuses what is not a regular file without waiting on it", "[base][file]") {
  test::TempDir dir;
  auto missing = read_file(dir.path() / "none.json", 100);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() == (dir.path() / "none.json").string() + ": no such file");
  auto folder = read_file(dir.path(), 100);
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.error().message() == dir.path().string() + ": not a regular file (a folder)");
  // A FIFO with no writer: opening it would block without O_NONBLOCK.
  const auto fifo = dir.path() / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto piped = read_file(fifo, 100);
  REQUIRE_FALSE(piped.ok());
  CHECK_THAT(piped.error().message(),
             Catch::EndsWith("not a regular file (a FIFO, socket or device)"));
  // A device that never ends, directly or through a link.
  const auto link = dir.path() / "zero.json";
  std::filesystem::create_symlink("/dev/zero", link);
  for (const auto& endless : {std::filesystem::path("/dev/zero"), link}) {
    auto read = read_file(endless, 1 << 20);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code() == ErrorCode::kInvalidInput);
  }
}

TEST_CASE("limits are written the way people read them", "[base][file]") {
  CHECK(byte_size_text(25 << 20) == "25 MiB");
  CHECK(byte_size_text(4096) == "4 KiB");
  CHECK(byte_size_text(1000) == "1000 bytes");
}

}  // namespace
}  // namespace aftercare
