#include <sodium.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "exchange/sealed_export.h"

namespace aftercare {
namespace {

std::string reseal(const nlohmann::json& inner, const ClinicKeys& clinic) {
  const std::string plain = inner.dump();
  std::string box(plain.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                  reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                  reinterpret_cast<const unsigned char*>(clinic.public_key.data()));
  std::string base64(sodium_base64_encoded_len(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(base64.data(), base64.size(),
                    reinterpret_cast<const unsigned char*>(box.data()), box.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  base64.pop_back();
  return nlohmann::json{{"format", "aftercare-sealed"},
                        {"version", 1},
                        {"recipient", key_to_hex(clinic.public_key)},
                        {"box", base64}}
      .dump();
}

nlohmann::json inner_of(const std::string& sealed, const ClinicKeys& clinic) {
  auto opened = open_sealed_export(sealed, clinic, "x");
  REQUIRE(opened.ok());
  return {{"sender", opened->sender},
          {"manifest", opened->manifest_text},
          {"export", opened->export_text}};
}

TEST_CASE("a sealed export opens only for its clinic and proves its sender", "[seal]") {
  const ClinicKeys clinic = generate_clinic_keys();
  const ClinicKeys other = generate_clinic_keys();
  const DeviceKeys device = generate_device_keys();
  const std::string sealed =
      seal_export("{\"export\": 1}", "{\"manifest\": 2}", device, clinic.public_key);
  CHECK(is_sealed_export(sealed));
  CHECK(sealed.find("export\\\": 1") == std::string::npos);  // nothing readable outside
  CHECK_FALSE(is_sealed_export("{\"format\": \"aftercare-export\"}"));

  auto opened = open_sealed_export(sealed, clinic, "p.json");
  REQUIRE(opened.ok());
  CHECK(opened->export_text == "{\"export\": 1}");
  CHECK(opened->manifest_text == "{\"manifest\": 2}");
  CHECK(opened->sender == key_to_hex(device.public_key));

  auto elsewhere = open_sealed_export(sealed, other, "p.json");
  REQUIRE_FALSE(elsewhere.ok());
  CHECK_THAT(elsewhere.error().message(), Catch::StartsWith("p.json: sealed for another clinic"));

  // One byte of the box changed: it no longer opens.
  auto doc = nlohmann::json::parse(sealed);
  std::string box = doc["box"];
  box[20] = box[20] == 'A' ? 'B' : 'A';
  doc["box"] = box;
  auto damaged = open_sealed_export(doc.dump(), clinic, "p.json");
  REQUIRE_FALSE(damaged.ok());
  CHECK_THAT(damaged.error().message(), Catch::Contains("does not open with this clinic's key"));

  CHECK_FALSE(open_sealed_export("not json", clinic, "p.json").ok());
}

TEST_CASE("a sealed export whose content or signature was changed is rejected", "[seal]") {
  const ClinicKeys clinic = generate_clinic_keys();
  const DeviceKeys device = generate_device_keys();
  const std::string sealed = seal_export("{\"severity\": 3}", "{}", device, clinic.public_key);
  // Anyone can seal for a clinic's public key: the signature is what tells the content is the
  // device's. The device's genuine signature over the original, then the content swapped:
  nlohmann::json inner = inner_of(sealed, clinic);
  const std::string message =
      "aftercare-sealed/1;64:" + key_to_hex(clinic.public_key) + ";2:{};15:{\"severity\": 3};";
  std::string raw(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(raw.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(device.secret_key.data()));
  inner["signature"] = key_to_hex(raw);
  CHECK(open_sealed_export(reseal(inner, clinic), clinic, "x").ok());  // the genuine one
  inner["export"] = "{\"severity\": 0}";
  auto changed = open_sealed_export(reseal(inner, clinic), clinic, "x");
  REQUIRE_FALSE(changed.ok());
  CHECK_THAT(changed.error().message(), Catch::StartsWith("x: bad signature"));

  // Another device's key claimed as the sender, with the first device's signature.
  inner["export"] = "{\"severity\": 3}";
  inner["sender"] = key_to_hex(generate_device_keys().public_key);
  auto impostor = open_sealed_export(reseal(inner, clinic), clinic, "x");
  REQUIRE_FALSE(impostor.ok());
  CHECK_THAT(impostor.error().message(), Catch::StartsWith("x: bad signature"));
}

TEST_CASE("keys read back from hex, and bad hex is named", "[seal]") {
  const ClinicKeys clinic = generate_clinic_keys();
  auto back = key_from_hex(key_to_hex(clinic.public_key), 32, "--seal-for");
  REQUIRE(back.ok());
  CHECK(*back == clinic.public_key);
  auto bad = key_from_hex("xyz", 32, "--seal-for");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == "--seal-for: expected 64 hex digits");
}

}  // namespace
}  // namespace aftercare
