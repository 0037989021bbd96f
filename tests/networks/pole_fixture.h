// A hand-made POLE snapshot shared by the projection and CLI tests.
#ifndef POLEGRAPH_TESTS_NETWORKS_POLE_FIXTURE_H_
#define POLEGRAPH_TESTS_NETWORKS_POLE_FIXTURE_H_

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "polegraph/graph.h"

namespace polegraph::testing {

inline constexpr std::int64_t kT1 = 1700000000, kT2 = 2000000000;

//   P1..P7 people (P7 SECRET), O1 O2 O3 offences, V1 V2 vehicles, PL1 PL2 plates, L1 (SECRET).
//   O1: P1 suspect, P2 arrested, P3 convicted, P4 victim, P7 suspect
//   O2 (time kT2): P1 suspect + arrested, P2 suspect
//   O3: P1..P6 suspect (6 edges: a hub when hub_cap = 5)
//   V1: P1 keeper, P4 used; V1 displays PL1; V2 displays PL2, P6 keeper; PL1 TRAVELLED_WITH PL2
//   L1: P5, P6 reside; P5 ASSOCIATE_OF P3 (OFFICIAL-SENSITIVE)
inline std::shared_ptr<const Graph> HandGraph() {
  GraphBuilder b;
  ExtractInfo info;
  info.path = "pnd.pb";
  info.source = Source::kPnd;
  const auto ex = b.AddExtract(info);
  const RecordNo rec = b.AddRecord(ex, "R1", 0);
  const LabelId off = b.InternLabel(Classification::kOfficial, "MPS", {});
  const LabelId sens = b.InternLabel(Classification::kOfficialSensitive, "MPS", {});
  const LabelId secret = b.InternLabel(Classification::kSecret, "MPS", {});
  std::vector<GraphBuilder::Handle> p(8);
  for (int i = 1; i <= 7; ++i) {
    p[i] =
        b.AddNode(NodeKind::kPerson, "01/" + std::to_string(i) + "A", i == 7 ? secret : off, rec);
  }
  auto o1 = b.AddNode(NodeKind::kOffence, "O1", off, rec);
  auto o2 = b.AddNode(NodeKind::kOffence, "O2", off, rec);
  auto o3 = b.AddNode(NodeKind::kOffence, "O3", off, rec);
  auto v1 = b.AddNode(NodeKind::kVehicle, "V1", off, rec);
  auto v2 = b.AddNode(NodeKind::kVehicle, "V2", off, rec);
  auto pl1 = b.AddNode(NodeKind::kPlate, "PL1", off, rec);
  auto pl2 = b.AddNode(NodeKind::kPlate, "PL2", off, rec);
  auto l1 = b.AddNode(NodeKind::kLocation, "L1", secret, rec);
  b.AddEdge(p[1], o1, EdgeKind::kSuspectIn, kT1, off, rec);
  b.AddEdge(p[2], o1, EdgeKind::kArrestedFor, kT1, off, rec);
  b.AddEdge(p[3], o1, EdgeKind::kConvictedOf, kT1, off, rec);
  b.AddEdge(p[4], o1, EdgeKind::kVictimOf, kT1, off, rec);
  b.AddEdge(p[7], o1, EdgeKind::kSuspectIn, kT1, off, rec);
  b.AddEdge(p[1], o2, EdgeKind::kSuspectIn, kT2, off, rec);
  b.AddEdge(p[1], o2, EdgeKind::kArrestedFor, kT2, off, rec);
  b.AddEdge(p[2], o2, EdgeKind::kSuspectIn, kT2, off, rec);
  for (int i = 1; i <= 6; ++i) b.AddEdge(p[i], o3, EdgeKind::kSuspectIn, kT1, off, rec);
  b.AddEdge(p[1], v1, EdgeKind::kKeeperOf, kT1, off, rec);
  b.AddEdge(p[4], v1, EdgeKind::kUsed, kT1, off, rec);
  b.AddEdge(v1, pl1, EdgeKind::kDisplays, kT1, off, rec);
  b.AddEdge(v2, pl2, EdgeKind::kDisplays, kT1, off, rec);
  b.AddEdge(p[6], v2, EdgeKind::kKeeperOf, kT1, off, rec);
  b.AddEdge(pl1, pl2, EdgeKind::kTravelledWith, kT1, off, rec);
  b.AddEdge(p[5], l1, EdgeKind::kResidesAt, kT1, off, rec);
  b.AddEdge(p[6], l1, EdgeKind::kResidesAt, kT1, off, rec);
  b.AddEdge(p[5], p[3], EdgeKind::kAssociateOf, kT1, sens, rec);
  absl::StatusOr<std::shared_ptr<const Graph>> g = std::move(b).Build(1);
  REQUIRE(g.ok());
  return *g;
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_NETWORKS_POLE_FIXTURE_H_
