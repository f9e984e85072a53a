#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/protocol.h"

namespace aftercare {

/// A validated protocol and the complete JSON document it came from, with any overrides already
/// applied (what a plan stores, so a later change to the defaults never changes a started plan).
struct LoadedProtocol {
  Protocol protocol;
  std::string resolved_json;
};

/// The default protocol (assets/protocols/microneedling.json), embedded at build time.
std::string_view default_protocol_text();

/// Parses and validates a protocol document. `source` names it in messages (usually its path).
///
/// A complete document has "schema": "aftercare-protocol/1". A clinic's override file instead
/// says "extends": "microneedling" and holds only what differs; it is merged onto the default as
/// a JSON merge patch (RFC 7386: objects merge, a null removes an entry) and the result is
/// validated as a whole.
///
/// Errors: kInvalidInput listing every problem found, one per line, each as
/// "<source>: <json path>: <problem>", e.g.
/// `clinic.json: steps.cleanse_am.window: expected a duration like "2h", got a number`.
Result<LoadedProtocol> load_protocol(std::string_view text, const std::string& source);

/// Where two resolved protocol documents differ, as the clinic reads it: one line per differing
/// value, by its JSON path, e.g. `steps.cleanse_am.until: the clinic's "7d", the patient's "5d"`,
/// `steps.toner: only in the patient's`. Objects are compared key by key, anything else as a
/// whole; values longer than 60 characters are cut. The top-level `triage` (read by the clinic
/// only) is left out. At most `limit` lines, then one saying how
/// many more. Empty when they are the same. A document that is not JSON differs as a whole.
std::vector<std::string> protocol_differences(std::string_view clinic_json,
                                              std::string_view patient_json,
                                              std::size_t limit = 50);

}  // namespace aftercare
