#include <string>

#include <catch2/catch.hpp>

#include "base/visible_text.h"

namespace aftercare {
namespace {

TEST_CASE("untrusted text is shown with every control and reordering character escaped", "[base]") {
  CHECK(visible_text("rougeur légère ✓ 🙂") == "rougeur légère ✓ 🙂");  // kept as typed
  CHECK(visible_text("\x1b[2Jcleared") == "\\x1b[2Jcleared");
  CHECK(visible_text("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
  CHECK(visible_text("\x1b]8;;http://x\x1b\\link") == "\\x1b]8;;http://x\\x1b\\link");  // OSC 8
  CHECK(visible_text("a\tb\x7f\x01") == "a\\tb\\x7f\\x01");
  CHECK(visible_text("\xc2\x9b"
                     "2J") == "\\u009b2J");  // C1 CSI
  CHECK(visible_text("abc\xe2\x80\xae"
                     "fdp.exe") == "abc\\u202efdp.exe");  // right-to-left override
  CHECK(visible_text("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8f\xd8\x9c") ==
        "\\u2066x\\u2069\\u200f\\u061c");
  CHECK(visible_text("\xff\xfe ok \xc0\xaf \xed\xa0\x80") ==
        "\\xff\\xfe ok \\xc0\\xaf \\xed\\xa0\\x80");  // not UTF-8: overlong, surrogate
  CHECK(visible_text("cut \xe2\x80") == "cut \\xe2\\x80");
  // Line ends: LF and CR LF pass; a lone CR (which rewrites the line) does not.
  CHECK(visible_text("two\nlines\r\nend\rfake") == "two\nlines\r\nend\\rfake");
  CHECK(visible_text("two\nlines\r\n", true) == "two\\nlines\\r\\n");
}

TEST_CASE("the streaming form waits for a UTF-8 sequence or CR LF cut between pieces", "[base]") {
  const std::string text = "é\xe2\x80\xae\r\n\x1b!\r";
  // Every way of cutting it in two gives what the whole gives.
  const std::string whole = visible_text(text);
  CHECK(whole == "é\\u202e\r\n\\x1b!\\r");
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    INFO(cut);
    std::string out;
    std::string pending = text.substr(0, cut);
    pending.erase(0, append_visible(out, pending, false));
    pending += text.substr(cut);
    pending.erase(0, append_visible(out, pending, true));
    CHECK(pending.empty());
    CHECK(out == whole);
  }
}

}  // namespace
}  // namespace aftercare
