// Weighted label propagation, semi-synchronous: Raghavan, Albert, Kumara, "Near linear time
// algorithm to detect community structures in large-scale networks", Phys. Rev. E 76 (2007),
// scheduled as Cordasco & Gargano, "Community detection via semi-synchronous label
// propagation algorithms" (2010), which converges where the synchronous rule oscillates.
//
// Labels start as vertex ids. Vertices are greedily coloured (no two neighbours share a
// colour; the order seeded); each round visits the colour classes in turn, and every vertex
// of a class takes — from the labels as they stood before its class, in parallel — the label
// of greatest total edge weight among its neighbours, keeping its own label when that is among
// the best and otherwise the smallest best label. Stops after a round without change or after
// max_iterations rounds. The result does not depend on the thread count.
// Cost: O(m) per round; per thread one double array of n entries.
#include "networks/internal/communities.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

absl::StatusOr<Partition> LabelPropagation(const WeightedGraph& graph,
                                           const CommunityOptions& options,
                                           const QueryContext& ctx) {
  const NodeId n = graph.num_nodes();
  const int threads = ctx.threads;
  std::vector<NodeId> label(n), next(n);
  for (NodeId v = 0; v < n; ++v) label[v] = v;
  auto classes = ColourClasses(graph, Mix64(options.seed));
  struct Scratch {
    std::vector<double> acc;
    std::vector<NodeId> touched;
  };
  PerThread<Scratch> scratch(threads);
  int rounds = 0;
  for (int it = 0; it < options.max_iterations; ++it) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    ++rounds;
    std::uint64_t changed = 0;
    for (const std::vector<NodeId>& cls : classes) {
      ParallelForDynamic(
          0, cls.size(), threads,
          [&](std::size_t i) {
            const NodeId v = cls[i];
            Scratch& s = scratch.local();
            if (s.acc.size() < n) s.acc.assign(n, 0.0);
            s.touched.clear();
            auto adj = graph.neighbours(v);
            auto w = graph.weights(v);
            for (std::size_t e = 0; e < adj.size(); ++e) {
              const NodeId l = label[adj[e]];
              if (s.acc[l] == 0.0) s.touched.push_back(l);
              s.acc[l] += w[e];
            }
            NodeId best = label[v];
            double best_w = s.acc[label[v]];
            for (NodeId l : s.touched) {
              if (s.acc[l] > best_w || (s.acc[l] == best_w && best != label[v] && l < best)) {
                best_w = s.acc[l];
                best = l;
              }
            }
            for (NodeId l : s.touched) s.acc[l] = 0.0;
            next[v] = best;
          },
          /*grain=*/64);
      for (NodeId v : cls) {
        if (next[v] != label[v]) {
          label[v] = next[v];
          ++changed;
        }
      }
    }
    if (changed == 0) break;
  }
  return FinishPartition(graph, std::move(label), options.resolution, rounds, threads);
}

}  // namespace polegraph::internal
