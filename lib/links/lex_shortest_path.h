// The lexicographically smallest shortest path between two nodes of a filtered view, avoiding
// blocked nodes and edges: the spur search of Yen's algorithm (k_shortest_paths.cc).
//
// How: a sequential reverse BFS from the target, bounded by max_hops and stopped after the
// level that reaches the source, gives d(v) = hops from v to the target; then a greedy walk
// from the source takes, at each node u, the smallest (node id, EdgeId) step to a node v with
// d(v) = d(u) - 1. Every prefix of the walk can be completed to a shortest path, so the walk
// is the smallest shortest path in (node id, EdgeId) sequence order.
// Cost: O(explored nodes + edges) per call; the distance array is reused between calls (only
// touched entries are reset), so repeated calls do not pay O(n) each.
#ifndef POLEGRAPH_LIB_LINKS_LEX_SHORTEST_PATH_H_
#define POLEGRAPH_LIB_LINKS_LEX_SHORTEST_PATH_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "links/filtered_view.h"

namespace polegraph::links_internal {

class LexShortestPath {
 public:
  explicit LexShortestPath(const FilteredView& view);

  // The path's steps (node, edge) after the source, or nullopt when the target is not within
  // max_hops. blocked_nodes is indexed by NodeId (nonzero = blocked); the source and target
  // must not be blocked.
  std::optional<std::vector<StepKey>> Find(NodeId source, NodeId target, std::uint32_t max_hops,
                                           const std::vector<std::uint8_t>& blocked_nodes,
                                           const absl::flat_hash_set<EdgeId>& blocked_edges);

 private:
  const FilteredView& view_;
  std::vector<std::uint32_t> dist_;
  std::vector<NodeId> touched_;
};

}  // namespace polegraph::links_internal

#endif  // POLEGRAPH_LIB_LINKS_LEX_SHORTEST_PATH_H_
