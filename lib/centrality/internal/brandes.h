// Exact Brandes dependencies from a given list of sources: the kernel under
// polegraph::Betweenness (all sources) and the per-source benchmark on large graphs (a fixed
// sample of sources). See betweenness.cc for the algorithm.
#ifndef POLEGRAPH_LIB_CENTRALITY_INTERNAL_BRANDES_H_
#define POLEGRAPH_LIB_CENTRALITY_INTERNAL_BRANDES_H_

#include <span>
#include <vector>

#include "absl/status/status.h"
#include "polegraph/query.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::internal {

// Adds sum over s in `sources` of delta_s(v) (Brandes' dependency of s on v; counted from
// both ends of a pair, so not yet halved) into bc[v] for every v; bc must have num_nodes()
// entries. The sources are cut into blocks of a fixed size, each block summed sequentially
// in list order, and the block sums are added into bc in block order: the result is
// bit-identical at any ctx.threads. Sources must be < num_nodes() (asserted, not checked).
// Polls ctx.Check() between rounds of blocks; on error bc holds a partial sum.
// Cost: O(|sources| m) time; O(threads * (n + m)) scratch (see betweenness.cc).
absl::Status AddDependencies(const WeightedGraph& g, std::span<const NodeId> sources,
                             const QueryContext& ctx, std::vector<double>& bc);

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_CENTRALITY_INTERNAL_BRANDES_H_
