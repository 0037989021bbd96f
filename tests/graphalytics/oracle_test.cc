// Each kernel against an independent oracle on random graphs: Boost.Graph for BFS, Dijkstra
// and connected components (on an adjacency_list built from the same edges), plain
// sequential reference implementations (written here from the specification's pseudo-code)
// for CDLP, PageRank and LCC. Also: identical output at 1, 2 and 8 threads.
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <catch2/catch.hpp>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "polegraph/graphalytics.h"
#include "test_graphs.h"

namespace ga = polegraph::graphalytics;
using polegraph::NodeId;
using polegraph::PlainGraph;
using polegraph::testing::Ctx;
using polegraph::testing::RandomGraph;

namespace {

using BoostDigraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// The same edges as g (each undirected edge once per direction for a digraph).
BoostDigraph ToBoost(const PlainGraph& g) {
  BoostDigraph b(g.num_nodes());
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    auto adj = g.out_neighbours(v);
    auto w = g.out_weights(v);
    for (std::size_t i = 0; i < adj.size(); ++i) {
      boost::add_edge(v, adj[i], w.empty() ? 1.0 : w[i], b);
    }
  }
  return b;
}

std::vector<std::int64_t> BoostBfs(const PlainGraph& g, NodeId source) {
  BoostDigraph b = ToBoost(g);
  std::vector<std::int64_t> depth(g.num_nodes(), ga::kUnreachable);
  depth[source] = 0;
  boost::breadth_first_search(
      b, source,
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(
          boost::make_iterator_property_map(depth.begin(), boost::get(boost::vertex_index, b)),
          boost::on_tree_edge()))));
  return depth;
}

std::vector<double> BoostDijkstra(const PlainGraph& g, NodeId source) {
  BoostDigraph b = ToBoost(g);
  std::vector<double> dist(g.num_nodes());
  boost::dijkstra_shortest_paths(b, source, boost::distance_map(dist.data()));
  for (double& d : dist) {
    if (d == std::numeric_limits<double>::max()) d = std::numeric_limits<double>::infinity();
  }
  return dist;
}

// Components by Boost, relabelled with the smallest external id of each component.
std::vector<std::int64_t> BoostWcc(const PlainGraph& g) {
  BoostGraph b(g.num_nodes());
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    for (NodeId u : g.out_neighbours(v)) boost::add_edge(v, u, b);
  }
  std::vector<int> comp(g.num_nodes());
  int k = boost::connected_components(b, comp.data());
  std::vector<std::int64_t> smallest(static_cast<std::size_t>(k),
                                     std::numeric_limits<std::int64_t>::max());
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    smallest[comp[v]] = std::min(smallest[comp[v]], g.external_id(v));
  }
  std::vector<std::int64_t> label(g.num_nodes());
  for (NodeId v = 0; v < g.num_nodes(); ++v) label[v] = smallest[comp[v]];
  return label;
}

// Edge set of g as (u, w) pairs, for the references.
std::set<std::pair<NodeId, NodeId>> Edges(const PlainGraph& g) {
  std::set<std::pair<NodeId, NodeId>> e;
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    for (NodeId u : g.out_neighbours(v)) e.insert({v, u});
  }
  return e;
}

// Specification pseudo-code for CDLP, with std::map histograms.
std::vector<std::int64_t> ReferenceCdlp(const PlainGraph& g, int iterations) {
  auto edges = Edges(g);
  const NodeId n = g.num_nodes();
  std::vector<std::vector<NodeId>> in(n), out(n);
  for (auto [a, b] : edges) {
    out[a].push_back(b);
    in[b].push_back(a);
  }
  std::vector<std::int64_t> label = g.external_ids();
  for (int it = 0; it < iterations; ++it) {
    std::vector<std::int64_t> next(n);
    for (NodeId v = 0; v < n; ++v) {
      std::map<std::int64_t, int> hist;
      for (NodeId u : in[v]) ++hist[label[u]];
      for (NodeId u : out[v]) ++hist[label[u]];
      if (hist.empty()) {
        next[v] = label[v];
        continue;
      }
      int best = 0;
      for (auto [l, c] : hist) best = std::max(best, c);
      for (auto [l, c] : hist) {
        if (c == best) {
          next[v] = l;  // map order: the smallest label with the maximum count
          break;
        }
      }
    }
    label = next;
  }
  return label;
}

