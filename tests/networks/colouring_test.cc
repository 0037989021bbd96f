// The capped greedy colouring that schedules local moving (lib/networks/level_graph.cc):
// checked on a hand-worked star and, on a random graph, against the definition (a proper
// colouring of exactly the vertices with edges, classes ascending and within the cap).
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "networks/internal/multilevel.h"
#include "networks_test_util.h"

namespace polegraph {
namespace {

using Classes = std::vector<std::vector<NodeId>>;

// Star: centre 0, leaves 1..4; vertex 5 has no edge. Visiting 1, 2, 3, 4, 0, 5:
//   no cap: leaves share colour 0, the centre takes 1      -> {1,2,3,4}, {0}
//   cap 2:  1, 2 fill colour 0; 3, 4 fill colour 1; 0 -> 2 -> {1,2}, {3,4}, {0}
// and 5 is in no class.
TEST_CASE("Capped colouring of a star", "[networks][colouring]") {
  const WeightedGraph g =
      testing::MakeGraph(6, {{0, 1, 1.0}, {0, 2, 1.0}, {0, 3, 1.0}, {0, 4, 1.0}});
  const std::vector<NodeId> order = {1, 2, 3, 4, 0, 5};
  CHECK(internal::ColourClasses(g, order, 0) == Classes{{1, 2, 3, 4}, {0}});
  CHECK(internal::ColourClasses(g, order, 2) == Classes{{1, 2}, {3, 4}, {0}});
  CHECK(internal::ColourClasses(g, order, 1) == Classes{{1}, {2}, {3}, {4}, {0}});
}

TEST_CASE("Capped colouring is proper and covers the vertices with edges",
          "[networks][colouring]") {
  constexpr NodeId n = 5000;
  std::mt19937_64 rng(7);
  std::vector<WeightedEdge> edges;
  for (int i = 0; i < 20000; ++i) {
    const NodeId a = static_cast<NodeId>(rng() % (n - 500));  // the last 500 have no edges
    const NodeId b = static_cast<NodeId>(rng() % (n - 500));
    if (a != b) edges.push_back({a, b, 1.0});
  }
  const WeightedGraph g = testing::MakeGraph(n, edges);
  const std::vector<NodeId> order = internal::SeededOrder(n, 11, 2);
  for (NodeId cap : {NodeId{0}, NodeId{300}, NodeId{1000}}) {
    const Classes classes = internal::ColourClasses(g, order, cap);
    std::vector<int> colour(n, -1);
    for (std::size_t c = 0; c < classes.size(); ++c) {
      if (cap != 0) CHECK(classes[c].size() <= cap);
      CHECK(std::is_sorted(classes[c].begin(), classes[c].end()));
      for (NodeId v : classes[c]) {
        CHECK(colour[v] == -1);  // at most one class
        colour[v] = static_cast<int>(c);
      }
    }
    for (NodeId v = 0; v < n; ++v) {
      CHECK((colour[v] >= 0) == (g.degree(v) > 0));
      for (NodeId u : g.neighbours(v)) CHECK(colour[u] != colour[v]);
    }
  }
}

}  // namespace
}  // namespace polegraph
