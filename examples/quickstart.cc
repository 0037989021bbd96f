// quickstart: build a tiny POLE graph in code, save and reopen it, and list who is linked to
// an offence, with the record behind every link.
//
//   person:16/0012345N --SUSPECT_IN--> offence:MPS/CR-1 <--ARRESTED_FOR-- person:18/0054321P
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "polegraph/graph.h"
#include "polegraph/io.h"
#include "polegraph/types.h"

int main() {
  using namespace polegraph;
  GraphBuilder b;
  auto pnd = b.AddExtract({.path = "pnd.pb", .source = Source::kPnd, .force = "MPS"});
  RecordNo crime = b.AddRecord(pnd, "CRIME-1", 8);
  LabelId official = b.InternLabel(Classification::kOfficial, "MPS", {});
  auto alice = b.AddNode(NodeKind::kPerson, "16/0012345N", official, crime);
  auto bob = b.AddNode(NodeKind::kPerson, "18/0054321P", official, crime);
  auto offence = b.AddNode(NodeKind::kOffence, "MPS/CR-1", official, crime);
  b.AddEdge(alice, offence, EdgeKind::kSuspectIn, 1700000000, official, crime);
  b.AddEdge(bob, offence, EdgeKind::kArrestedFor, 1700003600, official, crime);
  auto built = std::move(b).Build(/*threads=*/1);
  if (!built.ok()) {
    std::cerr << built.status() << "\n";
    return 1;
  }
  const std::string path = (std::filesystem::temp_directory_path() / "quickstart.pg").string();
  if (absl::Status s = SaveSnapshot(**built, path); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  auto graph = OpenSnapshot(path);
  if (!graph.ok()) {
    std::cerr << graph.status() << "\n";
    return 1;
  }
  const Graph& g = **graph;
  // Everything linked to the offence, and the record behind each link.
  NodeId offence_id = *g.Resolve("offence:MPS/CR-1");
  for (EdgeIndex i = g.in_offsets()[offence_id]; i < g.in_offsets()[offence_id + 1]; ++i) {
    const EdgeId e = g.in_edge()[i];
    const RecordInfo rec = g.record(g.edge_record()[e]);
    std::cout << "link: " << g.Name(g.in_neighbours()[i]) << " " << EdgeKindName(g.edge_kind()[e])
              << " " << g.Name(offence_id) << " (" << SourceName(rec.source) << " record "
              << rec.record_id << ")\n";
  }
  return 0;
}
