// Counts of a snapshot by node kind and edge kind, as JSON fields or text lines; shared by
// `polegraph ingest` and `polegraph info`.
#ifndef POLEGRAPH_TOOLS_COMMON_GRAPH_REPORT_H_
#define POLEGRAPH_TOOLS_COMMON_GRAPH_REPORT_H_

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/json.h"
#include "polegraph/graph.h"

namespace polegraph::tools {

inline std::array<std::uint64_t, kNumEdgeKinds> EdgeKindCounts(const Graph& g) {
  std::array<std::uint64_t, kNumEdgeKinds> counts{};
  for (EdgeKind k : g.edge_kind()) ++counts[static_cast<std::size_t>(k)];
  return counts;
}

// Writes "nodes": {"total", "person", ...} and "edges": {"total", "KEEPER_OF", ...}.
inline void WriteCountsJson(const Graph& g, JsonWriter& j) {
  j.Key("nodes");
  j.BeginObject();
  j.Field("total", static_cast<std::uint64_t>(g.num_nodes()));
  for (int k = 0; k < kNumNodeKinds; ++k) {
    auto [first, last] = g.KindRange(static_cast<NodeKind>(k));
    j.Field(NodeKindName(static_cast<NodeKind>(k)), static_cast<std::uint64_t>(last - first));
  }
  j.EndObject();
  j.Key("edges");
  j.BeginObject();
  j.Field("total", static_cast<std::uint64_t>(g.num_edges()));
  auto counts = EdgeKindCounts(g);
  for (int k = 0; k < kNumEdgeKinds; ++k) {
    j.Field(EdgeKindName(static_cast<EdgeKind>(k)), counts[static_cast<std::size_t>(k)]);
  }
  j.EndObject();
}

// "OFFICIAL-SENSITIVE MPS [PERSONAL]": a label as people read it; a node's label set as its
// members joined by " | " (visible to whoever may see any of them).
inline std::string LabelText(const Graph& g, NodeLabelId id) {
  std::string s;
  for (LabelId member : g.label_members(id)) {
    if (!s.empty()) s += " | ";
    AccessLabel l = g.label(member);
    s += absl::StrFormat("%s %s", ClassificationName(l.classification), g.force_name(l.force));
    for (int b = 0; b < 32; ++b) {
      if (l.caveats & (1u << b)) s += absl::StrFormat(" [%s]", g.caveat_name(b));
    }
  }
  return s;
}

// "PNC MPS-PNC-2026-001 record NOM-123": where a record came from.
inline std::string RecordText(const Graph& g, RecordNo r) {
  RecordInfo info = g.record(r);
  return absl::StrFormat("%s %s record %s", SourceName(info.source), g.extract(info.extract).path,
                         info.record_id);
}

inline void PrintCountsText(const Graph& g, std::ostream& out) {
  out << absl::StrFormat("nodes      %d\n", g.num_nodes());
  for (int k = 0; k < kNumNodeKinds; ++k) {
    auto [first, last] = g.KindRange(static_cast<NodeKind>(k));
    out << absl::StrFormat("  %-16s %d\n", NodeKindName(static_cast<NodeKind>(k)), last - first);
  }
  out << absl::StrFormat("edges      %d\n", g.num_edges());
  auto counts = EdgeKindCounts(g);
  for (int k = 0; k < kNumEdgeKinds; ++k) {
    if (counts[static_cast<std::size_t>(k)] == 0) continue;
    out << absl::StrFormat("  %-16s %d\n", EdgeKindName(static_cast<EdgeKind>(k)),
                           counts[static_cast<std::size_t>(k)]);
  }
}

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_COMMON_GRAPH_REPORT_H_
