// Entity resolution across sources, checked on hand-built extracts:
//
//   PNC  N1  person 10/0000001C  JOHN SMITH 1980-01-02, alias JOHNNY SMYTH, alt dob 1980-02-01
//        N2  person 10/0000002D  MARY JONES 1975-03-04
//        N3  person 10/0000003E  MARIE JONES 1975-03-04, alias MARY JONES     (=> ambiguous)
//        V1  vehicle WVWZZZ1JZXW000001 displaying AB12CDE
//        V2  vehicle WVWZZZ1JZXW000002 displaying CD34EFG
//   PND  C1  (GMP, OFFICIAL-SENSITIVE, PERSONAL) suspect by PNC ID "10/1c"     -> N1, kPncId
//        C2  witnesses "John Smith 1980-01-02" -> N1 by name; "Johnny Smyth 1980-01-02" -> N1
//            by alias; "Jöhn Smith 1980-02-01" -> N1 by alt dob; "Mary Jones 1975-03-04" ->
//            JONES/MARY/1975-03-04 (two PNC nominals: not merged); "Peter Parker 1990-05-05"
//            -> PARKER/PETER/1990-05-05
//        C3  victim "peter PARKER 1990-05-05" -> PARKER/PETER/1990-05-05, kNameDob from C2
//        I1  intelligence: subject 10/1C USED "ab12 cde" (-> V1's vehicle, kVrm: no VIN was
//            matched), "XY51ABC" (-> vehicle VRM-XY51ABC, DISPLAYS plate XY51ABC) and VIN
//            "wvwzzz 1jzxw000002" with no VRM (-> V2's vehicle, kVin)
//   PNC  V3  vehicle without VIN displaying EF56GHJ (-> vehicle VRM-EF56GHJ)
//   PND  I2  intelligence: subject "Tony Stark 1970-05-29" (PND only) USED "XY51ABC" again (-> VRM-XY51ABC, kVrm from I1) and "ef56 ghj"
//            (-> V3's vehicle VRM-EF56GHJ, kVrm from V3)
#include <catch2/catch.hpp>

#include "fixture.h"

