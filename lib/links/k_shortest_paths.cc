// KShortestPaths: the k shortest simple paths between two entities, by Yen's algorithm.
//
// How: paths are sequences of steps (node id, EdgeId) after the start, ordered by (hops,
// lexicographic step sequence) — a total order, so ties are broken the same way every run.
// A[0] is the smallest shortest path (lex_shortest_path.h). For each next path, every prefix
// ("root", ending at the spur node) of the last path found is tried: the edges that paths in A
// sharing that root take next are blocked, the root's other nodes are blocked (so the result
// stays simple), and the smallest shortest spur path completes the candidate. Candidates are
// kept in an ordered set (deduplicated); the smallest becomes the next path. With the spur
// search returning the smallest path in the same order, the paths come out exactly in the
// global order, ties included.
// Cost: O(k * max_hops) spur searches, each a BFS over the part of the view it explores.
// Sequential (spur searches are small and ordered); ctx.Check() before each spur search.
// Reference: J. Y. Yen, "Finding the K shortest loopless paths in a network", Management
// Science 17(11), 1971.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "links/chart.h"
#include "links/filtered_view.h"
#include "links/lex_shortest_path.h"
#include "polegraph/links.h"

namespace polegraph {

using links_internal::FilteredView;
using links_internal::LexShortestPath;
using links_internal::StepEdge;
using links_internal::StepKey;
using links_internal::StepNode;

namespace {

using Steps = std::vector<StepKey>;

struct ShorterFirst {
  bool operator()(const Steps& a, const Steps& b) const {
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
  }
};

}  // namespace

absl::StatusOr<PathResult> KShortestPaths(const Graph& graph, NodeId from, NodeId to,
                                          const PathOptions& options, const QueryContext& ctx) {
  if (options.k == 0) {
    return absl::InvalidArgumentError("KShortestPaths: k must be at least 1");
  }
  const NodeId ends[] = {from, to};
  auto view = FilteredView::Make(graph, options.filter, ctx, ends);
  if (!view.ok()) return view.status();
  const std::size_t k = std::min(options.k, options.filter.max_results);
  PathResult result;
  LexShortestPath search(*view);
  std::vector<std::uint8_t> blocked_nodes(view->num_nodes(), 0);
  absl::flat_hash_set<EdgeId> blocked_edges;

  std::vector<Steps> found;
  std::set<Steps, ShorterFirst> candidates;
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  if (auto first = search.Find(from, to, options.max_hops, blocked_nodes, blocked_edges)) {
    found.push_back(std::move(*first));
  }
  while (!found.empty() && found.size() < k) {
    const Steps last = found.back();
    for (std::size_t i = 0; i < last.size(); ++i) {
      if (absl::Status s = ctx.Check(); !s.ok()) return s;
      // Root: the first i steps of `last`; spur node: where it ends.
      const NodeId spur = i == 0 ? from : StepNode(last[i - 1]);
      blocked_edges.clear();
      for (const Steps& p : found) {
        if (p.size() > i && std::equal(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(i),
                                       last.begin())) {
          blocked_edges.insert(StepEdge(p[i]));
        }
      }
      blocked_nodes[from] = i > 0 ? 1 : 0;
      for (std::size_t j = 0; j + 1 < i; ++j) blocked_nodes[StepNode(last[j])] = 1;
      auto spur_path = search.Find(spur, to, options.max_hops - static_cast<std::uint32_t>(i),
                                   blocked_nodes, blocked_edges);
      blocked_nodes[from] = 0;
      for (std::size_t j = 0; j + 1 < i; ++j) blocked_nodes[StepNode(last[j])] = 0;
      if (!spur_path) continue;
      Steps candidate(last.begin(), last.begin() + static_cast<std::ptrdiff_t>(i));
      candidate.insert(candidate.end(), spur_path->begin(), spur_path->end());
      candidates.insert(std::move(candidate));
    }
    if (candidates.empty()) break;
    found.push_back(*candidates.begin());
    candidates.erase(candidates.begin());
  }
  if (found.size() == k && k < options.k) result.chart.truncated = true;

  for (const Steps& p : found) {
    std::vector<NodeId> nodes{from};
    std::vector<EdgeId> edges;
    for (StepKey s : p) {
      nodes.push_back(StepNode(s));
      edges.push_back(StepEdge(s));
    }
    result.chart.paths.push_back(links_internal::MakePath(graph, std::move(nodes),
                                                          std::move(edges)));
  }
  if (!found.empty()) {
    result.hops = static_cast<std::uint32_t>(found.front().size());
    result.count = links_internal::MakeCount(found.size());
  }
  // LinkNode::distance: the smallest position of the node along a listed path.
  links_internal::AddPathItems(graph, result.chart, [&](NodeId v) {
    std::uint32_t best = kUnreached;
    for (const LinkPath& p : result.chart.paths) {
      auto it = std::find(p.nodes.begin(), p.nodes.end(), v);
      if (it != p.nodes.end()) {
        best = std::min(best, static_cast<std::uint32_t>(it - p.nodes.begin()));
      }
    }
    return best;
  });
  return result;
}

}  // namespace polegraph
