// Leiden refinement (lib/networks/refine.cc), from singletons and from a given initial
// partition (the groups a later Leiden pass keeps): checked against a brute-force sequential
// refinement written from the rule in refine.cc's comment (every total recounted from the
// edge list for each decision), on a random graph with integer weights (all sums exact, so
// the two must agree bit for bit), at 1, 2 and 8 threads.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <vector>

#include "networks/internal/multilevel.h"
#include "networks_test_util.h"

namespace polegraph {
namespace {

struct Edge {
  NodeId a, b;
  double w;
};

// The rule of refine.cc, one decision at a time, every quantity recounted from `edges`:
// vertices in `order`; a vertex still alone in its group (of a community of 2+ vertices),
// well connected to its community S, joins the well-connected group R of S it has edges to
// with the greatest positive gain k_{v,R} - gamma k_v tot_R / 2m, ties to the smallest label.
std::vector<NodeId> BruteRefine(NodeId n, const std::vector<Edge>& edges,
                                const std::vector<NodeId>& comm, const std::vector<NodeId>& order,
                                std::vector<NodeId> refined) {
  std::vector<double> strength(n, 0.0);
  double two_m = 0.0;
  for (const Edge& e : edges) {
    strength[e.a] += e.w;
    strength[e.b] += e.w;
    two_m += 2.0 * e.w;
  }
  const double scale = 1.0 / two_m;  // resolution 1
  auto members = [&](NodeId c) {
    std::vector<NodeId> m;
    for (NodeId v = 0; v < n; ++v) {
      if (comm[v] == c) m.push_back(v);
    }
    return m;
  };
  for (NodeId v : order) {
    const NodeId c = comm[v];
    const std::vector<NodeId> s = members(c);
    if (s.size() < 2) continue;
    if (std::count(refined.begin(), refined.end(), refined[v]) != 1) continue;
    double tot_s = 0.0;
    for (NodeId u : s) tot_s += strength[u];
    const double kv = strength[v];
    double kin = 0.0;
    std::map<NodeId, double> k_to;  // group -> weight of v's edges into it
    for (const Edge& e : edges) {
      if (e.a != v && e.b != v) continue;
      const NodeId u = e.a == v ? e.b : e.a;
      if (comm[u] != c) continue;
      kin += e.w;
      k_to[refined[u]] += e.w;
    }
    if (kin < scale * kv * (tot_s - kv)) continue;
    NodeId best = v;
    double best_gain = 0.0;
    for (const auto& [r, k] : k_to) {  // ascending r: ties keep the smallest
      double tot_r = 0.0, ext_r = 0.0;
      for (NodeId u = 0; u < n; ++u) {
        if (refined[u] == r) tot_r += strength[u];
      }
      for (const Edge& e : edges) {
        if (comm[e.a] != c || comm[e.b] != c) continue;
        if ((refined[e.a] == r) != (refined[e.b] == r)) ext_r += e.w;
      }
      if (ext_r < scale * tot_r * (tot_s - tot_r)) continue;
      const double gain = k - scale * kv * tot_r;
      if (gain > best_gain) {
        best_gain = gain;
        best = r;
      }
    }
    refined[v] = best;
  }
  return refined;
}

TEST_CASE("Leiden refinement from singletons and from kept groups matches a brute force",
          "[networks][refine]") {
  // 6 planted groups of 60 vertices (v % 6), edges inside with probability 0.2, across 0.02,
  // weights 1-3; vertex 5 (group 5) also joins 90 % of its group and some others, so some
  // degrees exceed 64 (refine.cc's dense path). Communities merge two planted groups each
  // ((v % 6) / 2), and vertex 359 is alone in community 3.
  constexpr NodeId n = 360;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Edge> edges;
  for (NodeId a = 0; a < n; ++a) {
    for (NodeId b = a + 1; b < n; ++b) {
      const bool same = a % 6 == b % 6;
      double p = same ? 0.2 : 0.02;
      if (a == 5 && same) p = 0.9;
      if (a == 5 && !same) p = 0.1;
      if (b == 359 || unit(rng) >= p) continue;
      edges.push_back({a, b, static_cast<double>(1 + rng() % 3)});
    }
  }
  edges.push_back({358, 359, 2.0});
  std::vector<WeightedEdge> we;
  for (const Edge& e : edges) we.push_back({e.a, e.b, e.w});
  const WeightedGraph g = testing::MakeGraph(n, we);
  const internal::LevelGraph lg = internal::MakeLevelGraph(g, 1);
  std::size_t max_degree = 0;
  for (NodeId v = 0; v < n; ++v) max_degree = std::max(max_degree, g.degree(v));
  REQUIRE(max_degree > 64);
  std::vector<NodeId> comm(n);
  for (NodeId v = 0; v < n; ++v) comm[v] = v == 359 ? 3 : (v % 6) / 2;
  std::vector<NodeId> order(n);
  for (NodeId v = 0; v < n; ++v) order[v] = v;
  std::shuffle(order.begin(), order.end(), rng);

  // Kept groups (each labelled by its smallest member): one large group, planted group 0
  // without its first 5 members, whose weight to the rest of community 0 is too small for it
  // to be well connected (ext about 240 against gamma tot_R (tot_S - tot_R) / 2m about 350),
  // so no vertex may join it; the other vertices of communities 0-2 in runs of 1-5 in id
  // order, so some start alone and most in a group.
  std::vector<NodeId> groups(n);
  for (NodeId v = 0; v < n; ++v) groups[v] = v >= 30 && v % 6 == 0 ? 30 : v;
  for (NodeId c = 0; c < 3; ++c) {
    NodeId label = kNoNode, left = 0;
    for (NodeId v = 0; v < n; ++v) {
      if (comm[v] != c || groups[v] == 30) continue;
      if (left == 0) {
        label = v;
        left = 1 + rng() % 5;
      }
      groups[v] = label;
      --left;
    }
  }
  std::vector<NodeId> singletons(n);
  for (NodeId v = 0; v < n; ++v) singletons[v] = v;

  const std::vector<NodeId> want_fresh = BruteRefine(n, edges, comm, order, singletons);
  const std::vector<NodeId> want_kept = BruteRefine(n, edges, comm, order, groups);
  // The cases are not trivial: merges happen, and the two starts end differently.
  CHECK(want_fresh != singletons);
  CHECK(want_kept != groups);
  CHECK(want_fresh != want_kept);
  for (NodeId v = 0; v < n; ++v) {
    CHECK(comm[want_kept[v]] == comm[v]);                  // groups stay inside communities
    if (groups[v] != v) CHECK(want_kept[v] == groups[v]);  // grouped vertices do not move
  }
  CHECK(want_fresh[359] == 359);
  for (int threads : {1, 2, 8}) {
    INFO(threads << " threads");
    CHECK(internal::Refine(lg, comm, 1.0, order, threads) == want_fresh);
    CHECK(internal::Refine(lg, comm, 1.0, order, singletons, threads) == want_fresh);
    CHECK(internal::Refine(lg, comm, 1.0, order, groups, threads) == want_kept);
  }
}

}  // namespace
}  // namespace polegraph
