// Aggregation of the multilevel algorithms (lib/networks/aggregate.cc), with and without
// leaving out the communities that have no edge to another: checked on a hand-worked graph
// and, on a random weighted graph, against a brute-force sum over every arc (std::map), at 1,
// 2 and 8 threads; and the renumbering of a level graph (lib/networks/level_graph.cc), whose
// copy of a unit-weight graph has no weight array: refinement and aggregation on it must give
// what they give on a copy that holds every weight 1.0 and is read as weighted.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "networks/internal/multilevel.h"
#include "networks_test_util.h"

namespace polegraph {
namespace {

using internal::kNoVertex;
using internal::LevelGraph;

// Neighbour -> weight of aggregate vertex v's row.
std::map<NodeId, double> Row(const LevelGraph& lg, NodeId v) {
  std::map<NodeId, double> row;
  auto adj = lg.g().neighbours(v);
  auto w = lg.g().weights(v);
  for (std::size_t e = 0; e < adj.size(); ++e) {
    CHECK(row.count(adj[e]) == 0);  // one arc per neighbour
    row[adj[e]] = w[e];
  }
  return row;
}

//   0 --- 1        5 ===3=== 6     7 (no edge)
//    \   /
//     2 ==2== 3 --0.5-- 4          (triangle edges weigh 1)
// communities {0,1,2} -> 0, {3,4} -> 1, {5,6} -> 2, {7} -> 3:
//   0: loop 2 (1 + 1 + 1) = 6, arc to 1 of weight 2, strength 8
//   1: loop 2 * 0.5 = 1, arc to 0 of weight 2, strength 3
//   2: loop 6, no arc (a whole component), strength 6;  3: nothing, strength 0
//   2m = 17. Leaving out 2 and 3 keeps 0 and 1 as they are, and 2m.
TEST_CASE("Aggregation of a hand-worked graph, with and without left-out communities",
          "[networks][aggregate]") {
  const WeightedGraph g = testing::MakeGraph(8, {{0, 1, 1.0},
                                                 {0, 2, 1.0},
                                                 {1, 2, 1.0},
                                                 {2, 3, 2.0},
                                                 {3, 4, 0.5},
                                                 {5, 6, 3.0}});
  const LevelGraph lg = internal::MakeLevelGraph(g, 1);
  const std::vector<NodeId> comm = {0, 0, 0, 1, 1, 2, 2, 3};
  for (int threads : {1, 2}) {
    const LevelGraph all = internal::Aggregate(lg, comm, 4, threads);
    REQUIRE(all.g().num_nodes() == 4);
    CHECK(all.loop == std::vector<double>{6.0, 1.0, 6.0, 0.0});
    CHECK(all.strength == std::vector<double>{8.0, 3.0, 6.0, 0.0});
    CHECK(all.two_m == 17.0);
    CHECK(Row(all, 0) == std::map<NodeId, double>{{1, 2.0}});
    CHECK(Row(all, 1) == std::map<NodeId, double>{{0, 2.0}});
    CHECK(all.g().degree(2) == 0);
    CHECK(all.g().degree(3) == 0);

    std::vector<NodeId> kept;
    const LevelGraph some = internal::Aggregate(lg, comm, 4, threads, &kept);
    CHECK(kept == std::vector<NodeId>{0, 1, kNoVertex, kNoVertex});
    REQUIRE(some.g().num_nodes() == 2);
    CHECK(some.loop == std::vector<double>{6.0, 1.0});
    CHECK(some.strength == std::vector<double>{8.0, 3.0});
    CHECK(some.two_m == 17.0);
    CHECK(Row(some, 0) == std::map<NodeId, double>{{1, 2.0}});
    CHECK(Row(some, 1) == std::map<NodeId, double>{{0, 2.0}});
  }
}

TEST_CASE("Aggregation equals brute-force sums on a random weighted graph",
          "[networks][aggregate]") {
  constexpr NodeId n = 3000;
  constexpr NodeId k = 400;
  std::mt19937_64 rng(11);
  std::vector<WeightedEdge> edges;
  for (int i = 0; i < 12000; ++i) {
    const NodeId a = static_cast<NodeId>(rng() % (n - 300));  // the last 300 have no edge
    const NodeId b = static_cast<NodeId>(rng() % (n - 300));
    if (a != b) edges.push_back({a, b, 1.0 + static_cast<double>(rng() % 4)});
  }
  const WeightedGraph g = testing::MakeGraph(n, edges);
  const LevelGraph lg = internal::MakeLevelGraph(g, 1);
  // Communities 0..k-1: the vertices with edges spread at random (so every community has an
  // edge to another), the edgeless ones in communities of their own at the end.
  std::vector<NodeId> comm(n);
  for (NodeId v = 0; v < n - 300; ++v) comm[v] = static_cast<NodeId>(rng() % (k - 300));
  for (NodeId v = n - 300; v < n; ++v) comm[v] = k - 300 + (v - (n - 300));
  internal::Renumber(comm);
  // The oracle: weight between every ordered pair of communities, and loops.
  std::map<std::pair<NodeId, NodeId>, double> between;
  std::vector<double> loop(k, 0.0), strength(k, 0.0);
  double two_m = 0.0;
  for (NodeId u = 0; u < n; ++u) {
    auto adj = g.neighbours(u);
    auto w = g.weights(u);
    for (std::size_t e = 0; e < adj.size(); ++e) {
      strength[comm[u]] += w[e];
      two_m += w[e];
      if (comm[u] == comm[adj[e]]) {
        loop[comm[u]] += w[e];
      } else {
        between[{comm[u], comm[adj[e]]}] += w[e];
      }
    }
  }
  for (int threads : {1, 2, 8}) {
    for (bool leave_out : {false, true}) {
      std::vector<NodeId> kept;
      const LevelGraph a =
          internal::Aggregate(lg, comm, k, threads, leave_out ? &kept : nullptr);
      if (!leave_out) {
        kept.resize(k);
        for (NodeId c = 0; c < k; ++c) kept[c] = c;
      }
      CHECK(a.two_m == Approx(two_m));
      NodeId expected_size = 0;
      for (NodeId c = 0; c < k; ++c) {
        const bool isolated = c >= k - 300;
        if (leave_out) CHECK((kept[c] == kNoVertex) == isolated);
        if (kept[c] == kNoVertex) continue;
        CHECK(kept[c] == expected_size);
        ++expected_size;
        CHECK(a.loop[kept[c]] == Approx(loop[c]));
        CHECK(a.strength[kept[c]] == Approx(strength[c]));
        std::map<NodeId, double> expected;
        for (const auto& [pair, w] : between) {
          if (pair.first == c) expected[kept[pair.second]] = w;
        }
        const std::map<NodeId, double> row = Row(a, kept[c]);
        REQUIRE(row.size() == expected.size());
        for (const auto& [d, w] : expected) CHECK(row.at(d) == Approx(w));
      }
      CHECK(a.g().num_nodes() == expected_size);
    }
  }
}

// PermuteLevelGraph against the definition: every arc (u, v, w) of the input appears as
// (perm[u], perm[v], w), in the same position of the renamed vertex's list; loops, strengths
// and 2m move with their vertex.
TEST_CASE("Renumbering a level graph renames every arc and keeps its order",
          "[networks][aggregate]") {
  constexpr NodeId n = 2000;
  std::mt19937_64 rng(5);
  std::vector<WeightedEdge> edges;
  for (int i = 0; i < 9000; ++i) {
    const NodeId a = static_cast<NodeId>(rng() % n), b = static_cast<NodeId>(rng() % n);
    if (a != b) edges.push_back({a, b, 0.5 + static_cast<double>(rng() % 5)});
  }
  const WeightedGraph g = testing::MakeGraph(n, edges);  // lg refers to it
  const LevelGraph lg = internal::MakeLevelGraph(g, 1);
  std::vector<NodeId> perm(n);
  for (NodeId v = 0; v < n; ++v) perm[v] = v;
  std::shuffle(perm.begin(), perm.end(), rng);
  for (int threads : {1, 2, 8}) {
    const LevelGraph p = internal::PermuteLevelGraph(lg, perm, threads);
    REQUIRE(p.g().num_nodes() == n);
    CHECK(p.g().num_arcs() == lg.g().num_arcs());
    CHECK(p.two_m == lg.two_m);
    for (NodeId v = 0; v < n; ++v) {
      const NodeId pv = perm[v];
      CHECK(p.loop[pv] == lg.loop[v]);
      CHECK(p.strength[pv] == lg.strength[v]);
      auto adj = lg.g().neighbours(v);
      auto w = lg.g().weights(v);
      auto padj = p.g().neighbours(pv);
      auto pw = p.g().weights(pv);
      REQUIRE(padj.size() == adj.size());
      for (std::size_t e = 0; e < adj.size(); ++e) {
        CHECK(padj[e] == perm[adj[e]]);
        CHECK(pw[e] == w[e]);
      }
    }
  }
}

// The oracle is the weight-reading path: the same graph copied with its weights of 1.0 and
// unit_weights cleared. Refinement (from singletons and from kept groups) and aggregation of
// the copy without weights must match it exactly (sums of 1.0 are exact in either order).
TEST_CASE("Refinement and aggregation of a renumbered unit-weight level need no weight array",
          "[networks][aggregate]") {
  const testing::Planted p = testing::PlantedPartition(30, 40, 0.3, 0.02, 4);
  const NodeId n = p.graph.num_nodes();
  const LevelGraph lg = internal::MakeLevelGraph(p.graph, 2);
  REQUIRE(lg.unit_weights);
  LevelGraph weighted_lg = internal::MakeLevelGraph(p.graph, 2);
  weighted_lg.unit_weights = false;
  std::mt19937_64 rng(11);
  std::vector<NodeId> perm(n);
  std::iota(perm.begin(), perm.end(), NodeId{0});
  std::shuffle(perm.begin(), perm.end(), rng);
  // A start partition: the planted groups, with every tenth vertex moved to the next group.
  std::vector<NodeId> comm(n);
  for (NodeId v = 0; v < n; ++v) {
    comm[perm[v]] = (p.truth[v] + (v % 10 == 0 ? 1 : 0)) % 30;
  }
  std::vector<NodeId> order(n);
  std::iota(order.begin(), order.end(), NodeId{0});
  std::shuffle(order.begin(), order.end(), rng);
  // Kept groups: each vertex with the first vertex of its community among v - v % 3 .. v.
  std::vector<NodeId> initial(n);
  for (NodeId v = 0; v < n; ++v) {
    initial[v] = v;
    for (NodeId u = v - v % 3; u < v; ++u) {
      if (comm[u] == comm[v]) {
        initial[v] = initial[u];
        break;
      }
    }
  }
  for (int threads : {1, 2, 8}) {
    const LevelGraph unit = internal::PermuteLevelGraph(lg, perm, threads);
    const LevelGraph read = internal::PermuteLevelGraph(weighted_lg, perm, threads);
    CHECK(unit.unit_weights);
    CHECK(unit.g().arc_weights.empty());
    REQUIRE(read.g().arc_weights.size() == read.g().num_arcs());
    CHECK(std::all_of(read.g().arc_weights.begin(), read.g().arc_weights.end(),
                      [](double w) { return w == 1.0; }));
    for (bool seeded : {false, true}) {
      std::span<const NodeId> start;
      if (seeded) start = initial;
      std::vector<NodeId> ru = internal::Refine(unit, comm, 1.0, order, start, threads);
      const std::vector<NodeId> rr = internal::Refine(read, comm, 1.0, order, start, threads);
      CHECK(ru == rr);
      const std::uint32_t k = internal::Renumber(ru);
      CHECK(k < n);  // something merged
      std::vector<NodeId> kept_u, kept_r;
      const LevelGraph au = internal::Aggregate(unit, ru, k, threads, &kept_u);
      std::vector<NodeId> rr2 = rr;
      internal::Renumber(rr2);
      const LevelGraph ar = internal::Aggregate(read, rr2, k, threads, &kept_r);
      CHECK(kept_u == kept_r);
      CHECK(au.two_m == ar.two_m);
      CHECK(au.loop == ar.loop);
      CHECK(au.strength == ar.strength);
      CHECK(au.g().offsets == ar.g().offsets);
      CHECK(au.g().targets == ar.g().targets);
      CHECK(au.g().arc_weights == ar.g().arc_weights);
    }
  }
}

}  // namespace
}  // namespace polegraph
