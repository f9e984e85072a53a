#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/archive.h"
#include "schedule/zone.h"

namespace aftercare {

/// Our complete, versioned JSON export ("aftercare-export/1"): every plan with its resolved
/// protocol, every step event and symptom version with its chain stamp, reminder events, modes,
/// zone changes and settings. Reading it back gives the same archive, so an export imported into
/// an empty database and exported again is byte-identical. Times are ISO 8601 with the UTC
/// offset of the zone the patient was in at that instant (the zone history; a symptom's, the zone
/// it was logged in); step events and symptom versions also give that local date and zone.
/// `zone`, the device's zone now, is the export's own ("zone", "exported_at") and the fallback.
std::string write_archive_json(const PatientArchive& archive, const date::time_zone* zone,
                               Instant exported_at);

/// Reads an "aftercare-export/1" document. kInvalidInput naming `source`, the JSON path and the
/// problem for anything that is not such a document (wrong types, unknown enums, bad times,
/// missing fields). It does not check the hash chain: see verify_chain.
Result<PatientArchive> read_archive_json(std::string_view text, const std::string& source);

}  // namespace aftercare
