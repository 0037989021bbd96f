// QueryContext handling: a cancelled token gives kCancelled and an expired deadline gives
// kDeadlineExceeded from every analysis; bad options are InvalidArgument before any work.
#include <catch2/catch.hpp>

#include "fixture.h"

namespace polegraph::links_test {
namespace {

std::vector<absl::Status> RunEverything(const Built& b, const QueryContext& ctx) {
  const Graph& g = *b.graph;
  const NodeId a = b.id[0], z = b.id[b.id.size() - 1];
  const NodeId pair[] = {a, z};
  NodeId offence = g.KindRange(NodeKind::kOffence).first;
  PathOptions po;
  po.max_hops = 50;
  NeighbourhoodOptions no;
  no.hops = 5;
  NetworkOptions net;
  net.max_hops = 5;
  LinkedOffencesOptions lo;
  lo.max_hops = 5;
  std::vector<absl::Status> out;
  out.push_back(HopDistances(g, pair, {}, kUnreached, ctx).status());
  out.push_back(Neighbourhood(g, pair, no, ctx).status());
  out.push_back(ShortestPath(g, a, z, po, ctx).status());
  out.push_back(AllShortestPaths(g, a, z, po, ctx).status());
  out.push_back(KShortestPaths(g, a, z, po, ctx).status());
  out.push_back(TimeRespectingPath(g, a, z, po, ctx).status());
  out.push_back(ConnectingNetwork(g, pair, net, ctx).status());
  out.push_back(LinkedOffences(g, offence, lo, ctx).status());
  return out;
}

Built TestGraph() {
  std::mt19937_64 rng(8);
  Spec spec = RandomSpec(400, 1200, rng);
  Decorate(spec, {.kinds = true}, rng);
  spec.nodes[0].kind = NodeKind::kOffence;
  FitEdgeKinds(spec, rng);
  return Build(spec);
}

TEST_CASE("cancellation and deadlines stop every analysis") {
  const Built b = TestGraph();
  QueryContext ok = Ctx(2);
  for (const absl::Status& s : RunEverything(b, ok)) CHECK(s.ok());

  QueryContext cancelled = Ctx(2);
  cancelled.cancel = std::make_shared<CancellationToken>();
  cancelled.cancel->Cancel();
  for (const absl::Status& s : RunEverything(b, cancelled)) {
    CHECK(s.code() == absl::StatusCode::kCancelled);
  }
  QueryContext late = Ctx(2);
  late.deadline = absl::Now() - absl::Seconds(1);
  for (const absl::Status& s : RunEverything(b, late)) {
    CHECK(s.code() == absl::StatusCode::kDeadlineExceeded);
  }
}

TEST_CASE("invalid options are rejected before work") {
  const Built b = TestGraph();
  const Graph& g = *b.graph;
  const NodeId a = b.id[0], z = b.id[5];
  const NodeId pair[] = {a, z};
  QueryContext bad_threads = Ctx(0);
  CHECK(ShortestPath(g, a, z, {}, bad_threads).status().code() ==
        absl::StatusCode::kInvalidArgument);
  PathOptions po;
  po.filter.max_results = 0;
  CHECK(AllShortestPaths(g, a, z, po, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  po = {};
  po.filter.edge_kinds.reset();
  CHECK(TimeRespectingPath(g, a, z, po, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  po = {};
  po.filter.direction = static_cast<Direction>(7);
  CHECK(KShortestPaths(g, a, z, po, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ConnectingNetwork(g, {}, {}, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Neighbourhood(g, {}, {}, Ctx(1)).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(ShortestPath(g, a, g.num_nodes(), {}, Ctx(1)).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(ConnectingNetwork(g, pair, {}, Ctx(1)).ok());
}

}  // namespace
}  // namespace polegraph::links_test
