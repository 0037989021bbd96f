// WeightedGraph construction (FromEdges, FromPlain): the base that every centrality and
// community test reads its adjacency from, so checked here against hand-worked arrays and an
// oracle built from the raw edge list, not from a WeightedGraph.
//
//   FromEdges(4, {0-1 w1, 1-0 w2, 2-2 w5, 3-1 w0.5, 1-3 w0.5}):
//     0-1 and 1-0 are one edge of weight 1 + 2 = 3; the self-loop 2-2 is dropped; 3-1 and 1-3
//     are one edge of weight 1. Vertex 2 keeps no edge.
//       vertex   0      1          2    3
//       targets  {1}    {0, 3}     {}   {1}
//       weights  {3}    {3, 1}     {}   {1}
//     offsets {0, 1, 3, 3, 4}, targets {1, 0, 3, 1}, arc_weights {3, 3, 1, 1}, 2 edges.
#include "polegraph/weighted_graph.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "polegraph/plain_graph.h"

namespace polegraph {
namespace {

using Arrays = std::tuple<std::vector<EdgeIndex>, std::vector<NodeId>, std::vector<double>>;

Arrays ArraysOf(const WeightedGraph& g) { return {g.offsets, g.targets, g.arc_weights}; }

TEST_CASE("FromEdges sums repeated edges both ways, drops self-loops and sorts adjacency") {
  const std::vector<WeightedEdge> edges = {
      {0, 1, 1.0}, {1, 0, 2.0}, {2, 2, 5.0}, {3, 1, 0.5}, {1, 3, 0.5}};
  for (int threads : {1, 2, 8}) {
    INFO(threads << " threads");
    absl::StatusOr<WeightedGraph> g = WeightedGraph::FromEdges(4, edges, threads);
    REQUIRE(g.ok());
    CHECK(g->offsets == std::vector<EdgeIndex>{0, 1, 3, 3, 4});
    CHECK(g->targets == std::vector<NodeId>{1, 0, 3, 1});
    CHECK(g->arc_weights == std::vector<double>{3, 3, 1, 1});
    CHECK(g->num_nodes() == 4);
    CHECK(g->num_edges() == 2);
    CHECK(g->num_arcs() == 4);
    CHECK(g->degree(2) == 0);
  }
}

TEST_CASE("FromEdges with no edges, and with no vertices") {
  absl::StatusOr<WeightedGraph> g = WeightedGraph::FromEdges(3, {}, 2);
  REQUIRE(g.ok());
  CHECK(g->offsets == std::vector<EdgeIndex>{0, 0, 0, 0});
  CHECK(g->targets.empty());
  CHECK(g->arc_weights.empty());
  absl::StatusOr<WeightedGraph> empty = WeightedGraph::FromEdges(0, {}, 1);
  REQUIRE(empty.ok());
  CHECK(empty->num_nodes() == 0);
  CHECK(empty->offsets == std::vector<EdgeIndex>{0});
}

TEST_CASE("FromEdges refuses an out-of-range vertex or a weight that is not finite and > 0") {
  const std::vector<WeightedEdge> out_of_range = {{0, 2, 1.0}};
  absl::StatusOr<WeightedGraph> g = WeightedGraph::FromEdges(2, out_of_range, 1);
  REQUIRE_FALSE(g.ok());
  CHECK(g.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(g.status().message()).find("edge 0 (0, 2): vertex out of range") !=
        std::string::npos);
  // The bad edge is named by its index, after a good one.
  for (double w : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    INFO("weight " << w);
    const std::vector<WeightedEdge> edges = {{0, 1, 1.0}, {1, 0, w}};
    absl::StatusOr<WeightedGraph> bad = WeightedGraph::FromEdges(2, edges, 2);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
    const std::string message(bad.status().message());
    CHECK(message.find("edge 1 (1, 0): weight ") != std::string::npos);
    CHECK(message.find("is not finite and > 0") != std::string::npos);
  }
  // A bad self-loop is refused too (checked before it is dropped).
  const std::vector<WeightedEdge> loop = {{1, 1, -2.0}};
  CHECK(WeightedGraph::FromEdges(2, loop, 1).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("FromEdges on random multigraphs matches sums over the raw edge list") {
  // Repeats (both ways) and self-loops on purpose; weights are multiples of 1/4, so every sum
  // is exact whatever the order of addition and the oracle may add in input order. 20000
  // edges give 40000 arcs: the parallel sort really splits.
  std::mt19937_64 rng(5);
  const NodeId n = 300;
  std::vector<WeightedEdge> edges;
  std::map<std::pair<NodeId, NodeId>, double> oracle;  // (u, v) both ways, u != v
  for (int i = 0; i < 20000; ++i) {
    const auto u = static_cast<NodeId>(rng() % n), v = static_cast<NodeId>(rng() % (n / 10));
    const double w = 0.25 * static_cast<double>(1 + rng() % 16);
    edges.push_back({u, v, w});
    if (u == v) continue;
    oracle[{u, v}] += w;
    oracle[{v, u}] += w;
  }
  std::vector<EdgeIndex> offsets(n + 1, 0);
  std::vector<NodeId> targets;
  std::vector<double> weights;
  for (const auto& [uv, w] : oracle) {  // ordered by (u, v): CSR order
    ++offsets[uv.first + 1];
    targets.push_back(uv.second);
    weights.push_back(w);
  }
  for (NodeId v = 0; v < n; ++v) offsets[v + 1] += offsets[v];
  const Arrays expected{offsets, targets, weights};
  for (int threads : {1, 2, 8}) {
    INFO(threads << " threads");
    absl::StatusOr<WeightedGraph> g = WeightedGraph::FromEdges(n, edges, threads);
    REQUIRE(g.ok());
    CHECK(ArraysOf(*g) == expected);
    CHECK(g->num_edges() == oracle.size() / 2);
  }
}

TEST_CASE("FromPlain: a directed graph's u->v and v->u add up, and weight 0 is dropped") {
  // Vertices listed 30, 10, 20: dense ids 0, 1, 2. Edges 10->20 (2), 20->10 (3), 20->30 (0):
  // one undirected edge 1-2 of weight 5; the zero-weight edge to vertex 0 is dropped.
  PlainGraphOptions weighted;
  weighted.directed = true;
  weighted.weighted = true;
  absl::StatusOr<PlainGraph> p = PlainGraph::FromEdges(
      {30, 10, 20}, {{10, 20, 2.0}, {20, 10, 3.0}, {20, 30, 0.0}}, weighted, 1);
  REQUIRE(p.ok());
  for (int threads : {1, 2}) {
    absl::StatusOr<WeightedGraph> g = WeightedGraph::FromPlain(*p, threads);
    REQUIRE(g.ok());
    CHECK(ArraysOf(*g) == Arrays{{0, 0, 1, 2}, {2, 1}, {5, 5}});
  }
  // Unweighted: each directed edge counts 1, so 1->2 and 2->1 give one edge of weight 2.
  PlainGraphOptions unweighted;
  unweighted.directed = true;
  absl::StatusOr<PlainGraph> q = PlainGraph::FromEdges({1, 2}, {{1, 2}, {2, 1}}, unweighted, 1);
  REQUIRE(q.ok());
  absl::StatusOr<WeightedGraph> g = WeightedGraph::FromPlain(*q, 1);
  REQUIRE(g.ok());
  CHECK(ArraysOf(*g) == Arrays{{0, 1, 2}, {1, 0}, {2, 2}});
}

TEST_CASE("FromPlain: an undirected graph keeps each edge once, with its weight") {
  // 1-2 (2.5), 2-3 (1): stored both ways by PlainGraph, taken once here (not doubled).
  PlainGraphOptions o;
  o.directed = false;
  o.weighted = true;
  absl::StatusOr<PlainGraph> p = PlainGraph::FromEdges({1, 2, 3}, {{1, 2, 2.5}, {3, 2, 1.0}}, o, 1);
  REQUIRE(p.ok());
  absl::StatusOr<WeightedGraph> g = WeightedGraph::FromPlain(*p, 2);
  REQUIRE(g.ok());
  CHECK(ArraysOf(*g) == Arrays{{0, 1, 3, 4}, {1, 0, 2, 1}, {2.5, 2.5, 1, 1}});
  CHECK(g->num_edges() == 2);
  // Unweighted undirected: weight 1 per edge.
  o.weighted = false;
  absl::StatusOr<PlainGraph> q = PlainGraph::FromEdges({1, 2, 3}, {{1, 2}, {3, 2}}, o, 1);
  REQUIRE(q.ok());
  absl::StatusOr<WeightedGraph> h = WeightedGraph::FromPlain(*q, 1);
  REQUIRE(h.ok());
  CHECK(ArraysOf(*h) == Arrays{{0, 1, 3, 4}, {1, 0, 2, 1}, {1, 1, 1, 1}});
}

}  // namespace
}  // namespace polegraph
