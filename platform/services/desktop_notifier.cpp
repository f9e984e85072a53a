#include "services/desktop_notifier.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

extern char** environ;

namespace aftercare::platform {

namespace {

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::string dirs = path;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const auto colon = dirs.find(':', start);
    const std::string dir = dirs.substr(start, colon == std::string::npos ? colon : colon - start);
    if (!dir.empty()) {
      const auto candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {};
}

// A GVariant string literal: the text in single quotes with \ and ' escaped.
std::string gvariant_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

bool FreedesktopNotifier::available() {
  const char* bus = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  return bus && bus[0] != '\0' && !find_on_path("gdbus").empty();
}

void FreedesktopNotifier::show(const Notification& notification) {
  if (!available()) return;
  const std::string gdbus = find_on_path("gdbus");
  // Arguments are passed as a vector, never through a shell: reminder text cannot inject.
  std::vector<std::string> args = {"gdbus",
                                   "call",
                                   "--session",
                                   "--dest",
                                   "org.freedesktop.Notifications",
                                   "--object-path",
                                   "/org/freedesktop/Notifications",
                                   "--method",
                                   "org.freedesktop.Notifications.Notify",
                                   "'aftercare'",
                                   "uint32 0",
                                   "''",
                                   gvariant_string(notification.title),
                                   gvariant_string(notification.body),
                                   "@as []",
                                   "@a{sv} {}",
                                   "int32 -1"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, gdbus.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return;
  int status = 0;
  if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    ++delivered_;
  }
}

}  // namespace aftercare::platform
