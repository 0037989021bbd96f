// The Boost.Graph adapter: concept checks, then BGL algorithms (BFS, Dijkstra, strongly
// connected components, BFS on the reversed graph) run on the snapshot directly and on a
// boost::adjacency_list built from the same edge facts; the results must agree, on graphs
// built in memory and on snapshots opened from disk.
#include "polegraph/boost_graph.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <catch2/catch.hpp>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "graph/graph_fixtures.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

using G = Graph;
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<G>));
BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<G>));
BOOST_CONCEPT_ASSERT((boost::AdjacencyGraphConcept<G>));
BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<G>));
BOOST_CONCEPT_ASSERT((boost::EdgeListGraphConcept<G>));
BOOST_CONCEPT_ASSERT((boost::ReadablePropertyGraphConcept<G, NodeId, boost::vertex_index_t>));

using Oracle =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                          boost::property<boost::edge_weight_t, int>>;

int Weight(std::int64_t time) { return static_cast<int>(time - 1700000000) + 1; }

// BGL functions are called unqualified (found by argument-dependent lookup), as BGL does.

// The oracle from the facts (node ids looked up by name in the snapshot).
Oracle MakeOracle(const testing::Facts& f, const Graph& g) {
  Oracle o(g.num_nodes());
  for (const auto& e : f.edges) {
    const auto& a = f.nodes[static_cast<std::size_t>(e.from)];
    const auto& b = f.nodes[static_cast<std::size_t>(e.to)];
    const NodeId u = *g.Find(a.kind, a.key), v = *g.Find(b.kind, b.key);
    boost::add_edge(u, v, Weight(e.time), o);
  }
  return o;
}

template <typename Graph_>
std::vector<int> BfsDistances(const Graph_& graph, NodeId s, std::size_t n) {
  std::vector<int> dist(n, -1);
  dist[s] = 0;
  auto on_tree = [&dist](auto e, const Graph_& gr) {
    dist[target(e, gr)] = dist[source(e, gr)] + 1;
  };
  struct Visitor : boost::default_bfs_visitor {
    decltype(on_tree)* f;
    void tree_edge(typename boost::graph_traits<Graph_>::edge_descriptor e, const Graph_& gr) {
      (*f)(e, gr);
    }
  } vis;
  vis.f = &on_tree;
  boost::breadth_first_search(graph, s, boost::visitor(vis));
  return dist;
}

// Components as "smallest member" labels, so two labelings can be compared.
std::vector<NodeId> Canonical(const std::vector<int>& comp) {
  std::map<int, NodeId> smallest;
  for (NodeId v = 0; v < comp.size(); ++v) smallest.try_emplace(comp[v], v);
  std::vector<NodeId> out(comp.size());
  for (NodeId v = 0; v < comp.size(); ++v) out[v] = smallest[comp[v]];
  return out;
}

// Every BGL comparison of `g` (through the adapter) with the oracle `o` of the same edges.
void RequireAgrees(const Graph& g, const Oracle& o) {
  REQUIRE(num_vertices(g) == num_vertices(o));

  // Degrees and adjacency sets (distinct neighbours, as parallel edges may collapse).
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    std::set<NodeId> a, b, ia, ib;
    for (auto [it, end] = adjacent_vertices(v, g); it != end; ++it) a.insert(*it);
    for (auto [it, end] = adjacent_vertices(v, o); it != end; ++it) {
      b.insert(static_cast<NodeId>(*it));
    }
    for (auto [it, end] = in_edges(v, g); it != end; ++it) {
      REQUIRE(target(*it, g) == v);
      ia.insert(source(*it, g));
    }
    for (auto [it, end] = in_edges(v, o); it != end; ++it) {
      ib.insert(static_cast<NodeId>(source(*it, o)));
    }
    REQUIRE(a == b);
    REQUIRE(ia == ib);
    REQUIRE(degree(v, g) == in_degree(v, g) + out_degree(v, g));
  }
  // edges(g) visits every edge once, in EdgeId order, with the right endpoints.
  EdgeId expected_id = 0;
  for (auto [it, end] = edges(g); it != end; ++it, ++expected_id) {
    REQUIRE(it->id == expected_id);
    REQUIRE(source(*it, g) == g.edge_source(expected_id));
    REQUIRE(target(*it, g) == g.edge_target(expected_id));
  }
  REQUIRE(expected_id == num_edges(g));

  std::vector<int> weight(g.num_edges());
  for (EdgeIndex e = 0; e < g.num_edges(); ++e) {
    weight[e] = Weight(static_cast<std::int64_t>(g.edge_time()[e]));
  }
  auto wmap = boost::make_iterator_property_map(weight.begin(), get(boost::edge_index, g));
  for (NodeId s : {NodeId{0}, static_cast<NodeId>(g.num_nodes() / 2),
                   static_cast<NodeId>(g.num_nodes() - 1)}) {
    REQUIRE(BfsDistances(g, s, g.num_nodes()) == BfsDistances(o, s, g.num_nodes()));
    const auto rg = boost::make_reverse_graph(g);
    const auto ro = boost::make_reverse_graph(o);
    REQUIRE(BfsDistances(rg, s, g.num_nodes()) == BfsDistances(ro, s, g.num_nodes()));

    std::vector<int> da(g.num_nodes()), db(g.num_nodes());
    boost::dijkstra_shortest_paths(g, s, boost::weight_map(wmap).distance_map(da.data()));
    boost::dijkstra_shortest_paths(o, s, boost::distance_map(db.data()));
    REQUIRE(da == db);
  }
  std::vector<int> ca(g.num_nodes()), cb(g.num_nodes());
  const int na = boost::strong_components(
      g, boost::make_iterator_property_map(ca.begin(), get(boost::vertex_index, g)));
  const int nb = boost::strong_components(
      o, boost::make_iterator_property_map(cb.begin(), get(boost::vertex_index, o)));
  REQUIRE(na == nb);
  REQUIRE(Canonical(ca) == Canonical(cb));
}

