// WeightedGraph::Validate: each broken invariant of a hand-filled graph gets its own
// InvalidArgument (messages worked out by hand from the arrays below), the first bad vertex is
// reported at any thread count, and every entry point of centrality.h and networks.h that
// takes a WeightedGraph refuses a broken graph before reading it (an arc without its mirror
// made ApproximateBetweenness's walk back index kNoNode).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "networks/networks_test_util.h"
#include "polegraph/centrality.h"

namespace polegraph::testing {
namespace {

WeightedGraph Raw(std::vector<EdgeIndex> offsets, std::vector<NodeId> targets,
                  std::vector<double> weights) {
  WeightedGraph g;
  g.offsets = std::move(offsets);
  g.targets = std::move(targets);
  g.arc_weights = std::move(weights);
  return g;
}

std::string Message(const WeightedGraph& g, int threads = 1) {
  const absl::Status s = g.Validate(threads);
  if (s.ok()) return "ok";
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  return std::string(s.message());
}

TEST_CASE("Validate accepts what FromEdges builds, and the empty graph") {
  CHECK(Message(TwoCliques(4)) == "ok");
  CHECK(Message(TwoCliques(4), 8) == "ok");
  // Repeated edges summed in FromEdges, in both directions, in the same order: the mirrors'
  // weights agree to the bit (0.1 + 0.2 + 0.7 either way).
  CHECK(Message(MakeGraph(3, {{0, 1, 0.7}, {1, 0, 0.1}, {0, 1, 0.2}, {2, 1, 1.0}})) == "ok");
  const Planted planted = PlantedPartition(4, 30, 0.3, 0.02, 9);  // 120 vertices
  CHECK(Message(planted.graph, 1) == "ok");
  CHECK(Message(planted.graph, 8) == "ok");
  CHECK(Message(WeightedGraph{}) == "ok");  // offsets {0}: no vertices
  CHECK(Message(MakeGraph(3, {})) == "ok");
}

TEST_CASE("Validate names each broken invariant") {
  // The path 0 - 1 - 2 stored correctly is
  //   offsets {0, 1, 3, 4}, targets {1, 0, 2, 1}, weights {1, 1, 2, 2};
  // each section breaks one thing.
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 2, 1}, {1, 1, 2, 2})) == "ok");
  CHECK(Message(Raw({}, {}, {})) ==
        "WeightedGraph: offsets is empty (it holds num_nodes + 1 entries)");
  CHECK(Message(Raw({0, 3}, {}, {})) ==
        "WeightedGraph: offsets end at 3 but there are 0 targets and 0 arc weights (all three "
        "must agree)");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 2, 1}, {1, 1, 2})) ==
        "WeightedGraph: offsets end at 4 but there are 4 targets and 3 arc weights (all three "
        "must agree)");
  CHECK(Message(Raw({1, 1}, {}, {})) == "WeightedGraph: offsets[0] is 1");
  // Vertex 1's range [1, 0) runs backwards (vertex 2's [0, 4) then holds a self-loop, but
  // vertex 1 comes first).
  CHECK(Message(Raw({0, 1, 0, 4}, {1, 0, 2, 1}, {1, 1, 2, 2})) ==
        "WeightedGraph: offsets decrease at vertex 1 (1 then 0)");
  // offsets[1] = 6 lies past the 4 targets although offsets ends at 4.
  CHECK(Message(Raw({0, 6, 3, 4}, {1, 0, 2, 1}, {1, 1, 2, 2})) ==
        "WeightedGraph: offsets[1] = 6 is past the 4 targets");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 7, 1}, {1, 1, 2, 2})) ==
        "WeightedGraph: arc 2 of vertex 1 goes to 7, not a vertex (the graph has 3)");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 1, 2, 1}, {1, 1, 2, 2})) ==
        "WeightedGraph: arc 1 of vertex 1 is a self-loop");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 2, 0, 1}, {1, 2, 1, 2})) ==
        "WeightedGraph: the neighbours of vertex 1 are not in strictly ascending order (2 then 0 "
        "at arc 2)");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 2, 2, 1}, {1, 2, 1, 2})) ==
        "WeightedGraph: the neighbours of vertex 1 are not in strictly ascending order (2 then 2 "
        "at arc 2)");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 2, 1}, {1, 1, 0, 2})) ==
        "WeightedGraph: arc 2 (1 -> 2) has weight 0; weights must be finite and > 0");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 2, 1}, {-1, 1, 2, 2})) ==
        "WeightedGraph: arc 0 (0 -> 1) has weight -1; weights must be finite and > 0");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 2, 1}, {1, 1, 2, std::nan("")})) ==
        "WeightedGraph: arc 3 (2 -> 1) has weight nan; weights must be finite and > 0");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 2, 1}, {1, 1, 2, HUGE_VAL})) ==
        "WeightedGraph: arc 3 (2 -> 1) has weight inf; weights must be finite and > 0");
  // An arc without its mirror (0 -> 1 only), and a mirror of another weight (1 -> 2 is 2,
  // 2 -> 1 is 3).
  CHECK(Message(Raw({0, 1, 1}, {1}, {1})) ==
        "WeightedGraph: arc 0 (0 -> 1) has no mirror 1 -> 0; every edge must be stored in both "
        "directions");
  CHECK(Message(Raw({0, 1, 3, 4}, {1, 0, 2, 1}, {1, 1, 2, 3}), 2) ==
        "WeightedGraph: arc 2 (1 -> 2) has weight 2 but its mirror 2 -> 1 has weight 3");
  // Arcs 0 -> 1 and 2 -> 1: one arc upwards and one downwards, of equal weights (they would
  // cancel if the hash left out the endpoints), but not mirrors of each other.
  CHECK(Message(Raw({0, 1, 1, 2}, {1, 1}, {1, 1})) ==
        "WeightedGraph: arc 0 (0 -> 1) has no mirror 1 -> 0; every edge must be stored in both "
        "directions");
}

