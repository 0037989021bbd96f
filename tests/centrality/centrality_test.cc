// Centrality against independent oracles: boost::brandes_betweenness_centrality, a plain
// sequential PageRank power iteration, brute-force BFS closeness and harmonic, hand-worked
// degree; the sampled betweenness within its stated bound; identical output at 1, 2, 8 threads.
#include "polegraph/centrality.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "../bench/common/lfr.h"
#include "centrality/centrality_test_util.h"

namespace polegraph {
namespace {

using testing::Threads;

WeightedGraph Random(NodeId n, int edges, unsigned seed, bool weighted = false) {
  std::mt19937 rng(seed);
  std::vector<WeightedEdge> e;
  for (int i = 0; i < edges; ++i) {
    e.push_back({static_cast<NodeId>(rng() % n), static_cast<NodeId>(rng() % n),
                 weighted ? 1.0 + rng() % 4 : 1.0});
  }
  return *WeightedGraph::FromEdges(n, e, 1);
}

std::vector<double> BoostBetweenness(const WeightedGraph& g) {
  using BG = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  BG bg(g.num_nodes());
  for (NodeId u = 0; u < g.num_nodes(); ++u) {
    for (NodeId v : g.neighbours(u)) {
      if (u < v) boost::add_edge(u, v, bg);
    }
  }
  std::vector<double> c(g.num_nodes(), 0.0);
  boost::brandes_betweenness_centrality(bg, boost::centrality_map(boost::make_iterator_property_map(
                                                c.begin(), get(boost::vertex_index, bg))));
  return c;
}

TEST_CASE("betweenness equals boost::brandes_betweenness_centrality") {
  // A path 0-1-2-3: inner vertices lie on 2 pairs each.
  const WeightedGraph path =
      *WeightedGraph::FromEdges(4, std::vector<WeightedEdge>{{0, 1, 1}, {1, 2, 1}, {2, 3, 1}}, 1);
  CHECK(*Betweenness(path, Threads(1)) == std::vector<double>{0, 2, 2, 0});
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    const WeightedGraph g = Random(120, 260, seed);  // sparse: several components
    const std::vector<double> ours = *Betweenness(g, Threads(2));
    const std::vector<double> ref = BoostBetweenness(g);
    for (NodeId v = 0; v < g.num_nodes(); ++v) CHECK(ours[v] == Approx(ref[v]).margin(1e-9));
  }
  bench::LfrOptions o;
  o.n = 500;
  o.seed = 2;
  const bench::LfrGraph lfr = bench::Lfr(o);
  const WeightedGraph g = *WeightedGraph::FromEdges(lfr.n, lfr.edges, 1);
  const std::vector<double> ours = *Betweenness(g, Threads(2));
  const std::vector<double> ref = BoostBetweenness(g);
  for (NodeId v = 0; v < g.num_nodes(); ++v) CHECK(ours[v] == Approx(ref[v]).epsilon(1e-9));
}

TEST_CASE("sampled betweenness stays within its error bound") {
  bench::LfrOptions o;
  o.n = 400;
  o.seed = 4;
  const bench::LfrGraph lfr = bench::Lfr(o);
  const WeightedGraph g = *WeightedGraph::FromEdges(lfr.n, lfr.edges, 1);
  const std::vector<double> exact = *Betweenness(g, Threads(2));
  SampledBetweennessOptions so;
  so.epsilon = 0.02;
  so.delta = 0.1;
  so.seed = 9;
  absl::StatusOr<SampledBetweenness> s = ApproximateBetweenness(g, so, Threads(2));
  REQUIRE(s.ok());
  CHECK(s->samples > 1000);
  CHECK(s->epsilon <= 0.02);
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    CHECK(std::abs(s->values[v] - exact[v]) <= s->epsilon_absolute);
  }
  // Fixed sample count: epsilon is solved from the bound; same values at 1, 2, 8 threads.
  so.samples = 3000;
  auto a = ApproximateBetweenness(g, so, Threads(1));
  auto b = ApproximateBetweenness(g, so, Threads(2));
  auto c = ApproximateBetweenness(g, so, Threads(8));
  CHECK(a->values == b->values);
  CHECK(a->values == c->values);
  CHECK(a->epsilon ==
        Approx(std::sqrt(
            0.5 * (std::floor(std::log2(a->vertex_diameter_bound - 2.0)) + 1 + std::log(10.0)) /
            3000.0)));
  so.delta = 0;
  CHECK(ApproximateBetweenness(g, so, Threads(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("sampled betweenness is unbiased where shortest paths branch (a grid)") {
  // 6 x 6 grid: many equal shortest paths between most pairs, so a sampler that did not pick
  // paths uniformly (e.g. uniform predecessors) would be off by far more than the bound.
  std::vector<WeightedEdge> e;
  for (NodeId r = 0; r < 6; ++r) {
    for (NodeId c = 0; c < 6; ++c) {
      if (c + 1 < 6) e.push_back({r * 6 + c, r * 6 + c + 1, 1.0});
      if (r + 1 < 6) e.push_back({r * 6 + c, (r + 1) * 6 + c, 1.0});
    }
  }
  const WeightedGraph g = *WeightedGraph::FromEdges(36, e, 1);
  const std::vector<double> exact = *Betweenness(g, Threads(1));
  SampledBetweennessOptions so;
  so.samples = 400000;
  so.seed = 5;
  absl::StatusOr<SampledBetweenness> s = ApproximateBetweenness(g, so, Threads(2));
  REQUIRE(s.ok());
  CHECK(s->epsilon_absolute < 2.0);
  for (NodeId v = 0; v < 36; ++v) {
    INFO("vertex " << v << " exact " << exact[v] << " estimate " << s->values[v]);
    CHECK(std::abs(s->values[v] - exact[v]) <= s->epsilon_absolute);
  }
}

TEST_CASE("PageRank equals a plain sequential power iteration") {
  for (bool weighted : {false, true}) {
    const WeightedGraph g = Random(80, 150, 5, weighted);  // has isolated vertices
    PageRankOptions po;
    po.iterations = 30;
    po.damping = 0.85;
    po.weighted = weighted;
    const std::vector<double> ours = *PageRankCentrality(g, po, Threads(2));
    const NodeId n = g.num_nodes();
    std::vector<double> r(n, 1.0 / n);
    for (int it = 0; it < 30; ++it) {
      std::vector<double> next(n, 0.0);
      double dangling = 0.0;
      for (NodeId u = 0; u < n; ++u) {
        double out = 0.0;
        for (std::size_t i = 0; i < g.neighbours(u).size(); ++i) {
          out += weighted ? g.weights(u)[i] : 1.0;
        }
        if (out == 0.0) {
          dangling += r[u];
          continue;
        }
        for (std::size_t i = 0; i < g.neighbours(u).size(); ++i) {
          next[g.neighbours(u)[i]] += r[u] * (weighted ? g.weights(u)[i] : 1.0) / out;
        }
      }
      for (NodeId v = 0; v < n; ++v) next[v] = 0.15 / n + 0.85 * (next[v] + dangling / n);
      r = next;
    }
    double sum = 0.0;
    for (NodeId v = 0; v < n; ++v) {
      CHECK(ours[v] == Approx(r[v]).epsilon(1e-12));
      sum += ours[v];
    }
    CHECK(sum == Approx(1.0));
  }
}

TEST_CASE("closeness and harmonic equal brute-force BFS, and degree is hand-checked") {
  const WeightedGraph g = Random(60, 70, 6, true);
  const NodeId n = g.num_nodes();
  const std::vector<double> close = *ClosenessCentrality(g, Threads(2));
  const std::vector<double> harm = *HarmonicCentrality(g, Threads(2));
  for (NodeId s = 0; s < n; ++s) {
    // Bellman-Ford style relaxation to a fixed point on hop counts.
    std::vector<int> d(n, 1 << 20);
    d[s] = 0;
    for (bool changed = true; changed;) {
      changed = false;
      for (NodeId u = 0; u < n; ++u) {
        for (NodeId v : g.neighbours(u)) {
          if (d[u] + 1 < d[v]) {
            d[v] = d[u] + 1;
            changed = true;
          }
        }
      }
    }
    double sum = 0, h = 0;
    int reached = 0;
    for (NodeId v = 0; v < n; ++v) {
      if (v == s || d[v] >= (1 << 20)) continue;
      ++reached;
      sum += d[v];
      h += 1.0 / d[v];
    }
    const double c = reached == 0 ? 0.0 : double(reached) / (n - 1) * reached / sum;
    CHECK(close[s] == Approx(c).margin(1e-12));
    CHECK(harm[s] == Approx(h).margin(1e-12));
  }
  const WeightedGraph star =
      *WeightedGraph::FromEdges(4, std::vector<WeightedEdge>{{0, 1, 2}, {0, 2, 0.5}, {0, 3, 1}}, 1);
  CHECK(*DegreeCentrality(star, false, Threads(1)) == std::vector<double>{3, 1, 1, 1});
  CHECK(*DegreeCentrality(star, true, Threads(1)) == std::vector<double>{3.5, 2, 0.5, 1});
  // Closeness of the star centre: reaches 3 at distance 1: 3/3 * 3/3 = 1.
  CHECK((*ClosenessCentrality(star, Threads(1)))[0] == 1.0);
}

TEST_CASE("every measure is identical at 1, 2 and 8 threads") {
  bench::LfrOptions o;
  o.n = 1500;
  o.seed = 8;
  const bench::LfrGraph lfr = bench::Lfr(o);
  const WeightedGraph g = *WeightedGraph::FromEdges(lfr.n, lfr.edges, 1);
  auto all = [&](int t) {
    std::vector<std::vector<double>> out;
    out.push_back(*Betweenness(g, Threads(t)));
    out.push_back(*PageRankCentrality(g, {}, Threads(t)));
    out.push_back(*ClosenessCentrality(g, Threads(t)));
    out.push_back(*HarmonicCentrality(g, Threads(t)));
    out.push_back(*DegreeCentrality(g, true, Threads(t)));
    return out;
  };
  const auto one = all(1);
  CHECK(one == all(2));
  CHECK(one == all(8));
}

}  // namespace
}  // namespace polegraph

namespace polegraph {
namespace {

TEST_CASE("a cancelled query stops every path-based measure") {
  const WeightedGraph g = Random(50, 100, 7);
  QueryContext ctx = Threads(2);
  ctx.cancel = std::make_shared<CancellationToken>();
  ctx.cancel->Cancel();
  CHECK(Betweenness(g, ctx).status().code() == absl::StatusCode::kCancelled);
  SampledBetweennessOptions so;
  so.samples = 100;
  CHECK(ApproximateBetweenness(g, so, ctx).status().code() == absl::StatusCode::kCancelled);
  CHECK(ClosenessCentrality(g, ctx).status().code() == absl::StatusCode::kCancelled);
  CHECK(HarmonicCentrality(g, ctx).status().code() == absl::StatusCode::kCancelled);
  CHECK(PageRankCentrality(g, {}, ctx).status().code() == absl::StatusCode::kCancelled);
  QueryContext late = Threads(1);
  late.deadline = absl::Now() - absl::Seconds(1);
  CHECK(Betweenness(g, late).status().code() == absl::StatusCode::kDeadlineExceeded);
  QueryContext bad = Threads(0);
  CHECK(DegreeCentrality(g, false, bad).status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace polegraph
