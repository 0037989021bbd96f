// FinishPartition given level 0's strengths and unit-weight flag (lib/networks/communities.cc):
// the modularity equals the one computed from the definition over all vertex pairs
// (BruteModularity) and, to the bit, FinishPartition reading every weight, at 1, 2 and 8
// threads; on a unit-weight graph (no weight read) and on a weighted one.
#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "networks/internal/communities.h"
#include "networks/internal/multilevel.h"
#include "networks_test_util.h"

namespace polegraph {
namespace {

TEST_CASE("FinishPartition from level 0's strengths gives the same modularity to the bit",
          "[networks][modularity]") {
  const testing::Planted unit = testing::PlantedPartition(12, 25, 0.3, 0.03, 8);
  std::mt19937_64 rng(3);
  std::vector<WeightedEdge> edges;
  for (int i = 0; i < 1500; ++i) {
    const NodeId a = static_cast<NodeId>(rng() % 300), b = static_cast<NodeId>(rng() % 300);
    if (a != b) edges.push_back({a, b, 0.25 + static_cast<double>(rng() % 7)});
  }
  const WeightedGraph weighted = testing::MakeGraph(300, edges);
  for (const WeightedGraph* g : {&unit.graph, &weighted}) {
    const NodeId n = g->num_nodes();
    const internal::LevelGraph lg = internal::MakeLevelGraph(*g, 1);
    CHECK(lg.unit_weights == (g == &unit.graph));
    // Labels: the planted groups (or blocks of 25) with every seventh vertex moved on.
    std::vector<NodeId> labels(n);
    for (NodeId v = 0; v < n; ++v) labels[v] = (v / 25 + (v % 7 == 0 ? 1 : 0)) % 12;
    for (double resolution : {1.0, 0.5}) {
      for (int threads : {1, 2, 8}) {
        const Partition plain = internal::FinishPartition(*g, labels, resolution, 1, threads);
        const Partition known = internal::FinishPartition(*g, labels, resolution, 1, threads,
                                                          lg.strength, lg.unit_weights);
        CHECK(known.community == plain.community);
        CHECK(known.num_communities == plain.num_communities);
        CHECK(known.modularity == plain.modularity);  // to the bit
        CHECK(known.modularity ==
              Approx(testing::BruteModularity(*g, known.community, resolution)).margin(1e-12));
      }
    }
  }
}

TEST_CASE("FinishPartition of already numbered labels keeps them and gives the same result",
          "[networks][modularity]") {
  // Leiden passes its labels already numbered by smallest vertex (renumbered = true): the
  // result must equal renumbering them again, for labels 0, 1, 0, 2, 1, 3, ... (hand-made:
  // each new label first appears after all smaller ones) on a planted graph.
  const testing::Planted pp = testing::PlantedPartition(6, 20, 0.4, 0.05, 5);
  const WeightedGraph& g = pp.graph;
  const internal::LevelGraph lg = internal::MakeLevelGraph(g, 1);
  std::vector<NodeId> labels(g.num_nodes());
  NodeId next = 0;
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    labels[v] = v % 3 == 0 && next < 10 ? next++ : (next == 0 ? 0 : v % next);
  }
  std::vector<NodeId> again = labels;
  REQUIRE(internal::Renumber(again) == next);
  REQUIRE(again == labels);  // numbered by smallest vertex already
  for (int threads : {1, 2, 8}) {
    const Partition plain = internal::FinishPartition(g, labels, 1.0, 3, threads);
    const Partition kept = internal::FinishPartition(g, labels, 1.0, 3, threads, lg.strength,
                                                     lg.unit_weights, /*renumbered=*/true);
    CHECK(kept.community == labels);
    CHECK(kept.community == plain.community);
    CHECK(kept.num_communities == next);
    CHECK(kept.levels == 3);
    CHECK(kept.modularity == plain.modularity);  // to the bit
    CHECK(kept.modularity ==
          Approx(testing::BruteModularity(g, kept.community, 1.0)).margin(1e-12));
  }
}

}  // namespace
}  // namespace polegraph
