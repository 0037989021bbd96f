// The adjacency index of the bottom-up BFS and the steps it decides, against independent
// oracles: AdjacencyIndex against each node's first steps in the oracle view (every link of
// the node, sorted by (neighbour, EdgeId), from edge_source / edge_target rather than the CSR
// arrays); PrefixStep, MinStepIndexed and MinStepDeferred + DeferredEdge against the first
// accepted step of that sorted list; GraphAccess::Derived's one-time construction under
// concurrent first calls; and HopDistances, at 1, 2 and 8 threads, on graphs whose top-down
// levels leave thousands of nodes reached by several frontier nodes (resolved through the
// index) and whose bottom-up levels leave many nodes undecided by their first entries, against
// the oracle's distances and brute-force smallest-(node, EdgeId) parents.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "fixture.h"
#include "graph/storage.h"
#include "hop_tree_check.h"
#include "links/adjacency_index.h"
#include "links/filtered_view.h"
#include "links/level_bfs.h"

namespace polegraph::links_test {
namespace {

using links_internal::AdjacencyIndex;
using links_internal::FilteredView;
using links_internal::PackStep;
using links_internal::StepKey;

// Random links with hubs (a few nodes take a quarter of the endpoints), the same link stored
// both ways and twice (a neighbour in both lists, parallel edges), and isolated nodes.
Spec HubSpec(std::uint32_t n, std::uint32_t m, std::mt19937_64& rng) {
  Spec s;
  s.shape = absl::StrCat("hubs n=", n, " m=", m);
  s.nodes.resize(n);
  const std::uint32_t linked = n - n / 5;  // the last fifth stays isolated
  auto end = [&]() {
    return static_cast<std::uint32_t>(rng() % 4 == 0 ? rng() % 8 : rng() % linked);
  };
  for (std::uint32_t i = 0; i < m; ++i) {
    const std::uint32_t a = end(), b = end();
    AddEdge(s, a, b);
    if (rng() % 6 == 0) AddEdge(s, b, a);
    if (rng() % 6 == 0) AddEdge(s, a, b);
  }
  return s;
}

TEST_CASE("AdjacencyIndex holds each node's first steps over both lists") {
  std::mt19937_64 rng(5);
  for (std::uint32_t m : {300u, 3000u}) {
    Spec spec = HubSpec(500, m, rng);
    Decorate(spec, {.kinds = true, .times = true}, rng);
    const Built b = Build(spec);
    const Graph& g = *b.graph;
    TraversalFilter all;  // kBoth, every kind, unbounded window
    const OAdj adj = OracleSteps(g, all, Classification::kTopSecret, {});
    const AdjacencyIndex& index = AdjacencyIndex::Of(g, 3);
    REQUIRE(&AdjacencyIndex::Of(g, 1) == &index);  // built once per graph
    REQUIRE(index.prefix.size() == g.num_nodes());
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      INFO(spec.shape << " v=" << v);
      const bool has_out = ((index.has_out[v / 64] >> (v % 64)) & 1u) != 0;
      const bool has_in = ((index.has_in[v / 64] >> (v % 64)) & 1u) != 0;
      CHECK(has_out == (g.out_degree(v) > 0));
      CHECK(has_in == (g.in_degree(v) > 0));
      const std::size_t k_max = AdjacencyIndex::kPrefix;
      for (std::size_t k = 0; k < k_max; ++k) {
        if (k < adj[v].size()) {
          const OStep want = adj[v][k];
          REQUIRE(index.prefix[v].nbr[k] == want.to);
          // The entry's list: the in-list when the link ends at v (a self-loop is in both).
          const bool from_in = ((index.from_in[v] >> k) & 1u) != 0;
          if (g.edge_source(want.edge) != g.edge_target(want.edge)) {
            CHECK(from_in == (g.edge_target(want.edge) == v));
          }
        } else {
          REQUIRE(index.prefix[v].nbr[k] == kNoNode);
        }
      }
      CHECK(((index.from_in[v] & AdjacencyIndex::kComplete) != 0) == (adj[v].size() <= k_max));
    }
  }
}

TEST_CASE("PrefixStep, MinStepIndexed and MinStepDeferred find MinStep's step") {
  std::mt19937_64 rng(17);
  for (int round = 0; round < 3; ++round) {
    Spec spec = HubSpec(400, 2500, rng);
    Decorate(spec, {.kinds = true, .times = true}, rng);
    const Built b = Build(spec);
    const Graph& g = *b.graph;
    TraversalFilter f;  // round 0: admits everything (no per-edge checks)
    if (round >= 1) f.node_kinds.reset(static_cast<int>(NodeKind::kPlate));
    if (round == 2) {
      f.edge_kinds.reset(static_cast<int>(EdgeKind::kSeenAt));
      f.since = kT0 + 2;
      f.until = kT0 + 9;
    }
    const NodeId subject[] = {b.id[0]};
    auto view = FilteredView::Make(g, f, Ctx(1), subject);
    REQUIRE(view.ok());
    const AdjacencyIndex& index = AdjacencyIndex::Of(g, 2);
    for (bool reverse : {false, true}) {
      const OAdj adj = OracleSteps(g, f, Classification::kTopSecret, {b.id[0]}, reverse);
      for (int trial = 0; trial < 6; ++trial) {
        // Accepted neighbours: from most nodes (decided by the first entries) to very few
        // (long scans, often no step at all).
        std::vector<bool> in_front(g.num_nodes());
        for (NodeId v = 0; v < g.num_nodes(); ++v) in_front[v] = rng() % (1u << trial) == 0;
        auto accept = [&](NodeId v) { return in_front[v]; };
        for (NodeId u = 0; u < g.num_nodes(); ++u) {
          if (!view->node_ok(u)) continue;
          StepKey want = links_internal::kNoStep;
          for (const OStep& s : adj[u]) {
            if (in_front[s.to]) {
              want = PackStep(s.to, s.edge);
              break;
            }
          }
          INFO(spec.shape << " round=" << round << " reverse=" << reverse << " u=" << u);
          REQUIRE(view->MinStepIndexed(u, reverse, index, accept) == want);
          view->WithChecks([&](auto checks) {
            using C = decltype(checks);
            REQUIRE(view->MinStepIndexed<C>(u, reverse, index, accept) == want);
            const StepKey prefix = view->PrefixStep<C>(u, index, accept);
            if (prefix != FilteredView::kUndecided) REQUIRE(prefix == want);
            if constexpr (C::kEdges == links_internal::EdgeCheck::kNone) {
              std::uint32_t where = 0;
              StepKey got = view->PrefixStep<C>(u, index, accept, &where);
              if (got == FilteredView::kUndecided) {
                got = view->MinStepDeferred<C>(u, reverse, accept, &where);
              }
              if (got != links_internal::kNoStep) {
                got = PackStep(links_internal::StepNode(got), view->DeferredEdge(u, where));
              }
              REQUIRE(got == want);
            }
          });
        }
      }
    }
  }
}

TEST_CASE("GraphAccess::Derived makes each object once, also under concurrent first calls") {
  std::mt19937_64 rng(3);
  Spec spec = HubSpec(100, 200, rng);
  Decorate(spec, {}, rng);
  const Built b = Build(spec);
  static const char kTagA = 0, kTagB = 0;
  std::atomic<int> made{0};
  std::vector<const void*> seen(8);
  std::vector<std::thread> pool;
  for (int t = 0; t < 8; ++t) {
    pool.emplace_back([&, t] {
      seen[static_cast<std::size_t>(t)] =
          internal::GraphAccess::Derived(*b.graph, &kTagA,
                                         [&]() -> std::shared_ptr<const void> {
                                           made.fetch_add(1);
                                           return std::make_shared<int>(7);
                                         })
              .get();
    });
  }
  for (auto& th : pool) th.join();
  CHECK(made.load() == 1);
  for (const void* p : seen) CHECK(p == seen[0]);
  CHECK(*static_cast<const int*>(seen[0]) == 7);
  const auto other = internal::GraphAccess::Derived(
      *b.graph, &kTagB, [] { return std::shared_ptr<const void>(std::make_shared<int>(9)); });
  CHECK(other.get() != seen[0]);
  CHECK(*static_cast<const int*>(other.get()) == 9);
  CHECK(made.load() == 1);
}

// Distances by the oracle; parents the smallest (node, EdgeId) step from one level nearer.
void CheckAgainstOracle(const Built& b, const TraversalFilter& f,
                        const std::vector<NodeId>& sources) {
  const OAdj adj = OracleSteps(*b.graph, f, Classification::kTopSecret, sources);
  CheckHopTree(b, f, sources, kUnreached, adj, OracleBfs(adj, sources));
}

TEST_CASE("HopDistances through the index equals the oracle on contested and skewed levels") {
  std::mt19937_64 rng(23);
  // A source, 4 hubs linked to it, 3,000 leaves each linked to every hub (so each leaf is
  // claimed at level 2 by several hubs: contested, resolved by scanning back through the
  // index), and a separate random part that keeps the level top-down (m_u large).
  Spec contested;
  contested.shape = "hubs and leaves";
  const std::uint32_t kHubs = 4, kLeaves = 3000, kRest = 20000;
  contested.nodes.resize(1 + kHubs + kLeaves + kRest);
  for (std::uint32_t h = 1; h <= kHubs; ++h) {
    if (rng() % 2 == 0) {  // links stored either way
      AddEdge(contested, 0, h);
    } else {
      AddEdge(contested, h, 0);
    }
    for (std::uint32_t l = 0; l < kLeaves; ++l) {
      const std::uint32_t leaf = 1 + kHubs + l;
      if (rng() % 2 == 0) {
        AddEdge(contested, h, leaf);
      } else {
        AddEdge(contested, leaf, h);
      }
    }
  }
  const std::uint32_t first_rest = 1 + kHubs + kLeaves;
  for (std::uint32_t i = 0; i < 10 * kRest; ++i) {
    AddEdge(contested, first_rest + static_cast<std::uint32_t>(rng() % kRest),
            first_rest + static_cast<std::uint32_t>(rng() % kRest));
  }
  Decorate(contested, {.kinds = false, .times = false}, rng);
  {
    const Built b = Build(contested);
    TraversalFilter f;
    CheckAgainstOracle(b, f, {b.id[0]});
    CheckAgainstOracle(b, f, {b.id[0], b.id[first_rest]});
    f.node_kinds.reset(static_cast<int>(NodeKind::kPlate));  // node checks, same result
    CheckAgainstOracle(b, f, {b.id[0]});
  }
  // Skewed, with parallel links both ways: bottom-up levels where many nodes find their
  // parent past their first entries, or none.
  for (int round = 0; round < 2; ++round) {
    Spec spec = HubSpec(6000, 40000, rng);
    Decorate(spec, {.kinds = round == 1, .times = round == 1}, rng);
    const Built b = Build(spec);
    TraversalFilter f;
    const NodeId src[] = {b.id[8]};
    auto view = FilteredView::Make(*b.graph, f, Ctx(2), src);
    REQUIRE(view.ok());
    links_internal::LevelBfs bfs(*view, false);
    bfs.Start(src);
    REQUIRE(bfs.Run(kUnreached, Ctx(2)).ok());
    CHECK(bfs.bottom_up_steps() > 0);
    CheckAgainstOracle(b, f, {b.id[8]});
    CheckAgainstOracle(b, f, {b.id[9], b.id[100], b.id[5999]});  // 5999: isolated
    if (round == 1) {
      f.edge_kinds.reset(static_cast<int>(EdgeKind::kSeenAt));
      f.node_kinds.reset(static_cast<int>(NodeKind::kVehicle));
      CheckAgainstOracle(b, f, {b.id[8]});
      f.direction = Direction::kOut;
      CheckAgainstOracle(b, f, {b.id[8]});
    }
  }
}

}  // namespace
}  // namespace polegraph::links_test
