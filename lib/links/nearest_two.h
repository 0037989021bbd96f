// For every node, its two nearest distinct subjects within a hop bound: a multi-source BFS that
// carries up to two (subject, distance) labels per node (used by connecting_network.cc).
#ifndef POLEGRAPH_LIB_LINKS_NEAREST_TWO_H_
#define POLEGRAPH_LIB_LINKS_NEAREST_TWO_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "links/filtered_view.h"
#include "polegraph/links.h"

namespace polegraph::links_internal {

inline constexpr std::uint32_t kNoSubject = 0xffffffffu;

// Labels of one node: subject[i] (an index into the subject list) at dist[i], nearest first;
// unused slots hold kNoSubject / kUnreached.
struct NearestTwo {
  std::uint32_t subject[2] = {kNoSubject, kNoSubject};
  std::uint32_t dist[2] = {kUnreached, kUnreached};
};

// Labels by NodeId for subjects[i] (sorted, distinct) searched forward or in reverse, up to
// max_hops. Among subjects at the same distance the smaller index wins.
absl::Status NearestTwoSubjects(const FilteredView& view, std::span<const NodeId> subjects,
                                bool reverse, std::uint32_t max_hops, const QueryContext& ctx,
                                std::vector<NearestTwo>& labels);

// min over i, j with a.subject[i] != b.subject[j] of a.dist[i] + b.dist[j] (kUnreached if
// there is no such pair): the shortest walk between two different subjects through a point
// whose "from" labels are a and "to" labels are b.
inline std::uint32_t BestPair(const NearestTwo& a, const NearestTwo& b) {
  std::uint32_t best = kUnreached;
  for (int i = 0; i < 2; ++i) {
    if (a.subject[i] == kNoSubject) continue;
    for (int j = 0; j < 2; ++j) {
      if (b.subject[j] == kNoSubject || b.subject[j] == a.subject[i]) continue;
      best = std::min(best, a.dist[i] + b.dist[j]);
    }
  }
  return best;
}

}  // namespace polegraph::links_internal

#endif  // POLEGRAPH_LIB_LINKS_NEAREST_TWO_H_
