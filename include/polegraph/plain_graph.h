// polegraph/plain_graph.h — a plain (unlabelled) graph in CSR form, loaded from edge-list
// files, for the LDBC Graphalytics driver and for benchmarks on standard graphs. It has none
// of the POLE snapshot's kinds, labels or provenance (see graph.h for that).
//
// Layout (GAP style): 32-bit dense vertex ids 0..n-1, 64-bit offsets, out- and in-adjacency
// as parallel arrays, each adjacency list sorted by neighbour id (then weight), optional
// double weights in arrays parallel to the neighbour arrays. Dense ids follow the .v file
// order (Graphalytics) or ascending external id (plain edge lists); external_id() maps back.
// An undirected graph stores every edge in both directions and its in-adjacency is its
// out-adjacency; num_edges() counts each undirected edge once, as the input lists it.
//
// Loading is deterministic (same file -> same arrays at any thread count). Errors of the
// loaders, each naming the file: the errno status of open / fstat (NotFound, PermissionDenied,
// ...); InvalidArgument for a path that is not a regular file (a directory, FIFO, device) and
// for malformed input, naming file:line (a bad id or weight, a weight out of a double's range,
// a missing or extra column, an endpoint not in the vertex file, a listed-twice vertex, a
// self-loop or repeated edge without `simplify`, more than 2^32-2 vertices); DataLoss for a
// read error; ResourceExhausted when the file does not fit in memory.
//
// Example:
//   absl::StatusOr<polegraph::PlainGraph> g = polegraph::PlainGraph::LoadGraphalytics(
//       "G.v", "G.e", {.directed = true, .weighted = false}, /*threads=*/4);
//   if (!g.ok()) return g.status();
//   for (polegraph::NodeId u : g->out_neighbours(0)) ...
//   std::optional<polegraph::NodeId> v = g->Find(/*external id=*/4242);
#ifndef POLEGRAPH_PLAIN_GRAPH_H_
#define POLEGRAPH_PLAIN_GRAPH_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "polegraph/types.h"

namespace polegraph {

struct PlainGraphOptions {
  bool directed = true;
  // Read a third column as a non-negative finite double weight (required on every line).
  bool weighted = false;
  // false: a self-loop or a repeated edge is an error (the Graphalytics format forbids both).
  // true: self-loops and repeated edges are dropped (the lightest copy of an edge is kept).
  bool simplify = false;
};

// One input edge in external ids, for PlainGraph::FromEdges.
struct PlainEdge {
  std::int64_t source = 0;
  std::int64_t target = 0;
  double weight = 1.0;
};

// Immutable after construction; safe to read from any number of threads. Movable.
class PlainGraph {
 public:
  PlainGraph() = default;

  // Graphalytics EVLP: `vertex_path` has one vertex id per line, `edge_path` has
  // "src dst" or "src dst weight" per line (separated by spaces or tabs). Every edge endpoint
  // must be listed in the vertex file. Empty lines are skipped. O(n + m log d).
  static absl::StatusOr<PlainGraph> LoadGraphalytics(const std::string& vertex_path,
                                                     const std::string& edge_path,
                                                     const PlainGraphOptions& options, int threads);
  // A plain edge list ("src dst [weight]"); vertices are the ids that occur in edges, dense
  // ids in ascending external order. Lines starting with '#' or '%' are comments.
  static absl::StatusOr<PlainGraph> LoadEdgeList(const std::string& path,
                                                 const PlainGraphOptions& options, int threads);
  // From memory: `vertices` in the order that defines dense ids (distinct), `edges` between
  // them (weights ignored unless options.weighted). InvalidArgument, naming the edge by its
  // index, for a vertex listed twice, an endpoint not in `vertices`, a self-loop or repeated
  // edge without options.simplify, a negative or non-finite weight, or 2^32-1 vertices.
  static absl::StatusOr<PlainGraph> FromEdges(std::vector<std::int64_t> vertices,
                                              const std::vector<PlainEdge>& edges,
                                              const PlainGraphOptions& options, int threads);

  NodeId num_nodes() const { return static_cast<NodeId>(external_ids_.size()); }
  EdgeIndex num_edges() const { return num_edges_; }
  bool directed() const { return directed_; }
  bool weighted() const { return weighted_; }

  std::span<const NodeId> out_neighbours(NodeId v) const {
    return {out_targets_.data() + out_offsets_[v], out_targets_.data() + out_offsets_[v + 1]};
  }
  std::span<const NodeId> in_neighbours(NodeId v) const {
    const auto& off = directed_ ? in_offsets_ : out_offsets_;
    const auto& tgt = directed_ ? in_sources_ : out_targets_;
    return {tgt.data() + off[v], tgt.data() + off[v + 1]};
  }
  // Weights parallel to out_neighbours(v) / in_neighbours(v); empty when unweighted.
  std::span<const double> out_weights(NodeId v) const {
    if (!weighted_) return {};
    return {out_weights_.data() + out_offsets_[v], out_weights_.data() + out_offsets_[v + 1]};
  }
  std::span<const double> in_weights(NodeId v) const {
    if (!weighted_) return {};
    const auto& off = directed_ ? in_offsets_ : out_offsets_;
    const auto& w = directed_ ? in_weights_ : out_weights_;
    return {w.data() + off[v], w.data() + off[v + 1]};
  }
  EdgeIndex out_degree(NodeId v) const { return out_offsets_[v + 1] - out_offsets_[v]; }
  EdgeIndex in_degree(NodeId v) const {
    const auto& off = directed_ ? in_offsets_ : out_offsets_;
    return off[v + 1] - off[v];
  }
  // Number of stored out-adjacency entries (2 * num_edges() when undirected).
  EdgeIndex num_arcs() const { return out_offsets_.empty() ? 0 : out_offsets_.back(); }

  std::int64_t external_id(NodeId v) const { return external_ids_[v]; }
  const std::vector<std::int64_t>& external_ids() const { return external_ids_; }
  // Dense id of an external id, or nullopt. O(1).
  std::optional<NodeId> Find(std::int64_t external) const;

 private:
  friend class PlainGraphBuilder;
  bool directed_ = true;
  bool weighted_ = false;
  EdgeIndex num_edges_ = 0;
  std::vector<EdgeIndex> out_offsets_{0};
  std::vector<NodeId> out_targets_;
  std::vector<double> out_weights_;
  std::vector<EdgeIndex> in_offsets_{0};  // directed only
  std::vector<NodeId> in_sources_;
  std::vector<double> in_weights_;
  std::vector<std::int64_t> external_ids_;
  // External -> dense: arithmetic when the ids are one ascending run, else the map.
  bool contiguous_ids_ = true;
  std::int64_t first_id_ = 0;
  absl::flat_hash_map<std::int64_t, NodeId> id_map_;
};

}  // namespace polegraph

#endif  // POLEGRAPH_PLAIN_GRAPH_H_