std::vector<double> ReferencePageRank(const PlainGraph& g, int iterations, double d) {
  auto edges = Edges(g);
  const NodeId n = g.num_nodes();
  std::vector<int> outdeg(n, 0);
  for (auto [a, b] : edges) ++outdeg[a];
  std::vector<double> rank(n, 1.0 / n);
  for (int it = 0; it < iterations; ++it) {
    double sink = 0;
    for (NodeId v = 0; v < n; ++v) sink += outdeg[v] == 0 ? rank[v] : 0.0;
    std::vector<double> next(n, (1 - d) / n + d * sink / n);
    for (auto [a, b] : edges) next[b] += d * rank[a] / outdeg[a];
    rank = next;
  }
  return rank;
}

std::vector<double> ReferenceLcc(const PlainGraph& g) {
  auto edges = Edges(g);
  const NodeId n = g.num_nodes();
  std::vector<std::set<NodeId>> nbr(n);
  for (auto [a, b] : edges) {
    nbr[a].insert(b);
    nbr[b].insert(a);
  }
  std::vector<double> lcc(n, 0.0);
  for (NodeId v = 0; v < n; ++v) {
    double d = static_cast<double>(nbr[v].size());
    if (d <= 1) continue;
    int t = 0;
    for (NodeId u : nbr[v]) {
      for (NodeId w : nbr[v]) t += edges.count({u, w});
    }
    lcc[v] = t / (d * (d - 1));
  }
  return lcc;
}

template <typename T>
bool BitIdentical(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

}  // namespace

TEST_CASE("BFS, SSSP and WCC match Boost.Graph on random graphs", "[oracle]") {
  for (bool directed : {true, false}) {
    for (std::uint64_t seed : {1, 2, 3}) {
      // Sparse (many components, long paths) and dense (bottom-up BFS steps) graphs.
      for (std::size_t m : {3'000, 40'000}) {
        INFO("directed " << directed << " seed " << seed << " m " << m);
        PlainGraph g = RandomGraph(4'000, m, directed, /*weighted=*/true, seed);
        NodeId source = static_cast<NodeId>(seed * 101 % g.num_nodes());
        auto bfs = ga::Bfs(g, source, Ctx(2));
        REQUIRE(bfs.ok());
        CHECK(*bfs == BoostBfs(g, source));
        auto sssp = ga::Sssp(g, source, Ctx(2));
        REQUIRE(sssp.ok());
        CHECK(*sssp == BoostDijkstra(g, source));  // exact: see the determinism note in sssp.cc
        auto wcc = ga::Wcc(g, Ctx(2));
        REQUIRE(wcc.ok());
        CHECK(*wcc == BoostWcc(g));
      }
    }
  }
}

TEST_CASE("CDLP, PageRank and LCC match sequential references on random graphs", "[oracle]") {
  for (bool directed : {true, false}) {
    for (std::uint64_t seed : {4, 5}) {
      INFO("directed " << directed << " seed " << seed);
      PlainGraph g = RandomGraph(1'500, 9'000, directed, /*weighted=*/false, seed);
      auto cdlp = ga::Cdlp(g, 5, Ctx(2));
      REQUIRE(cdlp.ok());
      CHECK(*cdlp == ReferenceCdlp(g, 5));
      auto pr = ga::PageRank(g, 12, 0.85, Ctx(2));
      REQUIRE(pr.ok());
      auto ref = ReferencePageRank(g, 12, 0.85);
      for (NodeId v = 0; v < g.num_nodes(); ++v) REQUIRE((*pr)[v] == Approx(ref[v]).epsilon(1e-12));
      auto lcc = ga::Lcc(g, Ctx(2));
      REQUIRE(lcc.ok());
      CHECK(*lcc == ReferenceLcc(g));
    }
  }
}

TEST_CASE("Every kernel gives bit-identical output at 1, 2 and 8 threads",
          "[oracle][determinism]") {
  for (bool directed : {true, false}) {
    PlainGraph g = RandomGraph(20'000, 160'000, directed, /*weighted=*/true, 9, 8);
    auto run = [&](int t) {
      auto ctx = Ctx(t);
      return std::make_tuple(*ga::Bfs(g, 17, ctx), *ga::Sssp(g, 17, ctx), *ga::Wcc(g, ctx),
                             *ga::Cdlp(g, 4, ctx), *ga::PageRank(g, 10, 0.85, ctx),
                             *ga::Lcc(g, ctx));
    };
    auto one = run(1);
    for (int t : {2, 8}) {
      INFO("directed " << directed << " threads " << t);
      auto other = run(t);
      CHECK(std::get<0>(one) == std::get<0>(other));
      CHECK(BitIdentical(std::get<1>(one), std::get<1>(other)));
      CHECK(std::get<2>(one) == std::get<2>(other));
      CHECK(std::get<3>(one) == std::get<3>(other));
      CHECK(BitIdentical(std::get<4>(one), std::get<4>(other)));
      CHECK(BitIdentical(std::get<5>(one), std::get<5>(other)));
    }
  }
}
