#include "domain/journal.h"
#include "base/names.h"

#if AFTERCARE_SHA256_LIBCRYPTO
#include <openssl/evp.h>
#endif
#include <sodium.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <stdexcept>

namespace aftercare {

namespace {

void field(std::string& out, std::string_view value) { append_field(out, value); }
void field(std::string& out, std::int64_t value) { append_field(out, value); }

std::int64_t unix_seconds(Instant instant) { return instant.time_since_epoch().count(); }

}  // namespace

void append_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

void append_field(std::string& out, std::int64_t value) {
  append_field(out, std::to_string(value));
}

const std::string kGenesisHash(64, '0');

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[32];
#if AFTERCARE_SHA256_LIBCRYPTO
  // OpenSSL's libcrypto: it uses the CPU's SHA extensions, 3 to 6 times libsodium's portable
  // SHA-256 here (a clinic import hashes every export and every event). Fetched once; an EVP_MD
  // is safe to share between threads.
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  // One context per thread, reused: the chain check hashes two short texts per event.
  thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(),
                                                                                EVP_MD_CTX_free);
  unsigned int length = 0;
  if (!kSha256 || !context || EVP_DigestInit_ex(context.get(), kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, &length) != 1 || length != sizeof digest) {
    throw std::runtime_error("SHA-256 is not available from libcrypto");
  }
#else
  // The web build: libsodium's portable SHA-256 (the same digest), so that OpenSSL need not be
  // built for WebAssembly.
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
#endif
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * sizeof digest, '0');
  for (std::size_t i = 0; i < sizeof digest; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

std::string random_hex(std::size_t bytes) {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex += kHex[c >> 4];
    hex += kHex[c & 0xF];
  }
  return hex;
}

namespace {
constexpr EnumName<ChainKind> kChainKinds[] = {
    {ChainKind::kStep, "step"},
    {ChainKind::kSymptom, "symptom"},
    {ChainKind::kRecord, "record"},
};
}  // namespace

const char* chain_kind_name(ChainKind kind) { return name_in(kChainKinds, kind); }

std::optional<ChainKind> chain_kind_from(const std::string& name) {
  return value_named(kChainKinds, name);
}

std::string canonical_text(const StepEvent& event) {
  std::string out = "aftercare-step/1;";
  field(out, event.seq);
  field(out, event.plan.value());
  field(out, event.step.value());
  field(out, event.occurrence);
  field(out, unix_seconds(event.scheduled_at));
  field(out, step_action_name(event.action));
  field(out, unix_seconds(event.at));
  field(out, unix_seconds(event.recorded_at));
  return out;
}

std::string canonical_text(const SymptomVersion& version) {
  std::string out = "aftercare-symptom/1;";
  field(out, version.row);
  field(out, version.entry.value());
  field(out, version.version);
  field(out, version.plan.value());
  field(out, entry_action_name(version.action));
  const SymptomReport& report = version.report;
  field(out, report.symptom.value());
  field(out, report.severity);
  field(out, report.area);
  field(out, report.note);
  field(out, report.photo_sha256.value_or(""));
  field(out, report.relieved ? (*report.relieved ? "yes" : "no") : "");
  field(out, unix_seconds(report.felt_at));
  field(out, report.zone);
  field(out, version.checkin ? std::to_string(*version.checkin) : "");
  field(out, unix_seconds(version.recorded_at));
  return out;
}

std::string canonical_text(const RecordState& state) {
  std::string out = "aftercare-record/1;";
  field(out, state.seq);
  field(out, state.sections);
  field(out, unix_seconds(state.recorded_at));
  return out;
}

std::string link_hash(std::int64_t seq, ChainKind kind, std::string_view content,
                      const std::string& prev_hash) {
  std::string text = "aftercare-link/1;";
  field(text, seq);
  field(text, chain_kind_name(kind));
  field(text, sha256_hex(content));
  field(text, prev_hash);
  return sha256_hex(text);
}

ChainStamp stamp(std::int64_t seq, ChainKind kind, std::string_view content,
                 const std::string& prev_hash) {
  return ChainStamp{prev_hash, link_hash(seq, kind, content, prev_hash)};
}

ChainCheck verify_chain(const std::map<std::int64_t, StepEvent>& steps,
                        const std::map<std::int64_t, SymptomVersion>& symptoms,
                        const std::map<std::int64_t, RecordState>& records) {
  ChainCheck check;
  check.head = kGenesisHash;
  auto fail = [&](const std::string& problem) {
    check.ok = false;
    check.problem = problem;
    return check;
  };
  auto step = steps.begin();
  auto symptom = symptoms.begin();
  auto record = records.begin();
  std::string previous = kGenesisHash;
  std::int64_t expected = 1;
  constexpr auto kNone = std::numeric_limits<std::int64_t>::max();
  for (;;) {
    // The lowest number of the three logs comes next.
    const std::int64_t next_step = step == steps.end() ? kNone : step->first;
    const std::int64_t next_symptom = symptom == symptoms.end() ? kNone : symptom->first;
    const std::int64_t next_record = record == records.end() ? kNone : record->first;
    const std::int64_t seq = std::min({next_step, next_symptom, next_record});
    if (seq == kNone) break;
    const ChainKind kind = seq == next_step      ? ChainKind::kStep
                           : seq == next_symptom ? ChainKind::kSymptom
                                                 : ChainKind::kRecord;
    const ChainStamp& stored = kind == ChainKind::kStep      ? step->second.chain
                               : kind == ChainKind::kSymptom ? symptom->second.chain
                                                             : record->second.chain;
    const std::string content = kind == ChainKind::kStep      ? canonical_text(step->second)
                                : kind == ChainKind::kSymptom ? canonical_text(symptom->second)
                                                              : canonical_text(record->second);
    const auto name = [&] {
      return "event " + std::to_string(seq) +
             (kind == ChainKind::kStep      ? " (a step check-off)"
              : kind == ChainKind::kSymptom ? " (a symptom entry)"
                                            : " (the plans, zones, modes and settings)");
    };
    if (seq != expected || (kind == ChainKind::kStep && seq == next_symptom) ||
        (kind != ChainKind::kRecord && seq == next_record)) {
      return fail("event " + std::to_string(expected) +
                  (seq != expected ? " is missing (removed from the log)"
                                   : " is there twice (inserted into the log)"));
    }
    if (stored.prev_hash != previous) {
      return fail(name() + ": it does not follow the event before it");
    }
    if (stored.hash != link_hash(seq, kind, content, previous)) {
      return fail(name() + ": its content was changed after it was stored");
    }
    previous = stored.hash;
    ++check.events;
    ++expected;
    if (kind == ChainKind::kStep) {
      ++step;
    } else if (kind == ChainKind::kSymptom) {
      ++symptom;
    } else {
      ++record;
    }
  }
  check.head = previous;
  return check;
}

}  // namespace aftercare
