// The LFR generator of bench/common (compiled into this binary here: tests do not link the
// bench sources) and checks of what it promises: sizes, mixing, determinism.
#include "../bench/common/lfr.cc"  // NOLINT: the generator's single source file

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <vector>

namespace polegraph::bench {
namespace {

TEST_CASE("LFR graphs have the requested shape and are deterministic") {
  LfrOptions o;
  o.n = 2000;
  o.mu = 0.3;
  o.seed = 11;
  const LfrGraph g = Lfr(o);
  REQUIRE(g.community.size() == 2000);
  std::map<std::uint32_t, std::uint32_t> sizes;
  for (std::uint32_t c : g.community) ++sizes[c];
  for (const auto& [c, s] : sizes) {
    CHECK(s >= o.min_community);
    CHECK(s <= o.max_community + o.min_community);  // the last may absorb a short remainder
  }
  // Edges: u < v, sorted, unique, and the reported mixing recomputed.
  std::size_t between = 0;
  for (std::size_t i = 0; i < g.edges.size(); ++i) {
    REQUIRE(g.edges[i].u < g.edges[i].v);
    if (i > 0) {
      REQUIRE(std::make_pair(g.edges[i - 1].u, g.edges[i - 1].v) <
              std::make_pair(g.edges[i].u, g.edges[i].v));
    }
    between += g.community[g.edges[i].u] != g.community[g.edges[i].v];
  }
  CHECK(g.mixing == Approx(static_cast<double>(between) / g.edges.size()));
  CHECK(std::abs(g.mixing - 0.3) < 0.06);
  const double mean_degree = 2.0 * g.edges.size() / 2000.0;
  CHECK(mean_degree > 10.0);
  CHECK(mean_degree < 16.0);
  // No vertex above the requested maximum degree (pairing only drops stubs).
  std::vector<std::uint32_t> degree(o.n, 0);
  for (const WeightedEdge& e : g.edges) ++degree[e.u], ++degree[e.v];
  CHECK(*std::max_element(degree.begin(), degree.end()) <= o.max_degree);
  // The same seed gives the same graph (every endpoint and weight); another seed another one.
  auto tuples = [](const LfrGraph& x) {
    std::vector<std::tuple<NodeId, NodeId, double>> t;
    for (const WeightedEdge& e : x.edges) t.emplace_back(e.u, e.v, e.weight);
    return t;
  };
  const LfrGraph again = Lfr(o);
  CHECK(again.community == g.community);
  CHECK(tuples(again) == tuples(g));
  CHECK(again.mixing == g.mixing);
  LfrOptions other = o;
  other.seed = 12;
  CHECK(tuples(Lfr(other)) != tuples(g));
}

}  // namespace
}  // namespace polegraph::bench
