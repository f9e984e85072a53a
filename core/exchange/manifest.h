#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/clock.h"
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
};

/// The manifest as a JSON document (times ISO 8601 with the offset of `zone`).
std::string write_manifest(const ExportManifest& manifest, const date::time_zone* zone);

}  // namespace aftercare
