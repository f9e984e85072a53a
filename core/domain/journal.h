#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/step_log.h"
#include "domain/symptom_log.h"

namespace aftercare {

/// Lower-case hex SHA-256 of `bytes` (OpenSSL libcrypto). Safe to call from several threads.
std::string sha256_hex(std::string_view bytes);

/// `bytes` random bytes as lower-case hex, from the operating system's generator (libsodium).
std::string random_hex(std::size_t bytes);

/// What kind of event a chain position holds.
enum class ChainKind {
  kStep,     ///< A row of the step log (check-off, skip, undo).
  kSymptom,  ///< A version of a symptom entry (logged, edited, deleted).
  kRecord,   ///< The rest of the record as it became: plans, zones, modes, settings.
};

/// A state of the record beside its events: appended whenever a plan, a zone change, a mode
/// change or a setting that changes verdicts or reminders is stored, it holds the SHA-256 of
/// each of them (record_sections), so that changing one outside the app breaks the chain.
struct RecordState {
  std::int64_t seq = 0;
  std::string sections;  ///< "NAME=SHA256\n" lines (record_sections).
  Instant recorded_at;
  ChainStamp chain;
};

const char* chain_kind_name(ChainKind kind);
std::optional<ChainKind> chain_kind_from(const std::string& name);

/// Appends `value` as "LENGTH:VALUE;", so that no two lists of fields share a text: how every
/// hashed or signed text is built.
void append_field(std::string& out, std::string_view value);
void append_field(std::string& out, std::int64_t value);

/// The prev_hash of the first event.
extern const std::string kGenesisHash;

/// The exact bytes that are hashed for an event: every stored field, length-prefixed, so that
/// no two different events share a text. A clinic recomputes these from an export.
std::string canonical_text(const StepEvent& event);
std::string canonical_text(const SymptomVersion& version);
std::string canonical_text(const RecordState& state);

/// The hash of event `seq`: covers its kind, its canonical text and the previous event's hash,
/// so changing, removing or reordering any event breaks every later one.
std::string link_hash(std::int64_t seq, ChainKind kind, std::string_view content,
                      const std::string& prev_hash);

/// The chain stamp of a new event that follows an event with hash `prev_hash`.
ChainStamp stamp(std::int64_t seq, ChainKind kind, std::string_view content,
                 const std::string& prev_hash);

/// The outcome of checking a whole chain.
struct ChainCheck {
  bool ok = true;
  std::size_t events = 0;
  std::string head;     ///< The last event's hash (kGenesisHash when empty).
  std::string problem;  ///< The first broken event, in words; empty when ok.
};

/// Checks every event in sequence order (step events by seq, symptom versions by row: one
/// numbering, 1, 2, 3, ... without gaps): each event's hash against its content and the event
/// before it. Names the first broken event.
ChainCheck verify_chain(const std::map<std::int64_t, StepEvent>& steps,
                        const std::map<std::int64_t, SymptomVersion>& symptoms,
                        const std::map<std::int64_t, RecordState>& records = {});

}  // namespace aftercare
