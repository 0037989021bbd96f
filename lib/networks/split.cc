// Leiden's final split, restricted to the communities that can be disconnected, and a
// renumbering that also returns its map (session 8).
//
// Leiden ends every pass by splitting each community into its connected parts. Splitting the
// whole input (SplitDisconnected, level_graph.cc: a union-find over every arc) cost about 5 %
// of Leiden's CPU on LFR 10^6. Most of that is not needed:
// - A community can only fall apart when a vertex leaves it. Local moving moves a vertex only
//   into a community it has an edge to (the empty community is never a candidate, and no
//   neighbour of a vertex moves in the same colour class), so the community it joins stays
//   connected. leiden.cc marks ("suspects") the communities that lost a vertex at some level of
//   the pass and carries the marks up through renumbering and aggregation.
// - Every vertex of a level built from singletons stands for a connected set of input vertices
//   (refinement merges a vertex only into a sub-community it has an edge to), so a community
//   of the last level is connected in the input exactly when its vertices are connected in
//   that level's graph. The split then runs on the last level (LFR 10^6: 682 vertices instead
//   of 10^6), and on level 0 only when the pass ended there (a later pass that moved a few
//   vertices: only the few communities they left are searched).
// A pass whose level-0 refinement started from kept groups (leiden.cc) has level vertices
// that need not be connected; leiden.cc uses SplitDisconnected on level 0 there.
// SplitSuspects: the members of the suspect communities are bucketed by community (ascending
// vertex id), then each such community is searched breadth-first on its own thread (parallel
// over communities, largest first); the part holding the smallest member keeps the label,
// the other parts get new labels numbered in community order. The result does not depend on
// the thread count. Cost: O(n) plus the arcs of the suspect communities' members.
#include <algorithm>
#include <memory>

#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

std::uint32_t RenumberMap(std::vector<NodeId>& labels, std::vector<NodeId>& old_to_new) {
  NodeId max_label = 0;
  for (NodeId l : labels) max_label = std::max(max_label, l);
  old_to_new.assign(labels.empty() ? 0 : static_cast<std::size_t>(max_label) + 1, kNoVertex);
  std::uint32_t k = 0;
  for (NodeId& l : labels) {
    if (old_to_new[l] == kNoVertex) old_to_new[l] = k++;
    l = old_to_new[l];
  }
  return k;
}

std::uint32_t SplitSuspects(const WeightedGraph& g, std::vector<NodeId>& comm, std::uint32_t k,
                            std::span<const std::uint8_t> suspect, int threads) {
  const NodeId n = g.num_nodes();
  // Members of the suspect communities, bucketed by community in ascending vertex id.
  std::vector<NodeId> count(static_cast<std::size_t>(k) + 1, 0);
  NodeId total = 0;
  for (NodeId v = 0; v < n; ++v) {
    if (suspect[comm[v]]) {
      ++count[comm[v] + 1];
      ++total;
    }
  }
  if (total == 0) return k;
  std::vector<NodeId> bad;  // the suspect communities with at least two members
  for (std::uint32_t c = 0; c < k; ++c) {
    if (count[c + 1] > 1) bad.push_back(c);
    count[c + 1] += count[c];
  }
  std::vector<NodeId> members(total);
  {
    std::vector<NodeId> at(count.begin(), count.end() - 1);
    for (NodeId v = 0; v < n; ++v) {
      if (suspect[comm[v]]) members[at[comm[v]]++] = v;
    }
  }
  std::sort(bad.begin(), bad.end(), [&](NodeId a, NodeId b) {
    const NodeId sa = count[a + 1] - count[a], sb = count[b + 1] - count[b];
    return sa != sb ? sa > sb : a < b;
  });
  // part[v]: the index of v's part inside its community (kNoVertex: not reached yet). Only
  // the suspect communities' members are written and read.
  std::unique_ptr<NodeId[]> part(new NodeId[n]);
  for (NodeId v : members) part[v] = kNoVertex;
  std::vector<NodeId> parts(k, 1);
  PerThread<std::vector<NodeId>> queues(threads);
  ParallelForDynamic(
      0, bad.size(), threads,
      [&](std::size_t i) {
        const NodeId c = bad[i];
        std::vector<NodeId>& queue = queues.local();
        NodeId p = 0;
        for (NodeId at = count[c]; at < count[c + 1]; ++at) {
          const NodeId s = members[at];
          if (part[s] != kNoVertex) continue;
          part[s] = p;
          queue.assign(1, s);
          for (std::size_t head = 0; head < queue.size(); ++head) {
            for (NodeId u : g.neighbours(queue[head])) {
              if (comm[u] == c && part[u] == kNoVertex) {
                part[u] = p;
                queue.push_back(u);
              }
            }
          }
          ++p;
        }
        parts[c] = p;
      },
      /*grain=*/1);
  // Part 0 keeps its community's label; part j > 0 of community c becomes label
  // k + (extra parts of the communities before c) + j - 1.
  std::vector<NodeId> extra_before(k);
  NodeId extra = 0;
  for (std::uint32_t c = 0; c < k; ++c) {
    extra_before[c] = extra;
    extra += parts[c] - 1;
  }
  if (extra == 0) return k;
  ParallelFor(0, total, threads, [&](std::size_t i) {
    const NodeId v = members[i];
    const NodeId c = comm[v];
    if (part[v] > 0 && count[c + 1] - count[c] > 1) comm[v] = k + extra_before[c] + part[v] - 1;
  });
  return k + extra;
}

}  // namespace polegraph::internal
