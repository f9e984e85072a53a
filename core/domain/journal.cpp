#include "domain/journal.h"

#include <sodium.h>

#include <set>

namespace aftercare {

namespace {

void field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

void field(std::string& out, std::int64_t value) { field(out, std::to_string(value)); }

std::int64_t unix_seconds(Instant instant) { return instant.time_since_epoch().count(); }

std::string describe(const ChainLink& link) {
  return "event " + std::to_string(link.seq) + " (" +
         (link.kind == ChainKind::kStep ? "step log row " : "symptom entry row ") +
         std::to_string(link.ref) + ")";
}

}  // namespace

const std::string kGenesisHash(64, '0');

std::string sha256_hex(std::string_view bytes) {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * sizeof digest, '0');
  for (std::size_t i = 0; i < sizeof digest; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

const char* chain_kind_name(ChainKind kind) {
  return kind == ChainKind::kStep ? "step" : "symptom";
}

std::optional<ChainKind> chain_kind_from(const std::string& name) {
  if (name == "step") return ChainKind::kStep;
  if (name == "symptom") return ChainKind::kSymptom;
  return std::nullopt;
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

std::string link_hash(std::int64_t seq, ChainKind kind, std::int64_t ref,
                      const std::string& content_hash, const std::string& prev_hash) {
  std::string text = "aftercare-link/1;";
  field(text, seq);
  field(text, chain_kind_name(kind));
  field(text, ref);
  field(text, content_hash);
  field(text, prev_hash);
  return sha256_hex(text);
}

ChainLink next_link(const std::optional<ChainLink>& previous, ChainKind kind, std::int64_t ref,
                    std::string_view content) {
  ChainLink link;
  link.seq = previous ? previous->seq + 1 : 1;
  link.kind = kind;
  link.ref = ref;
  link.content_hash = sha256_hex(content);
  link.prev_hash = previous ? previous->hash : kGenesisHash;
  link.hash = link_hash(link.seq, kind, ref, link.content_hash, link.prev_hash);
  return link;
}

ChainCheck verify_chain(const std::vector<ChainLink>& links,
                        const std::map<std::int64_t, StepEvent>& steps,
                        const std::map<std::int64_t, SymptomVersion>& symptoms) {
  ChainCheck check;
  check.head = kGenesisHash;
  std::set<std::int64_t> chained_steps;
  std::set<std::int64_t> chained_symptoms;
  std::string previous = kGenesisHash;
  auto fail = [&](const std::string& problem) {
    check.ok = false;
    check.problem = problem;
    return check;
  };
  for (const auto& link : links) {
    ++check.links;
    if (link.seq != static_cast<std::int64_t>(check.links)) {
      return fail("event " + std::to_string(check.links) +
                  " is missing from the chain (the next link is numbered " +
                  std::to_string(link.seq) + ")");
    }
    std::string content;
    if (link.kind == ChainKind::kStep) {
      auto it = steps.find(link.ref);
      if (it == steps.end()) return fail(describe(link) + ": the event was removed");
      content = canonical_text(it->second);
      chained_steps.insert(link.ref);
    } else {
      auto it = symptoms.find(link.ref);
      if (it == symptoms.end()) return fail(describe(link) + ": the event was removed");
      content = canonical_text(it->second);
      chained_symptoms.insert(link.ref);
    }
    if (sha256_hex(content) != link.content_hash) {
      return fail(describe(link) + ": its content was changed after it was stored");
    }
    if (link.prev_hash != previous) {
      return fail(describe(link) + ": it does not follow the event before it");
    }
    if (link_hash(link.seq, link.kind, link.ref, link.content_hash, link.prev_hash) != link.hash) {
      return fail(describe(link) + ": its link hash was changed");
    }
    previous = link.hash;
  }
  check.head = previous;
  for (const auto& [seq, event] : steps) {
    if (!chained_steps.count(seq)) {
      return fail("step log row " + std::to_string(seq) +
                  " is not in the chain (added outside the app)");
    }
  }
  for (const auto& [row, version] : symptoms) {
    if (!chained_symptoms.count(row)) {
      return fail("symptom entry row " + std::to_string(row) +
                  " is not in the chain (added outside the app)");
    }
  }
  return check;
}

}  // namespace aftercare
