#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/result.h"
#include "domain/clinic.h"

namespace aftercare {

/// The clinic's own database: patients received as exports, and every file it was handed.
/// Several importers may share one store at once (two desktops on one PostgreSQL server):
/// `save_patient` writes only over what the importer compared with, so none of them loses or
/// duplicates a row.
class ClinicStore {
 public:
  virtual ~ClinicStore() = default;

  /// The patient with this pseudonym, with its stored export and its device pins; nullopt when
  /// unknown.
  virtual Result<std::optional<ClinicPatient>> patient(const std::string& pseudonym) = 0;
  /// Every patient's summary (exports left out), in no particular order.
  virtual Result<std::vector<ClinicPatient>> patients() = 0;
  /// Stores a new or extended patient and the import record in one durable transaction, provided
  /// the store still holds the revision the import compared with (`compared_with`; nullopt: no
  /// record of this patient), and moves the revision on. Otherwise another importer stored this
  /// patient meanwhile: nothing is written, and the error is kConflict.
  /// With `pin`, that pin is added to the patient's in the same transaction.
  virtual Status save_patient(const ClinicPatient& patient, const ImportRecord& record,
                              std::optional<std::int64_t> compared_with,
                              const std::optional<DevicePin>& pin = std::nullopt) = 0;
  /// Adds a pin to a stored patient still at `revision`, and moves the revision on (so that an
  /// import that compared with the old pin compares again); kConflict otherwise.
  virtual Status add_pin(const std::string& pseudonym, const DevicePin& pin,
                         std::int64_t revision) = 0;
  /// The patients stored before summaries kept the patient's zones (`exported_zone` empty).
  virtual Result<std::vector<std::string>> patients_without_zones() = 0;
  /// Writes the zones of `summary` into such a patient's row, if it is still at `revision` and
  /// still without them; nothing else of the row changes.
  virtual Status fill_zones(const std::string& pseudonym, const PatientSummary& summary,
                            std::int64_t revision) = 0;
  /// The patients whose summary was not judged with clinic protocol setting `seq` (0: none):
  /// stored by an older version, or before the setting changed. To judge again.
  virtual Result<std::vector<std::string>> patients_to_judge(std::int64_t seq) = 0;
  /// Writes a stored patient's verdict, reasons, protocol flag, silence and judged_with judged
  /// anew, if it is still at `revision` (kConflict otherwise: an import stored it meanwhile);
  /// nothing else of the row changes.
  virtual Status save_verdict(const std::string& pseudonym, const PatientSummary& summary,
                              std::int64_t revision) = 0;
  /// The clinic's protocol as last set (nullopt: never set), and every setting, oldest first.
  virtual Result<std::optional<ClinicProtocol>> clinic_protocol() = 0;
  virtual Result<std::vector<ClinicProtocol>> clinic_protocols() = 0;
  /// Appends `protocol` as the clinic's latest (its seq is the next one), durably, and marks
  /// every patient to judge again, in the same transaction.
  virtual Result<ClinicProtocol> add_clinic_protocol(const ClinicProtocol& protocol) = 0;
  /// Records a file that changed nothing (unchanged, older, rejected).
  virtual Status record_import(const ImportRecord& record) = 0;
  /// The record of a file already handed in with these bytes, if any.
  virtual Result<std::optional<ImportRecord>> import_of(const std::string& sha256) = 0;
  /// The SHA-256 of every file handed in before (so that an import skips them unparsed).
  virtual Result<std::unordered_set<std::string>> imported_digests() = 0;
};

/// Opens (creating if needed, owner-only) the clinic's SQLite database at `path`.
Result<std::unique_ptr<ClinicStore>> open_clinic_store(const std::filesystem::path& path);

/// Whether `location` names a PostgreSQL database: a `postgresql://` or `postgres://` URI, or a
/// libpq keyword string ("host=db.example dbname=clinic").
bool is_postgres_location(const std::string& location);

/// Connects to the clinic database on a PostgreSQL server (`postgresql://user@host:port/db`,
/// libpq's URI syntax) and brings its schema to the newest version.
Result<std::unique_ptr<ClinicStore>> open_postgres_clinic_store(const std::string& uri);

}  // namespace aftercare
