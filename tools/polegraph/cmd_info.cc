// polegraph info G.pg [--text]
//
// Opens a snapshot (verifying its checksums) and reports counts by kind, bytes per node and
// per edge, the extracts it was built from, its access labels and build metadata.
#include <chrono>
#include <iostream>

#include "absl/strings/str_format.h"
#include "common/args.h"
#include "common/cli.h"
#include "common/format.h"
#include "common/graph_report.h"
#include "common/json.h"
#include "polegraph/commands.h"
#include "polegraph/io.h"

namespace polegraph::tools {

int RunInfo(int argc, char** argv) {
  Args args;
  args.Flag("text");
  if (absl::Status s = args.Parse(argc, argv); !s.ok() || args.positionals().size() != 1) {
    std::cerr << "usage: polegraph info G.pg [--text]\n";
    return 2;
  }
  const std::string path = args.positionals()[0];
  const auto start = std::chrono::steady_clock::now();
  auto graph = OpenForCli(path);
  if (!graph.ok()) {
    std::cerr << "polegraph info: " << graph.status().message() << "\n";
    return 1;
  }
  const double open_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Graph& g = **graph;
  const double bytes = static_cast<double>(g.memory_bytes());
  const double per_node = g.num_nodes() ? bytes / g.num_nodes() : 0.0;
  const double per_edge = g.num_edges() ? bytes / static_cast<double>(g.num_edges()) : 0.0;

  if (args.Has("text")) {
    std::cout << absl::StrFormat("snapshot   %s (opened in %.3f s)\n", path, open_seconds);
    PrintCountsText(g, std::cout);
    std::cout << absl::StrFormat("bytes      %.0f (%.1f per node, %.1f per edge)\n", bytes,
                                 per_node, per_edge);
    std::cout << absl::StrFormat("records    %d from %d extracts\n", g.num_records(),
                                 g.num_extracts());
    for (std::uint32_t i = 0; i < g.num_extracts(); ++i) {
      ExtractInfo e = g.extract(i);
      std::cout << absl::StrFormat("  %-30s %-4s force %s, extracted %s, %d records\n", e.path,
                                   SourceName(e.source), e.force, FormatUtc(e.extracted_at),
                                   e.record_count);
    }
    for (const auto& [name, value] : g.metadata()) {
      std::cout << absl::StrFormat("meta       %s = %s\n", name, value);
    }
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("snapshot", path);
  j.Field("open_seconds", open_seconds);
  WriteCountsJson(g, j);
  j.Key("bytes");
  j.BeginObject();
  j.Field("total", g.memory_bytes());
  j.Field("per_node", per_node);
  j.Field("per_edge", per_edge);
  j.Key("sections");
  j.BeginObject();
  for (const auto& [name, size] : g.section_bytes()) j.Field(name, size);
  j.EndObject();
  j.EndObject();
  j.Field("records", static_cast<std::uint64_t>(g.num_records()));
  j.Key("extracts");
  j.BeginArray();
  for (std::uint32_t i = 0; i < g.num_extracts(); ++i) {
    ExtractInfo e = g.extract(i);
    j.BeginObject();
    j.Field("path", e.path);
    j.Field("source", SourceName(e.source));
    j.Field("force", e.force);
    j.Field("extracted_at", FormatUtc(e.extracted_at));
    j.Field("extract_id", e.extract_id);
    j.Field("schema_version", static_cast<std::uint64_t>(e.schema_version));
    j.Field("records", e.record_count);
    j.EndObject();
  }
  j.EndArray();
  j.Key("labels");
  j.BeginArray();
  for (std::size_t i = 0; i < g.num_single_labels(); ++i) {
    AccessLabel l = g.label(static_cast<LabelId>(i));
    j.BeginObject();
    j.Field("classification", ClassificationName(l.classification));
    j.Field("force", g.force_name(l.force));
    j.Key("caveats");
    j.BeginArray();
    for (int b = 0; b < 32; ++b) {
      if (l.caveats & (1u << b)) j.String(g.caveat_name(b));
    }
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
  // Label sets (node labels of entities asserted under several markings): label id
  // num_single_labels + i is the set of the `labels` indexes listed at i.
  j.Key("label_sets");
  j.BeginArray();
  for (std::size_t i = g.num_single_labels(); i < g.num_labels(); ++i) {
    j.BeginArray();
    for (LabelId m : g.label_members(static_cast<LabelId>(i))) j.Uint(m);
    j.EndArray();
  }
  j.EndArray();
  j.Key("metadata");
  j.BeginObject();
  for (const auto& [name, value] : g.metadata()) j.Field(name, value);
  j.EndObject();
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
