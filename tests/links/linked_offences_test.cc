// LinkedOffences: a hand-worked POLE graph, and brute force on random graphs (BFS in which
// other offences are endpoints only; path counts by enumerating every path of that length).
#include <set>

#include <catch2/catch.hpp>

#include "fixture.h"

namespace polegraph::links_test {
namespace {

//   O1 <-SUSPECT_IN- P1 -KEEPER_OF-> V1 -INVOLVED_IN-> O2
//   O1 <-SUSPECT_IN- P2 -SUSPECT_IN-> O2
//   O1 -OCCURRED_AT-> L1 <-OCCURRED_AT- O3
//   O1 <-WITNESS_TO- P5 -WITNESS_TO-> O3
//   P1 -ASSOCIATE_OF-> P3 -SUSPECT_IN-> O4
//   P4 -VICTIM_OF-> O2, P4 -SUSPECT_IN-> O5        (O5 only through O2: not linked)
//   P5 -WITNESS_TO-> O3 asserted by a second record (a parallel edge: still one route)
//
// From O1: O3 at 2 hops by 2 paths (L1, P5); O2 at 2 hops by 1 path (P2; P1-V1 is 3 hops);
// O4 at 3 hops by 1 path (P1, P3). Ranking: O3, O2, O4.
TEST_CASE("linked offences on a hand-worked graph") {
  enum : std::uint32_t { O1, O2, O3, O4, O5, P1, P2, P3, P4, P5, V1, L1, kCount };
  Spec spec;
  spec.nodes.resize(kCount);
  for (std::uint32_t i = O1; i <= O5; ++i) spec.nodes[i].kind = NodeKind::kOffence;
  for (std::uint32_t i = P1; i <= P5; ++i) spec.nodes[i].kind = NodeKind::kPerson;
  spec.nodes[V1].kind = NodeKind::kVehicle;
  spec.nodes[L1].kind = NodeKind::kLocation;
  spec.edges = {{P1, O1, EdgeKind::kSuspectIn},  {P1, V1, EdgeKind::kKeeperOf},
                {V1, O2, EdgeKind::kInvolvedIn}, {P2, O1, EdgeKind::kSuspectIn},
                {P2, O2, EdgeKind::kSuspectIn},  {O1, L1, EdgeKind::kOccurredAt},
                {O3, L1, EdgeKind::kOccurredAt}, {P5, O1, EdgeKind::kWitnessTo},
                {P5, O3, EdgeKind::kWitnessTo},  {P1, P3, EdgeKind::kAssociateOf},
                {P3, O4, EdgeKind::kSuspectIn},  {P4, O2, EdgeKind::kVictimOf},
                {P4, O5, EdgeKind::kSuspectIn},  {P5, O3, EdgeKind::kWitnessTo}};
  const Built b = Build(spec);
  LinkedOffencesOptions opt;
  opt.max_hops = 4;
  auto r = LinkedOffences(*b.graph, b.id[O1], opt, Ctx(2));
  REQUIRE(r.ok());
  REQUIRE(r->offences.size() == 3);
  CHECK(r->offences[0].offence == b.id[O3]);
  CHECK(r->offences[0].hops == 2);
  CHECK(r->offences[0].paths.value == 2);
  CHECK(r->offences[1].offence == b.id[O2]);
  CHECK(r->offences[1].hops == 2);
  CHECK(r->offences[1].paths.value == 1);
  CHECK(r->offences[1].explanation.nodes ==
        std::vector<NodeId>{b.id[O1], b.id[P2], b.id[O2]});
  CHECK(r->offences[2].offence == b.id[O4]);
  CHECK(r->offences[2].hops == 3);
  CHECK(r->offences[2].explanation.names ==
        std::vector<std::string>{"offence:N000000", "person:N000005", "person:N000007",
                                 "offence:N000003"});
  // Through people only: O3 via P5 (1 path), O2 via P2, O4 via P1, P3.
  opt.filter.node_kinds.reset(static_cast<int>(NodeKind::kLocation));
  opt.filter.node_kinds.reset(static_cast<int>(NodeKind::kVehicle));
  r = LinkedOffences(*b.graph, b.id[O1], opt, Ctx(1));
  REQUIRE(r.ok());
  REQUIRE(r->offences.size() == 3);
  CHECK(r->offences[0].offence == b.id[O2]);  // tie on (2 hops, 1 path): smaller id first
  CHECK(r->offences[1].offence == b.id[O3]);
  CHECK(r->offences[1].paths.value == 1);
  // Not an offence.
  CHECK(LinkedOffences(*b.graph, b.id[P1], opt, Ctx(1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("linked offences equal brute force") {
  std::mt19937_64 rng(77);
  int linked = 0;
  for (int i = 0; i < 20; ++i) {
    const std::uint32_t n = 30 + static_cast<std::uint32_t>(rng() % 40);
    Spec spec = RandomSpec(n, n * 2, rng);
    Decorate(spec, {.kinds = true}, rng);
    const Built b = Build(spec);
    const Graph& g = *b.graph;
    const NodeId first = g.KindRange(NodeKind::kOffence).first;
    const NodeId last = g.KindRange(NodeKind::kOffence).second;
    if (first == last) continue;
    const NodeId source = first + static_cast<NodeId>(rng() % (last - first));
    LinkedOffencesOptions opt;
    opt.max_hops = 2 + static_cast<std::uint32_t>(rng() % 3);
    opt.filter.direction = static_cast<Direction>(i % 3);
    const OAdj adj = OracleSteps(g, opt.filter, Classification::kTopSecret, {source});
    auto is_offence = [&](NodeId v) { return v >= first && v < last; };
    // BFS that does not expand offences other than the source.
    std::vector<std::uint32_t> d(g.num_nodes(), kUnreached);
    std::vector<NodeId> q{source};
    d[source] = 0;
    for (std::size_t h = 0; h < q.size(); ++h) {
      const NodeId u = q[h];
      if ((u != source && is_offence(u)) || d[u] == opt.max_hops) continue;
      for (const OStep& s : adj[u]) {
        if (d[s.to] == kUnreached) {
          d[s.to] = d[u] + 1;
          q.push_back(s.to);
        }
      }
    }
    // Count routes (node sequences: parallel edges once) of exactly d[o] steps whose inner
    // nodes are not offences.
    std::vector<std::uint64_t> count(g.num_nodes(), 0);
    std::function<void(NodeId, std::uint32_t)> walk = [&](NodeId u, std::uint32_t len) {
      std::set<NodeId> seen;
      for (const OStep& s : adj[u]) {
        if (d[s.to] != len + 1 || !seen.insert(s.to).second) continue;
        if (is_offence(s.to)) {
          ++count[s.to];
        } else {
          walk(s.to, len + 1);
        }
      }
    };
    walk(source, 0);
    std::vector<std::tuple<std::uint32_t, std::int64_t, NodeId>> want;
    for (NodeId o = first; o < last; ++o) {
      if (o != source && d[o] != kUnreached) {
        want.push_back({d[o], -static_cast<std::int64_t>(count[o]), o});
      }
    }
    std::sort(want.begin(), want.end());
    linked += static_cast<int>(want.size());
    INFO("case " << i);
    for (int threads : {1, 2, 8}) {
      auto r = LinkedOffences(g, source, opt, Ctx(threads));
      REQUIRE(r.ok());
      REQUIRE(r->offences.size() == want.size());
      for (std::size_t j = 0; j < want.size(); ++j) {
        const LinkedOffence& o = r->offences[j];
        REQUIRE(o.offence == std::get<2>(want[j]));
        REQUIRE(o.hops == std::get<0>(want[j]));
        REQUIRE(o.paths.value == static_cast<std::uint64_t>(-std::get<1>(want[j])));
        REQUIRE(ValidPath(adj, o.explanation, source, o.offence));
        REQUIRE(o.explanation.hops() == o.hops);
      }
    }
  }
  CHECK(linked > 20);
}

}  // namespace
}  // namespace polegraph::links_test
