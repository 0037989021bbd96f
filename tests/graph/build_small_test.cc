// Build's performance paths must not change its output: a graph below the size at which Build
// stays on one thread and one above it give the same bytes at 1 and 2 threads, and a capacity
// hint (GraphBuilder::Reserve) changes nothing. Oracle: the 1-thread build without a hint.
#include <catch2/catch.hpp>
#include <string>

#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

std::string Bytes(const Graph& g, const std::string& name) {
  const std::string path = testing::ScratchPath(name);
  REQUIRE(SaveSnapshot(g, path).ok());
  return testing::ReadFileBytes(path);
}

std::string BuildBytes(const testing::Facts& f, int threads, bool reserve) {
  GraphBuilder b = testing::MakeBuilder(f, 7);
  if (reserve) b.Reserve(f.records.size(), f.nodes.size(), f.properties.size(), f.edges.size());
  absl::StatusOr<std::shared_ptr<const Graph>> g = std::move(b).Build(threads);
  REQUIRE(g.ok());
  REQUIRE(internal::GraphAccess::storage(**g).Validate().ok());
  return Bytes(**g, "build_small.pg");
}

TEST_CASE("small and large graphs: same bytes at 1 and 2 threads, with or without Reserve",
          "[graph][builder]") {
  // n nodes, 1.25 n assertions, 2.5 n edges, 0.5 n properties: about 5.25 n facts, so
  // n = 2000 (10.5 k) is far below the one-thread limit (2^17 = 131 k) and n = 30000 (157 k)
  // above it.
  for (std::uint32_t n : {2000u, 30000u}) {
    CAPTURE(n);
    const testing::Facts f = testing::RandomFacts(n, 2 * n, testing::Shape::kUniform, 41u + n);
    const std::string expected = BuildBytes(f, 1, false);
    REQUIRE(BuildBytes(f, 2, false) == expected);
    REQUIRE(BuildBytes(f, 1, true) == expected);
    REQUIRE(BuildBytes(f, 2, true) == expected);
  }
}

}  // namespace
}  // namespace polegraph
