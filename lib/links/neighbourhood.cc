// Neighbourhood: the k-hop neighbourhood of a set of subjects, with the edges among it.
//
// How: one multi-source direction-optimising BFS (level_bfs.cc) bounded by `hops`; the
// reached nodes are ranked by (distance, id) and cut at max_results; then every admitted edge
// whose two endpoints were kept is listed, whatever its direction (scanned from the out-CSR of
// each kept node, in parallel), cut at max_results by EdgeId.
// Cost: O(n + m) for the BFS, O(sum of kept out-degrees) for the edges.
#include <algorithm>
#include <utility>

#include "links/chart.h"
#include "links/filtered_view.h"
#include "links/level_bfs.h"
#include "links/thread_buffers.h"
#include "parallel/parallel.h"
#include "polegraph/links.h"

namespace polegraph {

using links_internal::FilteredView;
using links_internal::ThreadBuffers;
using links_internal::LevelBfs;

absl::StatusOr<LinkChart> Neighbourhood(const Graph& graph, std::span<const NodeId> subjects,
                                        const NeighbourhoodOptions& options,
                                        const QueryContext& ctx) {
  auto sorted = links_internal::SortedSubjects(subjects, "Neighbourhood");
  if (!sorted.ok()) return sorted.status();
  auto view = FilteredView::Make(graph, options.filter, ctx, *sorted);
  if (!view.ok()) return view.status();
  LevelBfs bfs(*view, /*reverse=*/false);
  bfs.Start(*sorted);
  if (absl::Status s = bfs.Run(options.hops, ctx); !s.ok()) return s;
  const std::vector<std::uint32_t>& dist = bfs.distances();
  const std::size_t cap = options.filter.max_results;
  const int threads = ctx.threads;

  // Reached nodes ranked by (distance, id): per-thread lists over id blocks, merged in order.
  ThreadBuffers<std::pair<std::uint32_t, NodeId>> reached(threads);
  internal::ParallelFor(0, dist.size(), threads, [&](std::size_t v) {
    if (dist[v] != kUnreached) reached.local().push_back({dist[v], static_cast<NodeId>(v)});
  });
  std::vector<std::pair<std::uint32_t, NodeId>> ranked;
  reached.Collect(ranked, threads);
  LinkChart chart;
  if (ranked.size() > cap) {
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(cap),
                     ranked.end());
    ranked.resize(cap);
    chart.truncated = true;
  }
  std::vector<NodeId> kept;
  kept.reserve(ranked.size());
  for (const auto& [d, v] : ranked) kept.push_back(v);
  std::sort(kept.begin(), kept.end());

  std::vector<std::uint8_t> in_chart(dist.size(), 0);
  for (NodeId v : kept) in_chart[v] = 1;
  const auto out_off = graph.out_offsets();
  const auto out_nbr = graph.out_neighbours();
  ThreadBuffers<EdgeId> found(threads);
  internal::ParallelForDynamic(0, kept.size(), threads, [&](std::size_t i) {
    const NodeId u = kept[i];
    for (EdgeIndex e = out_off[u]; e < out_off[u + 1]; ++e) {
      if (in_chart[out_nbr[e]] && view->edge_ok(static_cast<EdgeId>(e))) {
        found.local().push_back(static_cast<EdgeId>(e));
      }
    }
  });
  std::vector<EdgeId> edges;
  found.Collect(edges, threads);
  std::sort(edges.begin(), edges.end());
  if (edges.size() > cap) {
    edges.resize(cap);
    chart.truncated = true;
  }
  links_internal::SetNodes(graph, kept, [&](NodeId v) { return dist[v]; }, chart);
  links_internal::SetEdges(graph, edges, chart);
  return chart;
}

}  // namespace polegraph
