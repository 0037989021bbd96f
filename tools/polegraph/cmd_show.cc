// polegraph show G.pg KIND:KEY [--limit N] [--clearance LEVEL] [--caveats C,...]
//                               [--forces F,...] [--text]
//
// One entity: its properties (each with the record that asserted it), its provenance, the
// merges that resolved records onto it, its access label, and its edges in both directions
// with kind, time, label and the source record behind each (up to --limit per direction,
// default 200; the totals are always reported).
//
// Only what the clearance covers (default OFFICIAL, no caveats) is shown: an entity whose label
// it does not cover is reported exactly like one that does not exist; edges it does not cover,
// or that lead to such an entity, are left out (and out of the totals); so are the properties,
// provenance records and merges of a record it does not cover. A record's label is taken from
// the entity's edges that record asserted (ingest gives every fact of a record the record's
// marking); a record that asserted no edge of the entity is covered only when the caller may
// see every label of the entity (one label, or each member of its label set), so nothing of a
// record the caller may not see is ever shown.
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/args.h"
#include "common/cli.h"
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

// What the caller may see of one entity.
class View {
 public:
  View(const Graph& g, NodeId v, const Clearance& clearance)
      : g_(g), visible_(g.VisibleLabels(clearance)) {
    for (LabelId l : g.label_members(g.node_label(v))) every_label_ = every_label_ && visible_[l];
    // A record is covered when every edge of v it asserted is (see the file comment).
    auto note = [&](EdgeId e) {
      auto [it, added] = record_covered_.emplace(g.edge_record()[e], true);
      it->second = it->second && visible_[g.edge_label()[e]];
    };
    for (EdgeIndex e = g.out_offsets()[v]; e < g.out_offsets()[v + 1]; ++e) {
      note(static_cast<EdgeId>(e));
      if (Edge(static_cast<EdgeId>(e), g.out_neighbours()[e])) {
        out_.push_back({static_cast<EdgeId>(e), g.out_neighbours()[e]});
      }
    }
    for (EdgeIndex i = g.in_offsets()[v]; i < g.in_offsets()[v + 1]; ++i) {
      note(g.in_edge()[i]);
      if (Edge(g.in_edge()[i], g.in_neighbours()[i])) {
        in_.push_back({g.in_edge()[i], g.in_neighbours()[i]});
      }
    }
  }
  bool Node(NodeId v) const { return visible_[g_.node_label(v)]; }
  bool Record(RecordNo r) const {
    auto it = record_covered_.find(r);
    return it == record_covered_.end() ? every_label_ : it->second;
  }
  const std::vector<EdgeRow>& out() const { return out_; }
  const std::vector<EdgeRow>& in() const { return in_; }

 private:
  bool Edge(EdgeId e, NodeId other) const { return visible_[g_.edge_label()[e]] && Node(other); }

  const Graph& g_;
  std::vector<bool> visible_;
  bool every_label_ = true;  // the caller may see every label of the entity
  std::map<RecordNo, bool> record_covered_;
  std::vector<EdgeRow> out_, in_;
};

// The node named "kind:key" when it exists and the clearance covers it; one that exists but is
// hidden gets the same NotFound as one that does not, so hidden data is not revealed.
absl::StatusOr<NodeId> ResolveVisible(const Graph& g, const std::string& name,
                                      const Clearance& clearance) {
  absl::StatusOr<NodeId> v = g.Resolve(name);
  if (v.ok() && g.VisibleLabels(clearance)[g.node_label(*v)]) return *v;
  if (!v.ok() && v.status().code() == absl::StatusCode::kInvalidArgument) return v.status();
  return absl::NotFoundError(
      absl::StrCat("no entity '", name, "' (or not visible at this clearance)"));
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
  DeclareClearanceOptions(args);
  absl::Status parsed = args.Parse(argc, argv);
  auto limit = args.Int("limit", 200);
  absl::StatusOr<Clearance> clearance = ParseClearance(args);
  if (!parsed.ok() || args.positionals().size() != 2 || !limit.ok() || *limit < 0 ||
      !clearance.ok()) {
    std::cerr << "usage: polegraph show G.pg KIND:KEY [--limit N] " << kClearanceUsage
              << " [--text]\n"
              << kClearanceHelp;
    if (!parsed.ok()) std::cerr << parsed.message() << "\n";
    if (parsed.ok() && !clearance.ok()) std::cerr << clearance.status().message() << "\n";
    return 2;
  }
  auto graph = OpenForCli(args.positionals()[0]);
  if (!graph.ok()) return Fail("show", graph.status());
  const Graph& g = **graph;
  auto node = ResolveVisible(g, args.positionals()[1], *clearance);
  if (!node.ok()) return Fail("show", node.status());
  const NodeId v = *node;
  const auto n = static_cast<std::size_t>(*limit);
  const View view(g, v, *clearance);
  const std::vector<EdgeRow>& out = view.out();
  const std::vector<EdgeRow>& in = view.in();

  if (args.Has("text")) {
    std::cout << g.Name(v) << "  (" << LabelText(g, g.node_label(v)) << ")\n";
    for (const PropertyView& p : g.properties(v)) {
      if (!view.Record(p.record)) continue;
      std::cout << absl::StrFormat("  %-20s %-40s %s\n", p.name, p.value, RecordText(g, p.record));
    }
    GeoPoint pos = g.position(v);
    if (pos.latitude == pos.latitude) {
      std::cout << absl::StrFormat("  %-20s %.6f, %.6f\n", "position", pos.latitude, pos.longitude);
    }
    std::cout << "records:\n";
    for (RecordNo r : g.node_records(v)) {
      if (view.Record(r)) std::cout << "  " << RecordText(g, r) << "\n";
    }
    for (const MergeView& m : g.merges(v)) {
      if (!view.Record(m.record)) continue;
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
    if (!view.Record(p.record)) continue;
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
    if (!view.Record(r)) continue;
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
    if (!view.Record(m.record)) continue;
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
