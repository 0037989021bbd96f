// AllShortestPaths: the exact number of shortest paths between two entities, and the first of
// them in lexicographic order.
//
// How: a forward BFS from `from` (level_bfs.cc) stops after the level that reaches `to`
// (length L); a reverse BFS from `to` runs L levels. A node v lies on a shortest path exactly
// when d_from(v) + d_to(v) = L; those nodes, bucketed by d_from, form the shortest-path DAG.
// Path counts: sigma(from) = 1 and sigma(v) = sum of sigma(u) over admitted steps u -> v of the
// DAG (one per edge: parallel edges are different paths), level by level, each level's nodes
// in parallel. Counts are absl::uint128 and saturate at 2^128 - 1 (PathCount::saturated).
// Listing: a depth-first walk from `from` along DAG steps in increasing (node id, EdgeId)
// order yields paths in lexicographic order; it stops after max_results paths.
// Cost: O(n + m) for the searches and the count, plus O(listed paths * L * degree).
// Reference: U. Brandes, "A faster algorithm for betweenness centrality" (2001), for the
// path-count recurrence.
#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
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
using links_internal::PackStep;
using links_internal::StepEdge;
using links_internal::StepKey;
using links_internal::StepNode;

namespace {

// The DAG steps out of u towards level d_from(u) + 1, sorted by (node id, EdgeId).
std::vector<StepKey> DagSteps(const FilteredView& view, const LevelBfs& forward,
                              const LevelBfs& backward, std::uint32_t length, NodeId u) {
  std::vector<StepKey> steps;
  const std::uint32_t next = forward.dist(u) + 1;
  view.ForEachStep(u, /*reverse=*/false, [&](NodeId v, EdgeId e) {
    if (forward.dist(v) == next && backward.dist(v) == length - next) {
      steps.push_back(PackStep(v, e));
    }
  });
  std::sort(steps.begin(), steps.end());
  return steps;
}

}  // namespace

absl::StatusOr<PathResult> AllShortestPaths(const Graph& graph, NodeId from, NodeId to,
                                            const PathOptions& options,
                                            const QueryContext& ctx) {
  const NodeId ends[] = {from, to};
  auto view = FilteredView::Make(graph, options.filter, ctx, ends);
  if (!view.ok()) return view.status();
  PathResult result;
  LevelBfs forward(*view, /*reverse=*/false);
  forward.Start(std::span<const NodeId>(&from, 1));
  while (forward.dist(to) == kUnreached && forward.depth() < options.max_hops &&
         !forward.finished()) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    forward.Step();
  }
  const std::uint32_t length = forward.dist(to);
  if (length == kUnreached) return result;
  LevelBfs backward(*view, /*reverse=*/true);
  backward.Start(std::span<const NodeId>(&to, 1));
  if (absl::Status s = backward.Run(length, ctx); !s.ok()) return s;

  // The DAG's nodes by level (each level sorted by id).
  const int threads = ctx.threads;
  ThreadBuffers<std::pair<std::uint32_t, NodeId>> on_dag(threads);
  internal::ParallelFor(0, view->num_nodes(), threads, [&](std::size_t i) {
    const auto v = static_cast<NodeId>(i);
    const std::uint32_t df = forward.dist(v), db = backward.dist(v);
    if (df != kUnreached && db != kUnreached && df + db == length) {
      on_dag.local().push_back({df, v});
    }
  });
  std::vector<std::pair<std::uint32_t, NodeId>> dag;
  on_dag.Collect(dag, threads);
  std::sort(dag.begin(), dag.end());
  absl::flat_hash_map<NodeId, std::size_t> index;
  for (std::size_t i = 0; i < dag.size(); ++i) index[dag[i].second] = i;

  std::vector<absl::uint128> sigma(dag.size(), 0);
  sigma[0] = 1;  // dag[0] is `from`, the only node at level 0
  std::size_t level_begin = 1;
  for (std::uint32_t d = 1; d <= length; ++d) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    std::size_t level_end = level_begin;
    while (level_end < dag.size() && dag[level_end].first == d) ++level_end;
    internal::ParallelFor(
        level_begin, level_end, threads,
        [&](std::size_t i) {
          absl::uint128 sum = 0;
          view->ForEachStep(dag[i].second, /*reverse=*/true, [&](NodeId u, EdgeId) {
            if (forward.dist(u) == d - 1 && backward.dist(u) == length - d + 1) {
              sum = links_internal::SaturatingAdd(sum, sigma[index.at(u)]);
            }
          });
          sigma[i] = sum;
        },
        /*grain=*/64);
    level_begin = level_end;
  }
  result.hops = length;
  result.count = links_internal::MakeCount(sigma[index.at(to)]);

  // Lexicographic listing: an explicit depth-first stack of (sorted steps, next position).
  struct Frame {
    std::vector<StepKey> steps;
    std::size_t next = 0;
  };
  std::vector<NodeId> nodes{from};
  std::vector<EdgeId> edges;
  std::vector<Frame> stack;
  stack.push_back({DagSteps(*view, forward, backward, length, from)});
  const std::size_t cap = options.filter.max_results;
  if (length == 0) {
    result.chart.paths.push_back(links_internal::MakePath(graph, nodes, edges));
    stack.clear();
  }
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == top.steps.size()) {
      stack.pop_back();
      nodes.pop_back();
      if (!edges.empty()) edges.pop_back();
      continue;
    }
    const StepKey k = top.steps[top.next++];
    nodes.push_back(StepNode(k));
    edges.push_back(StepEdge(k));
    if (StepNode(k) == to) {
      if (result.chart.paths.size() == cap) {
        result.chart.truncated = true;
        break;
      }
      result.chart.paths.push_back(links_internal::MakePath(graph, nodes, edges));
      nodes.pop_back();
      edges.pop_back();
      continue;
    }
    stack.push_back({DagSteps(*view, forward, backward, length, StepNode(k))});
  }
  links_internal::AddPathItems(graph, result.chart, [&](NodeId v) { return forward.dist(v); });
  return result;
}

}  // namespace polegraph
