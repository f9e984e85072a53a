#include "base/visible_text.h"

#include <cstdint>
#include <cstdio>

namespace aftercare {

namespace {

void append_byte_escape(std::string& out, unsigned char byte) {
  char text[8];
  std::snprintf(text, sizeof text, "\\x%02x", byte);
  out += text;
}

// Characters that reorder or hide text, or break lines where a reader does not expect it.
bool hides_or_reorders(std::uint32_t code) {
  return (code >= 0x80 && code <= 0x9f) ||      // C1 controls (CSI is U+009B)
         code == 0x061c ||                      // Arabic letter mark
         code == 0x200e || code == 0x200f ||    // left-to-right and right-to-left marks
         code == 0x2028 || code == 0x2029 ||    // line and paragraph separators
         (code >= 0x202a && code <= 0x202e) ||  // embeddings and overrides
         (code >= 0x2066 && code <= 0x2069);    // isolates
}

// The length of the UTF-8 sequence at the start of `text` and its code point: 0 when the first
// byte starts no valid sequence, -1 when the bytes there are a valid but unfinished start.
int utf8_sequence(std::string_view text, std::uint32_t& code) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  int length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the second byte's range (no overlongs, surrogates)
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    code = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    code = lead & 0x0f;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    code = lead & 0x07;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  for (int i = 1; i < length; ++i) {
    if (static_cast<std::size_t>(i) >= text.size()) return -1;
    const unsigned char next = byte(static_cast<std::size_t>(i));
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xbf)) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  return length;
}

}  // namespace

std::size_t append_visible(std::string& out, std::string_view text, bool final, bool one_line) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += one_line ? "\\n" : "\n";
      ++i;
    } else if (c == '\r') {
      // CR LF is a line end (a calendar's, a CSV's): it moves nothing that was written.
      if (i + 1 == text.size() && !final) return i;
      if (!one_line && i + 1 < text.size() && text[i + 1] == '\n') {
        out += "\r\n";
        i += 2;
      } else {
        out += "\\r";
        ++i;
      }
    } else if (c == '\t') {
      out += "\\t";
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      append_byte_escape(out, c);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      std::uint32_t code = 0;
      const int length = utf8_sequence(text.substr(i), code);
      if (length < 0 && !final) return i;
      if (length <= 0) {
        append_byte_escape(out, c);
        ++i;
      } else if (hides_or_reorders(code)) {
        char escaped[16];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(code));
        out += escaped;
        i += static_cast<std::size_t>(length);
      } else {
        out.append(text.substr(i, static_cast<std::size_t>(length)));
        i += static_cast<std::size_t>(length);
      }
    }
  }
  return i;
}

std::string visible_text(std::string_view text, bool one_line) {
  std::string out;
  out.reserve(text.size());
  append_visible(out, text, true, one_line);
  return out;
}

}  // namespace aftercare
