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

/// Lower-case hex SHA-256 of `bytes` (libsodium).
std::string sha256_hex(std::string_view bytes);

/// What a link of the tamper-evident chain points at.
enum class ChainKind {
  kStep,     ///< A row of the step log (check-off, skip, undo).
  kSymptom,  ///< A version of a symptom entry (logged, edited, deleted).
};

const char* chain_kind_name(ChainKind kind);
std::optional<ChainKind> chain_kind_from(const std::string& name);

/// One link: every stored event gets one, in the order they were stored. `hash` covers the
/// previous link's hash, so changing, removing or reordering any event breaks every later link.
struct ChainLink {
  std::int64_t seq = 0;  ///< 1, 2, 3, ... without gaps.
  ChainKind kind = ChainKind::kStep;
  std::int64_t ref = 0;  ///< The event's row: StepEvent::seq or SymptomVersion::row.
  std::string content_hash;
  std::string prev_hash;  ///< kGenesisHash for the first link.
  std::string hash;
};

/// The prev_hash of the first link.
extern const std::string kGenesisHash;

/// The exact bytes that are hashed for an event: every stored field, length-prefixed, so that
/// no two different events share a text. A clinic recomputes these from an export.
std::string canonical_text(const StepEvent& event);
std::string canonical_text(const SymptomVersion& version);

/// The link's hash from its parts.
std::string link_hash(std::int64_t seq, ChainKind kind, std::int64_t ref,
                      const std::string& content_hash, const std::string& prev_hash);

/// The next link after `previous` (nullopt: the first) for an event with `content`.
ChainLink next_link(const std::optional<ChainLink>& previous, ChainKind kind, std::int64_t ref,
                    std::string_view content);

/// The outcome of checking a whole chain.
struct ChainCheck {
  bool ok = true;
  std::size_t links = 0;
  std::string head;     ///< The last link's hash (kGenesisHash when empty).
  std::string problem;  ///< The first broken link, in words; empty when ok.
};

/// Checks every link in order against the events it points at (`steps` by seq, `symptoms` by
/// row): content hashes, the previous-hash links, the numbering, and that no stored event is
/// missing from the chain. Names the first broken link.
ChainCheck verify_chain(const std::vector<ChainLink>& links,
                        const std::map<std::int64_t, StepEvent>& steps,
                        const std::map<std::int64_t, SymptomVersion>& symptoms);

}  // namespace aftercare
