// GraphBuilder / Graph on a hand-drawn graph: node ids, CSR in both directions, collapsing of
// duplicate edges, provenance, labels, properties, merges, positions, Find / Resolve.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "polegraph/graph.h"

namespace polegraph {
namespace {

// Extracts (renumbered by source: PNC < PND < ANPR) and their records (renumbered by extract,
// then offset):
//   PNC  "pnc.pb":  NOM-1 @0 -> r0,  VEH-1 @50 -> r1
//   PND  "pnd.pb":  CR-9  @0 -> r2
//   ANPR "anpr.pb": READ-1 @0 -> r3, READ-2 @30 -> r4
// Nodes (ids by kind, then key):
//   0 person:16/0000001A   (asserted by NOM-1 as OFFICIAL/MPS and by CR-9 as
//                           OFFICIAL-SENSITIVE/WMP/ORCON -> OS/MPS/ORCON: force of r0)
//   1 vehicle:VIN1         2 plate:AB12CDE         3 location:SITE1     4 location:SITE2
// Edges (EdgeId = position in the out-CSR):
//   e0  0 -KEEPER_OF  t1000 r0-> 1
//   e1  1 -DISPLAYS   t900  r1-> 2
//   e2  2 -SEEN_AT    t2000 r3-> 3     (added twice by READ-1: collapsed)
//   e3  2 -SEEN_AT    t2000 r4-> 3     (same edge from READ-2: kept as a parallel edge)
//   e4  2 -SEEN_AT    t1500 r4-> 4
// Labels (sorted by classification, force, caveats; forces MPS=0, WMP=1; ORCON = bit 0):
//   0 OFFICIAL/MPS/-   1 OS/MPS/ORCON   2 OS/WMP/ORCON
testing::Facts HandDrawn() {
  testing::Facts f;
  f.extracts = testing::OnePerSource();  // builder order differs from snapshot order
  f.records = {
      {0, "READ-2", 30}, {0, "READ-1", 0}, {1, "VEH-1", 50}, {1, "NOM-1", 0}, {2, "CR-9", 0}};
  f.labels = {{Classification::kOfficialSensitive, "WMP", {"ORCON"}},
              {Classification::kOfficial, "MPS", {}}};
  f.nodes = {{NodeKind::kLocation, "SITE2", 1, 0},     {NodeKind::kPlate, "AB12CDE", 1, 1},
             {NodeKind::kPerson, "16/0000001A", 0, 4}, {NodeKind::kVehicle, "VIN1", 1, 2},
             {NodeKind::kLocation, "SITE1", 1, 1},     {NodeKind::kPerson, "16/0000001A", 1, 3}};
  // node facts: 0 SITE2, 1 plate, 2 person, 3 vehicle, 4 SITE1
  f.edges = {{1, 4, EdgeKind::kSeenAt, 2000, 1, 1},  {2, 3, EdgeKind::kKeeperOf, 1000, 1, 3},
             {1, 4, EdgeKind::kSeenAt, 2000, 1, 0},  {1, 0, EdgeKind::kSeenAt, 1500, 1, 0},
             {3, 1, EdgeKind::kDisplays, 900, 1, 2}, {1, 4, EdgeKind::kSeenAt, 2000, 1, 1}};
  f.properties = {{2, "name", "JOHN SMITH", 3},
                  {2, "name", "JOHN SMITH", 4},
                  {2, "dob", "1990-01-02", 3},
                  {2, "name", "JOHN SMITH", 3}};
  f.merges = {{2, MergeRule::kNameDob, 4, "name+dob matched PNC NOM-1"}};
  f.positions = {{4, 51.5, -0.1}};
  f.metadata = {{"polegraph_version", "0.1"}};
  return f;
}

TEST_CASE("hand-drawn graph: nodes, CSR, provenance", "[graph][builder]") {
  auto g = testing::BuildOrDie(HandDrawn());
  REQUIRE(internal::GraphAccess::storage(*g).Validate().ok());
  REQUIRE(g->num_nodes() == 5);
  REQUIRE(g->num_edges() == 5);
  std::vector<std::string> names;
  for (NodeId v = 0; v < g->num_nodes(); ++v) names.push_back(g->Name(v));
  REQUIRE(names == std::vector<std::string>{"person:16/0000001A", "vehicle:VIN1", "plate:AB12CDE",
                                            "location:SITE1", "location:SITE2"});
  REQUIRE(g->KindRange(NodeKind::kPerson) == std::pair<NodeId, NodeId>{0, 1});
  REQUIRE(g->KindRange(NodeKind::kLocation) == std::pair<NodeId, NodeId>{3, 5});
  REQUIRE(g->KindRange(NodeKind::kOffence) == std::pair<NodeId, NodeId>{5, 5});

  auto v = [](auto s) { return std::vector(s.begin(), s.end()); };
  REQUIRE(v(g->out_offsets()) == std::vector<EdgeIndex>{0, 1, 2, 5, 5, 5});
  REQUIRE(v(g->out_neighbours()) == std::vector<NodeId>{1, 2, 3, 3, 4});
  REQUIRE(v(g->edge_time()) == std::vector<EdgeTime>{1000, 900, 2000, 2000, 1500});
  REQUIRE(v(g->edge_record()) == std::vector<RecordNo>{0, 1, 3, 4, 4});
  REQUIRE(v(g->edge_kind()) == std::vector<EdgeKind>{EdgeKind::kKeeperOf, EdgeKind::kDisplays,
                                                     EdgeKind::kSeenAt, EdgeKind::kSeenAt,
                                                     EdgeKind::kSeenAt});
  REQUIRE(v(g->edge_label()) == std::vector<LabelId>{0, 0, 0, 0, 0});
  REQUIRE(v(g->in_offsets()) == std::vector<EdgeIndex>{0, 0, 1, 2, 4, 5});
  REQUIRE(v(g->in_neighbours()) == std::vector<NodeId>{0, 1, 2, 2, 2});
  REQUIRE(v(g->in_edge()) == std::vector<EdgeId>{0, 1, 2, 3, 4});
  for (EdgeId e = 0; e < 5; ++e) {
    const NodeId expected_source[] = {0, 1, 2, 2, 2};
    REQUIRE(g->edge_source(e) == expected_source[e]);
    REQUIRE(g->edge_target(e) == g->out_neighbours()[e]);
  }
  REQUIRE(g->out_degree(2) == 3);
  REQUIRE(g->in_degree(3) == 2);

  REQUIRE(g->num_records() == 5);
  const char* ids[] = {"NOM-1", "VEH-1", "CR-9", "READ-1", "READ-2"};
  const Source src[] = {Source::kPnc, Source::kPnc, Source::kPnd, Source::kAnpr, Source::kAnpr};
  const std::uint32_t ext[] = {0, 0, 1, 2, 2};
  const std::uint64_t off[] = {0, 50, 0, 0, 30};
  for (RecordNo r = 0; r < 5; ++r) {
    REQUIRE(g->record(r).record_id == ids[r]);
    REQUIRE(g->record(r).source == src[r]);
    REQUIRE(g->record(r).extract == ext[r]);
    REQUIRE(g->record(r).offset == off[r]);
  }
  REQUIRE(g->num_extracts() == 3);
  REQUIRE(g->extract(0).path == "pnc.pb");
  REQUIRE(g->extract(1).path == "pnd.pb");
  REQUIRE(g->extract(2).path == "anpr.pb");
  REQUIRE(v(g->node_records(0)) == std::vector<RecordNo>{0, 2});
  REQUIRE(v(g->node_records(3)) == std::vector<RecordNo>{3});  // SITE1 asserted by READ-1
  REQUIRE(g->metadata() ==
          std::vector<std::pair<std::string, std::string>>{{"polegraph_version", "0.1"}});
}

TEST_CASE("hand-drawn graph: labels and clearance", "[graph][builder]") {
  auto g = testing::BuildOrDie(HandDrawn());
  REQUIRE(g->num_forces() == 2);
  REQUIRE(g->force_name(0) == "MPS");
  REQUIRE(g->force_name(1) == "WMP");
  REQUIRE(g->num_caveats() == 1);
  REQUIRE(g->caveat_name(0) == "ORCON");
  // The labels as interned: OFFICIAL MPS (NOM-1 and the ANPR/vehicle records) and
  // OFFICIAL-SENSITIVE WMP [ORCON] (CR-9). The person is asserted under both: different
  // forces, so neither makes the other visible and the person carries the set {0, 1}.
  REQUIRE(g->num_single_labels() == 2);
  REQUIRE(g->num_labels() == 3);
  REQUIRE(g->label(0) == AccessLabel{Classification::kOfficial, 0, 0});
  REQUIRE(g->label(1) == AccessLabel{Classification::kOfficialSensitive, 1, 1});
  REQUIRE(g->node_label(0) == 2);
  REQUIRE(g->label_members(2) == std::vector<LabelId>{0, 1});
  REQUIRE(g->label(2) == g->label(0));  // a set's first member
  REQUIRE(g->label_members(1) == std::vector<LabelId>{1});
  REQUIRE(g->node_label(1) == 0);

  // visible[label 0, label 1, the person's set]: the person is visible to whoever may see
  // either of its records.
  Clearance c;
  REQUIRE(g->VisibleLabels(c) == std::vector<bool>{true, false, true});
  c.level = Classification::kOfficialSensitive;
  REQUIRE(g->VisibleLabels(c) == std::vector<bool>{true, false, true});  // lacks ORCON
  c.caveats = {"ORCON"};
  REQUIRE(g->VisibleLabels(c) == std::vector<bool>{true, true, true});
  c.forces = {"WMP"};
  REQUIRE(g->VisibleLabels(c) == std::vector<bool>{false, true, true});
  c.level = Classification::kOfficial;
  REQUIRE(g->VisibleLabels(c) == std::vector<bool>{false, false, false});
  REQUIRE(g->VisibleLabels(Clearance::Unrestricted()) == std::vector<bool>{true, true, true});

  // VisibleLabels keeps the last 8 clearances: cycling 16 of them twice (so entries are
  // evicted and re-made) gives each the hand-worked answer every time. Label 0 = OFFICIAL MPS,
  // 1 = O-S WMP [ORCON], 2 = the person's set {0, 1}.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 16; ++i) {
      Clearance k;
      k.level = static_cast<Classification>(i % 4);
      if (i & 4) k.caveats = {"ORCON"};
      if (i & 8) k.forces = {"WMP"};
      const bool sees0 = !(i & 8);
      const bool sees1 = k.level >= Classification::kOfficialSensitive && (i & 4);
      INFO("round " << round << " clearance " << i);
      REQUIRE(g->VisibleLabels(k) == std::vector<bool>{sees0, sees1, sees0 || sees1});
    }
  }
}

