#pragma once

#include <string>
#include <vector>

namespace aftercare::cli {

/// The --help text of `command` ("" for the program, "plan start", "today", ...); empty when
/// there is no such command.
std::string help_text(const std::string& command);
/// Every command with a help text ("plan start", "today", ...), in order.
std::vector<std::string> help_topics();

}  // namespace aftercare::cli
