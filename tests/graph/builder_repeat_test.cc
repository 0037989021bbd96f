// The builder's shortcuts for callers that remember what they added (AddMergeById, AssertNode,
// PrefetchNodeKey's handle hint, SetPosition in any order with PrefetchPosition hints): a graph
// built with them is byte for byte the graph built with the plain calls (the oracle), and the
// merges and position are the hand-worked ones below.
//
//   records: r0 NOM-1, r1 CR-1, r2 CR-2, r3 CR-3 (one PND extract after one PNC extract)
//   nodes:   person P1 (made by r0), location L1
//   merges:  P1 by kPncId from r1, r2 and r3, all "PNC ID 'P1' matched PNC NOM-1";
//            P1 by kNameDob from r2, "name+dob matched"
//   L1 positions given: (52, 1), (51, 2), (51, -1), (53, -5) -> kept (51, -1)
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "polegraph/graph.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Builds the graph above; `shortcuts` uses the remembering calls, else the plain ones.
std::shared_ptr<const Graph> BuildIt(bool shortcuts) {
  GraphBuilder b;
  ExtractInfo pnc, pnd;
  pnc.path = "pnc.pb";
  pnc.source = Source::kPnc;
  pnd.path = "pnd.pb";
  pnd.source = Source::kPnd;
  const auto e_pnc = b.AddExtract(pnc);
  const auto e_pnd = b.AddExtract(pnd);
  const LabelId label = b.InternLabel(Classification::kOfficial, "MPS", {});
  const RecordNo r0 = b.AddRecord(e_pnc, "NOM-1", 0);
  const RecordNo r1 = b.AddRecord(e_pnd, "CR-1", 0);
  const RecordNo r2 = b.AddRecord(e_pnd, "CR-2", 10);
  const RecordNo r3 = b.AddRecord(e_pnd, "CR-3", 20);
  const std::uint64_t hash = GraphBuilder::NodeHash(NodeKind::kPerson, "P1");
  // Before P1 exists the hint names no node.
  if (shortcuts) CHECK(b.PrefetchNodeKey(hash) == kNoNode);
  const GraphBuilder::Handle p1 = b.AddNode(NodeKind::kPerson, "P1", label, r0);
  const GraphBuilder::Handle l1 = b.AddNode(NodeKind::kLocation, "L1", label, r0);
  if (shortcuts) CHECK(b.PrefetchNodeKey(hash) == p1);
  const std::string text = "PNC ID 'P1' matched PNC NOM-1";
  std::uint32_t id = 0;
  for (RecordNo r : {r1, r2, r3}) {
    if (!shortcuts) {
      CHECK(b.AddNode(NodeKind::kPerson, "P1", label, r) == p1);
      b.AddMerge(p1, MergeRule::kPncId, r, text);
    } else if (r == r1) {
      CHECK(b.AddNode(NodeKind::kPerson, "P1", hash, label, r) == p1);
      id = b.AddMerge(p1, MergeRule::kPncId, r, text);
    } else {
      b.AssertNode(p1, label, r);
      b.AddMergeById(p1, MergeRule::kPncId, r, id);
    }
    if (r == r2) b.AddMerge(p1, MergeRule::kNameDob, r, "name+dob matched");
  }
  std::vector<GeoPoint> at = {{52, 1}, {51, 2}, {51, -1}, {53, -5}};
  if (shortcuts) {
    for (auto it = at.rbegin(); it != at.rend(); ++it) {
      b.PrefetchPosition(l1);
      b.SetPosition(l1, *it);
    }
  } else {
    for (const GeoPoint& p : at) b.SetPosition(l1, p);
  }
  absl::StatusOr<std::shared_ptr<const Graph>> g = std::move(b).Build(1);
  REQUIRE(g.ok());
  return *g;
}