TEST_CASE("a node label keeps only the least restrictive of its records' labels",
          "[graph][builder]") {
  // One force: OFFICIAL makes OFFICIAL-SENSITIVE [ORCON] and SECRET [UKEO] visible to whoever
  // may see them, so a node asserted under all three carries OFFICIAL alone; a node asserted
  // under OS [ORCON] and SECRET [UKEO] (neither caveat set contains the other) carries both.
  testing::Facts f;
  ExtractInfo pnd;
  pnd.path = "pnd.pb";
  pnd.source = Source::kPnd;
  f.extracts = {pnd};
  f.records = {{0, "R1", 0}, {0, "R2", 10}, {0, "R3", 20}};
  f.labels = {{Classification::kOfficial, "MPS", {}},
              {Classification::kOfficialSensitive, "MPS", {"ORCON"}},
              {Classification::kSecret, "MPS", {"UKEO"}}};
  f.nodes = {{NodeKind::kPerson, "A", 0, 0}, {NodeKind::kPerson, "A", 1, 1},
             {NodeKind::kPerson, "A", 2, 2}, {NodeKind::kPerson, "B", 1, 1},
             {NodeKind::kPerson, "B", 2, 2}, {NodeKind::kPerson, "C", 2, 2}};
  auto g = testing::BuildOrDie(f);
  REQUIRE(internal::GraphAccess::storage(*g).Validate().ok());
  REQUIRE(g->num_single_labels() == 3);  // sorted: OFFICIAL, OS [ORCON], SECRET [UKEO]
  REQUIRE(g->num_labels() == 4);
  REQUIRE(g->node_label(0) == 0);                                   // A
  REQUIRE(g->label_members(g->node_label(1)) == std::vector<LabelId>{1, 2});  // B
  REQUIRE(g->node_label(2) == 2);                                   // C
  Clearance c;
  c.level = Classification::kSecret;
  c.caveats = {"UKEO"};
  REQUIRE(g->VisibleLabels(c) == std::vector<bool>{true, false, true, true});
  c.caveats = {};
  REQUIRE(g->VisibleLabels(c) == std::vector<bool>{true, false, false, false});
}

