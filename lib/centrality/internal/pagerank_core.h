// The PageRank power iteration shared by the Graphalytics kernel (PlainGraph, unweighted,
// directed or not) and polegraph::PageRankCentrality (WeightedGraph, optionally weighted).
//
// Page, Brin, Motwani, Winograd, "The PageRank Citation Ranking" (1999):
//   PR_0(v) = 1/n,  PR_i(v) = (1 - d)/n + d * sum_{u in N_in(v)} w_uv PR_{i-1}(u) / W_out(u)
//                             + d/n * sum_{u dangling} PR_{i-1}(u),
// where W_out(u) is u's out-degree (or out-strength) and dangling vertices have W_out = 0.
// Pull formulation (GAP pr.cc): each iteration stores every vertex's contribution
// PR(u)/W_out(u), then each vertex sums w_uv * contribution over its in-neighbours in adjacency
// order — no atomics; the dangling mass is a DeterministicSum. Every floating-point operation
// happens in the same order at any thread count, so the result is bit-identical.
// Cost: O(iterations * (n + m)); three double arrays.
#ifndef POLEGRAPH_LIB_CENTRALITY_INTERNAL_PAGERANK_CORE_H_
#define POLEGRAPH_LIB_CENTRALITY_INTERNAL_PAGERANK_CORE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "parallel/parallel.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

namespace polegraph::internal {

// out_mass(v): W_out(v) as a double. pull(v, contrib): sum over in-neighbours u of
// w_uv * contrib[u], in a fixed order.
template <typename OutMass, typename Pull>
absl::StatusOr<std::vector<double>> PageRankIterate(NodeId n, int iterations, double damping,
                                                    OutMass&& out_mass, Pull&& pull,
                                                    const QueryContext& ctx) {
  const int threads = ctx.threads;
  if (n == 0) return std::vector<double>{};
  const double inv_n = 1.0 / static_cast<double>(n);
  std::vector<double> rank(n, inv_n), next(n), contrib(n);
  for (int it = 0; it < iterations; ++it) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const double dangling = DeterministicSum<double>(n, threads, [&](std::size_t v) {
      return out_mass(static_cast<NodeId>(v)) == 0.0 ? rank[v] : 0.0;
    });
    ParallelFor(0, n, threads, [&](std::size_t v) {
      const double d = out_mass(static_cast<NodeId>(v));
      contrib[v] = d == 0.0 ? 0.0 : rank[v] / d;
    });
    const double base = (1.0 - damping) * inv_n + damping * inv_n * dangling;
    ParallelForDynamic(
        0, n, threads,
        [&](std::size_t v) { next[v] = base + damping * pull(static_cast<NodeId>(v), contrib); },
        /*grain=*/1024);
    rank.swap(next);
  }
  return rank;
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_CENTRALITY_INTERNAL_PAGERANK_CORE_H_
