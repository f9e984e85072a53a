#include "visible_stream.h"

#include "base/visible_text.h"

namespace aftercare::cli {

void VisibleStreambuf::finish() {
  if (!pending_.empty()) {
    escaped_.clear();
    append_visible(escaped_, pending_, true);
    pending_.clear();
    target_ << escaped_;
  }
  target_.flush();
}

VisibleStreambuf::int_type VisibleStreambuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char byte = traits_type::to_char_type(c);
  xsputn(&byte, 1);
  return c;
}

std::streamsize VisibleStreambuf::xsputn(const char* text, std::streamsize size) {
  pending_.append(text, static_cast<std::size_t>(size));
  escaped_.clear();
  pending_.erase(0, append_visible(escaped_, pending_, false));
  target_ << escaped_;
  return size;
}

int VisibleStreambuf::sync() {
  target_.flush();
  return target_ ? 0 : -1;
}

}  // namespace aftercare::cli
