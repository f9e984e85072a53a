#include "exchange/signatures.h"

#include "domain/journal.h"
#include "exchange/sodium_ready.h"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "schedule/zone.h"

namespace aftercare {

namespace {

using sodium::bytes;
using sodium::ready;

void field(std::string& out, std::string_view value) { append_field(out, value); }

// What the old device signs: every field but the signature, length-prefixed.
std::string hand_over_text(const HandOver& h) {
  std::string text = "aftercare-hand-over/1;";
  field(text, h.patient);
  field(text, h.from);
  field(text, h.to);
  field(text, std::to_string(h.at.time_since_epoch().count()));
  return text;
}

nlohmann::ordered_json hand_over_json(const HandOver& h) {
  return {{"format", "aftercare-hand-over"},
          {"version", 1},
          {"patient", h.patient},
          {"from", h.from},
          {"to", h.to},
          {"at", format_iso(h.at, date::locate_zone("UTC"))},
          {"signature", h.signature}};
}

Result<HandOver> hand_over_from(const nlohmann::json& doc, const std::string& source) {
  if (!doc.is_object() || doc.value("format", "") != "aftercare-hand-over" ||
      !doc.contains("version") || doc["version"] != 1) {
    return invalid_input(source + ": not an aftercare hand-over");
  }
  HandOver h;
  for (auto [key, value] : {std::pair{"patient", &h.patient}, std::pair{"from", &h.from},
                            std::pair{"to", &h.to}, std::pair{"signature", &h.signature}}) {
    if (!doc.contains(key) || !doc[key].is_string()) {
      return invalid_input(source + ": the hand-over has no " + key);
    }
    *value = doc[key].get<std::string>();
  }
  if (!doc.contains("at") || !doc["at"].is_string()) {
    return invalid_input(source + ": the hand-over has no time (at)");
  }
  auto at = parse_moment(doc["at"].get<std::string>(), date::locate_zone("UTC"));
  if (!at) return invalid_input(source + ": the hand-over's time: " + at.error().message());
  h.at = *at;
  if (!hand_over_holds(h)) {
    return invalid_input(source + ": the hand-over's signature does not hold (not what device " +
                         h.from.substr(0, 16) + "... signed)");
  }
  return h;
}

}  // namespace

std::string sign_message(std::string_view message, const DeviceKeys& device) {
  ready();
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, bytes(message),
                       message.size(), bytes(device.secret_key));
  return signature;
}

bool signature_holds(std::string_view signature, std::string_view message,
                     std::string_view public_key) {
  ready();
  return signature.size() == crypto_sign_BYTES && public_key.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(bytes(signature), bytes(message), message.size(),
                                     bytes(public_key)) == 0;
}

Result<HandOver> sign_hand_over(const std::string& patient, const DeviceKeys& from,
                                const std::string& to_hex, Instant at) {
  auto to = key_from_hex(to_hex, crypto_sign_PUBLICKEYBYTES, "the new device's key");
  if (!to) return to.error();
  HandOver h{patient, key_to_hex(from.public_key), key_to_hex(*to), at, {}};
  if (h.to == h.from) return invalid_input("the new device's key is this device's own");
  h.signature = key_to_hex(sign_message(hand_over_text(h), from));
  return h;
}

bool hand_over_holds(const HandOver& h) {
  auto from = key_from_hex(h.from, crypto_sign_PUBLICKEYBYTES, "from");
  auto to = key_from_hex(h.to, crypto_sign_PUBLICKEYBYTES, "to");
  auto signature = key_from_hex(h.signature, crypto_sign_BYTES, "signature");
  // Keys as aftercare writes them (lower case), so that one key has one spelling everywhere.
  return from && to && signature && key_to_hex(*from) == h.from && key_to_hex(*to) == h.to &&
         signature_holds(*signature, hand_over_text(h), *from);
}

std::string write_hand_over(const HandOver& hand_over) {
  return hand_over_json(hand_over).dump(2) + "\n";
}

Result<HandOver> read_hand_over(std::string_view text, const std::string& source) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return invalid_input(source + ": not JSON");
  return hand_over_from(doc, source);
}

std::string write_hand_overs(const std::vector<HandOver>& hand_overs) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& h : hand_overs) list.push_back(hand_over_json(h));
  return list.dump();
}

Result<std::vector<HandOver>> read_hand_overs(std::string_view text, const std::string& source) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    return invalid_input(source + ": the hand-overs are not a JSON list");
  }
  std::vector<HandOver> out;
  for (const auto& item : doc) {
    auto h = hand_over_from(item, source);
    if (!h) return h.error();
    out.push_back(std::move(*h));
  }
  return out;
}

std::vector<HandOver> hand_over_path(const std::string& pinned, const std::string& signer,
                                     const std::string& patient,
                                     const std::vector<HandOver>& hand_overs, Instant not_before) {
  // Breadth-first from the pinned key; each key visited once, so a cycle ends.
  std::vector<std::pair<std::string, std::vector<HandOver>>> frontier = {{pinned, {}}};
  std::set<std::string> seen = {pinned};
  while (!frontier.empty()) {
    std::vector<std::pair<std::string, std::vector<HandOver>>> next;
    for (const auto& [key, path] : frontier) {
      for (const auto& h : hand_overs) {
        if (h.from != key || h.patient != patient || h.at <= not_before || seen.count(h.to) ||
            !hand_over_holds(h)) {
          continue;
        }
        auto longer = path;
        longer.push_back(h);
        if (h.to == signer) return longer;
        seen.insert(h.to);
        next.emplace_back(h.to, std::move(longer));
      }
    }
    frontier = std::move(next);
  }
  return {};
}

}  // namespace aftercare
