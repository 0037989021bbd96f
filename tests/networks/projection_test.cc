// Person projections on hand-made POLE graphs: every link type, weights, evidence, hub
// control, time window and clearance, against hand-worked expectations; and co-offending /
// shared-vehicle weights on random graphs against a brute force over intermediates.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

#include "networks/networks_test_util.h"
#include "networks/pole_fixture.h"

namespace polegraph::testing {
namespace {

ProjectionOptions AllTypes() {
  ProjectionOptions o;
  o.paths = *ParseProjectionSpec(
      "co-offending=1,vehicles=0.5,addresses=0.25,associates=2,co-travel=0.125");
  o.hub_cap = 5;
  return o;
}

// Links as {(person number a, person number b) -> weight}; people are P1.. in node order.
std::map<std::pair<int, int>, double> LinkMap(const Projection& p) {
  std::map<std::pair<int, int>, double> m;
  for (const Projection::Link& l : p.links) m[{int(l.a) + 1, int(l.b) + 1}] = l.weight;
  return m;
}

TEST_CASE("projection of the hand-made graph, unrestricted") {
  auto g = HandGraph();
  QueryContext ctx = Threads(2);
  ctx.clearance = Clearance::Unrestricted();
  absl::StatusOr<Projection> p = ProjectPersons(*g, AllTypes(), ctx);
  REQUIRE(p.ok());
  REQUIRE(p->nodes.size() == 7);
  const std::map<std::pair<int, int>, double> expected = {
      {{1, 2}, 2.0}, {{1, 3}, 1.0},  {{2, 3}, 1.0}, {{1, 7}, 1.0},   {{2, 7}, 1.0},  {{3, 7}, 1.0},
      {{1, 4}, 0.5}, {{5, 6}, 0.25}, {{3, 5}, 2.0}, {{1, 6}, 0.125}, {{4, 6}, 0.125}};
  CHECK(LinkMap(*p) == expected);
  // The graph holds the same edges.
  CHECK(p->graph.num_edges() == expected.size());
  CHECK(p->graph.neighbours(0).size() == 5);  // P1: P2 P3 P4 P6 P7
  // O3 had 6 people: skipped as a hub.
  REQUIRE(p->skipped_hubs.size() == 1);
  CHECK(g->Name(p->skipped_hubs[0]) == "offence:O3");
  // Evidence of P1-P2: P1-O1, P2-O1, P1-O2 twice (suspect, arrested), P2-O2.
  std::span<const EdgeId> ev = p->Explain(1, 0);
  REQUIRE(ev.size() == 5);
  std::multiset<std::string> seen;
  for (EdgeId e : ev) {
    seen.insert(g->Name(g->edge_source(e)) + ">" + g->Name(g->edge_target(e)) + ":" +
                std::string(EdgeKindName(g->edge_kind()[e])));
  }
  CHECK(seen.count("person:01/1A>offence:O2:ARRESTED_FOR") == 1);
  CHECK(seen.count("person:01/2A>offence:O1:ARRESTED_FOR") == 1);
  // Co-travel evidence: the 5 edges of the walk P1 V1 PL1 PL2 V2 P6.
  CHECK(p->Explain(0, 5).size() == 5);
  CHECK(p->Explain(0, 4).empty());  // P1 and P5 are not linked
  // Without a hub cap O3 links every pair of P1..P6 once more.
  ProjectionOptions nocap = AllTypes();
  nocap.hub_cap = 0;
  auto q = ProjectPersons(*g, nocap, ctx);
  REQUIRE(q.ok());
  CHECK(q->skipped_hubs.empty());
  CHECK(LinkMap(*q)[{1, 2}] == 3.0);
  CHECK(LinkMap(*q)[{4, 5}] == 1.0);
  // Offences linked to P1 and P4 (victim roles count).
  absl::StatusOr<std::vector<NodeId>> offences =
      CommunityOffences(*g, *p, std::vector<NodeId>{0, 3}, nocap, ctx);
  REQUIRE(offences.ok());
  std::vector<std::string> names;
  for (NodeId o : *offences) names.push_back(g->Name(o));
  CHECK(names == std::vector<std::string>{"offence:O1", "offence:O2", "offence:O3"});
}

TEST_CASE("clearance hides links and people, and the time window drops edges") {
  auto g = HandGraph();
  QueryContext ctx = Threads(1);  // default clearance: OFFICIAL only
  absl::StatusOr<Projection> p = ProjectPersons(*g, AllTypes(), ctx);
  REQUIRE(p.ok());
  CHECK(p->nodes.size() == 6);  // P7 is SECRET
  const std::map<std::pair<int, int>, double> expected = {
      {{1, 2}, 2.0}, {{1, 3}, 1.0},   {{2, 3}, 1.0},
      {{1, 4}, 0.5}, {{1, 6}, 0.125}, {{4, 6}, 0.125}};  // no L1 (SECRET), no associate (O-S)
  CHECK(LinkMap(*p) == expected);
  ctx.clearance.level = Classification::kOfficialSensitive;
  auto s = ProjectPersons(*g, AllTypes(), ctx);
  REQUIRE(s.ok());
  CHECK(LinkMap(*s)[{3, 5}] == 2.0);
  // Window before kT2: O2 falls out, P1-P2 drops to 1.
  ProjectionOptions w = AllTypes();
  w.time_to = 1800000000;
  auto t = ProjectPersons(*g, w, ctx);
  REQUIRE(t.ok());
  CHECK(LinkMap(*t)[{1, 2}] == 1.0);
  CHECK(t->Explain(0, 1).size() == 2);
  ProjectionOptions bad = AllTypes();
  bad.time_from = 10;
  bad.time_to = 5;
  CHECK(ProjectPersons(*g, bad, ctx).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("meta-paths are validated, and the spec parser rejects bad items") {
  CHECK(ParseProjectionSpec("co-offending,vehicles=0.5").ok());
  CHECK(ParseProjectionSpec("co-offending=x").status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ParseProjectionSpec("friends").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(ParseProjectionSpec("vehicles,vehicles").status().code() ==
        absl::StatusCode::kInvalidArgument);
  auto g = HandGraph();
  ProjectionOptions o;
  MetaPath lopsided = CoOffending(1);
  lopsided.steps[1].direction = StepDirection::kOut;  // Person -> Offence -> Person: not symmetric
  o.paths = {lopsided};
  CHECK(ProjectPersons(*g, o, Threads(1)).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("co-offending and shared-vehicle weights match a brute force on random graphs") {
  for (unsigned seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    GraphBuilder b;
    ExtractInfo info;
    info.path = "x";
    const auto ex = b.AddExtract(info);
    const RecordNo rec = b.AddRecord(ex, "R", 0);
    const LabelId off = b.InternLabel(Classification::kOfficial, "MPS", {});
    const int people = 40, offences = 25, vehicles = 15;
    std::vector<GraphBuilder::Handle> p, o, v;
    for (int i = 0; i < people; ++i) {
      p.push_back(b.AddNode(NodeKind::kPerson, "P" + std::to_string(100 + i), off, rec));
    }
    for (int i = 0; i < offences; ++i) {
      o.push_back(b.AddNode(NodeKind::kOffence, "O" + std::to_string(100 + i), off, rec));
    }
    for (int i = 0; i < vehicles; ++i) {
      v.push_back(b.AddNode(NodeKind::kVehicle, "V" + std::to_string(100 + i), off, rec));
    }
    // Brute-force tallies: person sets per intermediate (a person may have two roles).
    std::vector<std::set<int>> at_offence(offences), at_vehicle(vehicles);
    const EdgeKind roles[] = {EdgeKind::kSuspectIn, EdgeKind::kArrestedFor, EdgeKind::kConvictedOf,
                              EdgeKind::kWitnessTo};
    for (int e = 0; e < 120; ++e) {
      const int a = rng() % people, x = rng() % offences;
      const EdgeKind k = roles[rng() % 4];
      b.AddEdge(p[a], o[x], k, kT1, off, rec);
      if (k != EdgeKind::kWitnessTo) at_offence[x].insert(a);
    }
    for (int e = 0; e < 40; ++e) {
      const int a = rng() % people, x = rng() % vehicles;
      b.AddEdge(p[a], v[x], rng() % 2 ? EdgeKind::kKeeperOf : EdgeKind::kUsed, kT1, off, rec);
      at_vehicle[x].insert(a);
    }
    auto g = *std::move(b).Build(1);
    std::map<std::pair<int, int>, double> expected;
    for (const auto& s : at_offence) {
      for (int a : s) {
        for (int c : s) {
          if (a < c) expected[{a + 1, c + 1}] += 1.0;
        }
      }
    }
    for (const auto& s : at_vehicle) {
      for (int a : s) {
        for (int c : s) {
          if (a < c) expected[{a + 1, c + 1}] += 0.5;
        }
      }
    }
    ProjectionOptions opt;
    opt.paths = {CoOffending(1.0), SharedVehicles(0.5)};
    opt.hub_cap = 0;
    for (int threads : {1, 2, 8}) {
      auto proj = ProjectPersons(*g, opt, Threads(threads));
      REQUIRE(proj.ok());
      CHECK(LinkMap(*proj) == expected);
    }
  }
}

}  // namespace
}  // namespace polegraph::testing

namespace polegraph::testing {
namespace {

TEST_CASE("hub control counts onward edges of the path only") {
  //   P1 -KEEPER_OF-> V1 -DISPLAYS-> PL1 -TRAVELLED_WITH-> PL2 <-DISPLAYS- V2 <-KEEPER_OF- P2
  //   PL1 is SEEN_AT 10 locations: ANPR reads, not onward edges of co-travel.
  GraphBuilder b;
  ExtractInfo info;
  info.path = "anpr.pb";
  const auto ex = b.AddExtract(info);
  const RecordNo rec = b.AddRecord(ex, "R", 0);
  const LabelId off = b.InternLabel(Classification::kOfficial, "MPS", {});
  auto p1 = b.AddNode(NodeKind::kPerson, "P1", off, rec);
  auto p2 = b.AddNode(NodeKind::kPerson, "P2", off, rec);
  auto v1 = b.AddNode(NodeKind::kVehicle, "V1", off, rec);
  auto v2 = b.AddNode(NodeKind::kVehicle, "V2", off, rec);
  auto pl1 = b.AddNode(NodeKind::kPlate, "PL1", off, rec);
  auto pl2 = b.AddNode(NodeKind::kPlate, "PL2", off, rec);
  b.AddEdge(p1, v1, EdgeKind::kKeeperOf, kT1, off, rec);
  b.AddEdge(p2, v2, EdgeKind::kKeeperOf, kT1, off, rec);
  b.AddEdge(v1, pl1, EdgeKind::kDisplays, kT1, off, rec);
  b.AddEdge(v2, pl2, EdgeKind::kDisplays, kT1, off, rec);
  b.AddEdge(pl1, pl2, EdgeKind::kTravelledWith, kT1, off, rec);
  for (int i = 0; i < 10; ++i) {
    auto site = b.AddNode(NodeKind::kLocation, "S" + std::to_string(i), off, rec);
    b.AddEdge(pl1, site, EdgeKind::kSeenAt, kT1 + i, off, rec);
  }
  auto g = *std::move(b).Build(1);
  ProjectionOptions o;
  o.paths = {CoTravel(1.0)};
  o.hub_cap = 3;
  auto p = ProjectPersons(*g, o, Threads(1));
  REQUIRE(p.ok());
  CHECK(p->skipped_hubs.empty());
  REQUIRE(p->links.size() == 1);
  CHECK(p->Explain(0, 1).size() == 5);
}

// A SUSPECT_IN O1 and B SUSPECT_IN O1 (so co-offending links A-B); B VICTIM_OF O2; A SUSPECT_IN
// O3 through a SECRET edge. Every node is OFFICIAL.
std::shared_ptr<const Graph> ThreeOffences() {
  GraphBuilder b;
  ExtractInfo info;
  info.path = "pnd.pb";
  info.source = Source::kPnd;
  const RecordNo rec = b.AddRecord(b.AddExtract(info), "R1", 0);
  const LabelId off = b.InternLabel(Classification::kOfficial, "MPS", {});
  const LabelId secret = b.InternLabel(Classification::kSecret, "MPS", {});
  auto a = b.AddNode(NodeKind::kPerson, "01/1A", off, rec);
  auto bb = b.AddNode(NodeKind::kPerson, "01/2A", off, rec);
  auto o1 = b.AddNode(NodeKind::kOffence, "O1", off, rec);
  auto o2 = b.AddNode(NodeKind::kOffence, "O2", off, rec);
  auto o3 = b.AddNode(NodeKind::kOffence, "O3", off, rec);
  b.AddEdge(a, o1, EdgeKind::kSuspectIn, kT1, off, rec);
  b.AddEdge(bb, o1, EdgeKind::kSuspectIn, kT1, off, rec);
  b.AddEdge(bb, o2, EdgeKind::kVictimOf, kT1, off, rec);
  b.AddEdge(a, o3, EdgeKind::kSuspectIn, kT1, secret, rec);
  absl::StatusOr<std::shared_ptr<const Graph>> g = std::move(b).Build(1);
  REQUIRE(g.ok());
  return *g;
}

TEST_CASE("CommunityOffences: visible offences of the members, and bad members refused") {
  const std::shared_ptr<const Graph> g = ThreeOffences();
  ProjectionOptions po;
  po.paths = {CoOffending(1)};
  const QueryContext official = Threads(1);
  absl::StatusOr<Projection> p = ProjectPersons(*g, po, official);
  REQUIRE(p.ok());
  REQUIRE(p->nodes.size() == 2);  // A, B
  auto names = [&](const absl::StatusOr<std::vector<NodeId>>& r) {
    std::vector<std::string> out;
    for (NodeId o : *r) out.push_back(g->Name(o));
    return out;
  };
  const std::vector<NodeId> both = {0, 1};
  absl::StatusOr<std::vector<NodeId>> r = CommunityOffences(*g, *p, both, po, official);
  REQUIRE(r.ok());
  CHECK(names(r) == std::vector<std::string>{"offence:O1", "offence:O2"});  // O3's edge: SECRET
  QueryContext secret = official;
  secret.clearance.level = Classification::kSecret;
  r = CommunityOffences(*g, *p, both, po, secret);
  REQUIRE(r.ok());
  CHECK(names(r) == std::vector<std::string>{"offence:O1", "offence:O2", "offence:O3"});
  r = CommunityOffences(*g, *p, std::vector<NodeId>{1}, po, official);
  REQUIRE(r.ok());
  CHECK(names(r) == std::vector<std::string>{"offence:O1", "offence:O2"});  // B alone
  // A member that is not a projection vertex.
  r = CommunityOffences(*g, *p, std::vector<NodeId>{0, 99}, po, official);
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(r.status().message()) ==
        "CommunityOffences: member vertex 99 is not a vertex of the projection (2 vertices)");
  // A projection of another snapshot (pole_fixture.h's hand graph: its OFFICIAL people P1..P6
  // are nodes 0..5) used with this 5-node graph: vertex 5 is past the graph, vertex 2 names an
  // offence here.
  const std::shared_ptr<const Graph> other = HandGraph();
  absl::StatusOr<Projection> q = ProjectPersons(*other, po, official);
  REQUIRE(q.ok());
  REQUIRE(q->nodes.size() == 6);
  REQUIRE(g->num_nodes() == 5);
  REQUIRE(q->nodes[5] >= 5);
  r = CommunityOffences(*g, *q, std::vector<NodeId>{5}, po, official);
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(r.status().message()) ==
        "CommunityOffences: the projection does not come from this graph (its vertex 5 is "
        "snapshot node " +
            std::to_string(q->nodes[5]) + ", which is past the graph's 5 nodes)");
  REQUIRE(q->nodes[2] == 2);
  REQUIRE(g->kind(2) == NodeKind::kOffence);
  r = CommunityOffences(*g, *q, std::vector<NodeId>{2}, po, official);
  CHECK(std::string(r.status().message()) ==
        "CommunityOffences: the projection does not come from this graph (its vertex 2 is "
        "snapshot node 2, which is of kind offence, not person)");
  // An invalid context is refused first.
  QueryContext none = official;
  none.threads = 0;
  CHECK(CommunityOffences(*g, *p, both, po, none).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace polegraph::testing
