#pragma once

#include <string>

namespace aftercare::cli {

/// The --help text of `command` ("" for the program, "plan start", "today", ...); empty when
/// there is no such command.
std::string help_text(const std::string& command);

}  // namespace aftercare::cli
