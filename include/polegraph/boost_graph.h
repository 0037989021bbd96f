// polegraph/boost_graph.h — polegraph::Graph as a Boost.Graph graph.
//
// Including this header makes a `const polegraph::Graph` model the BGL concepts IncidenceGraph,
// BidirectionalGraph, AdjacencyGraph, VertexListGraph and EdgeListGraph, with a vertex_index
// property map (the NodeId itself) and an edge_index map (the EdgeId), so BGL algorithms run on
// a snapshot directly, without copying it:
//   vertex_descriptor = polegraph::NodeId, edge_descriptor = polegraph::bgl::Edge
//   (source, target, EdgeId), directed_category = bidirectional_tag, parallel edges allowed.
// Edges are the directed edges of the snapshot; per-edge values (weights) are easily kept in a
// vector indexed by EdgeId. The adapter ignores access labels: filter the graph first (e.g.
// boost::filtered_graph with Graph::VisibleLabels) when a clearance applies.
//
// Example:
//   std::vector<int> dist(g.num_nodes());
//   std::vector<double> w(g.num_edges(), 1.0);
//   boost::dijkstra_shortest_paths(g, source,
//       boost::weight_map(boost::make_iterator_property_map(w.begin(),
//                                                           get(boost::edge_index, g)))
//           .distance_map(dist.data()));
// All operations are O(1) except edge iteration setup (O(1) amortised per edge); the adapter
// is as thread-safe as the Graph (read-only).
#ifndef POLEGRAPH_BOOST_GRAPH_H_
#define POLEGRAPH_BOOST_GRAPH_H_

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <cstddef>
#include <utility>

#include "polegraph/graph.h"

