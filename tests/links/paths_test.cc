// ShortestPath, AllShortestPaths and KShortestPaths against brute-force enumeration of every
// simple path on small graphs (parallel edges included: a path is a sequence of edges).
#include <catch2/catch.hpp>

#include "fixture.h"

namespace polegraph::links_test {
namespace {

bool ShorterFirst(const std::vector<OStep>& a, const std::vector<OStep>& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

struct Case {
  Built built;
  TraversalFilter filter;
};

std::vector<Case> SmallCases() {
  std::vector<Case> cases;
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 24; ++i) {
    const std::uint32_t n = 8 + static_cast<std::uint32_t>(rng() % 14);
    Spec spec = i % 6 == 5 ? ChainSpec(n) : RandomSpec(n, n * 2 + static_cast<std::uint32_t>(rng() % n), rng);
    const bool kinds = i % 3 == 1;
    Decorate(spec, {.kinds = kinds}, rng);
    TraversalFilter f;
    f.direction = static_cast<Direction>(i % 3);
    if (kinds) {
      f.node_kinds.reset(static_cast<int>(NodeKind::kLocation));
      f.since = kT0 + 1;
    }
    f.max_results = 1 + rng() % 6;
    cases.push_back({Build(spec), f});
  }
  return cases;
}

TEST_CASE("shortest, all shortest and k shortest paths equal brute force") {
  for (const Case& c : SmallCases()) {
    const Graph& g = *c.built.graph;
    const NodeId n = g.num_nodes();
    for (NodeId a = 0; a < n; a += 3) {
      for (NodeId b = 1; b < n; b += 4) {
        const std::uint32_t max_hops = 6;
        const OAdj adj = OracleSteps(g, c.filter, Classification::kTopSecret, {a, b});
        std::vector<std::vector<OStep>> all;
        OracleSimplePaths(adj, a, b, max_hops, all);
        std::sort(all.begin(), all.end(), ShorterFirst);
        const std::uint32_t want_hops =
            all.empty() ? kUnreached : static_cast<std::uint32_t>(all.front().size());
        std::vector<std::vector<OStep>> shortest;
        for (const auto& p : all) {
          if (p.size() == want_hops) shortest.push_back(p);
        }
        INFO("a=" << a << " b=" << b << " dir=" << static_cast<int>(c.filter.direction));
        PathOptions opt;
        opt.filter = c.filter;
        opt.max_hops = max_hops;
        opt.k = 1 + (a + b) % 7;
        for (int threads : {1, 2, 8}) {
          auto sp = ShortestPath(g, a, b, opt, Ctx(threads));
          REQUIRE(sp.ok());
          REQUIRE(sp->hops == want_hops);
          if (want_hops == kUnreached) {
            REQUIRE(sp->chart.paths.empty());
          } else {
            REQUIRE(sp->chart.paths.size() == 1);
            REQUIRE(ValidPath(adj, sp->chart.paths[0], a, b));
            REQUIRE(sp->chart.paths[0].hops() == want_hops);
          }

          auto asp = AllShortestPaths(g, a, b, opt, Ctx(threads));
          REQUIRE(asp.ok());
          REQUIRE(asp->hops == want_hops);
          REQUIRE(asp->count.value == shortest.size());
          const std::size_t listed = std::min(shortest.size(), c.filter.max_results);
          REQUIRE(asp->chart.paths.size() == listed);
          REQUIRE(asp->chart.truncated == (shortest.size() > listed));
          for (std::size_t i = 0; i < listed; ++i) {
            REQUIRE(Steps(asp->chart.paths[i]) == shortest[i]);
          }

          auto ksp = KShortestPaths(g, a, b, opt, Ctx(threads));
          REQUIRE(ksp.ok());
          const std::size_t k = std::min({opt.k, c.filter.max_results, all.size()});
          REQUIRE(ksp->chart.paths.size() == k);
          for (std::size_t i = 0; i < k; ++i) {
            REQUIRE(Steps(ksp->chart.paths[i]) == all[i]);
          }
          // Every path edge is listed in the chart with its provenance.
          for (const LinkPath& p : ksp->chart.paths) {
            for (EdgeId e : p.edges) {
              const LinkEdge* le = ksp->chart.FindEdge(e);
              REQUIRE(le != nullptr);
              REQUIRE(le->provenance.record_id.substr(0, 1) == "E");
              REQUIRE(le->kind == g.edge_kind()[e]);
            }
          }
        }
      }
    }
  }
}

// A diamond ladder: 0 -> {1,2} -> 3 -> {4,5} -> 6 ... has 2^k shortest paths; with 130 rungs
// the count (2^130) exceeds 128 bits and saturates.
//
//     1     4
//   /   `./   `.
//  0     3     6 ...
//   `.  / `.  /
//     2     5
TEST_CASE("path counts are exact in 128 bits and saturate beyond") {
  for (int rungs : {70, 127, 130}) {
    Spec spec;
    spec.nodes.resize(static_cast<std::size_t>(3 * rungs + 1));
    for (int r = 0; r < rungs; ++r) {
      const auto base = static_cast<std::uint32_t>(3 * r);
      AddEdge(spec, base, base + 1);
      AddEdge(spec, base, base + 2);
      AddEdge(spec, base + 1, base + 3);
      AddEdge(spec, base + 2, base + 3);
    }
    std::mt19937_64 rng(3);
    Decorate(spec, {.kinds = false, .times = false}, rng);
    const Built b = Build(spec);
    PathOptions opt;
    opt.max_hops = 1000;
    opt.filter.max_results = 2;
    auto r = AllShortestPaths(*b.graph, b.id[0], b.id[spec.nodes.size() - 1], opt, Ctx(2));
    REQUIRE(r.ok());
    CHECK(r->hops == static_cast<std::uint32_t>(2 * rungs));
    if (rungs <= 127) {
      CHECK(r->count.value == absl::uint128(1) << rungs);
      CHECK_FALSE(r->count.saturated);
    } else {
      CHECK(r->count.saturated);
      CHECK(r->count.ToString() == ">=340282366920938463463374607431768211455");
    }
    if (rungs == 70) CHECK(r->count.ToString() == "1180591620717411303424");
    CHECK(r->chart.paths.size() == 2);
  }
}

TEST_CASE("a path from a node to itself has no edges") {
  std::mt19937_64 rng(5);
  Spec spec = ChainSpec(4);
  Decorate(spec, {}, rng);
  const Built b = Build(spec);
  PathOptions opt;
  auto r = ShortestPath(*b.graph, b.id[2], b.id[2], opt, Ctx(1));
  REQUIRE(r.ok());
  CHECK(r->hops == 0);
  REQUIRE(r->chart.paths.size() == 1);
  CHECK(r->chart.paths[0].nodes == std::vector<NodeId>{b.id[2]});
  auto all = AllShortestPaths(*b.graph, b.id[2], b.id[2], opt, Ctx(1));
  REQUIRE(all.ok());
  CHECK(all->count.value == 1);
  opt.k = 0;
  CHECK(KShortestPaths(*b.graph, b.id[0], b.id[2], opt, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace polegraph::links_test
