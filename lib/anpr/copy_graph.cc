// CopyGraphInto: adds every fact of a snapshot to a GraphBuilder, so that derived analyses
// (DeriveConvoyGraph) can build a new snapshot = old facts + derived edges.
//
// How: extracts, then records (mapping each RecordNo to the builder's provisional number),
// then labels re-interned by name, then nodes with each of their records, properties,
// positions and merges, then edges from the out-CSR, then metadata. Because GraphBuilder
// orders everything by content, building the copy alone reproduces the snapshot.
// Cost: O(V + E + P + M) for nodes, edges, properties and merges.
// Reference: none (a straight rebuild through the public accessors).
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "polegraph/anpr.h"

namespace polegraph {

absl::StatusOr<std::vector<GraphBuilder::Handle>> CopyGraphInto(const Graph& graph,
                                                                GraphBuilder& builder) {
  std::vector<GraphBuilder::ExtractHandle> extracts(graph.num_extracts());
  for (std::uint32_t i = 0; i < graph.num_extracts(); ++i) {
    extracts[i] = builder.AddExtract(graph.extract(i));
  }
  std::vector<RecordNo> records(graph.num_records());
  for (RecordNo r = 0; r < graph.num_records(); ++r) {
    const RecordInfo info = graph.record(r);
    if (info.extract >= extracts.size()) {
      return absl::DataLossError(
          absl::StrCat("record ", r, " names extract ", info.extract, " of ", extracts.size()));
    }
    records[r] = builder.AddRecord(extracts[info.extract], info.record_id, info.offset);
  }
  auto record = [&](RecordNo r) { return r < records.size() ? records[r] : kNoRecord; };
  std::vector<LabelId> labels(graph.num_single_labels());
  for (std::size_t l = 0; l < graph.num_single_labels(); ++l) {
    const AccessLabel label = graph.label(static_cast<LabelId>(l));
    std::vector<std::string> caveats;
    for (int bit = 0; bit < 32; ++bit) {
      if (label.caveats & (1u << bit)) caveats.emplace_back(graph.caveat_name(bit));
    }
    labels[l] = builder.InternLabel(label.classification, graph.force_name(label.force), caveats);
  }

  std::vector<GraphBuilder::Handle> handles(graph.num_nodes());
  for (NodeId v = 0; v < graph.num_nodes(); ++v) {
    const NodeKind kind = graph.kind(v);
    // A label set is re-created by asserting the node once under each member (the records
    // under the first: the set, not which record carried which member, is what is kept).
    const std::vector<LabelId> members = graph.label_members(graph.node_label(v));
    const LabelId label = labels[members.front()];
    const auto node_records = graph.node_records(v);
    if (node_records.empty()) {
      handles[v] = builder.AddNode(kind, graph.key(v), label, kNoRecord);
    }
    for (RecordNo r : node_records)
      handles[v] = builder.AddNode(kind, graph.key(v), label, record(r));
    for (std::size_t i = 1; i < members.size(); ++i) {
      builder.AddNode(kind, graph.key(v), labels[members[i]], kNoRecord);
    }
    for (const PropertyView& p : graph.properties(v)) {
      builder.AddProperty(handles[v], p.name, p.value, record(p.record));
    }
    const GeoPoint pos = graph.position(v);
    if (!std::isnan(pos.latitude) && !std::isnan(pos.longitude))
      builder.SetPosition(handles[v], pos);
    for (const MergeView& m : graph.merges(v)) {
      builder.AddMerge(handles[v], m.rule, record(m.record), m.explanation);
    }
  }
  const auto offsets = graph.out_offsets();
  const auto targets = graph.out_neighbours();
  for (NodeId v = 0; v < graph.num_nodes(); ++v) {
    for (EdgeIndex i = offsets[v]; i < offsets[v + 1]; ++i) {
      const auto e = static_cast<EdgeId>(i);
      builder.AddEdge(handles[v], handles[targets[i]], graph.edge_kind()[e], graph.edge_time()[e],
                      labels[graph.edge_label()[e]], record(graph.edge_record()[e]));
    }
  }
  for (const auto& [name, value] : graph.metadata()) builder.SetMetadata(name, value);
  return handles;
}

}  // namespace polegraph
