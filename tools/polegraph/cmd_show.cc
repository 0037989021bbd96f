// polegraph show G.pg KIND:KEY [--limit N] [--text]
//
// One entity: its properties (each with the record that asserted it), its provenance, the
// merges that resolved records onto it, its access label, and its edges in both directions
// with kind, time, label and the source record behind each (up to --limit per direction,
// default 200; the totals are always reported).
#include <iostream>

#include "absl/strings/str_format.h"
#include "common/args.h"
#include "common/format.h"
#include "common/graph_report.h"
#include "common/json.h"
#include "polegraph/commands.h"
#include "polegraph/io.h"

namespace polegraph::tools {
namespace {

struct EdgeRow {
  EdgeId edge;
  NodeId other;
};

std::vector<EdgeRow> OutRows(const Graph& g, NodeId v) {
  std::vector<EdgeRow> rows;
  for (EdgeIndex e = g.out_offsets()[v]; e < g.out_offsets()[v + 1]; ++e) {
    rows.push_back({static_cast<EdgeId>(e), g.out_neighbours()[e]});
  }
  return rows;
}

std::vector<EdgeRow> InRows(const Graph& g, NodeId v) {
  std::vector<EdgeRow> rows;
  for (EdgeIndex i = g.in_offsets()[v]; i < g.in_offsets()[v + 1]; ++i) {
    rows.push_back({g.in_edge()[i], g.in_neighbours()[i]});
  }
  return rows;
}

void WriteEdges(const Graph& g, const std::vector<EdgeRow>& rows, std::size_t limit,
                const char* other_key, JsonWriter& j) {
  j.BeginArray();
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
    const EdgeId e = rows[i].edge;
    const RecordInfo rec = g.record(g.edge_record()[e]);
    j.BeginObject();
    j.Field("kind", EdgeKindName(g.edge_kind()[e]));
    j.Field(other_key, g.Name(rows[i].other));
    j.Field("time", FormatUtc(g.edge_time()[e]));
    j.Field("label", LabelText(g, g.edge_label()[e]));
    j.Key("provenance");
    j.BeginObject();
    j.Field("source", SourceName(rec.source));
    j.Field("extract", g.extract(rec.extract).path);
    j.Field("record_id", rec.record_id);
    j.Field("offset", rec.offset);
    j.EndObject();
    j.EndObject();
  }
  j.EndArray();
}

void PrintEdgesText(const Graph& g, const std::vector<EdgeRow>& rows, std::size_t limit,
                    const char* arrow) {
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
    const EdgeId e = rows[i].edge;
    std::cout << absl::StrFormat("  %s %-14s %-40s %-20s %s\n", arrow,
                                 EdgeKindName(g.edge_kind()[e]), g.Name(rows[i].other),
                                 FormatUtc(g.edge_time()[e]),
                                 RecordText(g, g.edge_record()[e]));
  }
  if (rows.size() > limit) {
    std::cout << absl::StrFormat("  ... %d more (use --limit)\n", rows.size() - limit);
  }
}

}  // namespace

int RunShow(int argc, char** argv) {
  Args args;
  args.Option("limit").Flag("text");
  absl::Status parsed = args.Parse(argc, argv);
  auto limit = args.Int("limit", 200);
  if (!parsed.ok() || args.positionals().size() != 2 || !limit.ok() || *limit < 0) {
    std::cerr << "usage: polegraph show G.pg KIND:KEY [--limit N] [--text]\n";
    if (!parsed.ok()) std::cerr << parsed.message() << "\n";
    return 2;
  }
  auto graph = OpenSnapshot(args.positionals()[0]);
  if (!graph.ok()) {
    std::cerr << "polegraph show: " << graph.status().message() << "\n";
    return 1;
  }
  const Graph& g = **graph;
  auto node = g.Resolve(args.positionals()[1]);
  if (!node.ok()) {
    std::cerr << "polegraph show: " << node.status().message() << "\n";
    return 1;
  }
  const NodeId v = *node;
  const auto n = static_cast<std::size_t>(*limit);
  const std::vector<EdgeRow> out = OutRows(g, v), in = InRows(g, v);

  if (args.Has("text")) {
    std::cout << g.Name(v) << "  (" << LabelText(g, g.node_label(v)) << ")\n";
    for (const PropertyView& p : g.properties(v)) {
      std::cout << absl::StrFormat("  %-20s %-40s %s\n", p.name, p.value, RecordText(g, p.record));
    }
    GeoPoint pos = g.position(v);
    if (pos.latitude == pos.latitude) {
      std::cout << absl::StrFormat("  %-20s %.6f, %.6f\n", "position", pos.latitude, pos.longitude);
    }
    std::cout << "records:\n";
    for (RecordNo r : g.node_records(v)) std::cout << "  " << RecordText(g, r) << "\n";
    for (const MergeView& m : g.merges(v)) {
      std::cout << absl::StrFormat("merged by %s: %s (%s)\n", MergeRuleName(m.rule),
                                   m.explanation, RecordText(g, m.record));
    }
    std::cout << absl::StrFormat("edges out: %d\n", out.size());
    PrintEdgesText(g, out, n, "->");
    std::cout << absl::StrFormat("edges in: %d\n", in.size());
    PrintEdgesText(g, in, n, "<-");
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("entity", g.Name(v));
  j.Field("kind", NodeKindName(g.kind(v)));
  j.Field("key", g.key(v));
  j.Field("label", LabelText(g, g.node_label(v)));
  j.Key("properties");
  j.BeginArray();
  for (const PropertyView& p : g.properties(v)) {
    j.BeginObject();
    j.Field("name", p.name);
    j.Field("value", p.value);
    j.Field("record", RecordText(g, p.record));
    j.EndObject();
  }
  j.EndArray();
  GeoPoint pos = g.position(v);
  if (pos.latitude == pos.latitude) {
    j.Key("position");
    j.BeginObject();
    j.Field("latitude", pos.latitude);
    j.Field("longitude", pos.longitude);
    j.EndObject();
  }
  j.Key("provenance");
  j.BeginArray();
  for (RecordNo r : g.node_records(v)) {
    RecordInfo rec = g.record(r);
    j.BeginObject();
    j.Field("source", SourceName(rec.source));
    j.Field("extract", g.extract(rec.extract).path);
    j.Field("record_id", rec.record_id);
    j.Field("offset", rec.offset);
    j.EndObject();
  }
  j.EndArray();
  j.Key("merges");
  j.BeginArray();
  for (const MergeView& m : g.merges(v)) {
    j.BeginObject();
    j.Field("rule", MergeRuleName(m.rule));
    j.Field("explanation", m.explanation);
    j.Field("record", RecordText(g, m.record));
    j.EndObject();
  }
  j.EndArray();
  j.Field("out_degree", static_cast<std::uint64_t>(out.size()));
  j.Key("out_edges");
  WriteEdges(g, out, n, "to", j);
  j.Field("in_degree", static_cast<std::uint64_t>(in.size()));
  j.Key("in_edges");
  WriteEdges(g, in, n, "from", j);
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
