// Internal: builds a PlainGraph's CSR arrays from edges in dense ids (used by the loaders in
// plain_graph_load.cc and by PlainGraph::FromEdges).
//
// Parallel CSR build in three passes (GAP builder style): count degrees, prefix sum into
// offsets, scatter with an atomic cursor per vertex; then sort each adjacency list by
// (neighbour, weight), which makes the arrays independent of the scatter order and so of the
// thread count. Repeated edges are found on the sorted lists (dropped or reported).
#ifndef POLEGRAPH_LIB_GRAPH_PLAIN_GRAPH_BUILDER_H_
#define POLEGRAPH_LIB_GRAPH_PLAIN_GRAPH_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "polegraph/plain_graph.h"

namespace polegraph {

// Edges in dense ids, as parallel arrays (weights empty when unweighted).
struct DenseEdges {
  std::vector<NodeId> source;
  std::vector<NodeId> target;
  std::vector<double> weight;
};

class PlainGraphBuilder {
 public:
  // Installs the vertex table (dense id i = ids[i]) and its external -> dense index.
  // InvalidArgument naming the id when an id occurs twice; `index_of_duplicate` (if not null)
  // receives the position of the second occurrence.
  static absl::Status SetVertices(PlainGraph& g, std::vector<std::int64_t> ids,
                                  std::size_t* index_of_duplicate = nullptr);
  // Builds the adjacency from `edges` (self-loops must already be removed or rejected).
  // `what` names the input in error messages (a file name).
  static absl::Status BuildAdjacency(PlainGraph& g, DenseEdges edges,
                                     const PlainGraphOptions& options, int threads,
                                     const std::string& what);
};

}  // namespace polegraph

#endif  // POLEGRAPH_LIB_GRAPH_PLAIN_GRAPH_BUILDER_H_
