#include "exchange/sealed_export.h"

#include "domain/journal.h"
#include "exchange/sodium_ready.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace aftercare {

namespace {

constexpr const char* kFormat = "aftercare-sealed";
constexpr int kVersion = 1;

using sodium::bytes;
using sodium::ready;

void field(std::string& out, std::string_view value) { append_field(out, value); }

// What the device signs: the recipient too, so that a sealed export cannot be passed off as
// sent to another clinic.
std::string signed_text(std::string_view recipient_hex, std::string_view export_text,
                        std::string_view manifest_text) {
  std::string text = "aftercare-sealed/1;";
  field(text, recipient_hex);
  field(text, manifest_text);
  field(text, export_text);
  return text;
}

std::string to_base64(std::string_view raw) {
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes(raw), raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> from_base64(std::string_view text, const std::string& what) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return invalid_input(what + " is not base64");
  }
  out.resize(length);
  return out;
}

}  // namespace

ClinicKeys generate_clinic_keys() {
  ready();
  ClinicKeys keys{std::string(crypto_box_PUBLICKEYBYTES, '\0'),
                  std::string(crypto_box_SECRETKEYBYTES, '\0')};
  crypto_box_keypair(reinterpret_cast<unsigned char*>(keys.public_key.data()),
                     reinterpret_cast<unsigned char*>(keys.secret_key.data()));
  return keys;
}

DeviceKeys generate_device_keys() {
  ready();
  DeviceKeys keys{std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
                  std::string(crypto_sign_SECRETKEYBYTES, '\0')};
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(keys.public_key.data()),
                      reinterpret_cast<unsigned char*>(keys.secret_key.data()));
  return keys;
}

std::string key_to_hex(std::string_view raw) {
  std::string hex(raw.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes(raw), raw.size());
  hex.pop_back();
  return hex;
}

Result<std::string> key_from_hex(std::string_view hex, std::size_t size, const std::string& what) {
  std::string raw(size, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (hex.size() != size * 2 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hex.data(),
                     hex.size(), nullptr, &length, &end) != 0 ||
      length != size) {
    return invalid_input(what + ": expected " + std::to_string(size * 2) + " hex digits");
  }
  return raw;
}

std::string key_file_text(std::string_view secret_key, std::string_view public_key) {
  return key_to_hex(secret_key) + " " + key_to_hex(public_key) + "\n";
}

Result<std::pair<std::string, std::string>> read_key_file_text(std::string_view text,
                                                               std::size_t secret_bytes,
                                                               std::size_t public_bytes,
                                                               const std::string& what) {
  const auto space = text.find(' ');
  const auto end = text.find('\n');
  if (space == std::string_view::npos) return Error(ErrorCode::kStorage, what + ": damaged");
  auto secret = key_from_hex(text.substr(0, space), secret_bytes, what);
  auto public_key =
      key_from_hex(text.substr(space + 1, end == std::string_view::npos ? std::string_view::npos
                                                                        : end - space - 1),
                   public_bytes, what);
  if (!secret || !public_key) return Error(ErrorCode::kStorage, what + ": damaged");
  return std::pair{std::move(*secret), std::move(*public_key)};
}

std::string seal_export(std::string_view export_text, std::string_view manifest_text,
                        const DeviceKeys& device, std::string_view clinic_public_key) {
  ready();
  const std::string recipient = key_to_hex(clinic_public_key);
  const std::string message = signed_text(recipient, export_text, manifest_text);
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, bytes(message),
                       message.size(), bytes(device.secret_key));
  const nlohmann::ordered_json inner = {{"sender", key_to_hex(device.public_key)},
                                        {"signature", key_to_hex(signature)},
                                        {"manifest", manifest_text},
                                        {"export", export_text}};
  const std::string plain = inner.dump();
  std::string box(plain.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()), bytes(plain), plain.size(),
                  bytes(clinic_public_key));
  const nlohmann::ordered_json outer = {{"format", kFormat},
                                        {"version", kVersion},
                                        {"recipient", recipient},
                                        {"box", to_base64(box)}};
  return outer.dump(2) + "\n";
}

bool is_sealed_export(std::string_view text) {
  // Cheap: the writer puts the format first; a full parse happens when it is opened.
  return text.substr(0, 64).find("\"aftercare-sealed\"") != std::string_view::npos;
}

Result<OpenedExport> open_sealed_export(std::string_view sealed, const ClinicKeys& clinic,
                                        const std::string& source) {
  ready();
  const auto outer = nlohmann::json::parse(sealed, nullptr, false);
  if (outer.is_discarded() || !outer.is_object() || outer.value("format", "") != kFormat ||
      outer.value("version", 0) != kVersion || !outer.contains("box") ||
      !outer["box"].is_string() || !outer.contains("recipient") ||
      !outer["recipient"].is_string()) {
    return invalid_input(source + ": not a sealed aftercare export");
  }
  const std::string recipient = outer["recipient"].get<std::string>();
  if (recipient != key_to_hex(clinic.public_key)) {
    return invalid_input(source + ": sealed for another clinic (key " + recipient.substr(0, 16) +
                         "...)");
  }
  auto box = from_base64(outer["box"].get<std::string>(), source + ": box");
  if (!box) return box.error();
  if (box->size() < crypto_box_SEALBYTES) return invalid_input(source + ": the box is cut short");
  std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), bytes(*box), box->size(),
                           bytes(clinic.public_key), bytes(clinic.secret_key)) != 0) {
    return invalid_input(source + ": does not open with this clinic's key (altered or damaged)");
  }
  const auto inner = nlohmann::json::parse(plain, nullptr, false);
  if (inner.is_discarded() || !inner.is_object()) {
    return invalid_input(source + ": its content is not a sealed export");
  }
  for (const char* key : {"sender", "signature", "manifest", "export"}) {
    if (!inner.contains(key) || !inner[key].is_string()) {
      return invalid_input(source + ": its content has no " + key);
    }
  }
  OpenedExport opened{inner["export"].get<std::string>(), inner["manifest"].get<std::string>(),
                      inner["sender"].get<std::string>()};
  auto sender = key_from_hex(opened.sender, crypto_sign_PUBLICKEYBYTES, source + ": sender");
  if (!sender) return sender.error();
  auto signature = key_from_hex(inner["signature"].get<std::string>(), crypto_sign_BYTES,
                                source + ": signature");
  if (!signature) return signature.error();
  const std::string message = signed_text(recipient, opened.export_text, opened.manifest_text);
  if (crypto_sign_verify_detached(bytes(*signature), bytes(message), message.size(),
                                  bytes(*sender)) != 0) {
    return invalid_input(source + ": bad signature (not what device " +
                         opened.sender.substr(0, 16) + "... signed)");
  }
  return opened;
}

}  // namespace aftercare
