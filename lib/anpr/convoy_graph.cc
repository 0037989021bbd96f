// DeriveConvoyGraph: a new snapshot with the convoy pairs as TRAVELLED_WITH edges.
//
// How: copy every fact of the snapshot into a GraphBuilder (CopyGraphInto), add one extract
// "derived:convoys" of Source::kDerived and, per pair, one record naming the pair and the
// record ids of the reads that evidence it, and a TRAVELLED_WITH edge a -> b at the pair's
// first co-sighting, labelled with the most restrictive label of those reads (highest
// classification, union of caveats, the force of the earliest read). Then build.
// Cost: O(V + E + P) to copy, plus the build (sorting the edges).
// Reference: none.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "anpr/internal/reads.h"
#include "polegraph/anpr.h"

namespace polegraph {

absl::StatusOr<std::shared_ptr<const Graph>> DeriveConvoyGraph(const Graph& graph,
                                                               const ConvoyResult& convoys,
                                                               const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  for (const ConvoyPair& p : convoys.pairs) {
    if (p.a >= graph.num_nodes() || p.b >= graph.num_nodes() || p.reads.empty() ||
        graph.kind(p.a) != NodeKind::kPlate || graph.kind(p.b) != NodeKind::kPlate) {
      return absl::InvalidArgumentError(
          "DeriveConvoyGraph: the convoy result does not belong to this graph (a pair names "
          "a node that is not a plate, or has no reads); run FindConvoys on this graph");
    }
    for (const AnprRead& r : p.reads) {
      if (r.edge >= graph.num_edges() || graph.edge_kind()[r.edge] != EdgeKind::kSeenAt) {
        return absl::InvalidArgumentError(absl::StrCat("DeriveConvoyGraph: read edge ", r.edge,
                                                       " is not a SEEN_AT edge of this graph"));
      }
    }
  }
  GraphBuilder builder;
  absl::StatusOr<std::vector<GraphBuilder::Handle>> handles = CopyGraphInto(graph, builder);
  if (!handles.ok()) return handles.status();
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  if (convoys.pairs.empty()) return std::move(builder).Build(ctx.threads);  // a plain copy

  ExtractInfo info;
  info.path = "derived:convoys";
  info.source = Source::kDerived;
  info.extract_id = "convoys";
  info.record_count = convoys.pairs.size();
  const GraphBuilder::ExtractHandle extract = builder.AddExtract(std::move(info));
  for (std::size_t k = 0; k < convoys.pairs.size(); ++k) {
    const ConvoyPair& p = convoys.pairs[k];
    std::vector<std::string> ids;
    AccessLabel strictest = graph.label(graph.edge_label()[p.reads.front().edge]);
    for (const AnprRead& r : p.reads) {
      ids.emplace_back(graph.record(r.record).record_id);
      const AccessLabel l = graph.label(graph.edge_label()[r.edge]);
      strictest.classification = std::max(strictest.classification, l.classification);
      strictest.caveats |= l.caveats;
    }
    const std::string record_id =
        absl::StrCat("TRAVELLED_WITH ", anpr_internal::Sv(graph.key(p.a)), " ",
                     anpr_internal::Sv(graph.key(p.b)), " reads ", absl::StrJoin(ids, ","));
    const RecordNo record = builder.AddRecord(extract, record_id, k);
    std::vector<std::string> caveats;
    for (int bit = 0; bit < 32; ++bit) {
      if (strictest.caveats & (1u << bit)) caveats.emplace_back(graph.caveat_name(bit));
    }
    const LabelId label =
        builder.InternLabel(strictest.classification, graph.force_name(strictest.force), caveats);
    builder.AddEdge((*handles)[p.a], (*handles)[p.b], EdgeKind::kTravelledWith, p.first_time, label,
                    record);
  }
  return std::move(builder).Build(ctx.threads);
}

}  // namespace polegraph
