// Internal: WeightedGraph::Validate on several threads, for the entry points of centrality.h
// and networks.h, which also get the graph's total arc weight from the same pass.
#ifndef POLEGRAPH_LIB_GRAPH_WEIGHTED_GRAPH_CHECK_H_
#define POLEGRAPH_LIB_GRAPH_WEIGHTED_GRAPH_CHECK_H_

#include "absl/status/status.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::internal {

// The checks of WeightedGraph::Validate, over blocks of vertices on `threads` threads; the
// first violation in vertex order is reported, so the message is the same at any thread
// count. When the graph is valid and total_weight is not null, *total_weight is the sum of
// every arc's weight (2m: each edge counted from both ends), each vertex's arcs in adjacency
// order and the vertices in fixed blocks of 4096 (DeterministicSum): bit-identical at any
// thread count. One pass over offsets, targets and arc_weights.
absl::Status CheckWeightedGraph(const WeightedGraph& g, int threads, double* total_weight);

// InvalidArgument when the total arc weight (2m) times `resolution` is not finite: the
// quantities of modularity (gamma k_v tot_c / 2m, with tot_c up to 2m) would overflow.
// `who` starts the message ("DetectCommunities").
absl::Status CheckTotalWeight(double total_weight, double resolution, const char* who);

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_WEIGHTED_GRAPH_CHECK_H_
