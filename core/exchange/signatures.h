#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "exchange/sealed_export.h"

namespace aftercare {

/// The device's Ed25519 signature (raw, 64 bytes) of `message`.
std::string sign_message(std::string_view message, const DeviceKeys& device);
/// Whether `signature` (raw) is `public_key`'s (raw, 32 bytes) signature of `message`.
bool signature_holds(std::string_view signature, std::string_view message,
                     std::string_view public_key);

/// A device handing a patient's record over to another device (a new phone): signed by the old
/// device's key, it lets a clinic that pinned the old device accept the new one. Keys hex.
struct HandOver {
  std::string patient;  ///< The pseudonym handed over.
  std::string from;     ///< The old device's public key, which signed this.
  std::string to;       ///< The new device's public key.
  Instant at;
  std::string signature;  ///< Hex.
};

/// A hand-over of `patient` from `from` (its keys) to the device whose public key is `to_hex`.
/// kInvalidInput when `to_hex` is not a public key, or is `from`'s own.
Result<HandOver> sign_hand_over(const std::string& patient, const DeviceKeys& from,
                                const std::string& to_hex, Instant at);
/// Whether the hand-over's signature is its `from` key's over everything else it says.
bool hand_over_holds(const HandOver& hand_over);

/// The hand-over as a JSON document (a file the patient carries to the new phone), and back:
/// kInvalidInput naming `source` for anything malformed or a signature that does not hold.
std::string write_hand_over(const HandOver& hand_over);
Result<HandOver> read_hand_over(std::string_view text, const std::string& source);
/// A list of them, as the patient's settings and the manifest keep it (a JSON array).
std::string write_hand_overs(const std::vector<HandOver>& hand_overs);
Result<std::vector<HandOver>> read_hand_overs(std::string_view text, const std::string& source);

/// The hand-overs that lead from `pinned` to `signer` for `patient`, in order (each valid, each
/// from the key the one before handed to, each signed after `not_before`: the moment `pinned`
/// was pinned, so that an old hand-over cannot undo a later decision); empty when none does.
std::vector<HandOver> hand_over_path(const std::string& pinned, const std::string& signer,
                                     const std::string& patient,
                                     const std::vector<HandOver>& hand_overs, Instant not_before);

}  // namespace aftercare
