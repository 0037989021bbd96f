// The kernels under the centrality API against brute force: Brandes dependencies from a chosen
// list of sources (internal::AddDependencies, used by the per-source benchmark) against
// sigma_st(v) / sigma_st summed over all targets; PageRank with an L1 tolerance (the
// Chebyshev iteration) against a sequential power iteration run to convergence, and in fewer
// iterations than the power iteration needs. Identical output at 1, 2 and 8 threads.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "../bench/common/lfr.h"
#include "centrality/centrality_test_util.h"
#include "centrality/internal/brandes.h"
#include "centrality/internal/pagerank_core.h"
#include "polegraph/centrality.h"

namespace polegraph {
namespace {

using testing::Threads;

WeightedGraph Random(NodeId n, int edges, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<WeightedEdge> e;
  for (int i = 0; i < edges; ++i) {
    e.push_back({static_cast<NodeId>(rng() % n), static_cast<NodeId>(rng() % n), 1.0});
  }
  return *WeightedGraph::FromEdges(n, e, 1);
}

// Hop distances and shortest-path counts from every vertex (plain BFS per vertex).
struct AllPairs {
  std::vector<std::vector<int>> dist;
  std::vector<std::vector<double>> sigma;
};
AllPairs CountPaths(const WeightedGraph& g) {
  const NodeId n = g.num_nodes();
  AllPairs a{std::vector<std::vector<int>>(n, std::vector<int>(n, -1)),
             std::vector<std::vector<double>>(n, std::vector<double>(n, 0.0))};
  for (NodeId s = 0; s < n; ++s) {
    std::vector<NodeId> queue{s};
    a.dist[s][s] = 0;
    a.sigma[s][s] = 1;
    for (std::size_t h = 0; h < queue.size(); ++h) {
      const NodeId v = queue[h];
      for (NodeId w : g.neighbours(v)) {
        if (a.dist[s][w] < 0) {
          a.dist[s][w] = a.dist[s][v] + 1;
          queue.push_back(w);
        }
        if (a.dist[s][w] == a.dist[s][v] + 1) a.sigma[s][w] += a.sigma[s][v];
      }
    }
  }
  return a;
}

// delta_s(v) = sum over t != s, v of sigma_st(v) / sigma_st, where a shortest s-t path
// passes v iff d(s,v) + d(v,t) = d(s,t), and then sigma_st(v) = sigma_sv * sigma_vt.
double Dependency(const AllPairs& a, NodeId s, NodeId v) {
  if (v == s || a.dist[s][v] < 0) return 0.0;
  double sum = 0.0;
  for (NodeId t = 0; t < a.dist.size(); ++t) {
    if (t == s || t == v || a.dist[s][t] < 0 || a.dist[v][t] < 0) continue;
    if (a.dist[s][v] + a.dist[v][t] != a.dist[s][t]) continue;
    sum += a.sigma[s][v] * a.sigma[v][t] / a.sigma[s][t];
  }
  return sum;
}

TEST_CASE("dependencies from a list of sources equal brute-force path counting") {
  // Sparse random graph (components, leaves, isolated vertices) and a denser one with many
  // equal shortest paths.
  for (auto [edges, seed] : {std::pair{110, 3u}, std::pair{400, 4u}}) {
    const WeightedGraph g = Random(90, edges, seed);
    const AllPairs a = CountPaths(g);
    // 75 sources: three blocks of 32, repeats allowed (counted twice), isolated ones too.
    std::vector<NodeId> sources;
    std::mt19937 rng(seed);
    for (int i = 0; i < 75; ++i) sources.push_back(static_cast<NodeId>(rng() % 90));
    std::vector<double> one(90, 0.0), two(90, 0.0), eight(90, 0.0);
    REQUIRE(internal::AddDependencies(g, sources, Threads(1), one).ok());
    REQUIRE(internal::AddDependencies(g, sources, Threads(2), two).ok());
    REQUIRE(internal::AddDependencies(g, sources, Threads(8), eight).ok());
    CHECK(one == two);
    CHECK(one == eight);
    for (NodeId v = 0; v < 90; ++v) {
      double expect = 0.0;
      for (NodeId s : sources) expect += Dependency(a, s, v);
      INFO("edges " << edges << " vertex " << v);
      CHECK(one[v] == Approx(expect).epsilon(1e-12).margin(1e-12));
    }
    // All sources, halved: Betweenness itself.
    const std::vector<double> bc = *Betweenness(g, Threads(2));
    for (NodeId v = 0; v < 90; ++v) {
      double expect = 0.0;
      for (NodeId s = 0; s < 90; ++s) expect += Dependency(a, s, v);
      CHECK(bc[v] == Approx(expect / 2).epsilon(1e-12).margin(1e-12));
    }
  }
}

TEST_CASE("dependencies: a hand-worked tree") {
  //      0
  //     / \      Sources {0, 3}. From 0: vertex 1 lies on 0-3 and 0-4 (2), vertex 2 on
  //    1   2     nothing. From 3: vertex 1 lies on 3-0, 3-2, 3-4 (3), vertex 0 on 3-2 (1),
  //   / \        leaves on nothing.
  //  3   4
  const WeightedGraph g = *WeightedGraph::FromEdges(
      5, std::vector<WeightedEdge>{{0, 1, 1}, {0, 2, 1}, {1, 3, 1}, {1, 4, 1}}, 1);
  std::vector<double> bc(5, 0.0);
  const std::vector<NodeId> sources = {0, 3};
  REQUIRE(internal::AddDependencies(g, sources, Threads(2), bc).ok());
  CHECK(bc == std::vector<double>{1, 5, 0, 0, 0});
}

TEST_CASE("betweenness folds degree-1 sources into their neighbour's search") {
  // A star (centre 0, leaves 1..5: the centre lies on C(5,2) = 10 pairs), a lone edge 6-7
  // (both ends of degree 1: neither is folded), an isolated vertex 8, and a path 9-10-11-12
  // (leaves 9 and 12 folded into 10 and 11: 10 and 11 lie on 2 pairs each).
  const WeightedGraph g = *WeightedGraph::FromEdges(13,
                                                    std::vector<WeightedEdge>{{0, 1, 1},
                                                                              {0, 2, 1},
                                                                              {0, 3, 1},
                                                                              {0, 4, 1},
                                                                              {0, 5, 1},
                                                                              {6, 7, 1},
                                                                              {9, 10, 1},
                                                                              {10, 11, 1},
                                                                              {11, 12, 1}},
                                                    1);
  CHECK(*Betweenness(g, Threads(2)) == std::vector<double>{10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0});
}

// One step of the plain sequential power iteration (the oracle): rank passes to neighbours
// evenly, or in proportion to edge weight when `weighted`; isolated vertices spread theirs
// over all.
std::vector<double> PowerStep(const WeightedGraph& g, const std::vector<double>& r, double d,
                              bool weighted) {
  const NodeId n = g.num_nodes();
  std::vector<double> next(n, 0.0);
  double dangling = 0.0;
  for (NodeId u = 0; u < n; ++u) {
    if (g.degree(u) == 0) {
      dangling += r[u];
      continue;
    }
    double out = 0.0;
    for (double w : g.weights(u)) out += weighted ? w : 1.0;
    for (EdgeIndex e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
      next[g.targets[e]] += r[u] * (weighted ? g.arc_weights[e] : 1.0) / out;
    }
  }
  for (NodeId v = 0; v < n; ++v) next[v] = (1 - d) / n + d * (next[v] + dangling / n);
  return next;
}

std::vector<double> PowerIteration(const WeightedGraph& g, int iterations, double d,
                                   bool weighted = false) {
  std::vector<double> r(g.num_nodes(), 1.0 / g.num_nodes());
  for (int it = 0; it < iterations; ++it) r = PowerStep(g, r, d, weighted);
  return r;
}

double L1(const std::vector<double>& a, const std::vector<double>& b) {
  double l1 = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) l1 += std::abs(a[i] - b[i]);
  return l1;
}

// An LFR graph plus what slows the power iteration down: stars and paths hanging off it and
// as separate components (bipartite pieces, whose error modes the power iteration only
// reduces by d per iteration), and isolated vertices.
WeightedGraph StarsAndLfr(bool weighted) {
  bench::LfrOptions o;
  o.n = 600;
  o.seed = 5;
  const bench::LfrGraph lfr = bench::Lfr(o);
  std::vector<WeightedEdge> e(lfr.edges.begin(), lfr.edges.end());
  NodeId next = lfr.n;
  std::mt19937 rng(11);
  for (int star = 0; star < 40; ++star) {
    const NodeId centre = next++;
    if (star % 2 == 0) e.push_back({centre, static_cast<NodeId>(rng() % lfr.n), 1.0});
    for (int leaf = 0; leaf < 1 + star % 5; ++leaf) e.push_back({centre, next++, 1.0});
  }
  for (int path = 0; path < 10; ++path) {
    for (int i = 0; i < 3; ++i, ++next) e.push_back({next, next + 1, 1.0});
    ++next;
  }
  if (weighted) {
    for (std::size_t i = 0; i < e.size(); ++i) e[i].weight = 0.5 + static_cast<double>(i % 7);
  }
  return *WeightedGraph::FromEdges(next + 25, e, 1);  // 25 isolated vertices at the end
}

TEST_CASE("PageRank with a tolerance stops early and is as close as it promises") {
  for (bool weighted : {false, true}) {
    const WeightedGraph g = StarsAndLfr(weighted);
    // 0.85^400 < 1e-28: converged far beyond any tolerance below.
    const std::vector<double> exact = PowerIteration(g, 400, 0.85, weighted);
    for (double tol : {1e-6, 1e-9, 1e-12}) {
      PageRankOptions po;
      po.weighted = weighted;
      po.iterations = 1000;
      po.tolerance = tol;
      absl::StatusOr<internal::PageRankRun> run = internal::SolvePageRank(g, po, Threads(2));
      REQUIRE(run.ok());
      INFO("weighted " << weighted << " tolerance " << tol << " iterations " << run->iterations);
      CHECK(run->last_change < tol);
      CHECK(L1(run->rank, exact) <= tol * 0.85 / 0.15);
      // The plain power iteration needs over twice the iterations to the same stopping rule
      // (the L1 change of a power step below tol): the bipartite pieces hold it at 0.85 a
      // step, where the Chebyshev iteration reduces every error mode by 0.557 or more.
      int power_iterations = 0;
      for (std::vector<double> r = PowerIteration(g, 0, 0.85, weighted);;) {
        std::vector<double> next = PowerStep(g, r, 0.85, weighted);
        ++power_iterations;
        if (L1(next, r) < tol) break;
        r = std::move(next);
      }
      INFO("power iterations " << power_iterations);
      CHECK(2 * run->iterations < power_iterations);  // 24-49 against 71-156
      CHECK(run->iterations >= 5);
      // Bit-identical at any thread count.
      CHECK(*PageRankCentrality(g, po, Threads(1)) == run->rank);
      CHECK(*PageRankCentrality(g, po, Threads(8)) == run->rank);
    }
  }
  // Without a tolerance: the power iteration itself, the same at any thread count.
  const WeightedGraph g = StarsAndLfr(false);
  PageRankOptions po;
  po.weighted = false;
  po.iterations = 37;
  const std::vector<double> fixed = *PageRankCentrality(g, po, Threads(1));
  const std::vector<double> ref = PowerIteration(g, 37, 0.85);
  for (NodeId v = 0; v < g.num_nodes(); ++v) CHECK(fixed[v] == Approx(ref[v]).epsilon(1e-12));
  CHECK(*PageRankCentrality(g, po, Threads(8)) == fixed);
  // Degenerate graphs: no edges at all, and a tolerance with zero iterations.
  const WeightedGraph empty = *WeightedGraph::FromEdges(4, std::vector<WeightedEdge>{}, 1);
  po.tolerance = 1e-9;
  CHECK(*PageRankCentrality(empty, po, Threads(2)) == std::vector<double>(4, 0.25));
  po.iterations = 0;
  CHECK(*PageRankCentrality(g, po, Threads(2)) ==
        std::vector<double>(g.num_nodes(), 1.0 / g.num_nodes()));
  PageRankOptions bad;
  bad.tolerance = -1e-9;
  CHECK(PageRankCentrality(g, bad, Threads(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  bad.tolerance = std::nan("");
  CHECK(PageRankCentrality(g, bad, Threads(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("pivot betweenness: exact with every source, unbiased, the same at any thread count") {
  const WeightedGraph g = Random(60, 150, 7);
  const std::vector<double> exact = *Betweenness(g, Threads(1));
  // Every vertex with edges a pivot (or more asked): Betweenness itself.
  CHECK(*PivotBetweenness(g, 60, 3, Threads(2)) == exact);
  CHECK(*PivotBetweenness(g, 1000, 3, Threads(1)) == exact);
  // 8 pivots: identical at 1, 2 and 8 threads and for the same seed; another seed differs.
  const std::vector<double> a = *PivotBetweenness(g, 8, 11, Threads(1));
  CHECK(*PivotBetweenness(g, 8, 11, Threads(2)) == a);
  CHECK(*PivotBetweenness(g, 8, 11, Threads(8)) == a);
  CHECK(*PivotBetweenness(g, 8, 12, Threads(1)) != a);
  // Unbiased: the mean over 400 seeds of the 8-pivot estimate is near the exact value (the
  // sum over all vertices, and the most central vertex, within 5 %).
  std::vector<double> mean(g.num_nodes(), 0.0);
  constexpr int kSeeds = 400;
  for (int seed = 0; seed < kSeeds; ++seed) {
    const std::vector<double> e = *PivotBetweenness(g, 8, seed, Threads(2));
    for (NodeId v = 0; v < g.num_nodes(); ++v) mean[v] += e[v] / kSeeds;
  }
  double total_exact = 0, total_mean = 0;
  NodeId top = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    total_exact += exact[v];
    total_mean += mean[v];
    if (exact[v] > exact[top]) top = v;
  }
  CHECK(total_mean == Approx(total_exact).epsilon(0.05));
  CHECK(mean[top] == Approx(exact[top]).epsilon(0.05));
  CHECK(PivotBetweenness(g, 0, 1, Threads(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace polegraph
