// Internal entry points of the community algorithms, dispatched by DetectCommunities
// (communities.cc), one per file.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_COMMUNITIES_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_COMMUNITIES_H_

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

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_COMMUNITIES_H_
