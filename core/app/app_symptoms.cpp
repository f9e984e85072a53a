// The symptom-log use cases of App: log, check-in, edit, delete, the verdict, the chain.

#include <algorithm>

#include "app/app.h"
#include "app/private_file.h"
#include "base/files.h"

namespace aftercare {

namespace {

constexpr std::uintmax_t kMaxPhotoBytes = 25u << 20;
constexpr auto kFutureSlack = std::chrono::minutes(5);

}  // namespace

namespace {

// The image format by the file's first bytes ("" when it is none of those a phone takes): the
// extension the copy is stored under, whatever the file was called.
std::string image_kind(const std::string& content) {
  const auto starts = [&](std::size_t at, std::string_view magic) {
    return content.size() >= at + magic.size() && content.compare(at, magic.size(), magic) == 0;
  };
  if (starts(0, "\xFF\xD8\xFF")) return ".jpg";
  if (starts(0, "\x89PNG\r\n\x1A\n")) return ".png";
  if (starts(0, "RIFF") && starts(8, "WEBP")) return ".webp";
  if (starts(4, "ftyp")) {
    for (std::string_view brand : {"heic", "heix", "heim", "heis", "mif1", "msf1", "hevc"}) {
      if (starts(8, brand)) return ".heic";
    }
  }
  return {};
}

// What a new entry (previous null) or an edit may say that the plan decides: an area the plan
// treated, relief only for a symptom the protocol asks it of. An edit that keeps an older value
// keeps it (the plan's areas may have been corrected since).
Status check_against_plan(const Plan& plan, const SymptomReport& report,
                          const SymptomReport* previous) {
  const auto& areas = plan.details.areas;
  if (!report.area.empty() && (!previous || previous->area != report.area) &&
      std::find(areas.begin(), areas.end(), report.area) == areas.end()) {
    std::string list;
    for (const auto& area : areas) list += (list.empty() ? "" : ", ") + area;
    return invalid_input(NoticeId::kAreaNotInPlan, {{"area", report.area}, {"areas", list}});
  }
  if (report.relieved &&
      (!previous || previous->relieved != report.relieved || previous->symptom != report.symptom)) {
    std::vector<std::string> asked;
    for (const auto& rule : plan.protocol.rules) {
      if (rule.kind != RuleKind::kUnrelieved) continue;
      for (const auto& symptom : rule.symptoms) {
        if (std::find(asked.begin(), asked.end(), symptom.value()) == asked.end()) {
          asked.push_back(symptom.value());
        }
      }
    }
    if (std::find(asked.begin(), asked.end(), report.symptom.value()) == asked.end()) {
      std::string list;
      for (const auto& name : asked) list += (list.empty() ? "" : ", ") + name;
      return invalid_input(NoticeId::kReliefNotAsked,
                           {{"symptom", report.symptom.value()},
                            {"symptoms", list.empty() ? std::string("no symptom") : list}});
    }
  }
  return {};
}

}  // namespace

Result<std::string> App::import_photo(const std::filesystem::path& photo) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(photo, ec)) {
    return invalid_input(NoticeId::kPhotoMissing, {{"file", photo.string()}});
  }
  const auto size = std::filesystem::file_size(photo, ec);
  if (ec || size > kMaxPhotoBytes) {
    return invalid_input(NoticeId::kPhotoTooLarge, {{"file", photo.string()}});
  }
  auto read = read_file(photo, kMaxPhotoBytes);
  if (!read) return invalid_input(NoticeId::kPhotoUnreadable, {{"file", photo.string()}});
  const std::string content = std::move(*read);
  const std::string extension = image_kind(content);
  if (extension.empty()) return invalid_input(NoticeId::kPhotoNotImage, {{"file", photo.string()}});
  const std::string digest = sha256_hex(content);
  if (data_dir_.empty()) return digest;  // in-memory store: nothing to copy into
  const auto dir = data_dir_ / "photos";
  AFTERCARE_TRY(ensure_private_directory(dir));
  const auto target = dir / (digest + extension);
  if (!std::filesystem::exists(target, ec)) AFTERCARE_TRY(write_private_file(target, content));
  return digest;
}