TEST_CASE("hand-drawn graph: properties, merges, positions, lookup", "[graph][builder]") {
  auto g = testing::BuildOrDie(HandDrawn());
  const auto props = g->properties(0);
  REQUIRE(props.size() == 3);  // the duplicate from NOM-1 collapsed; sorted by name, value, rec
  REQUIRE(props[0].name == "dob");
  REQUIRE(props[0].value == "1990-01-02");
  REQUIRE(props[0].record == 0);
  REQUIRE(props[1].name == "name");
  REQUIRE(props[1].record == 0);
  REQUIRE(props[2].name == "name");
  REQUIRE(props[2].record == 2);
  REQUIRE(g->property(0, "name") == std::optional<std::string_view>("JOHN SMITH"));
  REQUIRE_FALSE(g->property(0, "colour").has_value());
  REQUIRE(g->properties(1).empty());

  const auto merges = g->merges(0);
  REQUIRE(merges.size() == 1);
  REQUIRE(merges[0].rule == MergeRule::kNameDob);
  REQUIRE(merges[0].record == 2);
  REQUIRE(merges[0].explanation == "name+dob matched PNC NOM-1");
  REQUIRE(MergeRuleName(MergeRule::kVrm) == "VRM");

  REQUIRE(g->position(3).latitude == 51.5);
  REQUIRE(g->position(3).longitude == -0.1);
  REQUIRE(std::isnan(g->position(4).latitude));

  REQUIRE(g->Find(NodeKind::kLocation, "SITE2") == std::optional<NodeId>(4));
  REQUIRE(g->Find(NodeKind::kLocation, "SITE0") == std::nullopt);
  REQUIRE(g->Find(NodeKind::kPlate, "SITE1") == std::nullopt);  // key exists, other kind
  REQUIRE(g->Find(NodeKind::kOffence, "X") == std::nullopt);
  REQUIRE(*g->Resolve("plate:AB12CDE") == 2);
  REQUIRE(*g->Resolve("vehicle:VIN1") == 1);
  REQUIRE(*g->Resolve("plate:ab12 cde") == 2);  // key normalised as ingest does
  REQUIRE(*g->Resolve("Location:SITE1") == 3);  // kind names are case-insensitive
  REQUIRE(g->Resolve("person:nobody").status().code() == absl::StatusCode::kNotFound);
  REQUIRE(g->Resolve("alien:x").status().code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(g->Resolve("no-colon").status().code() == absl::StatusCode::kInvalidArgument);

  std::uint64_t sum = 0;
  for (const auto& [name, bytes] : g->section_bytes()) sum += bytes;
  REQUIRE(sum == g->memory_bytes());
  REQUIRE(sum >= 5 * 23);
}

TEST_CASE("empty graph builds and validates", "[graph][builder]") {
  auto g = GraphBuilder().Build(2);
  REQUIRE(g.ok());
  REQUIRE((*g)->num_nodes() == 0);
  REQUIRE((*g)->num_edges() == 0);
  REQUIRE(internal::GraphAccess::storage(**g).Validate().ok());
  REQUIRE((*g)->out_offsets().size() == 1);
  REQUIRE_FALSE((*g)->Find(NodeKind::kPerson, "x").has_value());
}

TEST_CASE("builder misuse and limits are errors from Build", "[graph][builder]") {
  {
    GraphBuilder b;
    const LabelId l = b.InternLabel(Classification::kOfficial, "MPS", {});
    const auto n = b.AddNode(NodeKind::kPerson, "a", l, kNoRecord);
    b.AddEdge(n, n + 7, EdgeKind::kAssociateOf, 0, l, kNoRecord);
    auto g = std::move(b).Build();
    REQUIRE(g.status().code() == absl::StatusCode::kInvalidArgument);
    REQUIRE(std::string(g.status().message()).find("AddEdge") != std::string::npos);
  }
  {
    GraphBuilder b;
    for (int i = 0; i < 33; ++i) {
      const std::vector<std::string> caveat = {"C" + std::to_string(i)};
      b.InternLabel(Classification::kOfficial, "MPS", caveat);
    }
    auto g = std::move(b).Build();
    REQUIRE(g.status().code() == absl::StatusCode::kInvalidArgument);
    REQUIRE(std::string(g.status().message()).find("32") != std::string::npos);
  }
  {
    GraphBuilder b;  // 4 classifications x 2^14 caveat sets = 65536 labels
    std::vector<std::string> all;
    for (int i = 0; i < 14; ++i) all.push_back("C" + std::to_string(i));
    for (int cls = 0; cls < 4; ++cls) {
      for (int set = 0; set < (1 << 14); ++set) {
        std::vector<std::string> caveats;
        for (int i = 0; i < 14; ++i) {
          if (set & (1 << i)) caveats.push_back(all[static_cast<std::size_t>(i)]);
        }
        b.InternLabel(static_cast<Classification>(cls), "MPS", caveats);
      }
    }
    auto g = std::move(b).Build();
    REQUIRE(g.status().code() == absl::StatusCode::kInvalidArgument);
    REQUIRE(std::string(g.status().message()).find("65535") != std::string::npos);
  }
  {
    GraphBuilder b;
    b.AddRecord(3, "R", 0);
    REQUIRE(std::move(b).Build().status().code() == absl::StatusCode::kInvalidArgument);
  }
}

// The kinds each edge kind joins are those of types.h's EdgeKind comments; Build refuses any
// other, naming the edge by its kind, its endpoints' kinds and keys (a snapshot holding it
// would not open), and accepts the same nodes joined the right way.
TEST_CASE("an edge kind that does not join its endpoints' kinds fails Build",
          "[graph][builder]") {
  for (const bool wrong : {true, false}) {
    CAPTURE(wrong);
    GraphBuilder b;
    const LabelId l = b.InternLabel(Classification::kOfficial, "MPS", {});
    const auto person = b.AddNode(NodeKind::kPerson, "PNC:01/1A", l, kNoRecord);
    const auto plate = b.AddNode(NodeKind::kPlate, "AB12CDE", l, kNoRecord);
    const auto site = b.AddNode(NodeKind::kLocation, "ANPR:S1", l, kNoRecord);
    b.AddEdge(plate, site, EdgeKind::kSeenAt, 1700000000, l, kNoRecord);
    b.AddEdge(person, site, wrong ? EdgeKind::kSeenAt : EdgeKind::kFrequents, 1700000000, l,
              kNoRecord);
    auto g = std::move(b).Build(2);
    if (!wrong) {
      REQUIRE(g.ok());
      REQUIRE((*g)->num_edges() == 2);
      continue;
    }
    REQUIRE(g.status().code() == absl::StatusCode::kInvalidArgument);
    const std::string message(g.status().message());
    CAPTURE(message);
    // Nodes sorted by kind: person 0, plate 1, location 2; edge 0 is the person's.
    REQUIRE(message ==
            "AddEdge: edge 0 (SEEN_AT) joins person -> location, which its kind does not allow "
            "(SEEN_AT joins plate -> location); from 'PNC:01/1A' to 'ANPR:S1'");
  }
}

TEST_CASE("edge times outside 32 bits are unknown", "[graph][builder]") {
  GraphBuilder b;
  const LabelId l = b.InternLabel(Classification::kOfficial, "MPS", {});
  ExtractInfo info;
  info.path = "p";
  const auto x = b.AddExtract(info);
  const RecordNo r = b.AddRecord(x, "R", 0);
  const auto p = b.AddNode(NodeKind::kPerson, "p", l, r);
  const auto q = b.AddNode(NodeKind::kPerson, "q", l, r);
  b.AddEdge(p, q, EdgeKind::kAssociateOf, -5, l, r);
  b.AddEdge(p, q, EdgeKind::kAssociateOf, std::int64_t{1} << 40, l, r);
  b.AddEdge(p, q, EdgeKind::kAssociateOf, 42, l, r);
  auto g = std::move(b).Build();
  REQUIRE(g.ok());
  // (-5 and 2^40 both become time 0 from the same record: collapsed into one edge)
  REQUIRE(std::vector(g.value()->edge_time().begin(), g.value()->edge_time().end()) ==
          std::vector<EdgeTime>{0, 42});
}

}  // namespace
}  // namespace polegraph
