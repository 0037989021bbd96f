// Helpers shared by the link analyses: turning node ids, edge ids and parent pointers into the
// LinkChart of links.h (names, kinds, times, provenance), and saturating path counts.
#ifndef POLEGRAPH_LIB_LINKS_CHART_H_
#define POLEGRAPH_LIB_LINKS_CHART_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/numeric/int128.h"
#include "links/filtered_view.h"
#include "polegraph/graph.h"
#include "polegraph/links.h"

namespace polegraph::links_internal {

inline constexpr absl::uint128 kCountMax = absl::Uint128Max();

// a + b, saturating at kCountMax.
inline absl::uint128 SaturatingAdd(absl::uint128 a, absl::uint128 b) {
  return a > kCountMax - b ? kCountMax : a + b;
}
inline PathCount MakeCount(absl::uint128 v) { return PathCount{v, v == kCountMax}; }

LinkNode MakeNode(const Graph& g, NodeId v, std::uint32_t distance);
LinkEdge MakeEdge(const Graph& g, EdgeId e);
LinkPath MakePath(const Graph& g, std::vector<NodeId> nodes, std::vector<EdgeId> edges);

// The path from a search's source to v, following parents (StepKey of the previous node).
LinkPath PathToNode(const Graph& g, const std::vector<StepKey>& parents, NodeId v);

// Adds to chart.nodes / chart.edges every node and edge of chart.paths (plus those already
// there), sorted by id and deduplicated. distance(v) gives LinkNode::distance.
void AddPathItems(const Graph& g, LinkChart& chart,
                  const std::function<std::uint32_t(NodeId)>& distance);

// Sets chart.nodes / chart.edges from sorted, deduplicated ids.
void SetNodes(const Graph& g, const std::vector<NodeId>& ids,
              const std::function<std::uint32_t(NodeId)>& distance, LinkChart& chart);
void SetEdges(const Graph& g, const std::vector<EdgeId>& ids, LinkChart& chart);

// Validates a subject list: not empty. Returns the subjects sorted and deduplicated.
absl::StatusOr<std::vector<NodeId>> SortedSubjects(std::span<const NodeId> subjects,
                                                   const char* what);

}  // namespace polegraph::links_internal

#endif  // POLEGRAPH_LIB_LINKS_CHART_H_
