// ConnectingNetwork: every node and edge on a walk of at most K hops between two different
// subjects, and the subjects left unconnected.
//
// How: a node v is on such a walk for subjects s != t exactly when d(s, v) + d(v, t) <= K (a
// shortest s-v path followed by a shortest v-t path), and an edge step u -> v when
// d(s, u) + 1 + d(v, t) <= K. The minimum over s != t only needs each node's two nearest
// distinct subjects (if the best s is not among u's two nearest, one of those is at least as
// near and differs from t), so one label-carrying multi-source BFS per direction
// (nearest_two.cc) replaces a BFS per subject: O(n) memory whatever the number of subjects.
// With Direction::kBoth the two directions coincide and one search serves both. A subject is
// connected when another subject is within K hops of it (its second label, either direction).
// Note the criterion is about walks: a node on a dead-end branch within reach of two subjects
// (s -> x -> v -> x -> t) counts, as in the usual "connecting subgraph" of link charts.
// Cost: O(K * m) work for the searches and one pass over the reached nodes' steps.
#include <algorithm>
#include <vector>

#include "links/chart.h"
#include "links/filtered_view.h"
#include "links/nearest_two.h"
#include "links/thread_buffers.h"
#include "parallel/parallel.h"
#include "polegraph/links.h"

namespace polegraph {

using links_internal::BestPair;
using links_internal::FilteredView;
using links_internal::ThreadBuffers;
using links_internal::kNoSubject;
using links_internal::NearestTwo;

absl::StatusOr<NetworkResult> ConnectingNetwork(const Graph& graph,
                                                std::span<const NodeId> subjects,
                                                const NetworkOptions& options,
                                                const QueryContext& ctx) {
  auto sorted = links_internal::SortedSubjects(subjects, "ConnectingNetwork");
  if (!sorted.ok()) return sorted.status();
  auto view = FilteredView::Make(graph, options.filter, ctx, *sorted);
  if (!view.ok()) return view.status();
  const std::uint32_t k = options.max_hops;
  std::vector<NearestTwo> from_subject, to_subject_storage;
  if (absl::Status s = links_internal::NearestTwoSubjects(*view, *sorted, /*reverse=*/false, k,
                                                          ctx, from_subject);
      !s.ok()) {
    return s;
  }
  const bool symmetric = options.filter.direction == Direction::kBoth;
  if (!symmetric) {
    if (absl::Status s = links_internal::NearestTwoSubjects(*view, *sorted, /*reverse=*/true, k,
                                                            ctx, to_subject_storage);
        !s.ok()) {
      return s;
    }
  }
  const std::vector<NearestTwo>& to_subject = symmetric ? from_subject : to_subject_storage;
  const int threads = ctx.threads;

  NetworkResult result;
  result.subjects = *sorted;
  for (NodeId s : *sorted) {
    if (from_subject[s].subject[1] == kNoSubject && to_subject[s].subject[1] == kNoSubject) {
      result.unconnected.push_back(s);
    }
  }
  ThreadBuffers<NodeId> node_buf(threads);
  ThreadBuffers<EdgeId> edge_buf(threads);
  internal::ParallelForDynamic(
      0, view->num_nodes(), threads,
      [&](std::size_t i) {
        const auto u = static_cast<NodeId>(i);
        const NearestTwo& f = from_subject[u];
        if (f.subject[0] == kNoSubject) return;
        if (BestPair(f, to_subject[u]) <= k) node_buf.local().push_back(u);
        if (k == 0) return;
        view->ForEachStep(u, /*reverse=*/false, [&](NodeId v, EdgeId e) {
          if (BestPair(f, to_subject[v]) <= k - 1) edge_buf.local().push_back(e);
        });
      },
      /*grain=*/1024);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  std::vector<NodeId> nodes;
  std::vector<EdgeId> edges;
  node_buf.Collect(nodes, threads);
  edge_buf.Collect(edges, threads);
  nodes.insert(nodes.end(), sorted->begin(), sorted->end());
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  const std::size_t cap = options.filter.max_results;
  if (nodes.size() > cap) {
    nodes.resize(cap);
    result.chart.truncated = true;
    // Keep only edges between listed nodes, so the chart stays self-contained.
    std::erase_if(edges, [&](EdgeId e) {
      return !std::binary_search(nodes.begin(), nodes.end(), graph.edge_source(e)) ||
             !std::binary_search(nodes.begin(), nodes.end(), graph.edge_target(e));
    });
  }
  if (edges.size() > cap) {
    edges.resize(cap);
    result.chart.truncated = true;
  }
  links_internal::SetNodes(graph, nodes, [&](NodeId v) {
    return std::min(from_subject[v].dist[0], to_subject[v].dist[0]);
  }, result.chart);
  links_internal::SetEdges(graph, edges, result.chart);
  return result;
}

}  // namespace polegraph