Status App::check_felt(const Plan& plan, Instant felt_at) const {
  if (felt_at > clock_.now() + kFutureSlack) {
    return invalid_input(NoticeId::kFeltInFuture,
                         {{"time", format_time(felt_at)}, {"clock", format_clock(felt_at, zone_)}});
  }
  if (felt_at < plan.details.treated_at - date::days(1)) {
    return invalid_input(NoticeId::kFeltBeforeTreatment,
                         {{"time", format_time(felt_at)},
                          {"treated", format_time(plan.details.treated_at)},
                          {"clock", format_clock(felt_at, zone_)}});
  }
  return {};
}

Result<App::LogCache*> App::log_cache(const Plan& plan) {
  if (log_cache_ && log_cache_->plan == plan.id) return &*log_cache_;
  auto versions = store_->symptom_versions(plan.id);
  if (!versions) return versions.error();
  LogCache cache{plan.id, std::move(*versions), {}, std::nullopt};
  for (const auto& version : cache.versions) apply_version(cache.entries, version);
  log_cache_ = std::move(cache);
  log_cache_->series.emplace(log_cache_->entries);
  return &*log_cache_;
}

Result<SymptomVersion> App::latest_version(const Plan& plan, EntryId entry) {
  auto cache = log_cache(plan);
  if (!cache) return cache.error();
  const auto& versions = (*cache)->versions;
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (it->entry == entry) {
      if (it->action == EntryAction::kDeleted) {
        return Error(ErrorCode::kConflict,
                     Notice{NoticeId::kEntryDeleted, {{"entry", std::to_string(entry.value())}}});
      }
      return *it;
    }
  }
  return invalid_input(NoticeId::kUnknownEntry, {{"entry", std::to_string(entry.value())}});
}

Result<EntryResult> App::store_versions(const std::shared_ptr<const Plan>& plan,
                                        std::vector<SymptomVersion> versions, bool as_checkin) {
  const Instant now = clock_.now();
  for (const auto& version : versions) {
    AFTERCARE_TRY(validate_report(plan->protocol, version.report));
    AFTERCARE_TRY(check_felt(*plan, version.report.felt_at));
  }
  auto cache = log_cache(*plan);
  if (!cache) return cache.error();
  AFTERCARE_TRY(sync_zone(true));
  auto stored = store_->append_symptom_versions(std::move(versions), as_checkin);
  if (!stored) {
    log_cache_.reset();  // another writer may have raced us: reload next time
    return stored.error();
  }
  LogCache& log = **cache;
  // A new entry felt after the others extends the kept series; anything else rebuilds it.
  bool extended = true;
  for (const auto& version : *stored) {
    log.versions.push_back(version);
    apply_version(log.entries, version);
    if (extended && version.action == EntryAction::kLogged) {
      extended = log.series->append(log.entries.at(version.entry.value()));
    } else {
      extended = false;
    }
  }
  if (!extended) log.series.emplace(log.entries);
  EntryResult result{plan, std::move(*stored), {}, assess(*plan, *log.series, now), {}, {}};
  for (const auto& version : result.stored) {
    auto it = log.entries.find(version.entry.value());
    result.entry_assessments.push_back(
        it == log.entries.end() ? Assessment{} : assess_entry(*plan, *log.series, it->second));
  }
  return result;
}

Result<EntryResult> App::log_symptom(SymptomReport report,
                                     const std::optional<std::filesystem::path>& photo) {
  AFTERCARE_TRY(sync_zone(false));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  if (report.felt_at == Instant{}) report.felt_at = clock_.now();
  report.zone = std::string(zone_->name());
  // Validate before copying a photo, so a bad entry leaves no file behind.
  AFTERCARE_TRY(validate_report((*plan)->protocol, report));
  AFTERCARE_TRY(check_against_plan(**plan, report, nullptr));
  AFTERCARE_TRY(check_felt(**plan, report.felt_at));
  if (photo) {
    auto digest = import_photo(*photo);
    if (!digest) return digest.error();
    report.photo_sha256 = *digest;
  }
  SymptomVersion version;
  version.plan = (*plan)->id;
  version.action = EntryAction::kLogged;
  version.report = std::move(report);
  version.recorded_at = clock_.now();
  return store_versions(*plan, {std::move(version)}, false);
}

