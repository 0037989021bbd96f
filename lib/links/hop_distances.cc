// HopDistances: the public face of the direction-optimising BFS (level_bfs.cc) — multi-source
// hop distances and smallest-(node, EdgeId) parents over the filtered view.
// Cost: O(n + m) work, O(n) memory, ctx.threads; ctx.Check() between levels.
#include "links/filtered_view.h"
#include "links/level_bfs.h"
#include "parallel/parallel.h"
#include "polegraph/links.h"

namespace polegraph {

absl::StatusOr<HopTree> HopDistances(const Graph& graph, std::span<const NodeId> sources,
                                     const TraversalFilter& filter, std::uint32_t max_hops,
                                     const QueryContext& ctx) {
  if (sources.empty()) {
    return absl::InvalidArgumentError("HopDistances: no sources given; name at least one");
  }
  auto view = links_internal::FilteredView::Make(graph, filter, ctx, sources);
  if (!view.ok()) return view.status();
  links_internal::LevelBfs bfs(*view, /*reverse=*/false);
  bfs.Start(sources);
  if (absl::Status s = bfs.Run(max_hops, ctx); !s.ok()) return s;
  HopTree tree;
  const std::vector<links_internal::StepKey> parents = std::move(bfs).TakeParents();
  tree.distance = std::move(bfs).TakeDistances();
  tree.parent.assign(parents.size(), kNoNode);
  tree.parent_edge.assign(parents.size(), kNoEdge);
  internal::ParallelFor(0, parents.size(), ctx.threads, [&](std::size_t v) {
    if (parents[v] == links_internal::kNoStep) return;
    tree.parent[v] = links_internal::StepNode(parents[v]);
    tree.parent_edge[v] = links_internal::StepEdge(parents[v]);
  });
  return tree;
}

}  // namespace polegraph