TEST_CASE("remembered merges, assertions and batched positions build the same snapshot",
          "[graph][builder]") {
  const std::shared_ptr<const Graph> plain = BuildIt(false);
  const std::shared_ptr<const Graph> fast = BuildIt(true);
  const std::string a = std::string(POLEGRAPH_BINARY_DIR) + "/builder_repeat_plain.pg";
  const std::string b = std::string(POLEGRAPH_BINARY_DIR) + "/builder_repeat_fast.pg";
  REQUIRE(SaveSnapshot(*plain, a).ok());
  REQUIRE(SaveSnapshot(*fast, b).ok());
  CHECK(ReadAll(a) == ReadAll(b));
  std::remove(a.c_str());
  std::remove(b.c_str());

  const std::optional<NodeId> p1 = fast->Find(NodeKind::kPerson, "P1");
  const std::optional<NodeId> l1 = fast->Find(NodeKind::kLocation, "L1");
  REQUIRE(p1.has_value());
  REQUIRE(l1.has_value());
  const std::vector<MergeView> merges = fast->merges(*p1);
  REQUIRE(merges.size() == 4);
  int by_pnc = 0, by_name = 0;
  for (const MergeView& m : merges) {
    if (m.rule == MergeRule::kPncId) {
      ++by_pnc;
      CHECK(m.explanation == "PNC ID 'P1' matched PNC NOM-1");
    } else {
      ++by_name;
      CHECK(m.rule == MergeRule::kNameDob);
      CHECK(m.explanation == "name+dob matched");
    }
  }
  CHECK(by_pnc == 3);
  CHECK(by_name == 1);
  const GeoPoint where = fast->position(*l1);
  CHECK(where.latitude == 51);
  CHECK(where.longitude == -1);
}

// Property names are interned through a cache keyed by the name's address (for literals):
// a name passed from one reused buffer with other contents each time must still get the name
// it holds. Hand-worked: node N1 gets colour=RED, model=FOCUS, colour=BLUE and make=FORD from
// record r0, the names passed from one buffer overwritten in place (same address, same length
// for colour/model), and again from literals; sorted by name then value.
TEST_CASE("property names given from a reused buffer keep their own names") {
  GraphBuilder b;
  ExtractInfo pnc;
  pnc.path = "pnc.pb";
  pnc.source = Source::kPnc;
  const auto e = b.AddExtract(pnc);
  const LabelId label = b.InternLabel(Classification::kOfficial, "MPS", {});
  const RecordNo r0 = b.AddRecord(e, "V-1", 0);
  const GraphBuilder::Handle n1 = b.AddNode(NodeKind::kVehicle, "N1", label, r0);
  char name[8] = "colour";
  const char* before = name;
  b.AddProperty(n1, std::string_view(name, 6), "RED", r0);
  std::snprintf(name, sizeof name, "%s", "model");
  b.AddProperty(n1, std::string_view(name, 5), "FOCUS", r0);
  std::snprintf(name, sizeof name, "%s", "colour");
  b.AddProperty(n1, std::string_view(name, 6), "BLUE", r0);
  std::snprintf(name, sizeof name, "%s", "make");
  b.AddProperty(n1, std::string_view(name, 4), "FORD", r0);
  REQUIRE(before == name);
  b.AddProperty(n1, "model", "FOCUS", r0);  // literals: the same names again
  b.AddProperty(n1, "colour", "RED", r0);
  auto built = std::move(b).Build(1);
  REQUIRE(built.ok());
  const std::shared_ptr<const Graph> g = *built;
  const auto v = g->Find(NodeKind::kVehicle, "N1");
  REQUIRE(v.has_value());
  std::vector<std::string> got;
  for (const PropertyView& p : g->properties(*v)) {
    got.push_back(std::string(p.name) + "=" + std::string(p.value));
  }
  CHECK(got == std::vector<std::string>{"colour=BLUE", "colour=RED", "make=FORD", "model=FOCUS"});
}

// The handle, record and label checks of the add calls (inline fast paths, reason out of line):
// the first misuse is Build's error, with the call and the bad value in its message.
TEST_CASE("add calls with handles the builder did not give fail Build with the reason") {
  // Record numbers, labels and handles start at 0: the bad ones below are 5, 3 and 9.
  auto first_error = [](int which) {
    GraphBuilder b;
    ExtractInfo pnc;
    pnc.source = Source::kPnc;
    const auto e = b.AddExtract(pnc);
    const LabelId label = b.InternLabel(Classification::kOfficial, "MPS", {});
    const RecordNo r0 = b.AddRecord(e, "R-1", 0);
    const GraphBuilder::Handle n = b.AddNode(NodeKind::kPerson, "P", label, r0);
    switch (which) {
      case 0:
        b.AddProperty(n, "name", "X", r0 + 5);
        break;
      case 1:
        b.AddNode(NodeKind::kPerson, "Q", static_cast<LabelId>(label + 3), r0);
        break;
      default:
        b.AssertNode(n + 9, label, r0);
        break;
    }
    b.AddProperty(n, "name", "Y", r0);  // valid: does not hide the first misuse
    auto g = std::move(b).Build(1);
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(g.status().message());
  };
  CHECK(first_error(0) == "AddProperty: record 5 was not returned by AddRecord");
  CHECK(first_error(1) == "AddNode: label 3 was not returned by InternLabel");
  CHECK(first_error(2) == "AssertNode: node handle 9 was not returned by AddNode");
}

}  // namespace
}  // namespace polegraph
