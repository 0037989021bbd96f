// Prefetch hints along a WeightedGraph for the multilevel loops that know the vertices they
// will visit a few steps ahead (local moving's evaluation, refinement's gather pass, the
// renumbering of level 0): a vertex's arcs, and per-vertex entries at its neighbours. Hints
// only (graph/prefetch.h): results never depend on them.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_ARC_PREFETCH_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_ARC_PREFETCH_H_

#include <cstddef>

#include "graph/prefetch.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::internal {

// The first and last lines of v's targets and, with_weights, of its weights (a graph whose
// weights are all 1.0 may have no weight array: see LevelGraph). Reads v's offsets, so fetch
// those earlier.
inline void PrefetchArcs(const WeightedGraph& g, NodeId v, bool with_weights) {
  const EdgeIndex lo = g.offsets[v], hi = g.offsets[v + 1];
  if (hi == lo) return;
  PrefetchLine(g.targets.data() + lo);
  PrefetchLine(g.targets.data() + hi - 1);
  if (with_weights) {
    PrefetchLine(g.arc_weights.data() + lo);
    PrefetchLine(g.arc_weights.data() + hi - 1);
  }
}

// The entries of a per-vertex array at v's neighbours (e.g. their communities), when v has at
// most max_degree of them (more hints would only push each other out of the cache). Reads v's
// arcs, so fetch those earlier.
template <typename T>
inline void PrefetchAtNeighbours(const WeightedGraph& g, NodeId v, const T* per_vertex,
                                 std::size_t max_degree) {
  const auto adj = g.neighbours(v);
  if (adj.size() > max_degree) return;
  for (NodeId u : adj) PrefetchLine(per_vertex + u);
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_ARC_PREFETCH_H_
