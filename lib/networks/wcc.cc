// Graphalytics WCC: weakly connected components, labelled by the smallest external vertex id
// in each component.
//
// Afforest (Sutton, Ben-Nun, Barak, "Optimizing Parallel Graph Connectivity Computation via
// Subgraph Sampling", IPDPS 2018), shared with polegraph::ConnectedComponents in
// networks/internal/afforest.h: subgraph sampling links two neighbours per vertex, a sample
// finds the giant component, and only vertices outside it link their remaining edges (in a
// directed graph also their in-edges, so an edge from the giant component to a vertex outside
// it is seen from the other end). Each component's smallest dense id ends as its root at any
// thread count. A final pass replaces each root by the smallest external id of its component
// (the root's own id when the .v file is sorted, as the specification requires).
// ctx.Check() is polled between phases.
// Cost: O(n + m) work in practice (near-linear union-find); one NodeId per vertex.
#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

#include "networks/internal/afforest.h"
#include "parallel/frontier.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {

absl::StatusOr<std::vector<std::int64_t>> Wcc(const PlainGraph& g, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  if (n == 0) return std::vector<std::int64_t>{};
  absl::StatusOr<std::vector<NodeId>> roots = internal::AfforestComponents(
      n, g.directed(), [&](NodeId v) { return g.out_neighbours(v); },
      [&](NodeId v) { return g.in_neighbours(v); }, ctx);
  if (!roots.ok()) return roots.status();
  // Label each component by its smallest external id.
  const std::vector<NodeId>& comp = *roots;
  std::vector<std::atomic<std::int64_t>> smallest(n);
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    smallest[v].store(std::numeric_limits<std::int64_t>::max(), std::memory_order_relaxed);
  });
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    internal::AtomicMin(smallest[comp[v]], g.external_id(static_cast<NodeId>(v)));
  });
  std::vector<std::int64_t> label(n);
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    label[v] = smallest[comp[v]].load(std::memory_order_relaxed);
  });
  return label;
}

}  // namespace polegraph::graphalytics
