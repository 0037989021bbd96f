// Two nearest distinct subjects of every node, by a label-carrying multi-source BFS.
//
// How: level-synchronous. The frontier holds (node, subject) labels set in the last level;
// each is offered to every admitted step's target as (target, subject) at the next distance.
// The offers of a level are collected in per-thread buffers, sorted and deduplicated, and
// applied in that order: a node accepts a subject it does not hold yet while it has fewer than
// two labels. Levels arrive in distance order, so the labels are the two nearest; the sort
// makes ties go to the smaller subject index at any thread count. A node's two nearest subjects
// come from its neighbours' two nearest, so carrying two labels is exact.
// Cost: each node forwards at most two labels: O(m) offers, O(m log m) for the sorts;
// 16 bytes per node. ctx.Check() between levels.
// Reference: the k-nearest-sources variant of multi-source BFS (e.g. M. Then et al., "The More
// the Merrier: Efficient Multi-Source Graph Traversal", VLDB 2014, for batching sources).
#include "links/nearest_two.h"

#include <algorithm>
#include <utility>

#include "links/thread_buffers.h"
#include "parallel/parallel.h"

namespace polegraph::links_internal {

absl::Status NearestTwoSubjects(const FilteredView& view, std::span<const NodeId> subjects,
                                bool reverse, std::uint32_t max_hops, const QueryContext& ctx,
                                std::vector<NearestTwo>& labels) {
  const int threads = view.threads();
  labels.assign(view.num_nodes(), NearestTwo{});
  using Label = std::pair<NodeId, std::uint32_t>;  // (node, subject index)
  std::vector<Label> frontier;
  for (std::uint32_t i = 0; i < subjects.size(); ++i) {
    labels[subjects[i]].subject[0] = i;
    labels[subjects[i]].dist[0] = 0;
    frontier.push_back({subjects[i], i});
  }
  ThreadBuffers<Label> offers(threads);
  std::vector<Label> offered;
  for (std::uint32_t depth = 0; depth < max_hops && !frontier.empty(); ++depth) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    internal::ParallelForDynamic(0, frontier.size(), threads, [&](std::size_t i) {
      const NodeId u = frontier[i].first;
      const std::uint32_t subject = frontier[i].second;
      view.ForEachStep(u, reverse, [&](NodeId v, EdgeId) {
        const NearestTwo& l = labels[v];  // read-only during the level
        if (l.subject[1] != kNoSubject || l.subject[0] == subject) return;
        offers.local().push_back({v, subject});
      });
    });
    offers.Collect(offered, threads);
    std::sort(offered.begin(), offered.end());
    offered.erase(std::unique(offered.begin(), offered.end()), offered.end());
    frontier.clear();
    for (const auto& [v, subject] : offered) {
      NearestTwo& l = labels[v];
      if (l.subject[1] != kNoSubject || l.subject[0] == subject) continue;
      const int slot = l.subject[0] == kNoSubject ? 0 : 1;
      l.subject[slot] = subject;
      l.dist[slot] = depth + 1;
      frontier.push_back({v, subject});
    }
  }
  return ctx.Check();
}

}  // namespace polegraph::links_internal
