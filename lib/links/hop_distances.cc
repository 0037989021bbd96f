// HopDistances: the public face of the direction-optimising BFS (level_bfs.cc) — multi-source
// hop distances and smallest-(node, EdgeId) parents over the filtered view.
// Cost: O(n + m) work, ctx.threads; ctx.Check() between levels. Memory: the search's three
// per-node arrays become the HopTree's (moved, not copied), so a call allocates 12 bytes per
// node plus the BFS's bitmaps and level buffers, once, whatever the number of hops.
#include <utility>

#include "links/filtered_view.h"
#include "links/level_bfs.h"
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
  tree.parent = std::move(bfs).TakeParentNodes();
  tree.parent_edge = std::move(bfs).TakeParentEdges();
  tree.distance = std::move(bfs).TakeDistances();
  return tree;
}

}  // namespace polegraph
