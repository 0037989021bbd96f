// HopDistances (direction-optimising BFS) against boost::breadth_first_search on the same
// admitted steps, on generated graphs of many shapes, every direction, filters, several
// sources, and 1, 2 and 8 threads; parents checked against the brute-force smallest
// (node id, EdgeId) predecessor.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>
#include <catch2/catch.hpp>

#include "fixture.h"
#include "hop_tree_check.h"
#include "links/filtered_view.h"
#include "links/level_bfs.h"

namespace polegraph::links_test {
namespace {

// Distances by Boost.Graph: a directed adjacency_list of the oracle's steps plus a super-source
// joined to every source (distances are then one too many).
std::vector<std::uint32_t> BoostDistances(const OAdj& adj, const std::vector<NodeId>& sources) {
  using BG = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  const std::size_t n = adj.size();
  BG bg(n + 1);
  for (std::size_t u = 0; u < n; ++u) {
    for (const OStep& s : adj[u]) boost::add_edge(u, s.to, bg);
  }
  for (NodeId s : sources) boost::add_edge(n, s, bg);
  std::vector<std::size_t> dist(n + 1, 0);
  std::vector<boost::default_color_type> color(n + 1);
  boost::breadth_first_search(
      bg, boost::vertex(n, bg),
      boost::visitor(boost::make_bfs_visitor(
                         boost::record_distances(dist.data(), boost::on_tree_edge())))
          .color_map(color.data()));
  std::vector<std::uint32_t> out(n, kUnreached);
  for (std::size_t v = 0; v < n; ++v) {
    if (color[v] != boost::white_color) out[v] = static_cast<std::uint32_t>(dist[v] - 1);
  }
  return out;
}

void CheckBfs(const Built& b, const TraversalFilter& f, const std::vector<NodeId>& sources,
              std::uint32_t max_hops) {
  const Graph& g = *b.graph;
  const OAdj adj = OracleSteps(g, f, Classification::kTopSecret, sources);
  std::vector<std::uint32_t> want = BoostDistances(adj, sources);
  for (auto& d : want) {
    if (d != kUnreached && d > max_hops) d = kUnreached;
  }
  CheckHopTree(b, f, sources, max_hops, adj, want);
}

std::vector<Spec> Shapes(std::mt19937_64& rng) {
  std::vector<Spec> shapes;
  shapes.push_back(RandomSpec(300, 900, rng));
  shapes.push_back(RandomSpec(2000, 3000, rng));  // sparse: long paths
  shapes.push_back(KroneckerSpec(10, 8, rng));    // skewed: bottom-up steps
  shapes.push_back(KroneckerSpec(12, 16, rng));
  shapes.push_back(ChainSpec(500));
  shapes.push_back(StarSpec(3000));
  shapes.push_back(DisconnectedSpec(6, 80, rng));
  return shapes;
}

TEST_CASE("HopDistances equals boost::breadth_first_search on many shapes") {
  std::mt19937_64 rng(42);
  for (Spec& spec : Shapes(rng)) {
    for (bool kinds : {false, true}) {
      Decorate(spec, {.kinds = kinds, .times = true}, rng);
      const Built b = Build(spec);
      const NodeId n = b.graph->num_nodes();
      INFO(spec.shape << " kinds=" << kinds);
      for (Direction dir : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
        TraversalFilter f;
        f.direction = dir;
        CheckBfs(b, f, {b.id[0]}, kUnreached);
        CheckBfs(b, f, {b.id[1], b.id[n / 2], b.id[n - 1], b.id[1]}, kUnreached);
        CheckBfs(b, f, {b.id[n / 3]}, 3);
        if (kinds) {
          TraversalFilter g = f;
          g.node_kinds.reset(static_cast<int>(NodeKind::kPlate));
          g.edge_kinds.reset(static_cast<int>(EdgeKind::kSeenAt));
          g.edge_kinds.reset(static_cast<int>(EdgeKind::kUsed));
          g.since = kT0 + 2;
          g.until = kT0 + 9;
          CheckBfs(b, g, {b.id[2]}, kUnreached);
          g.include_unknown_time = false;
          CheckBfs(b, g, {b.id[2], b.id[7]}, 5);
        }
      }
    }
  }
}

TEST_CASE("BFS switches to bottom-up on a skewed graph and agrees with top-down") {
  std::mt19937_64 rng(7);
  Spec spec = KroneckerSpec(12, 16, rng);
  Decorate(spec, {.kinds = false, .times = false}, rng);
  const Built b = Build(spec);
  // Start at the highest-degree node so the second level is large.
  NodeId hub = 0;
  for (NodeId v = 0; v < b.graph->num_nodes(); ++v) {
    if (b.graph->out_degree(v) + b.graph->in_degree(v) >
        b.graph->out_degree(hub) + b.graph->in_degree(hub)) {
      hub = v;
    }
  }
  TraversalFilter f;
  const QueryContext ctx = Ctx(2);
  const NodeId src[] = {hub};
  auto view = links_internal::FilteredView::Make(*b.graph, f, ctx, src);
  REQUIRE(view.ok());
  links_internal::LevelBfs bfs(*view, false);
  bfs.Start(src);
  REQUIRE(bfs.Run(kUnreached, ctx).ok());
  CHECK(bfs.bottom_up_steps() > 0);
  CheckBfs(b, f, {hub}, kUnreached);
}

TEST_CASE("HopDistances rejects bad input before work") {
  std::mt19937_64 rng(1);
  Spec spec = ChainSpec(5);
  Decorate(spec, {}, rng);
  const Built b = Build(spec);
  TraversalFilter f;
  CHECK(HopDistances(*b.graph, {}, f, 3, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  const NodeId bad[] = {999};
  CHECK(HopDistances(*b.graph, bad, f, 3, Ctx(1)).status().code() ==
        absl::StatusCode::kNotFound);
  const NodeId ok[] = {b.id[0]};
  TraversalFilter empty_window = f;
  empty_window.since = 10;
  empty_window.until = 5;
  CHECK(HopDistances(*b.graph, ok, empty_window, 3, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  TraversalFilter no_kinds = f;
  no_kinds.node_kinds.reset();
  CHECK(HopDistances(*b.graph, ok, no_kinds, 3, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(HopDistances(*b.graph, ok, f, 3, Ctx(0)).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace polegraph::links_test
