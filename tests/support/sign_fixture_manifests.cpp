// Signs the manifests of the committed fixture exports with the fixture device's key, as the app
// signs its own: run on purpose after a fixture changes (see tests/CMakeLists.txt).
//   sign_fixture_manifests KEY_FILE MANIFEST...
// KEY_FILE (created when missing) holds a test-only key pair, committed with the fixtures.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "exchange/manifest.h"

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace aftercare;
  if (argc < 3) {
    std::cerr << "usage: sign_fixture_manifests KEY_FILE MANIFEST...\n";
    return 2;
  }
  const std::filesystem::path key_file = argv[1];
  if (!std::filesystem::exists(key_file)) {
    const DeviceKeys made = generate_device_keys();
    std::ofstream(key_file, std::ios::binary) << key_file_text(made.secret_key, made.public_key);
  }
  auto keys = read_key_file_text(read_all(key_file), 64, 32, key_file.string());
  if (!keys) {
    std::cerr << keys.error().message() << "\n";
    return 1;
  }
  const DeviceKeys device{keys->second, keys->first};
  for (int i = 2; i < argc; ++i) {
    auto signed_text = sign_manifest(read_all(argv[i]), device);
    if (!signed_text) {
      std::cerr << argv[i] << ": " << signed_text.error().message() << "\n";
      return 1;
    }
    std::ofstream(argv[i], std::ios::binary | std::ios::trunc) << *signed_text;
  }
  return 0;
}
