// polegraph/weighted_graph.h — a weighted undirected graph in CSR form: the input of the
// community and centrality algorithms (networks.h, centrality.h). Build one from a person
// projection of a snapshot (networks.h: ProjectPersons), from a PlainGraph, or from an edge
// list in memory.
//
// Layout: vertices 0..n-1, 64-bit offsets, every undirected edge stored in both directions,
// each adjacency list sorted by neighbour id, weights (finite, > 0) parallel to the neighbour
// array. No self-loops and no repeated edges: construction sums the weights of repeated edges
// (u-v and v-u are the same edge) and drops self-loops.
//
// Example:
//   std::vector<polegraph::WeightedEdge> edges = {{0, 1, 2.0}, {1, 2, 1.0}};
//   absl::StatusOr<polegraph::WeightedGraph> g =
//       polegraph::WeightedGraph::FromEdges(/*num_nodes=*/3, edges, /*threads=*/2);
//   for (std::size_t i = 0; i < g->neighbours(1).size(); ++i)
//     use(g->neighbours(1)[i], g->weights(1)[i]);
#ifndef POLEGRAPH_WEIGHTED_GRAPH_H_
#define POLEGRAPH_WEIGHTED_GRAPH_H_

#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "polegraph/plain_graph.h"
#include "polegraph/types.h"

namespace polegraph {

struct WeightedEdge {
  NodeId u = 0;
  NodeId v = 0;
  double weight = 1.0;
};

// Immutable after construction by convention; safe to read from any number of threads.
// The members are public, so a graph can be filled by hand; every function of centrality.h
// and networks.h that takes a WeightedGraph first checks it with Validate (one pass over the
// arrays, on the call's threads) and returns its InvalidArgument rather than read out of
// bounds. Graphs made by FromEdges or FromPlain always pass.
struct WeightedGraph {
  std::vector<EdgeIndex> offsets{0};  // num_nodes + 1
  std::vector<NodeId> targets;        // 2 * num_edges, sorted within each vertex
  std::vector<double> arc_weights;    // parallel to targets

  NodeId num_nodes() const { return static_cast<NodeId>(offsets.size() - 1); }
  EdgeIndex num_arcs() const { return targets.size(); }  // 2 * undirected edges
  EdgeIndex num_edges() const { return targets.size() / 2; }
  EdgeIndex degree(NodeId v) const { return offsets[v + 1] - offsets[v]; }
  std::span<const NodeId> neighbours(NodeId v) const {
    return {targets.data() + offsets[v], targets.data() + offsets[v + 1]};
  }
  std::span<const double> weights(NodeId v) const {
    return {arc_weights.data() + offsets[v], arc_weights.data() + offsets[v + 1]};
  }

  // Edges between vertices < num_nodes with finite weights > 0; repeated edges are summed
  // (in a fixed order, so the result is the same at any thread count), self-loops dropped.
  // InvalidArgument names the first bad edge, or a repeated edge whose weights sum past the
  // range of a double. O(m log m).
  static absl::StatusOr<WeightedGraph> FromEdges(NodeId num_nodes,
                                                 std::span<const WeightedEdge> edges, int threads);
  // A PlainGraph with direction ignored: an undirected graph keeps its edges; a directed one
  // gets weight(u-v) = w(u->v) + w(v->u). Unweighted graphs get weight 1 per edge; edges of
  // weight 0 are dropped. Vertex ids are the PlainGraph's dense ids.
  static absl::StatusOr<WeightedGraph> FromPlain(const PlainGraph& g, int threads);

  // OK when the arrays form a graph of the layout above: `offsets` non-empty, starting at 0,
  // non-decreasing, ending at targets.size() == arc_weights.size(); every target a vertex
  // other than its source; each vertex's neighbours strictly ascending (so no repeated edge);
  // every weight finite and > 0; every arc u->v matched by its mirror v->u of the same weight
  // (tested by a sum of 64-bit hashes in which each arc and its mirror cancel: a missing or
  // different mirror goes unnoticed only if other hashes happen to cancel it). Otherwise
  // InvalidArgument naming the first bad vertex or arc (in vertex order, whatever `threads`).
  // One pass, O(n + m), on `threads` threads.
  absl::Status Validate(int threads = 1) const;
};

}  // namespace polegraph

#endif  // POLEGRAPH_WEIGHTED_GRAPH_H_
