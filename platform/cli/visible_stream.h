#pragma once

#include <ostream>
#include <streambuf>
#include <string>

namespace aftercare::cli {

/// What the CLI writes reaches the terminal through this: every byte written passes
/// `visible_text`, so no note, file name, manifest field, protocol text or server message can
/// send a control sequence (a title change, a screen clear, hidden text, a link) or reorder the
/// line. Line feeds and CR LF line ends pass; nothing is buffered beyond an unfinished UTF-8
/// sequence or a CR that may start a CR LF.
class VisibleStreambuf final : public std::streambuf {
 public:
  explicit VisibleStreambuf(std::ostream& target) : target_(target) {}
  VisibleStreambuf(const VisibleStreambuf&) = delete;
  VisibleStreambuf& operator=(const VisibleStreambuf&) = delete;
  ~VisibleStreambuf() override { finish(); }

  /// Writes what still waits (an unfinished sequence, as escapes) and flushes the target.
  void finish();

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* text, std::streamsize size) override;
  int sync() override;

 private:
  std::ostream& target_;
  std::string pending_;
  std::string escaped_;
};

}  // namespace aftercare::cli
