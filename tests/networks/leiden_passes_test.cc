// Leiden's passes (lib/networks/leiden.cc): a pass after the first ends after its level-0 local
// moving when that moved at most n / 10^4 vertices; otherwise it runs in full. Checked through
// the public API against one-pass runs: the partition, the number of levels run (each level
// is one local moving), modularity against the definition, connectivity, and the same output
// at 1, 2 and 8 threads.
#include <catch2/catch.hpp>

#include "../bench/common/lfr.h"
#include "networks/networks_test_util.h"

namespace polegraph::testing {
namespace {

Partition RunLeiden(const WeightedGraph& g, int passes, int threads) {
  CommunityOptions o;
  o.algorithm = CommunityAlgorithm::kLeiden;
  o.seed = 1;
  o.max_passes = passes;
  absl::StatusOr<Partition> p = DetectCommunities(g, o, Threads(threads));
  REQUIRE(p.ok());
  return *std::move(p);
}

// Two passes at 1, 2 and 8 threads give the same partition; returns it.
Partition TwoPassesSameAt1To8Threads(const WeightedGraph& g) {
  const Partition p1 = RunLeiden(g, 2, 1);
  for (int threads : {2, 8}) {
    const Partition p = RunLeiden(g, 2, threads);
    CHECK(p.community == p1.community);
    CHECK(p.modularity == p1.modularity);  // bit-identical
    CHECK(p.levels == p1.levels);
  }
  return p1;
}

TEST_CASE("a second Leiden pass whose first local moving moves (almost) nothing ends there") {
  // LFR, 10^4 vertices, mu 0.3. Seed 2: the first pass's partition is a local optimum of
  // vertex moves (the second pass's level-0 local moving moves no vertex), so the second pass
  // runs that one level and returns the first pass's partition. Seed 3: it moves one vertex
  // (at most n / 10^4), which only raises modularity, and ends there too.
  for (std::uint64_t seed : {2, 3}) {
    INFO("LFR seed " << seed);
    bench::LfrOptions o;
    o.n = 10000;
    o.mu = 0.3;
    o.seed = seed;
    const bench::LfrGraph lfr = bench::Lfr(o);
    const WeightedGraph g = MakeGraph(lfr.n, lfr.edges);
    const Partition one = RunLeiden(g, 1, 2);
    const Partition two = TwoPassesSameAt1To8Threads(g);
    CHECK(two.levels == one.levels + 1);
    if (seed == 2) {
      CHECK(two.community == one.community);
    } else {
      CHECK(two.community != one.community);
      CHECK(two.modularity > one.modularity);
    }
    CHECK(two.modularity == Approx(BruteModularity(g, two.community, 1.0)).margin(1e-9));
    CHECK(two.modularity > 0.65);  // igraph Leiden: 0.66 on LFR 10^4 (bench graph 0)
    CHECK(CommunitiesConnected(g, two.community));
  }
}

TEST_CASE("a second Leiden pass that moves vertices at level 0 runs in full and raises Q") {
  // R-MAT, 2^13 vertices: about a tenth of the vertices move in the second pass's level-0
  // local moving, so it refines (from the first pass's groups: over n / 100 moves),
  // aggregates and moves at the levels above as well.
  const WeightedGraph g = SkewedWeightedGraph(/*scale=*/13, /*seed=*/3);
  const Partition one = RunLeiden(g, 1, 2);
  const Partition two = TwoPassesSameAt1To8Threads(g);
  CHECK(two.levels > one.levels + 1);
  CHECK(two.community != one.community);
  CHECK(two.modularity > one.modularity);
  CHECK(two.modularity == Approx(BruteModularity(g, two.community, 1.0)).margin(1e-9));
  CHECK(CommunitiesConnected(g, two.community));
}

TEST_CASE("Leiden leaves isolated vertices and small components whole across levels and passes") {
  // A planted graph (12 groups of 30, enough levels to aggregate several times) with extra
  // vertices interleaved after it: every 4th extra vertex isolated, and the others in single
  // edges (pairs 2i, 2i + 1 of the extra vertices that are not isolated). Aggregation leaves
  // such whole components out at the first level and leiden.cc labels them at the end of each
  // pass from the per-level maps. By hand: an isolated vertex is alone; a single-edge
  // component is one community (joining the pair raises Q by 2 w / 2m - 2 (w / 2m)^2 > 0,
  // and nothing else can join it); the planted vertices never share a community with them.
  const Planted pp = PlantedPartition(12, 30, 0.3, 0.01, 11);
  const NodeId base = pp.graph.num_nodes();
  const NodeId extra = 200;
  std::vector<WeightedEdge> edges;
  for (NodeId v = 0; v < base; ++v) {
    auto adj = pp.graph.neighbours(v);
    for (NodeId u : adj) {
      if (v < u) edges.push_back({v, u, 1.0});
    }
  }
  std::vector<NodeId> paired;  // the extra vertices in single edges
  for (NodeId i = 0; i < extra; ++i) {
    if (i % 4 != 3) paired.push_back(base + i);
  }
  if (paired.size() % 2 == 1) paired.pop_back();
  for (std::size_t i = 0; i + 1 < paired.size(); i += 2) {
    edges.push_back({paired[i], paired[i + 1], 2.0});
  }
  const WeightedGraph g = MakeGraph(base + extra, edges);
  const Partition one = RunLeiden(g, 1, 1);
  const Partition two = TwoPassesSameAt1To8Threads(g);
  for (const Partition* p : {&one, &two}) {
    CHECK(p->levels > 2);
    std::vector<int> size(p->num_communities, 0);
    for (NodeId v = 0; v < g.num_nodes(); ++v) ++size[p->community[v]];
    for (NodeId i = 0; i < extra; ++i) {
      const NodeId v = base + i;
      if (g.degree(v) == 0) {
        CHECK(size[p->community[v]] == 1);
      } else {
        CHECK(size[p->community[v]] == 2);
        CHECK(p->community[v] == p->community[g.neighbours(v)[0]]);
      }
    }
    CHECK(p->modularity == Approx(BruteModularity(g, p->community, 1.0)).margin(1e-9));
    CHECK(CommunitiesConnected(g, p->community));
  }
  // The same at 1, 2 and 8 threads for one pass too.
  for (int threads : {2, 8}) CHECK(RunLeiden(g, 1, threads).community == one.community);
}

}  // namespace
}  // namespace polegraph::testing
