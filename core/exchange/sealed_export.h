#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "base/result.h"

namespace aftercare {

/// A clinic's key pair for sealed exports (X25519, libsodium sealed boxes): the public key is
/// handed to patients, the secret one never leaves the clinic's folder. Raw bytes.
struct ClinicKeys {
  std::string public_key;  ///< 32 bytes.
  std::string secret_key;  ///< 32 bytes.
};

/// A device's signing key pair (Ed25519). Raw bytes.
struct DeviceKeys {
  std::string public_key;  ///< 32 bytes.
  std::string secret_key;  ///< 64 bytes.
};

ClinicKeys generate_clinic_keys();
DeviceKeys generate_device_keys();

/// Lower-case hex of raw key bytes, and back (kInvalidInput naming `what` when not hex of
/// `bytes` bytes).
std::string key_to_hex(std::string_view raw);
Result<std::string> key_from_hex(std::string_view hex, std::size_t bytes, const std::string& what);

/// A key pair as its key file holds it: "SECRET-HEX PUBLIC-HEX\n"; and read back (kStorage,
/// naming `what`, when damaged). One format for the clinic's and the device's keys.
std::string key_file_text(std::string_view secret_key, std::string_view public_key);
Result<std::pair<std::string, std::string>> read_key_file_text(std::string_view text,
                                                               std::size_t secret_bytes,
                                                               std::size_t public_bytes,
                                                               const std::string& what);

/// Seals an export and its manifest for one clinic, signed by the device: only the holder of
/// the clinic's secret key can read it, and it can tell which device sent it and that nothing
/// changed. Returns the sealed file's text (JSON: "format": "aftercare-sealed").
std::string seal_export(std::string_view export_text, std::string_view manifest_text,
                        const DeviceKeys& device, std::string_view clinic_public_key);

/// Whether `text` is a sealed export (its format field), without opening it.
bool is_sealed_export(std::string_view text);

struct OpenedExport {
  std::string export_text;
  std::string manifest_text;
  std::string sender;  ///< The signing device's public key, hex.
};

/// Opens a sealed export with the clinic's keys and checks its signature. kInvalidInput, saying
/// which, for a file sealed for another clinic, one that does not open, or a bad signature.
Result<OpenedExport> open_sealed_export(std::string_view sealed, const ClinicKeys& clinic,
                                        const std::string& source);

}  // namespace aftercare
