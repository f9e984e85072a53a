#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/result.h"
#include "exchange/signatures.h"
#include "schedule/zone.h"

namespace aftercare {

/// What travels beside every export file (`<file>.manifest.json`), so that a clinic can tell
/// the file is complete and unaltered: its SHA-256, the head of the patient's hash chain, and
/// what it holds.
struct ExportManifest {
  std::string format;  ///< "csv", "json", "fhir", "ics", "pdf".
  int format_version = 1;
  std::string file;     ///< The export's file name (no directories).
  std::string sha256;   ///< Of the export file's bytes, lower-case hex.
  std::string patient;  ///< The patient's pseudonym; never a name.
  Instant created_at;
  Instant from;  ///< The first treatment.
  Instant to;    ///< The snapshot's moment.
  std::map<std::string, std::int64_t> counts;
  std::string chain_head;  ///< The last event's hash.
  std::int64_t chain_events = 0;
  /// The signing device's public key (hex), and the hand-overs that lead to it from the devices
  /// that had the record before: the signature proves this device wrote this manifest.
  std::string device;
  std::vector<HandOver> hand_overs;
};

/// The manifest as a JSON document (times ISO 8601 with the offset of `zone`), signed by
/// `signer` (Ed25519): "signature" covers every other field, so the file's digest, its range,
/// its export time and the chain head cannot be changed without the device's secret key.
std::string write_manifest(const ExportManifest& manifest, const date::time_zone* zone,
                           const DeviceKeys& signer);

/// The same signature over a manifest document already written (its "device" set to the
/// signer's, any earlier signature replaced). kInvalidInput for text that is not a JSON object.
Result<std::string> sign_manifest(std::string_view manifest_text, const DeviceKeys& signer);

/// What a manifest says, read back; `device` empty when it carries no signature (written by an
/// aftercare before 0.2, or stripped).
struct ManifestReading {
  std::string format;
  std::string sha256;
  std::string patient;
  std::string to;          ///< range.to as written (ISO 8601), empty when missing.
  std::string chain_head;  ///< Empty when missing.
  std::string device;
  std::vector<HandOver> hand_overs;
};

/// Parses a manifest and checks its signature. kInvalidInput naming `source` for a file that is
/// not a manifest, or a signature that does not hold for the device it names (changed after it
/// was signed).
Result<ManifestReading> read_manifest(std::string_view text, const std::string& source);

}  // namespace aftercare
