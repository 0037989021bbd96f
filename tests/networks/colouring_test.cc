// The colourings that schedule local moving (lib/networks/level_graph.cc): checked on a
// hand-worked star and path and, on a random graph, against the definition (a proper colouring
// of exactly the vertices with edges, classes ascending and within the cap, with a cap the
// classes in blocks of the visiting order) at 1, 2 and 8 threads.
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
  // Cap 4: the first block is the four leaves, the second the centre.
  CHECK(internal::ColourClasses(g, order, 4, 2) == Classes{{1, 2, 3, 4}, {0}});
}

// Path 0-1-2-3-4-5 visited 0, 1, 2, 3, 4, 5 with cap 3: blocks {0, 1, 2} and {3, 4, 5}. In the
// first, 0 takes colour 0, 1 (next to 0) colour 1, 2 (next to 1 only) colour 0; likewise in
// the second. The edge 2-3 joins two blocks and does not count.
//   -> {0, 2}, {1}, {3, 5}, {4}
// Visiting 5, 4, 3, 2, 1, 0 instead: blocks {5, 4, 3} and {2, 1, 0} -> {3, 5}, {4}, {0, 2}, {1}.
TEST_CASE("Capped colouring of a path colours each block on its own", "[networks][colouring]") {
  const WeightedGraph g = testing::MakeGraph(
      6, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 3, 1.0}, {3, 4, 1.0}, {4, 5, 1.0}});
  for (int threads : {1, 2, 8}) {
    CHECK(internal::ColourClasses(g, std::vector<NodeId>{0, 1, 2, 3, 4, 5}, 3, threads) ==
          Classes{{0, 2}, {1}, {3, 5}, {4}});
    CHECK(internal::ColourClasses(g, std::vector<NodeId>{5, 4, 3, 2, 1, 0}, 3, threads) ==
          Classes{{3, 5}, {4}, {0, 2}, {1}});
  }
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
  // Each vertex's block under a cap: its position in `order` among the vertices with edges,
  // divided by the cap.
  std::vector<NodeId> rank(n, 0);
  NodeId ranked = 0;
  for (NodeId v : order) {
    if (g.degree(v) > 0) rank[v] = ranked++;
  }
  for (NodeId cap : {NodeId{0}, NodeId{300}, NodeId{1000}}) {
    const Classes classes = internal::ColourClasses(g, order, cap, 2);
    for (int threads : {1, 8}) CHECK(internal::ColourClasses(g, order, cap, threads) == classes);
    if (cap != 0) {  // classes in block order, each within one block, every block filled
      std::vector<NodeId> in_block(ranked / cap + 1, 0);
      NodeId last = 0;
      for (const std::vector<NodeId>& cls : classes) {
        REQUIRE(!cls.empty());
        const NodeId block = rank[cls[0]] / cap;
        CHECK(block >= last);
        last = block;
        for (NodeId v : cls) CHECK(rank[v] / cap == block);
        in_block[block] += static_cast<NodeId>(cls.size());
      }
      for (NodeId b = 0; b < ranked / cap; ++b) CHECK(in_block[b] == cap);
      CHECK(in_block[ranked / cap] == ranked % cap);
    }
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
