// The parts the direction-optimising BFS is built from, each against an independent oracle:
// FilteredView::MinStep (the bottom-up scan, which picks which CSR list to scan first) against
// the smallest admitted step found by a plain loop over the oracle view; the Bitmap claims
// (test_and_set_atomic, set_plain, clear_plain) against a std::vector<bool>; and HopDistances
// on graphs where most nodes are isolated (left out of the bottom-up scans) or reached by
// many parallel edges (contested top-down claims).
#include <catch2/catch.hpp>

#include "fixture.h"
#include "hop_tree_check.h"
#include "links/filtered_view.h"
#include "parallel/frontier.h"

namespace polegraph::links_test {
namespace {

// Random graphs with parallel edges both ways (the same neighbour in the out- and in-list),
// self-loops, and ids stored smaller -> larger for a share of the edges (then the in-list
// holds the smaller neighbours and goes first).
Spec MixedSpec(std::uint32_t n, std::uint32_t m, std::mt19937_64& rng) {
  Spec s;
  s.shape = absl::StrCat("mixed n=", n, " m=", m);
  s.nodes.resize(n);
  for (std::uint32_t i = 0; i < m; ++i) {
    std::uint32_t a = static_cast<std::uint32_t>(rng() % n);
    std::uint32_t b = static_cast<std::uint32_t>(rng() % n);
    if (rng() % 2 == 0 && a > b) std::swap(a, b);
    AddEdge(s, a, b);
    if (rng() % 8 == 0) AddEdge(s, b, a);  // the same link, stored the other way
    if (rng() % 8 == 0) AddEdge(s, a, b);  // a second record of the link
  }
  return s;
}

TEST_CASE("MinStep finds the smallest accepted step over both lists") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 4; ++round) {
    Spec spec = MixedSpec(200, 900, rng);
    Decorate(spec, {.kinds = round >= 2, .times = round == 3}, rng);
    const Built b = Build(spec);
    const Graph& g = *b.graph;
    for (Direction dir : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
      TraversalFilter f;
      f.direction = dir;
      if (round == 3) {
        f.edge_kinds.reset(static_cast<int>(EdgeKind::kSeenAt));
        f.node_kinds.reset(static_cast<int>(NodeKind::kPlate));
      }
      const NodeId subject[] = {b.id[0]};
      auto view = links_internal::FilteredView::Make(g, f, Ctx(1), subject);
      REQUIRE(view.ok());
      for (bool reverse : {false, true}) {
        const OAdj adj = OracleSteps(g, f, Classification::kTopSecret, {b.id[0]}, reverse);
        // A random accepted set of neighbours per trial (a bottom-up frontier).
        for (int trial = 0; trial < 5; ++trial) {
          std::vector<bool> in_front(g.num_nodes());
          for (NodeId v = 0; v < g.num_nodes(); ++v) in_front[v] = rng() % (trial + 2) == 0;
          for (NodeId u = 0; u < g.num_nodes(); ++u) {
            if (!view->node_ok(u)) continue;  // steps are only taken from admitted nodes
            links_internal::StepKey want = links_internal::kNoStep;
            for (const OStep& s : adj[u]) {  // sorted: the first accepted is the smallest
              if (in_front[s.to]) {
                want = links_internal::PackStep(s.to, s.edge);
                break;
              }
            }
            INFO(spec.shape << " dir=" << static_cast<int>(dir) << " reverse=" << reverse
                            << " u=" << u);
            const auto by_node = view->MinStep(u, reverse, [&](NodeId v) { return in_front[v]; });
            const auto by_step =
                view->MinStep(u, reverse, [&](NodeId v, EdgeId) { return in_front[v]; });
            REQUIRE(by_node == want);
            REQUIRE(by_step == want);
          }
        }
      }
    }
  }
}

TEST_CASE("Bitmap claims agree with a plain bit vector") {
  std::mt19937_64 rng(5);
  const std::size_t n = 1000;
  internal::Bitmap bits(n);
  std::vector<bool> want(n);
  for (int i = 0; i < 5000; ++i) {
    const std::size_t v = rng() % n;
    switch (rng() % 3) {
      case 0:
        REQUIRE(bits.test_and_set_atomic(v) == !want[v]);
        want[v] = true;
        break;
      case 1:
        bits.set_plain(v);
        want[v] = true;
        break;
      default:
        bits.clear_plain(v);
        want[v] = false;
    }
  }
  for (std::size_t v = 0; v < n; ++v) REQUIRE(bits.get(v) == want[v]);
  // Claimed from many threads at once, every bit is won exactly once.
  internal::Bitmap claims(n);
  std::vector<int> wins(n, 0);
  internal::ParallelFor(
      0, 8 * n, 8,
      [&](std::size_t i) {
        if (claims.test_and_set_atomic(i % n)) internal::FetchAdd(wins[i % n], 1);
      },
      /*grain=*/64);
  for (std::size_t v = 0; v < n; ++v) REQUIRE(wins[v] == 1);
}

// Brute-force expected distances and smallest-(node, EdgeId) parents, as in bfs_test.cc.
void CheckAgainstOracle(const Built& b, const TraversalFilter& f,
                        const std::vector<NodeId>& sources) {
  const OAdj adj = OracleSteps(*b.graph, f, Classification::kTopSecret, sources);
  CheckHopTree(b, f, sources, kUnreached, adj, OracleBfs(adj, sources));
}

TEST_CASE("HopDistances with mostly isolated nodes and many parallel edges") {
  std::mt19937_64 rng(3);
  // 3000 nodes, of which only the first 300 have links: a dense core whose bottom-up levels
  // must skip the 2700 isolated nodes, sources among them too.
  Spec spec;
  spec.shape = "core of 300 in 3000";
  spec.nodes.resize(3000);
  for (int i = 0; i < 6000; ++i) {
    const auto a = static_cast<std::uint32_t>(rng() % 300);
    const auto c = static_cast<std::uint32_t>(rng() % 300);
    AddEdge(spec, std::min(a, c), std::max(a, c));
    if (i % 5 == 0) AddEdge(spec, std::max(a, c), std::min(a, c));
  }
  Decorate(spec, {.kinds = false, .times = false}, rng);
  const Built b = Build(spec);
  for (Direction dir : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    TraversalFilter f;
    f.direction = dir;
    INFO("dir=" << static_cast<int>(dir));
    CheckAgainstOracle(b, f, {b.id[0]});
    CheckAgainstOracle(b, f, {b.id[2999], b.id[17]});  // one isolated source
    CheckAgainstOracle(b, f, {b.id[1500]});            // isolated: reaches nothing
  }
}

}  // namespace
}  // namespace polegraph::links_test
