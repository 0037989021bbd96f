// ShortestPath: one shortest path between two entities by bidirectional BFS.
//
// How: a forward search from `from` (the filter's direction) and a reverse search from `to`
// (level_bfs.cc), each stepped one level at a time; the side with the smaller frontier (fewer
// CSR entries to scan) expands. The first time a newly reached level meets the other search,
// the shortest length is L = min over the met nodes v of d_from(v) + d_to(v): no node was in
// both searches before the step, so every path has length >= depth_f + depth_b, and a met
// node attains it. The meeting node is the smallest id with that sum; each half of the path
// follows the searches' smallest-(node, EdgeId) parents, so the result is deterministic.
// Cost: work and memory traffic proportional to the two balls explored (O(n + m) worst):
// the searches run in LevelBfs's latency mode (pooled per-thread distance arrays reset entry
// by entry, parents found on demand for the path's nodes only) over a view without a per-node
// mask, so a query that explores a few nodes does not pay O(n).
// Reference: I. Pohl, "Bi-directional search", Machine Intelligence 6 (1971).
#include <algorithm>
#include <utility>

#include "links/chart.h"
#include "links/filtered_view.h"
#include "links/level_bfs.h"
#include "polegraph/links.h"

namespace polegraph {

using links_internal::FilteredView;
using links_internal::kNoStep;
using links_internal::LevelBfs;
using links_internal::StepEdge;
using links_internal::StepKey;
using links_internal::StepNode;

absl::StatusOr<PathResult> ShortestPath(const Graph& graph, NodeId from, NodeId to,
                                        const PathOptions& options, const QueryContext& ctx) {
  const NodeId ends[] = {from, to};
  auto view = FilteredView::Make(graph, options.filter, ctx, ends, /*lazy_nodes=*/true);
  if (!view.ok()) return view.status();
  PathResult result;
  if (from == to) {
    result.hops = 0;
    result.count = links_internal::MakeCount(1);
    result.chart.paths.push_back(links_internal::MakePath(graph, {from}, {}));
    links_internal::AddPathItems(graph, result.chart, [](NodeId) { return 0u; });
    return result;
  }
  // Parents on demand: only the path's nodes need them.
  LevelBfs forward(*view, /*reverse=*/false, nullptr, /*store_parents=*/false);
  LevelBfs backward(*view, /*reverse=*/true, nullptr, /*store_parents=*/false);
  forward.Start(std::span<const NodeId>(&from, 1));
  backward.Start(std::span<const NodeId>(&to, 1));
  std::uint64_t forward_scout = view->scan_degree(from, false);
  std::uint64_t backward_scout = view->scan_degree(to, true);

  NodeId meet = kNoNode;
  std::uint32_t best = kUnreached;
  while (forward.depth() + backward.depth() < options.max_hops && !forward.finished() &&
         !backward.finished()) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const bool step_forward = forward_scout <= backward_scout;
    LevelBfs& side = step_forward ? forward : backward;
    const LevelBfs& other = step_forward ? backward : forward;
    side.Step();
    std::uint64_t scout = 0;
    for (NodeId v : side.level()) {
      scout += view->scan_degree(v, !step_forward);
      const std::uint32_t d = other.dist(v);
      if (d == kUnreached) continue;
      const std::uint32_t total = side.depth() + d;
      if (total < best || (total == best && v < meet)) {
        best = total;
        meet = v;
      }
    }
    (step_forward ? forward_scout : backward_scout) = scout;
    if (meet != kNoNode) break;
  }
  if (meet == kNoNode) return result;

  // from .. meet by forward parents, then meet .. to by backward parents.
  std::vector<NodeId> nodes{meet};
  std::vector<EdgeId> edges;
  for (StepKey k = forward.parent(meet); k != kNoStep; k = forward.parent(StepNode(k))) {
    edges.push_back(StepEdge(k));
    nodes.push_back(StepNode(k));
  }
  std::reverse(nodes.begin(), nodes.end());
  std::reverse(edges.begin(), edges.end());
  for (StepKey k = backward.parent(meet); k != kNoStep; k = backward.parent(StepNode(k))) {
    edges.push_back(StepEdge(k));
    nodes.push_back(StepNode(k));
  }
  result.hops = best;
  result.count = links_internal::MakeCount(1);
  LinkPath path = links_internal::MakePath(graph, nodes, edges);
  result.chart.paths.push_back(std::move(path));
  links_internal::AddPathItems(graph, result.chart, [&](NodeId v) {
    return static_cast<std::uint32_t>(std::find(nodes.begin(), nodes.end(), v) - nodes.begin());
  });
  return result;
}

}  // namespace polegraph
