// Internal entry points of the community algorithms, dispatched by DetectCommunities
// (communities.cc), one per file.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_COMMUNITIES_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_COMMUNITIES_H_

#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "polegraph/networks.h"

namespace polegraph::internal {

absl::StatusOr<Partition> Louvain(const WeightedGraph& graph, const CommunityOptions& options,
                                  const QueryContext& ctx);
absl::StatusOr<Partition> Leiden(const WeightedGraph& graph, const CommunityOptions& options,
                                 const QueryContext& ctx);
absl::StatusOr<Partition> LabelPropagation(const WeightedGraph& graph,
                                           const CommunityOptions& options,
                                           const QueryContext& ctx);

// Renumbers `labels` by smallest member and computes modularity at `resolution` (on `threads`
// threads; the same value at any thread count).
Partition FinishPartition(const WeightedGraph& graph, std::vector<NodeId> labels, double resolution,
                          int levels, int threads);
// The same, given each vertex's strength as MakeLevelGraph sums it (LevelGraph::strength of
// level 0) and whether every arc weight is 1.0 (LevelGraph::unit_weights; then no weight is
// read): the same modularity to the bit, with less to read. renumbered: labels are already
// numbered by each community's smallest vertex (Renumber), so they are not renumbered again.
Partition FinishPartition(const WeightedGraph& graph, std::vector<NodeId> labels, double resolution,
                          int levels, int threads, std::span<const double> strength,
                          bool unit_weights, bool renumbered = false);

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_COMMUNITIES_H_
