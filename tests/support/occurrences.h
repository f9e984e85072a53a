#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "schedule/timeline.h"

namespace aftercare::test {

/// The item with occurrence id `id`, or null.
inline const StepItem* find_item(const std::vector<StepItem>& items, const std::string& id) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const StepItem& item) { return item.occurrence.id == id; });
  return it == items.end() ? nullptr : &*it;
}

/// The occurrences of one step, in their order.
inline std::vector<Occurrence> occurrences_of(const std::vector<Occurrence>& all,
                                              const std::string& step) {
  std::vector<Occurrence> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Occurrence& o) { return o.step->id.value() == step; });
  return out;
}

}  // namespace aftercare::test
