#pragma once

#include <string>

#include "domain/archive.h"
#include "schedule/zone.h"

namespace aftercare {

/// A FHIR R4 Bundle (type collection) of a patient's archive: a pseudonymous Patient (identifier
/// `urn:aftercare:patient` = `pseudonym`, no name), and for each session a Procedure (local code,
/// body sites), a CarePlan (restrictions as periods, routines with their Timing), an Observation
/// per current symptom rating (SNOMED CT or LOINC code where the protocol names one, valueInteger
/// 0 to 10, effectiveDateTime with its offset, partOf the Procedure) and a QuestionnaireResponse
/// per check-in. Resource ids are UUIDs derived from the pseudonym and the record, so the same
/// record always gets the same id. Every dateTime carries its UTC offset.
std::string write_fhir_bundle(const PatientArchive& archive, const std::string& pseudonym,
                              Instant timestamp, const date::time_zone* zone);

/// The same resources as a FHIR R4 transaction Bundle for a FHIR server: each entry a
/// conditional update keyed by its stable identifier (`PUT Observation?identifier=
/// urn:aftercare:entry|P-…-12`), so that a server creates what it lacks and updates what it has,
/// and delivering the same record twice creates nothing. Entries refer to each other by their
/// `urn:uuid:` fullUrl; resources carry no id.
std::string write_fhir_transaction(const PatientArchive& archive, const std::string& pseudonym,
                                   Instant timestamp, const date::time_zone* zone);

/// A name-based UUID (RFC 9562 version 8) from SHA-256 of `name`: stable for the same name.
std::string stable_uuid(const std::string& name);

}  // namespace aftercare
