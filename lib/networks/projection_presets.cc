// The preset meta-paths of person projections, the "co-offending,vehicles=0.5" parser, the
// Projection look-ups, and the offences a set of projected people is linked to
// (CommunityOffences).
#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "polegraph/networks.h"

namespace polegraph {
namespace {

MetaPath Symmetric(std::string name, std::vector<EdgeKind> edges, NodeKind via, double weight) {
  return MetaPath{
      std::move(name),
      NodeKind::kPerson,
      {{edges, StepDirection::kOut, via}, {edges, StepDirection::kIn, NodeKind::kPerson}},
      weight};
}

const std::vector<EdgeKind>& OffenceRoles() {
  static const std::vector<EdgeKind> kRoles = {EdgeKind::kSuspectIn, EdgeKind::kArrestedFor,
                                               EdgeKind::kConvictedOf};
  return kRoles;
}

}  // namespace

MetaPath CoOffending(double weight) {
  return Symmetric("co-offending", OffenceRoles(), NodeKind::kOffence, weight);
}

MetaPath SharedVehicles(double weight) {
  return Symmetric("vehicles", {EdgeKind::kKeeperOf, EdgeKind::kUsed}, NodeKind::kVehicle, weight);
}

MetaPath SharedAddresses(double weight) {
  return Symmetric("addresses", {EdgeKind::kResidesAt}, NodeKind::kLocation, weight);
}

MetaPath Associates(double weight) {
  return MetaPath{"associates",
                  NodeKind::kPerson,
                  {{{EdgeKind::kAssociateOf}, StepDirection::kBoth, NodeKind::kPerson}},
                  weight};
}

MetaPath CoTravel(double weight) {
  const std::vector<EdgeKind> use = {EdgeKind::kKeeperOf, EdgeKind::kUsed};
  return MetaPath{"co-travel",
                  NodeKind::kPerson,
                  {{use, StepDirection::kOut, NodeKind::kVehicle},
                   {{EdgeKind::kDisplays}, StepDirection::kOut, NodeKind::kPlate},
                   {{EdgeKind::kTravelledWith}, StepDirection::kBoth, NodeKind::kPlate},
                   {{EdgeKind::kDisplays}, StepDirection::kIn, NodeKind::kVehicle},
                   {use, StepDirection::kIn, NodeKind::kPerson}},
                  weight};
}

absl::StatusOr<std::vector<MetaPath>> ParseProjectionSpec(std::string_view spec) {
  std::vector<MetaPath> paths;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(spec.data(), spec.size()), ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, '=');
    double weight = 1.0;
    if (item.find('=') != absl::string_view::npos &&
        (!absl::SimpleAtod(kv.second, &weight) || !std::isfinite(weight) || weight <= 0.0)) {
      return absl::InvalidArgumentError(absl::StrCat("projection '", item, "': the weight '",
                                                     kv.second, "' is not a number > 0"));
    }
    const std::string name(kv.first);
    if (name == "co-offending") {
      paths.push_back(CoOffending(weight));
    } else if (name == "vehicles") {
      paths.push_back(SharedVehicles(weight));
    } else if (name == "addresses") {
      paths.push_back(SharedAddresses(weight));
    } else if (name == "associates") {
      paths.push_back(Associates(weight));
    } else if (name == "co-travel") {
      paths.push_back(CoTravel(weight));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "projection '", name,
          "' is unknown; use co-offending, vehicles, addresses, associates or co-travel"));
    }
    for (std::size_t i = 0; i + 1 < paths.size(); ++i) {
      if (paths[i].name == paths.back().name) {
        return absl::InvalidArgumentError(absl::StrCat("projection '", name, "' is given twice"));
      }
    }
  }
  if (paths.empty()) return absl::InvalidArgumentError("projection spec names no link type");
  return paths;
}

std::optional<NodeId> Projection::VertexOf(NodeId snapshot_node) const {
  auto it = std::lower_bound(nodes.begin(), nodes.end(), snapshot_node);
  if (it == nodes.end() || *it != snapshot_node) return std::nullopt;
  return static_cast<NodeId>(it - nodes.begin());
}

std::span<const EdgeId> Projection::Explain(NodeId a, NodeId b) const {
  if (a > b) std::swap(a, b);
  auto it = std::lower_bound(links.begin(), links.end(), std::make_pair(a, b),
                             [](const Link& l, const std::pair<NodeId, NodeId>& key) {
                               return std::make_pair(l.a, l.b) < key;
                             });
  if (it == links.end() || it->a != a || it->b != b) return {};
  return {evidence.data() + it->evidence_begin, evidence.data() + it->evidence_end};
}

absl::StatusOr<std::vector<NodeId>> CommunityOffences(const Graph& graph,
                                                      const Projection& projection,
                                                      std::span<const NodeId> members,
                                                      const ProjectionOptions& options,
                                                      const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  // Every member is checked before any is used: a bad id, or a projection of another snapshot
  // (its nodes out of range or of another kind here), would otherwise read out of bounds.
  const bool check_kind = !options.paths.empty();
  const NodeKind from = check_kind ? options.paths[0].from : NodeKind::kPerson;
  for (NodeId m : members) {
    if (m >= projection.nodes.size()) {
      return absl::InvalidArgumentError(absl::StrCat("CommunityOffences: member vertex ", m,
                                                     " is not a vertex of the projection (",
                                                     projection.nodes.size(), " vertices)"));
    }
    const NodeId p = projection.nodes[m];
    if (p >= graph.num_nodes() || (check_kind && graph.kind(p) != from)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "CommunityOffences: the projection does not come from this graph (its vertex ", m,
          " is snapshot node ", p, ", which is ",
          p >= graph.num_nodes()
              ? absl::StrCat("past the graph's ", graph.num_nodes(), " nodes")
              : absl::StrCat("of kind ", std::string(NodeKindName(graph.kind(p))), ", not ",
                             std::string(NodeKindName(from))),
          ")"));
    }
  }
  const std::vector<bool> visible = graph.VisibleLabels(ctx.clearance);
  std::vector<NodeId> out;
  for (NodeId m : members) {
    const NodeId p = projection.nodes[m];
    if (!visible[graph.node_label(p)]) continue;  // projected at another clearance
    for (EdgeIndex e = graph.out_offsets()[p]; e < graph.out_offsets()[p + 1]; ++e) {
      const EdgeKind k = graph.edge_kind()[e];
      if (k != EdgeKind::kSuspectIn && k != EdgeKind::kArrestedFor && k != EdgeKind::kConvictedOf &&
          k != EdgeKind::kVictimOf && k != EdgeKind::kWitnessTo) {
        continue;
      }
      const NodeId o = graph.out_neighbours()[e];
      const EdgeTime t = graph.edge_time()[e];
      const bool in_window = t == kUnknownTime ? options.include_unknown_time
                                               : (t >= options.time_from && t <= options.time_to);
      if (!in_window || !visible[graph.edge_label()[e]] || !visible[graph.node_label(o)]) continue;
      out.push_back(o);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace polegraph
