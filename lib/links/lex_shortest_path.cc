// The smallest shortest path in (node id, EdgeId) order; see lex_shortest_path.h.
#include "links/lex_shortest_path.h"

#include "polegraph/links.h"

namespace polegraph::links_internal {

LexShortestPath::LexShortestPath(const FilteredView& view)
    : view_(view), dist_(view.num_nodes(), kUnreached) {}

std::optional<std::vector<StepKey>> LexShortestPath::Find(
    NodeId source, NodeId target, std::uint32_t max_hops,
    const std::vector<std::uint8_t>& blocked_nodes,
    const absl::flat_hash_set<EdgeId>& blocked_edges) {
  for (NodeId v : touched_) dist_[v] = kUnreached;
  touched_.clear();
  dist_[target] = 0;
  touched_.push_back(target);
  std::vector<NodeId> level{target}, next;
  std::uint32_t depth = 0;
  while (dist_[source] == kUnreached && !level.empty() && depth < max_hops) {
    next.clear();
    for (NodeId u : level) {
      view_.ForEachStep(u, /*reverse=*/true, [&](NodeId v, EdgeId e) {
        if (dist_[v] != kUnreached || blocked_nodes[v] || blocked_edges.contains(e)) return;
        dist_[v] = depth + 1;
        touched_.push_back(v);
        next.push_back(v);
      });
    }
    level.swap(next);
    ++depth;
  }
  if (dist_[source] == kUnreached) return std::nullopt;
  std::vector<StepKey> steps;
  for (NodeId u = source; u != target;) {
    const std::uint32_t want = dist_[u] - 1;
    const StepKey k = view_.MinStep(u, /*reverse=*/false, [&](NodeId v, EdgeId e) {
      return dist_[v] == want && !blocked_nodes[v] && !blocked_edges.contains(e);
    });
    // A node at distance d >= 1 has a step to distance d - 1 by construction of the BFS.
    steps.push_back(k);
    u = StepNode(k);
  }
  return steps;
}

}  // namespace polegraph::links_internal