namespace polegraph {
namespace bgl {

// A directed edge: its endpoints and its EdgeId (position in the out-CSR). Out-edge and
// in-edge iteration give equal descriptors for the same edge.
struct Edge {
  NodeId source = kNoNode;
  NodeId target = kNoNode;
  EdgeId id = 0;
  friend bool operator==(const Edge& a, const Edge& b) {
    return a.id == b.id && a.source == b.source && a.target == b.target;
  }
  friend bool operator!=(const Edge& a, const Edge& b) { return !(a == b); }
};

struct TraversalCategory : virtual boost::incidence_graph_tag,
                           virtual boost::bidirectional_graph_tag,
                           virtual boost::adjacency_graph_tag,
                           virtual boost::vertex_list_graph_tag,
                           virtual boost::edge_list_graph_tag {};

// Out-edges of one node: positions e in [out_offsets[u], out_offsets[u+1]).
class OutEdgeIterator : public boost::iterator_facade<OutEdgeIterator, Edge,
                                                      boost::random_access_traversal_tag, Edge> {
 public:
  OutEdgeIterator() = default;
  OutEdgeIterator(NodeId u, const NodeId* targets, EdgeIndex e) : u_(u), targets_(targets), e_(e) {}

 private:
  friend class boost::iterator_core_access;
  Edge dereference() const { return {u_, targets_[e_], static_cast<EdgeId>(e_)}; }
  bool equal(const OutEdgeIterator& o) const { return e_ == o.e_; }
  void increment() { ++e_; }
  void decrement() { --e_; }
  void advance(std::ptrdiff_t n) {
    e_ = static_cast<EdgeIndex>(static_cast<std::ptrdiff_t>(e_) + n);
  }
  std::ptrdiff_t distance_to(const OutEdgeIterator& o) const {
    return static_cast<std::ptrdiff_t>(o.e_) - static_cast<std::ptrdiff_t>(e_);
  }
  NodeId u_ = kNoNode;
  const NodeId* targets_ = nullptr;
  EdgeIndex e_ = 0;
};

// In-edges of one node: positions i in [in_offsets[v], in_offsets[v+1]).
class InEdgeIterator : public boost::iterator_facade<InEdgeIterator, Edge,
                                                     boost::random_access_traversal_tag, Edge> {
 public:
  InEdgeIterator() = default;
  InEdgeIterator(NodeId v, const NodeId* sources, const EdgeId* ids, EdgeIndex i)
      : v_(v), sources_(sources), ids_(ids), i_(i) {}

 private:
  friend class boost::iterator_core_access;
  Edge dereference() const { return {sources_[i_], v_, ids_[i_]}; }
  bool equal(const InEdgeIterator& o) const { return i_ == o.i_; }
  void increment() { ++i_; }
  void decrement() { --i_; }
  void advance(std::ptrdiff_t n) {
    i_ = static_cast<EdgeIndex>(static_cast<std::ptrdiff_t>(i_) + n);
  }
  std::ptrdiff_t distance_to(const InEdgeIterator& o) const {
    return static_cast<std::ptrdiff_t>(o.i_) - static_cast<std::ptrdiff_t>(i_);
  }
  NodeId v_ = kNoNode;
  const NodeId* sources_ = nullptr;
  const EdgeId* ids_ = nullptr;
  EdgeIndex i_ = 0;
};

// All edges in EdgeId order, tracking the source node as it goes.
class EdgeIterator
    : public boost::iterator_facade<EdgeIterator, Edge, boost::forward_traversal_tag, Edge> {
 public:
  EdgeIterator() = default;
  EdgeIterator(const Graph& g, EdgeIndex e)
      : offsets_(g.out_offsets().data()),
        targets_(g.out_neighbours().data()),
        n_(g.num_nodes()),
        e_(e) {
    u_ = e >= g.num_edges() ? n_ : g.edge_source(static_cast<EdgeId>(e));
  }

 private:
  friend class boost::iterator_core_access;
  void Settle() {
    while (u_ < n_ && offsets_[u_ + 1] <= e_) ++u_;
  }
  Edge dereference() const { return {u_, targets_[e_], static_cast<EdgeId>(e_)}; }
  bool equal(const EdgeIterator& o) const { return e_ == o.e_; }
  void increment() {
    ++e_;
    Settle();
  }
  const EdgeIndex* offsets_ = nullptr;
  const NodeId* targets_ = nullptr;
  NodeId n_ = 0;
  NodeId u_ = 0;
  EdgeIndex e_ = 0;
};

// The edge_index property map: an edge's EdgeId.
struct EdgeIdMap {
  using key_type = Edge;
  using value_type = EdgeId;
  using reference = EdgeId;
  using category = boost::readable_property_map_tag;
};
inline EdgeId get(EdgeIdMap, const Edge& e) { return e.id; }

}  // namespace bgl

// --- the BGL free functions, found by argument-dependent lookup ------------------------------
inline NodeId source(const bgl::Edge& e, const Graph&) { return e.source; }
inline NodeId target(const bgl::Edge& e, const Graph&) { return e.target; }

inline std::pair<bgl::OutEdgeIterator, bgl::OutEdgeIterator> out_edges(NodeId u, const Graph& g) {
  const NodeId* t = g.out_neighbours().data();
  return {bgl::OutEdgeIterator(u, t, g.out_offsets()[u]),
          bgl::OutEdgeIterator(u, t, g.out_offsets()[u + 1])};
}
inline EdgeIndex out_degree(NodeId u, const Graph& g) { return g.out_degree(u); }

inline std::pair<bgl::InEdgeIterator, bgl::InEdgeIterator> in_edges(NodeId v, const Graph& g) {
  const NodeId* s = g.in_neighbours().data();
  const EdgeId* ids = g.in_edge().data();
  return {bgl::InEdgeIterator(v, s, ids, g.in_offsets()[v]),
          bgl::InEdgeIterator(v, s, ids, g.in_offsets()[v + 1])};
}
inline EdgeIndex in_degree(NodeId v, const Graph& g) { return g.in_degree(v); }
inline EdgeIndex degree(NodeId v, const Graph& g) { return g.in_degree(v) + g.out_degree(v); }

inline std::pair<const NodeId*, const NodeId*> adjacent_vertices(NodeId u, const Graph& g) {
  const NodeId* t = g.out_neighbours().data();
  return {t + g.out_offsets()[u], t + g.out_offsets()[u + 1]};
}

inline std::pair<boost::counting_iterator<NodeId>, boost::counting_iterator<NodeId>> vertices(
    const Graph& g) {
  return {boost::counting_iterator<NodeId>(0), boost::counting_iterator<NodeId>(g.num_nodes())};
}
inline NodeId num_vertices(const Graph& g) { return g.num_nodes(); }

inline std::pair<bgl::EdgeIterator, bgl::EdgeIterator> edges(const Graph& g) {
  return {bgl::EdgeIterator(g, 0), bgl::EdgeIterator(g, g.num_edges())};
}
inline EdgeIndex num_edges(const Graph& g) { return g.num_edges(); }

inline boost::typed_identity_property_map<NodeId> get(boost::vertex_index_t, const Graph&) {
  return {};
}
inline NodeId get(boost::vertex_index_t, const Graph&, NodeId v) { return v; }
inline bgl::EdgeIdMap get(boost::edge_index_t, const Graph&) { return {}; }
inline EdgeId get(boost::edge_index_t, const Graph&, const bgl::Edge& e) { return e.id; }

}  // namespace polegraph

namespace boost {

template <>
struct graph_traits<polegraph::Graph> {
  using vertex_descriptor = polegraph::NodeId;
  using edge_descriptor = polegraph::bgl::Edge;
  using directed_category = bidirectional_tag;
  using edge_parallel_category = allow_parallel_edge_tag;
  using traversal_category = polegraph::bgl::TraversalCategory;
  using out_edge_iterator = polegraph::bgl::OutEdgeIterator;
  using in_edge_iterator = polegraph::bgl::InEdgeIterator;
  using adjacency_iterator = const polegraph::NodeId*;
  using vertex_iterator = counting_iterator<polegraph::NodeId>;
  using edge_iterator = polegraph::bgl::EdgeIterator;
  using vertices_size_type = polegraph::NodeId;
  using edges_size_type = polegraph::EdgeIndex;
  using degree_size_type = polegraph::EdgeIndex;
  static vertex_descriptor null_vertex() { return polegraph::kNoNode; }
};

template <>
struct property_map<polegraph::Graph, vertex_index_t> {
  using type = typed_identity_property_map<polegraph::NodeId>;
  using const_type = type;
};
template <>
struct property_map<const polegraph::Graph, vertex_index_t>
    : property_map<polegraph::Graph, vertex_index_t> {};
template <>
struct property_map<polegraph::Graph, edge_index_t> {
  using type = polegraph::bgl::EdgeIdMap;
  using const_type = type;
};
template <>
struct property_map<const polegraph::Graph, edge_index_t>
    : property_map<polegraph::Graph, edge_index_t> {};

}  // namespace boost

#endif  // POLEGRAPH_BOOST_GRAPH_H_