TEST_CASE("BGL algorithms on the adapter agree with adjacency_list", "[graph][bgl]") {
  const testing::Shape shapes[] = {testing::Shape::kUniform, testing::Shape::kStar,
                                   testing::Shape::kChain, testing::Shape::kDense,
                                   testing::Shape::kIsolated};
  for (int si = 0; si < 5; ++si) {
    for (std::uint32_t n : {1u, 40u, 700u}) {
      CAPTURE(si, n);
      const testing::Facts f = testing::RandomFacts(n, n * 3, shapes[si], 100u + n + si);
      auto gp = testing::BuildOrDie(f, 0, 2);
      RequireAgrees(*gp, MakeOracle(f, *gp));
    }
  }
}

TEST_CASE("BGL algorithms on an opened (memory-mapped) snapshot agree with adjacency_list",
          "[graph][bgl]") {
  // The adapter reads the snapshot's mapped arrays, not the builder's: the same checks on a
  // graph saved and opened again, for two shapes.
  for (testing::Shape shape : {testing::Shape::kUniform, testing::Shape::kDense}) {
    const testing::Facts f = testing::RandomFacts(700, 2100, shape, 901u);
    auto built = testing::BuildOrDie(f, 0, 2);
    const std::string path = testing::TempPath("bgl_opened.pg");
    REQUIRE(SaveSnapshot(*built, path).ok());
    absl::StatusOr<std::shared_ptr<const Graph>> opened = OpenSnapshot(path);
    REQUIRE(opened.ok());
    RequireAgrees(**opened, MakeOracle(f, **opened));
  }
}

// Only the edges a clearance may see: boost::filtered_graph over the adapter, with the label
// test of Graph::VisibleLabels, against an adjacency_list of the visible edge facts only.
struct VisibleEdge {
  const Graph* g = nullptr;
  const std::vector<bool>* visible = nullptr;
  bool operator()(const bgl::Edge& e) const { return (*visible)[g->edge_label()[e.id]]; }
};

TEST_CASE("filtered_graph by clearance agrees with an oracle of visible edges", "[graph][bgl]") {
  const testing::Facts f = testing::RandomFacts(400, 1600, testing::Shape::kUniform, 77);
  auto gp = testing::BuildOrDie(f, 0, 2);
  const Graph& g = *gp;
  Clearance c;
  c.level = Classification::kOfficialSensitive;
  c.caveats = {"ORCON"};
  const std::vector<bool> visible = g.VisibleLabels(c);
  Oracle o(g.num_nodes());
  int kept = 0;
  for (const auto& e : f.edges) {
    const auto& lab = f.labels[static_cast<std::size_t>(e.label)];
    // Fixture labels: OFFICIAL/MPS, OS/WMP/ORCON, SECRET/MPS/{UKEO,ORCON}, OFFICIAL/GMP.
    if (lab.classification > c.level) continue;
    const auto& a = f.nodes[static_cast<std::size_t>(e.from)];
    const auto& b = f.nodes[static_cast<std::size_t>(e.to)];
    boost::add_edge(*g.Find(a.kind, a.key), *g.Find(b.kind, b.key), 1, o);
    ++kept;
  }
  REQUIRE(kept > 0);
  REQUIRE(kept < static_cast<int>(f.edges.size()));
  boost::filtered_graph<Graph, VisibleEdge> fg(g, VisibleEdge{&g, &visible});
  for (NodeId s : {NodeId{0}, NodeId{17}, NodeId{200}}) {
    REQUIRE(BfsDistances(fg, s, g.num_nodes()) == BfsDistances(o, s, g.num_nodes()));
  }
}

}  // namespace
}  // namespace polegraph