namespace polegraph::testing {
namespace {

struct World {
  TempDir dir;
  std::shared_ptr<const Graph> g;
  IngestReport report;
};

std::unique_ptr<World> BuildWorld() {
  auto w = std::make_unique<World>();
  auto n1 = Nominal("N1", "10/1C", "John", "Smith", Dob(1980, 1, 2));
  SetName(n1.mutable_nominal()->add_aliases(), "Johnny", "Smyth");
  *n1.mutable_nominal()->add_alternative_dates_of_birth() = Dob(1980, 2, 1);
  auto n2 = Nominal("N2", "10/2D", "Mary", "Jones", Dob(1975, 3, 4));
  auto n3 = Nominal("N3", "10/3E", "Marie", "Jones", Dob(1975, 3, 4));
  SetName(n3.mutable_nominal()->add_aliases(), "Mary", "Jones");
  auto v1 = Vehicle("V1", "AB12 CDE", "WVWZZZ1JZXW000001");
  auto v2 = Vehicle("V2", "CD34 EFG", "WVWZZZ1JZXW000002");
  auto v3 = Vehicle("V3", "EF56 GHJ", "");
  WriteExtract(w->dir.File("pnc.pb"), pb::PNC, Payloads(n1, n2, n3, v1, v2, v3));

  auto c1 = Crime("C1", "cr-1", {{RefByPnc("10/1c"), pb::SUSPECT}});
  *c1.mutable_crime()->mutable_meta() = Meta("C1", "GMP", pb::OFFICIAL_SENSITIVE, {"PERSONAL"});
  auto c2 = Crime("C2", "CR-2",
                  {{RefByName("John", "Smith", Dob(1980, 1, 2)), pb::WITNESS},
                   {RefByName("Johnny", "Smyth", Dob(1980, 1, 2)), pb::WITNESS},
                   {RefByName("J\xC3\xB6hn", "Smith", Dob(1980, 2, 1)), pb::WITNESS},
                   {RefByName("Mary", "Jones", Dob(1975, 3, 4)), pb::WITNESS},
                   {RefByName("Peter", "Parker", Dob(1990, 5, 5)), pb::WITNESS}});
  auto c3 = Crime("C3", "CR-3", {{RefByName("peter", "PARKER", Dob(1990, 5, 5)), pb::VICTIM}});
  pb::PndRecord i1;
  pb::Intelligence* in = i1.mutable_intelligence();
  *in->mutable_meta() = Meta("I1");
  in->set_reported_at(kT0 + 100);
  in->mutable_grading()->set_source(pb::RELIABLE);
  in->mutable_grading()->set_assessment(pb::KNOWN_DIRECTLY);
  in->mutable_grading()->set_handling(pb::LAWFUL_SHARING);
  *in->add_subjects() = RefByPnc("10/1C");
  in->add_vehicles()->set_vrm("ab12 cde");
  in->add_vehicles()->set_vrm("XY51ABC");
  in->add_vehicles()->set_vin("wvwzzz 1jzxw000002");
  pb::PndRecord i2 = i1;
  in = i2.mutable_intelligence();
  *in->mutable_meta() = Meta("I2");
  in->clear_subjects();
  *in->add_subjects() = RefByName("Tony", "Stark", Dob(1970, 5, 29));
  in->clear_vehicles();
  in->add_vehicles()->set_vrm("XY51ABC");
  in->add_vehicles()->set_vrm("ef56 ghj");
  WriteExtract(w->dir.File("pnd.pb"), pb::PND, Payloads(c1, c2, c3, i1, i2));

  auto r = Ingest({w->dir.File("pnd.pb"), w->dir.File("pnc.pb")}, {});
  REQUIRE(r.ok());
  REQUIRE(r->report.quarantined == 0);
  w->g = r->graph;
  w->report = r->report;
  return w;
}

std::vector<std::pair<MergeRule, std::string>> Merges(const Graph& g, NodeId v) {
  std::vector<std::pair<MergeRule, std::string>> out;
  for (const MergeView& m : g.merges(v)) out.emplace_back(m.rule, std::string(m.explanation));
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("people resolve by PNC ID and by name + dob onto PNC nominals") {
  auto w = BuildWorld();
  const Graph& g = *w->g;
  const NodeId john = MustFind(g, NodeKind::kPerson, "10/0000001C");
  // N1, C1 (PNC ID), C2 three times (name, alias, alt dob), I1 (PNC ID).
  CHECK(NodeRecordIds(g, john) == std::vector<std::string>{"C1", "C2", "I1", "N1"});
  auto merges = Merges(g, john);
  REQUIRE(merges.size() == 5);
  CHECK(merges[0] ==
        std::make_pair(MergeRule::kPncId, std::string("PNC ID '10/0000001C' matched PNC N1")));
  CHECK(merges[1] ==
        std::make_pair(MergeRule::kPncId, std::string("PNC ID '10/0000001C' matched PNC N1")));
  std::vector<std::string> by_name;
  for (std::size_t i = 2; i < 5; ++i) {
    CHECK(merges[i].first == MergeRule::kNameDob);
    by_name.push_back(merges[i].second);
  }
  CHECK(by_name == std::vector<std::string>{
                       "name+dob 'JOHN SMITH 1980-01-02' matched PNC N1 (10/0000001C) by name "
                       "'JOHN SMITH', dob 1980-01-02",
                       "name+dob 'JOHN SMITH 1980-02-01' matched PNC N1 (10/0000001C) by name "
                       "'JOHN SMITH', alternative dob 1980-02-01",
                       "name+dob 'JOHNNY SMYTH 1980-01-02' matched PNC N1 (10/0000001C) by alias "
                       "'JOHNNY SMYTH', dob 1980-01-02"});
  // The three witnesses of C2 that are John give one WITNESS_TO edge (one record, one edge).
  const std::vector<std::string> edges = EdgeStrings(g);
  CHECK(std::count(edges.begin(), edges.end(),
                   absl::StrCat("person:10/0000001C -WITNESS_TO@", kT0, "-> offence:MPS/CR-2")) ==
        1);
  CHECK(w->report.merges == 2 + 3 + 1 /*Parker*/ + 1 /*V1 via VRM*/ + 1 /*V2 via VIN*/ +
                                2 /*I2's two VRMs*/);
}

TEST_CASE("an ambiguous name + dob is not merged, PND-only people merge on name + dob") {
  auto w = BuildWorld();
  const Graph& g = *w->g;
  const NodeId mary = MustFind(g, NodeKind::kPerson, "JONES/MARY/1975-03-04");
  CHECK(NodeRecordIds(g, mary) == std::vector<std::string>{"C2"});
  CHECK(g.merges(mary).empty());
  CHECK(NodeRecordIds(g, MustFind(g, NodeKind::kPerson, "10/0000002D")) ==
        std::vector<std::string>{"N2"});
  CHECK(NodeRecordIds(g, MustFind(g, NodeKind::kPerson, "10/0000003E")) ==
        std::vector<std::string>{"N3"});

  const NodeId peter = MustFind(g, NodeKind::kPerson, "PARKER/PETER/1990-05-05");
  CHECK(NodeRecordIds(g, peter) == std::vector<std::string>{"C2", "C3"});
  auto merges = Merges(g, peter);
  REQUIRE(merges.size() == 1);
  CHECK(merges[0] ==
        std::make_pair(MergeRule::kNameDob,
                       std::string("name+dob 'PARKER/PETER/1990-05-05' matched PND C2")));
  CHECK(g.merges(peter)[0].record != kNoRecord);
  CHECK(g.record(g.merges(peter)[0].record).record_id == "C3");
}

TEST_CASE("a vehicle known only by VRM resolves onto the PNC vehicle displaying it") {
  auto w = BuildWorld();
  const Graph& g = *w->g;
  const std::vector<std::string> edges = EdgeStrings(g);
  const std::string t = std::to_string(kT0 + 100);
  CHECK(std::count(edges.begin(), edges.end(),
                   "person:10/0000001C -USED@" + t + "-> vehicle:WVWZZZ1JZXW000001") == 1);
  CHECK(std::count(edges.begin(), edges.end(),
                   "person:10/0000001C -USED@" + t + "-> vehicle:VRM-XY51ABC") == 1);
  // One DISPLAYS edge per record that names the VRM (I1, I2).
  CHECK(std::count(edges.begin(), edges.end(), "vehicle:VRM-XY51ABC -DISPLAYS@0-> plate:XY51ABC") ==
        2);
  CHECK(std::count(edges.begin(), edges.end(),
                   "vehicle:WVWZZZ1JZXW000001 -DISPLAYS@0-> plate:AB12CDE") == 1);
  const NodeId v = MustFind(g, NodeKind::kVehicle, "WVWZZZ1JZXW000001");
  CHECK(NodeRecordIds(g, v) == std::vector<std::string>{"I1", "V1"});
  auto merges = Merges(g, v);
  REQUIRE(merges.size() == 1);
  CHECK(merges[0] == std::make_pair(MergeRule::kVrm, std::string("VRM 'AB12CDE' matched PNC V1")));
  CHECK(g.record(g.merges(v)[0].record).record_id == "I1");
  // The grading travels as a property of the subject.
  CHECK(g.property(MustFind(g, NodeKind::kPerson, "10/0000001C"), "intel_grading") == "1/A/P");
}

// A vehicle known by its VRM alone (no PNC vehicle has it, or the PNC vehicle has no VIN) is
// one node "VRM-<VRM>"; each further record naming it is a kVrm merge that names the VRM.
TEST_CASE("records naming a VRM-keyed vehicle are recorded as VRM merges") {
  auto w = BuildWorld();
  const Graph& g = *w->g;
  const NodeId unknown = MustFind(g, NodeKind::kVehicle, "VRM-XY51ABC");
  CHECK(NodeRecordIds(g, unknown) == std::vector<std::string>{"I1", "I2"});
  auto merges = Merges(g, unknown);
  REQUIRE(merges.size() == 1);
  CHECK(merges[0] == std::make_pair(MergeRule::kVrm, std::string("VRM 'XY51ABC' matched PND I1")));
  CHECK(g.record(g.merges(unknown)[0].record).record_id == "I2");
  const NodeId no_vin = MustFind(g, NodeKind::kVehicle, "VRM-EF56GHJ");
  CHECK(NodeRecordIds(g, no_vin) == std::vector<std::string>{"I2", "V3"});
  merges = Merges(g, no_vin);
  REQUIRE(merges.size() == 1);
  CHECK(merges[0] == std::make_pair(MergeRule::kVrm, std::string("VRM 'EF56GHJ' matched PNC V3")));
  CHECK(g.record(g.merges(no_vin)[0].record).record_id == "I2");
  // One plate each, displayed by that one vehicle: as each of I1 and I2 says for XY51ABC, as
  // V3 says for EF56GHJ (I2 names V3's vehicle, which PNC already links to its plate).
  const std::vector<std::string> edges = EdgeStrings(g);
  CHECK(std::count(edges.begin(), edges.end(), "vehicle:VRM-XY51ABC -DISPLAYS@0-> plate:XY51ABC") ==
        2);
  CHECK(std::count(edges.begin(), edges.end(), "vehicle:VRM-EF56GHJ -DISPLAYS@0-> plate:EF56GHJ") ==
        1);
}

TEST_CASE("a vehicle reference by VIN alone, lower-case and spaced, merges by VIN") {
  auto w = BuildWorld();
  const Graph& g = *w->g;
  const NodeId v = MustFind(g, NodeKind::kVehicle, "WVWZZZ1JZXW000002");
  CHECK(NodeRecordIds(g, v) == std::vector<std::string>{"I1", "V2"});
  auto merges = Merges(g, v);
  REQUIRE(merges.size() == 1);
  CHECK(merges[0] ==
        std::make_pair(MergeRule::kVin, std::string("VIN 'WVWZZZ1JZXW000002' matched PNC V2")));
  CHECK(g.record(g.merges(v)[0].record).record_id == "I1");
  const std::vector<std::string> edges = EdgeStrings(g);
  const std::string t = std::to_string(kT0 + 100);
  CHECK(std::count(edges.begin(), edges.end(),
                   "person:10/0000001C -USED@" + t + "-> vehicle:WVWZZZ1JZXW000002") == 1);
  // The reference names no VRM: the only plate of V2 is the one PNC says it displays.
  CHECK(std::count(edges.begin(), edges.end(),
                   "vehicle:WVWZZZ1JZXW000002 -DISPLAYS@0-> plate:CD34EFG") == 1);
  CHECK(std::count_if(edges.begin(), edges.end(), [](const std::string& e) {
          return e.rfind("vehicle:WVWZZZ1JZXW000002 -DISPLAYS", 0) == 0;
        }) == 1);
}

TEST_CASE("provenance and access labels on nodes and edges") {
  auto w = BuildWorld();
  const Graph& g = *w->g;
  const NodeId john = MustFind(g, NodeKind::kPerson, "10/0000001C");
  const NodeId cr1 = MustFind(g, NodeKind::kOffence, "GMP/CR-1");
  bool found = false;
  for (EdgeIndex e = g.out_offsets()[john]; e < g.out_offsets()[john + 1]; ++e) {
    if (g.out_neighbours()[e] != cr1) continue;
    found = true;
    CHECK(g.edge_kind()[e] == EdgeKind::kSuspectIn);
    CHECK(g.edge_time()[e] == kT0);
    const RecordInfo rec = g.record(g.edge_record()[e]);
    CHECK(rec.record_id == "C1");
    CHECK(rec.source == Source::kPnd);
    CHECK(g.extract(rec.extract).path == w->dir.File("pnd.pb"));
    const AccessLabel label = g.label(g.edge_label()[e]);
    CHECK(label.classification == Classification::kOfficialSensitive);
    CHECK(g.force_name(label.force) == "GMP");
    REQUIRE(g.num_caveats() == 1);
    CHECK(g.caveat_name(0) == "PERSONAL");
    CHECK(label.caveats == 1u);
  }
  CHECK(found);
  // The offence node carries C1's label; John, asserted by N1, C2, I1 (OFFICIAL MPS) and C1
  // (O-S GMP, PERSONAL), is visible to whoever may see either marking: a label set.
  CHECK(g.label(g.node_label(cr1)).classification == Classification::kOfficialSensitive);
  const std::vector<LabelId> john_labels = g.label_members(g.node_label(john));
  REQUIRE(john_labels.size() == 2);
  CHECK(g.label(john_labels[0]).classification == Classification::kOfficial);
  CHECK(g.force_name(g.label(john_labels[0]).force) == "MPS");
  CHECK(g.label(john_labels[0]).caveats == 0u);
  CHECK(g.label(john_labels[1]).classification == Classification::kOfficialSensitive);
  CHECK(g.force_name(g.label(john_labels[1]).force) == "GMP");
  CHECK(g.label(john_labels[1]).caveats == 1u);
  CHECK(g.VisibleLabels(Clearance{})[g.node_label(john)]);  // OFFICIAL sees John (via N1)
  CHECK_FALSE(g.VisibleLabels(Clearance{})[g.node_label(cr1)]);
  const NodeId mary = MustFind(g, NodeKind::kPerson, "10/0000002D");
  CHECK(g.label(g.node_label(mary)).classification == Classification::kOfficial);
  CHECK(g.force_name(g.label(g.node_label(mary)).force) == "MPS");
  // Every node and every edge has at least one record.
  for (NodeId v = 0; v < g.num_nodes(); ++v) CHECK_FALSE(g.node_records(v).empty());
  for (EdgeId e = 0; e < g.num_edges(); ++e) CHECK(g.edge_record()[e] < g.num_records());
  CHECK(g.num_records() == 11);
  CHECK(g.num_extracts() == 2);
}

}  // namespace
}  // namespace polegraph::testing
