// Pieces of local moving's memory layout (lib/networks/local_moving.cc, level_graph.cc,
// internal/huge_pages.h): the seeded order in runs of consecutive ids, the unit-weight path
// (checked against the path that reads the weights: sums of 1.0 are exact, so the partitions
// must be identical), and the 2 MB-page arrays (zero-filled, both allocation paths).
#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>
#include <vector>

#include "networks/internal/huge_pages.h"
#include "networks/internal/multilevel.h"
#include "networks_test_util.h"

namespace polegraph {
namespace {

TEST_CASE("Seeded order is a permutation in runs of consecutive ids", "[networks][order]") {
  constexpr NodeId kRun = NodeId{1} << internal::kSeededRunBits;
  for (NodeId n : {NodeId{0}, NodeId{1}, kRun - 1, kRun, 5 * kRun + 17, NodeId{100000}}) {
    INFO("n = " << n);
    const std::vector<NodeId> order = internal::SeededOrder(n, 5, 2);
    for (int threads : {1, 8}) CHECK(internal::SeededOrder(n, 5, threads) == order);
    std::vector<NodeId> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<NodeId> ids(n);
    std::iota(ids.begin(), ids.end(), NodeId{0});
    CHECK(sorted == ids);
    // Cut at every run start (an id divisible by the run length): each piece is one whole run
    // in ascending ids.
    std::size_t runs = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (order[i] % kRun == 0) {
        ++runs;
        const NodeId len = std::min(kRun, n - order[i]);
        REQUIRE(i + len <= order.size());
        for (NodeId j = 1; j < len; ++j) CHECK(order[i + j] == order[i] + j);
      } else {
        CHECK(i > 0);
        if (i > 0) CHECK(order[i] == order[i - 1] + 1);
      }
    }
    CHECK(runs == (n + kRun - 1) / kRun);
    if (n >= 4 * kRun) CHECK(order != ids);  // shuffled
  }
}

TEST_CASE("Level graph detects unit weights", "[networks][local_moving]") {
  const WeightedGraph unit = testing::MakeGraph(4, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 3, 1.0}});
  const WeightedGraph other = testing::MakeGraph(4, {{0, 1, 1.0}, {1, 2, 2.0}, {2, 3, 1.0}});
  CHECK(internal::MakeLevelGraph(unit, 2).unit_weights);
  CHECK(!internal::MakeLevelGraph(other, 2).unit_weights);
  std::vector<NodeId> perm = {3, 2, 1, 0};
  CHECK(internal::PermuteLevelGraph(internal::MakeLevelGraph(unit, 2), perm, 2).unit_weights);
}

TEST_CASE("Local moving gives the same partition with and without the unit-weight path",
          "[networks][local_moving]") {
  const testing::Planted p = testing::PlantedPartition(40, 50, 0.3, 0.01, 9);
  const internal::LevelGraph unit = internal::MakeLevelGraph(p.graph, 2);
  REQUIRE(unit.unit_weights);
  internal::LevelGraph read = internal::MakeLevelGraph(p.graph, 2);
  read.unit_weights = false;  // forces the path that reads every weight
  const NodeId n = p.graph.num_nodes();
  const auto classes = internal::ColourClasses(
      p.graph, internal::SeededOrder(n, 3, 2), internal::ClassCap(n) / 8, 2);
  for (int threads : {1, 2, 8}) {
    QueryContext ctx;
    ctx.threads = threads;
    std::vector<NodeId> a(n), b(n);
    std::iota(a.begin(), a.end(), NodeId{0});
    std::iota(b.begin(), b.end(), NodeId{0});
    const absl::StatusOr<std::uint64_t> moved_a =
        internal::LocalMoving(unit, classes, 1.0, 64, a, ctx);
    const absl::StatusOr<std::uint64_t> moved_b =
        internal::LocalMoving(read, classes, 1.0, 64, b, ctx);
    REQUIRE(moved_a.ok());
    REQUIRE(moved_b.ok());
    CHECK(*moved_a == *moved_b);
    CHECK(*moved_a > 0);
    CHECK(a == b);
  }
}

TEST_CASE("Huge-page arrays are zero-filled and movable", "[networks][huge_pages]") {
  for (std::size_t n : {std::size_t{0}, std::size_t{10}, std::size_t{3} << 20}) {
    internal::HugeArray<std::uint64_t> a(n);
    CHECK(a.size() == n);
    bool zero = true;
    for (std::size_t i = 0; i < n; ++i) zero &= a[i] == 0;
    CHECK(zero);
    for (std::size_t i = 0; i < n; ++i) a[i] = i;
    internal::HugeArray<std::uint64_t> b = std::move(a);
    CHECK(b.size() == n);
    if (n > 0) CHECK(b[n - 1] == n - 1);
  }
  std::vector<double> v;
  internal::ResizeHuge(v, std::size_t{1} << 20);
  CHECK(v.size() == std::size_t{1} << 20);
  CHECK(std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0; }));
}

}  // namespace
}  // namespace polegraph
