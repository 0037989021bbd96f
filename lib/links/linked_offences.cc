// LinkedOffences: other offences linked to an offence through people, vehicles, plates or
// locations, ranked by distance and then by number of shortest paths, each with a path that
// explains the link.
//
// How: one direction-optimising BFS (level_bfs.cc) from the offence, bounded by max_hops, in
// which every other offence is *terminal* (reached, never expanded): links run through the
// non-offence entities the filter admits. Shortest routes are counted level by level:
// sigma(source) = 1, sigma(v) = sum of sigma(u) over the distinct expandable nodes u one level
// nearer with an admitted step u -> v (Brandes' recurrence over nodes, not edges: several
// records joining the same two entities are one route, so the rank reflects independent lines
// of linkage, not duplicate records; parallel within a level, saturating 128-bit).
// Offences reached are ranked by (hops, -paths, id); the explanation is the BFS parent chain
// (smallest (node id, EdgeId) parents), so it is one of the counted shortest paths.
// Cost: O(n + m) work, O(n) memory (16 bytes per node for the counts).
#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
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

absl::StatusOr<LinkedOffencesResult> LinkedOffences(const Graph& graph, NodeId offence,
                                                    const LinkedOffencesOptions& options,
                                                    const QueryContext& ctx) {
  TraversalFilter filter = options.filter;
  const auto offence_bit = static_cast<std::size_t>(NodeKind::kOffence);
  filter.node_kinds.set(offence_bit);  // offences are admitted as endpoints
  const NodeId source[] = {offence};
  auto view = FilteredView::Make(graph, filter, ctx, source);
  if (!view.ok()) return view.status();
  if (graph.kind(offence) != NodeKind::kOffence) {
    return absl::InvalidArgumentError(absl::StrCat("LinkedOffences: ", graph.Name(offence),
                                                   " is not an offence; name an offence:KEY"));
  }
  const int threads = ctx.threads;
  const auto [first, last] = graph.KindRange(NodeKind::kOffence);
  std::vector<std::uint8_t> terminal(view->num_nodes(), 0);
  internal::ParallelFor(first, last, threads, [&](std::size_t v) { terminal[v] = 1; });
  terminal[offence] = 0;
  LevelBfs bfs(*view, /*reverse=*/false, &terminal);
  bfs.Start(source);
  if (absl::Status s = bfs.Run(options.max_hops, ctx); !s.ok()) return s;

  // Nodes by level (order inside a level does not matter: each node sums its own count).
  ThreadBuffers<std::pair<std::uint32_t, NodeId>> reached_buf(threads);
  internal::ParallelFor(0, view->num_nodes(), threads, [&](std::size_t v) {
    const std::uint32_t d = bfs.dist(static_cast<NodeId>(v));
    if (d != kUnreached && d > 0) reached_buf.local().push_back({d, static_cast<NodeId>(v)});
  });
  std::vector<std::pair<std::uint32_t, NodeId>> reached;
  reached_buf.Collect(reached, threads);
  std::sort(reached.begin(), reached.end());
  std::vector<absl::uint128> sigma(view->num_nodes(), 0);
  sigma[offence] = 1;
  for (std::size_t begin = 0; begin < reached.size();) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const std::uint32_t d = reached[begin].first;
    std::size_t end = begin;
    while (end < reached.size() && reached[end].first == d) ++end;
    internal::ParallelFor(
        begin, end, threads,
        [&](std::size_t i) {
          const NodeId v = reached[i].second;
          // Each predecessor once, however many parallel edges join it to v.
          std::vector<NodeId> preds;
          view->ForEachStep(v, /*reverse=*/true, [&](NodeId u, EdgeId) {
            if (bfs.dist(u) == d - 1 && terminal[u] == 0) preds.push_back(u);
          });
          std::sort(preds.begin(), preds.end());
          preds.erase(std::unique(preds.begin(), preds.end()), preds.end());
          absl::uint128 sum = 0;
          for (NodeId u : preds) sum = links_internal::SaturatingAdd(sum, sigma[u]);
          sigma[v] = sum;
        },
        /*grain=*/256);
    begin = end;
  }

  LinkedOffencesResult result;
  std::vector<std::tuple<std::uint32_t, absl::uint128, NodeId>> ranked;
  for (const auto& [d, v] : reached) {
    if (v >= first && v < last) ranked.push_back({d, sigma[v], v});
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) > std::get<1>(b);
    return std::get<2>(a) < std::get<2>(b);
  });
  if (ranked.size() > options.filter.max_results) {
    ranked.resize(options.filter.max_results);
    result.truncated = true;
    result.chart.truncated = true;
  }
  const std::vector<links_internal::StepKey> parents = std::move(bfs).TakeParents();
  for (const auto& [d, count, v] : ranked) {
    LinkedOffence o;
    o.offence = v;
    o.name = graph.Name(v);
    o.hops = d;
    o.paths = links_internal::MakeCount(count);
    o.explanation = links_internal::PathToNode(graph, parents, v);
    result.chart.paths.push_back(o.explanation);
    result.offences.push_back(std::move(o));
  }
  const std::vector<std::uint32_t>& dist = bfs.distances();
  links_internal::AddPathItems(graph, result.chart, [&](NodeId v) { return dist[v]; });
  return result;
}

}  // namespace polegraph
