// Community detection against independent oracles: modularity recomputed from the
// definition, planted partitions, two cliques, Leiden connectivity, components vs BFS, and
// identical output at 1, 2 and 8 threads.
#include <catch2/catch.hpp>
#include <random>

#include "../bench/common/lfr.h"
#include "networks/networks_test_util.h"

namespace polegraph::testing {
namespace {

CommunityOptions Options(CommunityAlgorithm a, std::uint64_t seed = 1) {
  CommunityOptions o;
  o.algorithm = a;
  o.seed = seed;
  return o;
}

Partition Run(const WeightedGraph& g, const CommunityOptions& o, int threads = 2) {
  absl::StatusOr<Partition> p = DetectCommunities(g, o, Threads(threads));
  REQUIRE(p.ok());
  return *std::move(p);
}

const CommunityAlgorithm kAll[] = {CommunityAlgorithm::kComponents,
                                   CommunityAlgorithm::kLabelPropagation,
                                   CommunityAlgorithm::kLouvain, CommunityAlgorithm::kLeiden};

// Runs o at 1, 2 and 8 threads, checks the partitions and their modularity are identical
// (bit for bit), and returns the 1-thread partition.
Partition SameAt1To8Threads(const WeightedGraph& g, const CommunityOptions& o) {
  const Partition p1 = Run(g, o, 1);
  const Partition p2 = Run(g, o, 2);
  const Partition p8 = Run(g, o, 8);
  CHECK(p1.community == p2.community);
  CHECK(p1.community == p8.community);
  CHECK(p1.modularity == p2.modularity);  // bit-identical
  CHECK(p1.modularity == p8.modularity);
  return p1;
}

TEST_CASE("modularity of two triangles joined by an edge is 5/14 (hand-worked)") {
  //   0 - 1         4 - 5
  //    \ /           \ /
  //     2 --------- 3
  const WeightedGraph g =
      MakeGraph(6, {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {3, 4, 1}, {3, 5, 1}, {4, 5, 1}, {2, 3, 1}});
  // m = 7; each triangle: internal arcs 6, strength 7: Q = 2 (6/14 - (7/14)^2) = 5/14.
  const std::vector<std::uint32_t> c = {0, 0, 0, 1, 1, 1};
  CHECK(*Modularity(g, c) == Approx(5.0 / 14.0));
  CHECK(BruteModularity(g, c) == Approx(5.0 / 14.0));
  // All in one community: Q = 1 - 1 = 0.
  CHECK(*Modularity(g, std::vector<std::uint32_t>(6, 3)) == Approx(0.0).margin(1e-12));
  for (CommunityAlgorithm a : {CommunityAlgorithm::kLouvain, CommunityAlgorithm::kLeiden}) {
    const Partition p = Run(g, Options(a));
    CHECK(p.num_communities == 2);
    CHECK(p.community == c);
    CHECK(p.modularity == Approx(5.0 / 14.0));
  }
}

TEST_CASE("two cliques joined by an edge are found by every algorithm") {
  const WeightedGraph g = TwoCliques(6);
  std::vector<std::uint32_t> truth(12, 0);
  for (NodeId v = 6; v < 12; ++v) truth[v] = 1;
  for (CommunityAlgorithm a : {CommunityAlgorithm::kLabelPropagation, CommunityAlgorithm::kLouvain,
                               CommunityAlgorithm::kLeiden}) {
    INFO(CommunityAlgorithmName(a));
    const Partition p = Run(g, Options(a));
    CHECK(p.community == truth);
    CHECK(p.modularity == Approx(BruteModularity(g, p.community)));
  }
  const Partition w = Run(g, Options(CommunityAlgorithm::kComponents));
  CHECK(w.num_communities == 1);
}

TEST_CASE("Louvain and Leiden recover planted partitions exactly") {
  for (std::uint64_t seed : {1, 2, 3}) {
    const Planted pp = PlantedPartition(/*groups=*/4, /*size=*/25, 0.5, 0.02, seed);
    for (CommunityAlgorithm a : {CommunityAlgorithm::kLouvain, CommunityAlgorithm::kLeiden}) {
      INFO(CommunityAlgorithmName(a) << " seed " << seed);
      const Partition p = Run(pp.graph, Options(a, seed));
      CHECK(p.num_communities == 4);
      CHECK(*AdjustedRandIndex(p.community, pp.truth) == Approx(1.0));
      CHECK(p.modularity == Approx(BruteModularity(pp.graph, p.community)).epsilon(1e-9));
    }
  }
}

TEST_CASE("reported modularity equals the definition, on LFR graphs and at other resolutions") {
  bench::LfrOptions o;
  o.n = 600;
  o.mu = 0.35;
  o.seed = 5;
  const bench::LfrGraph lfr = bench::Lfr(o);
  const WeightedGraph g = MakeGraph(lfr.n, lfr.edges);
  for (double gamma : {0.5, 1.0, 2.0}) {
    for (CommunityAlgorithm a : kAll) {
      INFO(CommunityAlgorithmName(a) << " gamma " << gamma);
      CommunityOptions opt = Options(a);
      opt.resolution = gamma;
      const Partition p = Run(g, opt);
      CHECK(p.modularity == Approx(BruteModularity(g, p.community, gamma)).margin(1e-9));
    }
  }
  const Partition leiden = Run(g, Options(CommunityAlgorithm::kLeiden));
  const Partition louvain = Run(g, Options(CommunityAlgorithm::kLouvain));
  // Both find most of the planted structure at mu = 0.35.
  CHECK(*NormalizedMutualInformation(leiden.community, lfr.community) > 0.8);
  CHECK(*NormalizedMutualInformation(louvain.community, lfr.community) > 0.8);
  CHECK(leiden.modularity > 0.4);
}

TEST_CASE("Leiden communities are internally connected") {
  for (std::uint64_t seed : {1, 7, 9}) {
    bench::LfrOptions o;
    o.n = 800;
    o.mu = 0.5;  // heavy mixing: where Louvain tends to leave disconnected communities
    o.seed = seed;
    const bench::LfrGraph lfr = bench::Lfr(o);
    const WeightedGraph g = MakeGraph(lfr.n, lfr.edges);
    for (double gamma : {0.5, 1.0}) {
      CommunityOptions opt = Options(CommunityAlgorithm::kLeiden, seed);
      opt.resolution = gamma;
      const Partition p = Run(g, opt);
      CHECK(CommunitiesConnected(g, p.community));
    }
  }
}

TEST_CASE("components agree with a breadth-first search") {
  const Planted pp = PlantedPartition(10, 6, 0.35, 0.0, 4);  // several pieces, some isolated
  const Partition p = Run(pp.graph, Options(CommunityAlgorithm::kComponents));
  const NodeId n = pp.graph.num_nodes();
  std::vector<std::int64_t> comp(n, -1);
  std::uint32_t k = 0;
  for (NodeId s = 0; s < n; ++s) {
    if (comp[s] >= 0) continue;
    std::vector<NodeId> q = {s};
    comp[s] = k;
    for (std::size_t h = 0; h < q.size(); ++h) {
      for (NodeId w : pp.graph.neighbours(q[h])) {
        if (comp[w] < 0) {
          comp[w] = k;
          q.push_back(w);
        }
      }
    }
    ++k;
  }
  CHECK(p.num_communities == k);
  // Numbered by smallest member, as the BFS above numbers them.
  for (NodeId v = 0; v < n; ++v) CHECK(p.community[v] == static_cast<std::uint32_t>(comp[v]));
}

TEST_CASE("every algorithm gives the same partition at 1, 2 and 8 threads") {
  // 10000 vertices: the largest colour classes exceed local moving's sequential cut-off (1024),
  // so the parallel path and multi-thread aggregation buffers are exercised.
  bench::LfrOptions o;
  o.n = 10000;
  o.mu = 0.4;
  o.seed = 21;
  const bench::LfrGraph lfr = bench::Lfr(o);
  const WeightedGraph g = MakeGraph(lfr.n, lfr.edges);
  for (CommunityAlgorithm a : kAll) {
    INFO(CommunityAlgorithmName(a));
    SameAt1To8Threads(g, Options(a, 3));
  }
}

TEST_CASE("Louvain and Leiden agree at 1, 2 and 8 threads on a skewed weighted graph") {
  // An R-MAT graph (2^14 vertices, initiator 0.57/0.19/0.19/0.05) with irregular weights:
  // hubs of degree in the thousands wait for 1 % of their strength to move before local
  // moving re-evaluates them, and the first sweeps' classes move enough arcs that the
  // reactivation runs on the team, so the fixed-point sums are added in varying orders.
  const WeightedGraph g = SkewedWeightedGraph(/*scale=*/14, /*seed=*/7);
  for (CommunityAlgorithm a : {CommunityAlgorithm::kLouvain, CommunityAlgorithm::kLeiden}) {
    INFO(CommunityAlgorithmName(a));
    const Partition p1 = SameAt1To8Threads(g, Options(a, 5));
    CHECK(p1.modularity == Approx(BruteModularity(g, p1.community, 1.0)).margin(1e-9));
    CHECK(p1.modularity > 0.08);  // igraph multilevel: 0.10 on unweighted Kronecker 14
  }
}

TEST_CASE("options are validated and cancellation stops the run") {
  const WeightedGraph g = TwoCliques(4);
  CommunityOptions bad = Options(CommunityAlgorithm::kLeiden);
  bad.resolution = 0;
  CHECK(DetectCommunities(g, bad, Threads(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  QueryContext ctx = Threads(1);
  ctx.cancel = std::make_shared<CancellationToken>();
  ctx.cancel->Cancel();
  CHECK(DetectCommunities(g, Options(CommunityAlgorithm::kLouvain), ctx).status().code() ==
        absl::StatusCode::kCancelled);
  CHECK(Modularity(g, std::vector<std::uint32_t>(3, 0)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  // Empty and edgeless graphs: every vertex alone, modularity 0.
  for (CommunityAlgorithm a : kAll) {
    const Partition empty = Run(MakeGraph(0, {}), Options(a));
    CHECK(empty.num_communities == 0);
    const Partition edgeless = Run(MakeGraph(3, {}), Options(a));
    CHECK(edgeless.community == std::vector<std::uint32_t>{0, 1, 2});
    CHECK(edgeless.modularity == 0.0);
  }
}

TEST_CASE("weights whose total overflows a double are refused, not turned into NaN") {
  // A triangle 0-1-2 of weight 1e308 per edge and an edge 3-4 of weight 1: each weight is
  // finite, but the strengths sum to 2m = 6e308 + 2 = inf. (Run, this gave modularity NaN
  // and the triangle as three singletons.)
  const WeightedGraph g = MakeGraph(5, {{0, 1, 1e308}, {1, 2, 1e308}, {0, 2, 1e308}, {3, 4, 1.0}});
  REQUIRE(g.Validate().ok());
  for (CommunityAlgorithm a : kAll) {
    const absl::Status s = DetectCommunities(g, Options(a), Threads(2)).status();
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(s.message()) ==
          "DetectCommunities: the total edge weight (inf over both directions of every edge) "
          "overflows a double: rescale the weights (their sum must stay well below 1.8e308)");
  }
  const std::vector<std::uint32_t> comm = {0, 0, 0, 1, 1};
  CHECK(Modularity(g, comm).status().code() == absl::StatusCode::kInvalidArgument);
  Partition p;
  p.community = comm;
  p.num_communities = 2;
  const absl::Status r = SummariseCommunities(g, p, {}, Threads(2)).status();
  CHECK(r.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(r.message()).rfind("SummariseCommunities: the total edge weight", 0) == 0);
  // The same triangle at 1e300 is fine at resolution 1 (2m = 6e300)...
  const WeightedGraph h = MakeGraph(5, {{0, 1, 1e300}, {1, 2, 1e300}, {0, 2, 1e300}, {3, 4, 1.0}});
  const Partition ok = Run(h, Options(CommunityAlgorithm::kLouvain));
  CHECK(ok.community == std::vector<std::uint32_t>{0, 0, 0, 1, 1});
  // Hand-worked: in_c / 2m = 1 (the edge 3-4 is lost in rounding), tot_0 / 2m = 1, tot_1 / 2m
  // = 2 / 6e300, so Q = 1 - 1 - (tiny)^2 = 0.
  CHECK(ok.modularity == 0.0);
  // ...but not at resolution 1e10, where gamma * 2m = 6e310 overflows.
  CommunityOptions high = Options(CommunityAlgorithm::kLeiden);
  high.resolution = 1e10;
  const absl::Status s = DetectCommunities(h, high, Threads(1)).status();
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(s.message()).find(", times the resolution 1e+10) overflows a double") !=
        std::string::npos);
  // A repeated edge whose weights sum past the range is refused when the graph is built.
  const absl::StatusOr<WeightedGraph> summed =
      WeightedGraph::FromEdges(2, std::vector<WeightedEdge>{{0, 1, 1e308}, {1, 0, 1e308}}, 1);
  CHECK(summed.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(summed.status().message()) ==
        "edge (0, 1) is repeated 2 times and its weights sum past the range of a double");
}

}  // namespace
}  // namespace polegraph::testing