TEST_CASE("Validate reports the first bad vertex whatever the thread count") {
  // A path of 20000 vertices (over four blocks of 4096), then two faults: a zero weight on
  // vertex 15000's first arc and a self-loop at vertex 6000. Vertex 6000 comes first.
  std::vector<WeightedEdge> e;
  for (NodeId v = 0; v + 1 < 20000; ++v) e.push_back({v, v + 1, 1.0});
  WeightedGraph g = MakeGraph(20000, e);
  g.arc_weights[g.offsets[15000]] = 0.0;
  g.targets[g.offsets[6000]] = 6000;  // its neighbours were 5999, 6001
  for (int threads : {1, 2, 8}) {
    CHECK(Message(g, threads) == "WeightedGraph: arc " + std::to_string(g.offsets[6000]) +
                                     " of vertex 6000 is a self-loop");
  }
}

TEST_CASE("every entry point that takes a WeightedGraph refuses a broken one") {
  // One vertex whose offsets claim 3 arcs that are not there: reading them would run past
  // `targets`.
  const WeightedGraph g = Raw({0, 3}, {}, {});
  const auto kBad = absl::StatusCode::kInvalidArgument;
  const QueryContext ctx = Threads(2);
  CHECK(DegreeCentrality(g, true, ctx).status().code() == kBad);
  CHECK(DegreeCentrality(g, false, ctx).status().code() == kBad);
  PageRankOptions pr;
  CHECK(PageRankCentrality(g, pr, ctx).status().code() == kBad);
  pr.tolerance = 1e-9;
  CHECK(PageRankCentrality(g, pr, ctx).status().code() == kBad);
  CHECK(Betweenness(g, ctx).status().code() == kBad);
  CHECK(PivotBetweenness(g, 1, 1, ctx).status().code() == kBad);
  CHECK(ApproximateBetweenness(g, {}, ctx).status().code() == kBad);
  CHECK(ClosenessCentrality(g, ctx).status().code() == kBad);
  CHECK(HarmonicCentrality(g, ctx).status().code() == kBad);
  for (CommunityAlgorithm a :
       {CommunityAlgorithm::kComponents, CommunityAlgorithm::kLabelPropagation,
        CommunityAlgorithm::kLouvain, CommunityAlgorithm::kLeiden}) {
    CommunityOptions o;
    o.algorithm = a;
    const absl::Status s = DetectCommunities(g, o, ctx).status();
    CHECK(s.code() == kBad);
    CHECK(std::string(s.message()).rfind("WeightedGraph: offsets end at 3", 0) == 0);
  }
  CHECK(ConnectedComponents(g, ctx).status().code() == kBad);
  const std::vector<std::uint32_t> one = {0};
  CHECK(Modularity(g, one).status().code() == kBad);
  Partition p;
  p.community = one;
  p.num_communities = 1;
  CHECK(SummariseCommunities(g, p, {}, ctx).status().code() == kBad);
}

}  // namespace
}  // namespace polegraph::testing
