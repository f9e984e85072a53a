#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace aftercare {

/// Untrusted text (a note, a file name, a manifest field, a protocol's words, a server's message)
/// made safe to show: every character that could act on a terminal, or hide or reorder what is
/// shown, becomes a visible escape. C0 controls (`\t`, `\r`, `\x1b`, ...) and DEL, C1 controls
/// (`\u009b`), the bidirectional formatting characters and marks (`\u202e`, `\u2066`, `\u200f`,
/// `\u061c`), the line and paragraph separators, and bytes that are not UTF-8 (`\xff`). A line
/// feed stays a line break unless `one_line` (a field that must not start a line of its own:
/// `\n`). Everything else, accents and emoji included, is kept as it is.
std::string visible_text(std::string_view text, bool one_line = false);

/// The streaming form, for output that arrives in pieces: appends the escaped form of as much
/// of `text` as can be decided to `out` and returns how many bytes that was. What is left (the
/// start of a UTF-8 sequence cut at the end, or a carriage return that may be the CR of a CRLF
/// line end, which passes as it is) waits for the next piece, unless `final`.
std::size_t append_visible(std::string& out, std::string_view text, bool final,
                           bool one_line = false);

}  // namespace aftercare
