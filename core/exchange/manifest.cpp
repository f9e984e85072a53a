#include "exchange/manifest.h"

#include <nlohmann/json.hpp>

#include "base/version.h"

namespace aftercare {

std::string write_manifest(const ExportManifest& manifest, const date::time_zone* zone) {
  nlohmann::ordered_json doc;
  doc["manifest"] = "aftercare-export-manifest/1";
  doc["format"] = manifest.format;
  doc["format_version"] = manifest.format_version;
  doc["generator"] = kGenerator;
  doc["file"] = manifest.file;
  doc["sha256"] = manifest.sha256;
  doc["patient"] = manifest.patient;
  doc["created_at"] = format_iso(manifest.created_at, zone);
  doc["range"] = {{"from", format_iso(manifest.from, zone)}, {"to", format_iso(manifest.to, zone)}};
  doc["counts"] = manifest.counts;
  doc["chain"] = {{"events", manifest.chain_events}, {"head", manifest.chain_head}};
  return doc.dump(2) + "\n";
}

}  // namespace aftercare
