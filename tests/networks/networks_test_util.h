// Graphs and oracles shared by the tests/networks tests: planted-partition graphs, two
// cliques joined by an edge, an independent modularity, and a per-community connectivity
// check by BFS.
#ifndef POLEGRAPH_TESTS_NETWORKS_NETWORKS_TEST_UTIL_H_
#define POLEGRAPH_TESTS_NETWORKS_NETWORKS_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "centrality/centrality_test_util.h"  // Threads(t)
#include "polegraph/networks.h"

namespace polegraph::testing {

inline WeightedGraph MakeGraph(NodeId n, const std::vector<WeightedEdge>& edges) {
  absl::StatusOr<WeightedGraph> g = WeightedGraph::FromEdges(n, edges, 1);
  REQUIRE(g.ok());
  return *std::move(g);
}

// Two cliques of `k` vertices, {0..k-1} and {k..2k-1}, joined by the edge (k-1, k).
inline WeightedGraph TwoCliques(NodeId k) {
  std::vector<WeightedEdge> e;
  for (NodeId off : {NodeId{0}, k}) {
    for (NodeId a = 0; a < k; ++a) {
      for (NodeId b = a + 1; b < k; ++b) e.push_back({off + a, off + b, 1.0});
    }
  }
  e.push_back({k - 1, k, 1.0});
  return MakeGraph(2 * k, e);
}

struct Planted {
  WeightedGraph graph;
  std::vector<std::uint32_t> truth;
};

// `groups` groups of `size` vertices; each pair inside a group is an edge with probability
// p_in, across groups with p_out. Vertex v is in group v % groups (so groups interleave ids).
inline Planted PlantedPartition(std::uint32_t groups, std::uint32_t size, double p_in, double p_out,
                                std::uint64_t seed) {
  const NodeId n = groups * size;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<WeightedEdge> e;
  Planted p;
  for (NodeId v = 0; v < n; ++v) p.truth.push_back(v % groups);
  for (NodeId a = 0; a < n; ++a) {
    for (NodeId b = a + 1; b < n; ++b) {
      if (unit(rng) < (p.truth[a] == p.truth[b] ? p_in : p_out)) e.push_back({a, b, 1.0});
    }
  }
  p.graph = MakeGraph(n, e);
  return p;
}

// Modularity from the definition, over all vertex pairs: O(n^2), independent of the library.
inline double BruteModularity(const WeightedGraph& g, const std::vector<std::uint32_t>& c,
                              double gamma = 1.0) {
  const NodeId n = g.num_nodes();
  std::vector<std::map<NodeId, double>> a(n);
  std::vector<double> k(n, 0.0);
  double two_m = 0.0;
  for (NodeId u = 0; u < n; ++u) {
    for (std::size_t i = 0; i < g.neighbours(u).size(); ++i) {
      a[u][g.neighbours(u)[i]] += g.weights(u)[i];
      k[u] += g.weights(u)[i];
      two_m += g.weights(u)[i];
    }
  }
  if (two_m == 0) return 0;
  double q = 0;
  for (NodeId i = 0; i < n; ++i) {
    for (NodeId j = 0; j < n; ++j) {
      if (c[i] != c[j]) continue;
      const double aij = a[i].count(j) ? a[i].at(j) : 0.0;
      q += aij - gamma * k[i] * k[j] / two_m;
    }
  }
  return q / two_m;
}

// True when every community induces a connected subgraph (BFS inside the community).
inline bool CommunitiesConnected(const WeightedGraph& g, const std::vector<std::uint32_t>& c) {
  const NodeId n = g.num_nodes();
  std::vector<bool> seen(n, false), community_seen(n + 1, false);
  for (NodeId s = 0; s < n; ++s) {
    if (seen[s]) continue;
    if (community_seen[c[s]]) return false;  // a second piece of a community already seen
    community_seen[c[s]] = true;
    std::vector<NodeId> queue = {s};
    seen[s] = true;
    for (std::size_t h = 0; h < queue.size(); ++h) {
      for (NodeId w : g.neighbours(queue[h])) {
        if (!seen[w] && c[w] == c[s]) {
          seen[w] = true;
          queue.push_back(w);
        }
      }
    }
  }
  return true;
}

// An R-MAT graph (2^scale vertices, 16 << scale draws, initiator 0.57/0.19/0.19/0.05) with
// irregular weights in [0.1, 3): skewed degrees (hubs of degree in the thousands at scale 14),
// like the Kronecker graphs of the benches.
inline WeightedGraph SkewedWeightedGraph(int scale, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<WeightedEdge> edges;
  for (int i = 0; i < 16 << scale; ++i) {
    NodeId a = 0, b = 0;
    for (int bit = 0; bit < scale; ++bit) {
      const double r = unit(rng);
      const NodeId ha = r >= 0.76 ? 1 : 0, hb = (r >= 0.57 && r < 0.76) || r >= 0.95 ? 1 : 0;
      a = a << 1 | ha;
      b = b << 1 | hb;
    }
    if (a != b) edges.push_back({a, b, 0.1 + 2.9 * unit(rng)});
  }
  return MakeGraph(NodeId{1} << scale, edges);
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_NETWORKS_NETWORKS_TEST_UTIL_H_
