// LinkChart assembly: names, kinds, times and provenance for the ids an analysis returns.
#include "links/chart.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace polegraph {

const LinkEdge* LinkChart::FindEdge(EdgeId e) const {
  auto it = std::lower_bound(edges.begin(), edges.end(), e,
                             [](const LinkEdge& a, EdgeId b) { return a.id < b; });
  return it != edges.end() && it->id == e ? &*it : nullptr;
}

const LinkNode* LinkChart::FindNode(NodeId v) const {
  auto it = std::lower_bound(nodes.begin(), nodes.end(), v,
                             [](const LinkNode& a, NodeId b) { return a.id < b; });
  return it != nodes.end() && it->id == v ? &*it : nullptr;
}

std::string PathCount::ToString() const {
  if (value == 0) return saturated ? ">=0" : "0";
  std::string digits;
  absl::uint128 v = value;
  while (v != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(absl::Uint128Low64(v % 10))));
    v /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return saturated ? absl::StrCat(">=", digits) : digits;
}

namespace links_internal {

LinkNode MakeNode(const Graph& g, NodeId v, std::uint32_t distance) {
  return LinkNode{.id = v, .name = g.Name(v), .kind = g.kind(v), .distance = distance};
}

LinkEdge MakeEdge(const Graph& g, EdgeId e) {
  LinkEdge edge;
  edge.id = e;
  edge.from = g.edge_source(e);
  edge.to = g.edge_target(e);
  edge.from_name = g.Name(edge.from);
  edge.to_name = g.Name(edge.to);
  edge.kind = g.edge_kind()[e];
  edge.time = g.edge_time()[e];
  const RecordNo r = g.edge_record()[e];
  edge.provenance.record = r;
  if (r != kNoRecord && r < g.num_records()) {
    const RecordInfo info = g.record(r);
    edge.provenance.source = info.source;
    edge.provenance.extract = g.extract(info.extract).path;
    edge.provenance.record_id = std::string(info.record_id);
    edge.provenance.offset = info.offset;
  }
  return edge;
}

LinkPath MakePath(const Graph& g, std::vector<NodeId> nodes, std::vector<EdgeId> edges) {
  LinkPath p;
  p.nodes = std::move(nodes);
  p.edges = std::move(edges);
  p.names.reserve(p.nodes.size());
  for (NodeId v : p.nodes) p.names.push_back(g.Name(v));
  return p;
}

LinkPath PathToNode(const Graph& g, const std::vector<StepKey>& parents, NodeId v) {
  std::vector<NodeId> nodes{v};
  std::vector<EdgeId> edges;
  for (StepKey k = parents[v]; k != kNoStep; k = parents[StepNode(k)]) {
    edges.push_back(StepEdge(k));
    nodes.push_back(StepNode(k));
  }
  std::reverse(nodes.begin(), nodes.end());
  std::reverse(edges.begin(), edges.end());
  return MakePath(g, std::move(nodes), std::move(edges));
}

void SetNodes(const Graph& g, const std::vector<NodeId>& ids,
              const std::function<std::uint32_t(NodeId)>& distance, LinkChart& chart) {
  chart.nodes.clear();
  chart.nodes.reserve(ids.size());
  for (NodeId v : ids) chart.nodes.push_back(MakeNode(g, v, distance(v)));
}

void SetEdges(const Graph& g, const std::vector<EdgeId>& ids, LinkChart& chart) {
  chart.edges.clear();
  chart.edges.reserve(ids.size());
  for (EdgeId e : ids) chart.edges.push_back(MakeEdge(g, e));
}

void AddPathItems(const Graph& g, LinkChart& chart,
                  const std::function<std::uint32_t(NodeId)>& distance) {
  std::vector<NodeId> nodes;
  std::vector<EdgeId> edges;
  for (const LinkNode& n : chart.nodes) nodes.push_back(n.id);
  for (const LinkEdge& e : chart.edges) edges.push_back(e.id);
  for (const LinkPath& p : chart.paths) {
    nodes.insert(nodes.end(), p.nodes.begin(), p.nodes.end());
    edges.insert(edges.end(), p.edges.begin(), p.edges.end());
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  SetNodes(g, nodes, distance, chart);
  SetEdges(g, edges, chart);
}

absl::StatusOr<std::vector<NodeId>> SortedSubjects(std::span<const NodeId> subjects,
                                                   const char* what) {
  if (subjects.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": no subjects given; name at least one"));
  }
  std::vector<NodeId> s(subjects.begin(), subjects.end());
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

}  // namespace links_internal
}  // namespace polegraph
