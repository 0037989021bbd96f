// Aggregation with its memory kept between calls (internal/aggregate_buffers.h): a chain of
// levels aggregated with one AggregateBuffers, recycling each level graph when it is done
// (so later outputs land in arrays that still hold an earlier level's arcs, and each thread's
// rows span several row blocks), checked level by level against a brute-force sum over every
// arc (std::map, formed once) and bit for bit against Aggregate with fresh memory, at 1, 2 and 8
// threads. The same buffers then aggregate the first level again (larger than the recycled arrays).
#include "networks/internal/aggregate_buffers.h"

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "networks/internal/multilevel.h"
#include "networks_test_util.h"

namespace polegraph {
namespace {

using internal::kNoVertex;
using internal::LevelGraph;

// Brute force: the aggregate of level lg under comm (labels < k), as loops, strengths and a
// map (community, community) -> weight, in the ids that Aggregate gives (kept: left-out
// communities dropped).
struct Expected {
  std::vector<double> loop, strength;
  std::map<std::pair<NodeId, NodeId>, double> between;
  double two_m = 0.0;
};
Expected BruteForce(const LevelGraph& lg, const std::vector<NodeId>& comm, std::uint32_t k,
                    const std::vector<NodeId>& kept) {
  Expected x;
  std::vector<double> loop(k, 0.0), strength(k, 0.0);
  const WeightedGraph& g = lg.g();
  for (NodeId u = 0; u < g.num_nodes(); ++u) {
    loop[comm[u]] += lg.loop[u];
    strength[comm[u]] += lg.loop[u];
    auto adj = g.neighbours(u);
    auto w = g.weights(u);
    for (std::size_t e = 0; e < adj.size(); ++e) {
      strength[comm[u]] += w[e];
      if (comm[u] == comm[adj[e]]) {
        loop[comm[u]] += w[e];
      } else {
        x.between[{kept[comm[u]], kept[comm[adj[e]]]}] += w[e];
      }
    }
  }
  for (std::uint32_t c = 0; c < k; ++c) {
    x.two_m += strength[c];
    if (kept[c] == kNoVertex) continue;
    x.loop.push_back(loop[c]);
    x.strength.push_back(strength[c]);
  }
  return x;
}

// Mismatches are counted and checked once (hundreds of thousands of entries).
void CheckAgainst(const LevelGraph& a, const Expected& x) {
  CHECK(a.two_m == Approx(x.two_m));
  REQUIRE(a.loop.size() == x.loop.size());
  std::size_t bad = 0;
  for (std::size_t c = 0; c < x.loop.size(); ++c) {
    bad += a.loop[c] != Approx(x.loop[c]);
    bad += a.strength[c] != Approx(x.strength[c]);
  }
  std::map<std::pair<NodeId, NodeId>, double> got;
  for (NodeId c = 0; c < a.g().num_nodes(); ++c) {
    auto adj = a.g().neighbours(c);
    auto w = a.g().weights(c);
    for (std::size_t e = 0; e < adj.size(); ++e) {
      bad += !got.emplace(std::make_pair(c, adj[e]), w[e]).second;  // one arc per neighbour
    }
  }
  REQUIRE(got.size() == x.between.size());
  for (const auto& [pair, w] : x.between) {
    auto it = got.find(pair);
    bad += it == got.end() || it->second != Approx(w);
  }
  CHECK(bad == 0);
}

void CheckSame(const LevelGraph& a, const LevelGraph& b) {
  CHECK(a.two_m == b.two_m);
  CHECK(a.loop == b.loop);
  CHECK(a.strength == b.strength);
  CHECK(a.g().offsets == b.g().offsets);
  CHECK(a.g().targets == b.g().targets);
  CHECK(a.g().arc_weights == b.g().arc_weights);
}

// Random labels < k for the vertices of lg, renumbered; returns k after renumbering.
std::uint32_t RandomPartition(NodeId n, NodeId k, std::mt19937_64& rng, std::vector<NodeId>& comm) {
  comm.resize(n);
  for (NodeId v = 0; v < n; ++v) comm[v] = static_cast<NodeId>(rng() % k);
  return internal::Renumber(comm);
}

TEST_CASE("Aggregation with buffers kept across levels equals brute force and fresh memory",
          "[networks][aggregate]") {
  // 6 k vertices and 40 k edges, rows in blocks of 64 entries: every thread fills many
  // blocks, and the upper levels' rows (up to a few hundred entries) are longer than a
  // block. The last 500 vertices have no edge (left out).
  constexpr NodeId n = 6000;
  std::mt19937_64 rng(23);
  std::vector<WeightedEdge> edges;
  for (int i = 0; i < 40000; ++i) {
    const NodeId a = static_cast<NodeId>(rng() % (n - 500));
    const NodeId b = static_cast<NodeId>(rng() % (n - 500));
    if (a != b) edges.push_back({a, b, 1.0 + static_cast<double>(rng() % 3)});
  }
  const WeightedGraph g = testing::MakeGraph(n, edges);
  const LevelGraph lg0 = internal::MakeLevelGraph(g, 1);
  std::vector<NodeId> comm0;
  const std::uint32_t k0 = RandomPartition(n, 2000, rng, comm0);
  // The brute-force sums of each level, formed at the first thread count (the partitions are
  // the same at every thread count).
  std::vector<Expected> expected;
  for (int threads : {1, 2, 8}) {
    internal::AggregateBuffers buffers(threads, /*block=*/64);
    std::vector<NodeId> kept, kept_fresh;
    LevelGraph first = internal::Aggregate(lg0, comm0, k0, threads, &kept, &buffers);
    const LevelGraph fresh = internal::Aggregate(lg0, comm0, k0, threads, &kept_fresh);
    CHECK(kept == kept_fresh);
    CheckSame(first, fresh);
    if (expected.empty()) expected.push_back(BruteForce(lg0, comm0, k0, kept));
    CheckAgainst(first, expected[0]);
    std::size_t at = 1;
    // Levels above, each with fewer communities; the level below is recycled once done.
    LevelGraph below;
    LevelGraph* level = &first;
    LevelGraph held;
    std::mt19937_64 level_rng(41);
    for (NodeId parts : {600u, 150u, 30u, 4u}) {
      std::vector<NodeId> comm;
      const std::uint32_t k = RandomPartition(level->g().num_nodes(), parts, level_rng, comm);
      std::vector<NodeId> all(k);
      for (std::uint32_t c = 0; c < k; ++c) all[c] = c;
      LevelGraph next = internal::Aggregate(*level, comm, k, threads, nullptr, &buffers);
      CheckSame(next, internal::Aggregate(*level, comm, k, threads));
      if (expected.size() == at) expected.push_back(BruteForce(*level, comm, k, all));
      CheckAgainst(next, expected[at++]);
      buffers.Recycle(std::move(below));
      below = std::move(*level);
      held = std::move(next);
      level = &held;
    }
    buffers.Recycle(std::move(below));
    buffers.Recycle(std::move(held));
    // The first level again: larger than any recycled array but the first level's own.
    std::vector<NodeId> kept_again;
    const LevelGraph again = internal::Aggregate(lg0, comm0, k0, threads, &kept_again, &buffers);
    CHECK(kept_again == kept);
    CheckSame(again, fresh);
  }
}

}  // namespace
}  // namespace polegraph
