#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace aftercare::cli {

/// How a command line says `id`: with its commands and option names where the core's English
/// names none ("--to must be later than --from"), else the core's English.
std::string_view cli_wording(NoticeId id);

/// The words of `error` on the command line.
std::string cli_words(const Error& error);

}  // namespace aftercare::cli
