// Graphalytics PageRank: a fixed number of power iterations with dangling-vertex
// redistribution.
//
// Page, Brin, Motwani, Winograd, "The PageRank Citation Ranking" (1999), in the form the
// LDBC Graphalytics specification fixes: PR_0(v) = 1/|V| and
//   PR_i(v) = (1 - d)/|V| + d * sum_{u in N_in(v)} PR_{i-1}(u)/|N_out(u)|
//             + d/|V| * sum_{u dangling} PR_{i-1}(u),
// where dangling vertices are those without out-edges.
//
// Pull formulation (GAP pr.cc style): each iteration first stores every vertex's outgoing
// contribution rank/out_degree, then each vertex sums the contributions of its in-neighbours
// in adjacency order (sorted by id) — no atomics. The dangling sum is a DeterministicSum
// (fixed blocks added in a fixed order). Every floating-point operation therefore happens in
// the same order at any thread count and the result is bit-identical at 1, 2 or 64 threads.
// ctx.Check() is polled between iterations.
// Cost: O(iterations * (n + m)); three double arrays.
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {

absl::StatusOr<std::vector<double>> PageRank(const PlainGraph& g, int iterations, double damping,
                                             const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (iterations < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("PageRank iterations must be >= 0, got ", iterations));
  }
  if (!(damping >= 0.0 && damping <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("PageRank damping factor must be in [0, 1], got ", damping));
  }
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  if (n == 0) return std::vector<double>{};
  const double inv_n = 1.0 / static_cast<double>(n);
  std::vector<double> rank(n, inv_n), next(n), contrib(n);
  for (int it = 0; it < iterations; ++it) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const double dangling = internal::DeterministicSum<double>(n, threads, [&](std::size_t v) {
      return g.out_degree(static_cast<NodeId>(v)) == 0 ? rank[v] : 0.0;
    });
    internal::ParallelFor(0, n, threads, [&](std::size_t v) {
      const EdgeIndex d = g.out_degree(static_cast<NodeId>(v));
      contrib[v] = d == 0 ? 0.0 : rank[v] / static_cast<double>(d);
    });
    const double base = (1.0 - damping) * inv_n + damping * inv_n * dangling;
    internal::ParallelForDynamic(
        0, n, threads,
        [&](std::size_t v) {
          double sum = 0.0;
          for (NodeId u : g.in_neighbours(static_cast<NodeId>(v))) sum += contrib[u];
          next[v] = base + damping * sum;
        },
        /*grain=*/1024);
    rank.swap(next);
  }
  return rank;
}

}  // namespace polegraph::graphalytics
