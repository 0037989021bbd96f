// WeightedGraph construction: arcs (u, v, w) in both directions, a parallel sort by
// (u, v, w), a sequential merge of repeated (u, v) that sums their weights in sorted order,
// and a CSR built by counting and prefix sum. The sort key is a total order on the arcs'
// values, so the arrays (and every floating-point sum) are the same at any thread count.
// Cost: O(m log m) work, 2m arcs of 16 bytes of scratch.
#include "polegraph/weighted_graph.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"

namespace polegraph {
namespace {

struct Arc {
  NodeId u, v;
  double w;
};

}  // namespace

absl::StatusOr<WeightedGraph> WeightedGraph::FromEdges(NodeId num_nodes,
                                                       std::span<const WeightedEdge> edges,
                                                       int threads) {
  std::vector<Arc> arcs;
  arcs.reserve(2 * edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const WeightedEdge& e = edges[i];
    if (e.u >= num_nodes || e.v >= num_nodes) {
      return absl::InvalidArgumentError(absl::StrCat("edge ", i, " (", e.u, ", ", e.v,
                                                     "): vertex out of range; the graph has ",
                                                     num_nodes, " vertices"));
    }
    if (!std::isfinite(e.weight) || e.weight <= 0.0) {
      return absl::InvalidArgumentError(absl::StrCat("edge ", i, " (", e.u, ", ", e.v, "): weight ",
                                                     e.weight, " is not finite and > 0"));
    }
    if (e.u == e.v) continue;
    arcs.push_back({e.u, e.v, e.weight});
    arcs.push_back({e.v, e.u, e.weight});
  }
  internal::ParallelSort(arcs, threads, [](const Arc& a, const Arc& b) {
    return std::tie(a.u, a.v, a.w) < std::tie(b.u, b.v, b.w);
  });
  WeightedGraph g;
  g.offsets.assign(static_cast<std::size_t>(num_nodes) + 1, 0);
  // The arrays are reserved for the distinct arcs exactly (growing by push_back kept up to
  // twice their size allocated).
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < arcs.size(); ++i) {
    distinct += i == 0 || arcs[i].u != arcs[i - 1].u || arcs[i].v != arcs[i - 1].v;
  }
  g.targets.reserve(distinct);
  g.arc_weights.reserve(distinct);
  for (std::size_t i = 0; i < arcs.size();) {
    std::size_t j = i;
    double w = 0.0;
    while (j < arcs.size() && arcs[j].u == arcs[i].u && arcs[j].v == arcs[i].v) w += arcs[j++].w;
    if (!std::isfinite(w)) {
      return absl::InvalidArgumentError(
          absl::StrCat("edge (", arcs[i].u, ", ", arcs[i].v, ") is repeated ", j - i,
                       " times and its weights sum past the range of a double"));
    }
    g.targets.push_back(arcs[i].v);
    g.arc_weights.push_back(w);
    ++g.offsets[arcs[i].u + 1];
    i = j;
  }
  for (std::size_t v = 0; v < num_nodes; ++v) g.offsets[v + 1] += g.offsets[v];
  return g;
}

absl::StatusOr<WeightedGraph> WeightedGraph::FromPlain(const PlainGraph& g, int threads) {
  std::vector<WeightedEdge> edges;
  edges.reserve(g.num_edges());
  for (NodeId u = 0; u < g.num_nodes(); ++u) {
    auto adj = g.out_neighbours(u);
    auto w = g.out_weights(u);
    for (std::size_t i = 0; i < adj.size(); ++i) {
      // An undirected PlainGraph stores each edge both ways: take it once.
      if (!g.directed() && adj[i] < u) continue;
      const double weight = w.empty() ? 1.0 : w[i];
      if (weight == 0.0) continue;
      edges.push_back({u, adj[i], weight});
    }
  }
  return FromEdges(g.num_nodes(), edges, threads);
}

}  // namespace polegraph