Result<EntryResult> App::check_in(const std::vector<std::pair<SymptomId, int>>& ratings,
                                  const std::string& note) {
  AFTERCARE_TRY(sync_zone(false));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  if (ratings.empty()) return invalid_input(NoticeId::kNothingRated);
  std::vector<SymptomVersion> versions;
  for (const auto& [symptom, severity] : ratings) {
    for (const auto& other : versions) {
      if (other.report.symptom == symptom) {
        return invalid_input(NoticeId::kRatedTwice, {{"symptom", symptom.value()}});
      }
    }
    SymptomVersion version;
    version.plan = (*plan)->id;
    version.report.symptom = symptom;
    version.report.severity = severity;
    version.report.note = note;
    version.report.felt_at = clock_.now();
    version.report.zone = std::string(zone_->name());
    version.recorded_at = clock_.now();
    versions.push_back(std::move(version));
  }
  auto result = store_versions(*plan, std::move(versions), true);
  if (!result) return result;
  // The check-in step of today is done by checking in; no open one is not a failure.
  if ((*plan)->protocol.find_step(StepId("checkin"))) {
    auto checked = check_off(StepId("checkin"), StepAction::kDone);
    if (checked) {
      result->checked_off = checked->event;
    } else if (const ErrorCode code = checked.error().code();
               code != ErrorCode::kInvalidInput && code != ErrorCode::kConflict) {
      result->check_off_failed = checked.error();
    }
  }
  return result;
}

Result<EntryResult> App::edit_entry(EntryId entry, const EntryEdit& edit) {
  AFTERCARE_TRY(sync_zone(false));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  auto latest = latest_version(**plan, entry);
  if (!latest) return latest.error();
  SymptomVersion next = *latest;
  next.version = latest->version + 1;
  next.recorded_at = clock_.now();
  if (edit.symptom) next.report.symptom = *edit.symptom;
  if (edit.severity) next.report.severity = *edit.severity;
  if (edit.area) next.report.area = *edit.area;
  if (edit.note) next.report.note = *edit.note;
  if (edit.felt_at) next.report.felt_at = *edit.felt_at;
  if (edit.relieved) next.report.relieved = *edit.relieved;
  if (edit.symptom || edit.severity || edit.area || edit.note || edit.felt_at || edit.relieved) {
    next.action = EntryAction::kEdited;
  } else {
    return invalid_input(NoticeId::kNothingToChange);
  }
  AFTERCARE_TRY(check_against_plan(**plan, next.report, &latest->report));
  return store_versions(*plan, {std::move(next)}, false);
}

Result<EntryResult> App::delete_entry(EntryId entry) {
  AFTERCARE_TRY(sync_zone(false));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  auto latest = latest_version(**plan, entry);
  if (!latest) {
    if (latest.error().code() == ErrorCode::kConflict) {
      return Error(ErrorCode::kConflict, Notice{NoticeId::kEntryAlreadyDeleted,
                                                {{"entry", std::to_string(entry.value())}}});
    }
    return latest.error();
  }
  SymptomVersion gone = *latest;
  gone.version = latest->version + 1;
  gone.action = EntryAction::kDeleted;
  gone.recorded_at = clock_.now();
  return store_versions(*plan, {std::move(gone)}, false);
}

Result<LogSnapshot> App::symptom_log() {
  AFTERCARE_TRY(sync_zone(true));
  auto plan = current_plan();
  if (!plan) return plan.error();
  if (!*plan) return no_plan();
  auto cache = log_cache(**plan);
  if (!cache) return cache.error();
  auto entries = sorted_entries((*cache)->entries);
  Assessment now = assess(**plan, *(*cache)->series, clock_.now());
  auto charts = symptom_charts((*plan)->protocol, entries, (*plan)->details.treated_at);
  return LogSnapshot{*plan, (*cache)->versions, std::move(entries), std::move(now),
                     std::move(charts)};
}

Result<ChainCheck> App::verify_log() {
  // One read transaction, so that a write in between cannot look like a missing event.
  auto archive = store_->archive();
  if (!archive) return archive.error();
  return verify_archive(*archive);
}

}  // namespace aftercare
