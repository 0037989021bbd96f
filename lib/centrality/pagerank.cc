// Graphalytics PageRank: a fixed number of power iterations with dangling-vertex
// redistribution.
//
// Page, Brin, Motwani, Winograd, "The PageRank Citation Ranking" (1999), in the form the
// LDBC Graphalytics specification fixes: PR_0(v) = 1/|V| and
//   PR_i(v) = (1 - d)/|V| + d * sum_{u in N_in(v)} PR_{i-1}(u)/|N_out(u)|
//             + d/|V| * sum_{u dangling} PR_{i-1}(u),
// where dangling vertices are those without out-edges.
//
// The power iteration is centrality/internal/pagerank_core.h (pull formulation, no atomics,
// dangling mass by DeterministicSum), shared with polegraph::PageRankCentrality: the result
// is bit-identical at 1, 2 or 64 threads.
// ctx.Check() is polled between iterations.
// Cost: O(iterations * (n + m)); three double arrays.
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "centrality/internal/pagerank_core.h"
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
  return internal::PageRankIterate(
      g.num_nodes(), iterations, damping,
      [&](NodeId v) { return static_cast<double>(g.out_degree(v)); },
      [&](NodeId v, const std::vector<double>& contrib) {
        double sum = 0.0;
        for (NodeId u : g.in_neighbours(v)) sum += contrib[u];
        return sum;
      },
      ctx);
}

}  // namespace polegraph::graphalytics
