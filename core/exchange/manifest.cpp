#include "exchange/manifest.h"

#include <nlohmann/json.hpp>

#include "base/version.h"

namespace aftercare {

namespace {

constexpr const char* kSignedPrefix = "aftercare-export-manifest-signature/1;";

// The bytes signed: every field but the signature, as compact JSON with its keys sorted, so that
// re-indenting or re-ordering the file does not matter and changing any value does.
std::string signed_bytes(nlohmann::json doc) {
  doc.erase("signature");
  return kSignedPrefix + doc.dump();
}

// `doc` as a signed manifest: its format named, the signer's key in "device", and "signature"
// over every other field.
std::string signed_document(nlohmann::ordered_json doc, const DeviceKeys& signer) {
  doc.erase("signature");
  doc["manifest"] = "aftercare-export-manifest/2";
  doc["device"] = key_to_hex(signer.public_key);
  const std::string signature = sign_message(signed_bytes(nlohmann::json(doc)), signer);
  doc["signature"] = {{"algorithm", "Ed25519"}, {"value", key_to_hex(signature)}};
  return doc.dump(2) + "\n";
}

}  // namespace

std::string write_manifest(const ExportManifest& manifest, const date::time_zone* zone,
                           const DeviceKeys& signer) {
  nlohmann::ordered_json doc;
  doc["manifest"] = "aftercare-export-manifest/2";
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
  doc["hand_overs"] = nlohmann::ordered_json::parse(write_hand_overs(manifest.hand_overs));
  return signed_document(std::move(doc), signer);
}

Result<std::string> sign_manifest(std::string_view manifest_text, const DeviceKeys& signer) {
  auto doc = nlohmann::ordered_json::parse(manifest_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_input("the manifest is not JSON");
  doc["device"] = key_to_hex(signer.public_key);
  if (!doc.contains("hand_overs")) doc["hand_overs"] = nlohmann::ordered_json::array();
  return signed_document(std::move(doc), signer);
}

Result<ManifestReading> read_manifest(std::string_view text, const std::string& source) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_input(source + ": not JSON");
  const auto text_at = [&](const nlohmann::json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string()
               ? object[key].get<std::string>()
               : std::string();
  };
  if (text_at(doc, "manifest").rfind("aftercare-export-manifest/", 0) != 0 ||
      text_at(doc, "sha256").empty()) {
    return invalid_input(source + ": not an aftercare export manifest");
  }
  ManifestReading out;
  out.format = text_at(doc, "format");
  out.sha256 = text_at(doc, "sha256");
  out.patient = text_at(doc, "patient");
  if (doc.contains("range")) out.to = text_at(doc["range"], "to");
  if (doc.contains("chain")) out.chain_head = text_at(doc["chain"], "head");
  if (!doc.contains("signature")) return out;
  const auto& signature = doc["signature"];
  if (!signature.is_object() || text_at(signature, "algorithm") != "Ed25519") {
    return invalid_input(source + ": its signature is not an Ed25519 signature");
  }
  auto device = key_from_hex(text_at(doc, "device"), 32, source + ": the signing device's key");
  if (!device) return device.error();
  if (key_to_hex(*device) != text_at(doc, "device")) {
    return invalid_input(source + ": the signing device's key is not written in lower case");
  }
  auto value = key_from_hex(text_at(signature, "value"), 64, source + ": the signature");
  if (!value) return value.error();
  if (!signature_holds(*value, signed_bytes(doc), *device)) {
    return invalid_input(source + ": its signature does not hold: changed after device " +
                         text_at(doc, "device").substr(0, 16) + "... signed it");
  }
  out.device = text_at(doc, "device");
  if (doc.contains("hand_overs")) {
    auto hand_overs = read_hand_overs(doc["hand_overs"].dump(), source);
    if (!hand_overs) return hand_overs.error();
    out.hand_overs = std::move(*hand_overs);
  }
  return out;
}

}  // namespace aftercare
