// quickstart: build a tiny POLE graph in code, save and reopen it, and list who is linked to
// an offence, with the record behind every link, as a caller with OFFICIAL clearance sees it.
//
//   person:16/0012345L --SUSPECT_IN--> offence:MPS/CR-1 <--ARRESTED_FOR-- person:18/0054321T
//   person:20/0000001E --SUSPECT_IN--> offence:MPS/CR-1      (SECRET intelligence)
//
// The third link comes from a SECRET record, so an OFFICIAL caller must not learn of it, nor
// of the person it names. Two ways to honour that are shown: a link analysis (links.h) with a
// QueryContext, which skips what the clearance does not cover inside the traversal, and the
// raw CSR tested against Graph::VisibleLabels (Graph's accessors apply no clearance).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "polegraph/graph.h"
#include "polegraph/io.h"
#include "polegraph/links.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

int main() {
  using namespace polegraph;
  GraphBuilder b;
  auto pnd = b.AddExtract({.path = "pnd.pb", .source = Source::kPnd, .force = "MPS"});
  RecordNo crime = b.AddRecord(pnd, "CRIME-1", 8);
  RecordNo intel = b.AddRecord(pnd, "INTEL-7", 512);
  LabelId official = b.InternLabel(Classification::kOfficial, "MPS", {});
  LabelId secret = b.InternLabel(Classification::kSecret, "MPS", {});
  auto alice = b.AddNode(NodeKind::kPerson, "16/0012345L", official, crime);
  auto bob = b.AddNode(NodeKind::kPerson, "18/0054321T", official, crime);
  auto carol = b.AddNode(NodeKind::kPerson, "20/0000001E", secret, intel);
  auto offence = b.AddNode(NodeKind::kOffence, "MPS/CR-1", official, crime);
  b.AddEdge(alice, offence, EdgeKind::kSuspectIn, 1700000000, official, crime);
  b.AddEdge(bob, offence, EdgeKind::kArrestedFor, 1700003600, official, crime);
  b.AddEdge(carol, offence, EdgeKind::kSuspectIn, 1700007200, secret, intel);
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
  absl::StatusOr<NodeId> offence_id = g.Resolve("offence:MPS/CR-1");
  if (!offence_id.ok()) {
    std::cerr << offence_id.status() << "\n";
    return 1;
  }

  // 1. A link analysis: everything within one hop of the offence, for an OFFICIAL caller (a
  //    default QueryContext: OFFICIAL, no caveats, all forces), with the record behind each link.
  QueryContext ctx{.user = "quickstart", .purpose = "example"};
  const NodeId subjects[] = {*offence_id};
  absl::StatusOr<LinkChart> chart = Neighbourhood(g, subjects, {.hops = 1}, ctx);
  if (!chart.ok()) {
    std::cerr << chart.status() << "\n";
    return 1;
  }
  std::cout << "clearance " << ClassificationName(ctx.clearance.level) << ": "
            << chart->edges.size() << " links to " << g.Name(*offence_id) << "\n";
  for (const LinkEdge& e : chart->edges) {
    std::cout << "link: " << e.from_name << " " << EdgeKindName(e.kind) << " " << e.to_name << " ("
              << SourceName(e.provenance.source) << " record " << e.provenance.record_id << ")\n";
  }

  // 2. The raw CSR, filtered by hand: an in-edge is shown only when the clearance covers it
  //    and the node at its other end.
  const std::vector<bool> visible = g.VisibleLabels(ctx.clearance);
  for (EdgeIndex i = g.in_offsets()[*offence_id]; i < g.in_offsets()[*offence_id + 1]; ++i) {
    const EdgeId e = g.in_edge()[i];
    const NodeId who = g.in_neighbours()[i];
    if (!visible[g.edge_label()[e]] || !visible[g.node_label(who)]) continue;
    const RecordInfo rec = g.record(g.edge_record()[e]);
    std::cout << "raw:  " << g.Name(who) << " " << EdgeKindName(g.edge_kind()[e]) << " "
              << g.Name(*offence_id) << " (" << SourceName(rec.source) << " record "
              << rec.record_id << ")\n";
  }
  return 0;
}
