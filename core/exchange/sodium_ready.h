#pragma once

// What the exchange files that call libsodium share (not part of the interface).
#include <sodium.h>

#include <stdexcept>
#include <string_view>

namespace aftercare::sodium {

/// Starts libsodium once; throws when it cannot start.
inline void ready() {
  static const bool initialized = sodium_init() >= 0;
  if (!initialized) throw std::runtime_error("libsodium cannot start");
}

inline const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace aftercare::sodium
