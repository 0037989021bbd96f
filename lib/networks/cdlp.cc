// Graphalytics CDLP: community detection by synchronous label propagation.
//
// Raghavan, Albert, Kumara, "Near linear time algorithm to detect community structures in
// large-scale networks", Phys. Rev. E 76 (2007), made deterministic as the LDBC Graphalytics
// specification defines it: labels start as the vertices' own external ids; each iteration
// computes every new label from the previous iteration's labels only (double buffering), as
// the most frequent label among the in- and out-neighbours, the smallest label on a tie. In
// a directed graph a neighbour that is both an in- and an out-neighbour is counted twice
// (it occurs in both lists); in an undirected graph each neighbour counts once (counting it
// twice, as the specification's N_in = N_out reading does, doubles every count and picks the
// same label). A vertex without neighbours keeps its label.
//
// The histogram is a per-thread vector of the neighbours' labels, sorted, then scanned for
// the longest run. Each vertex's result depends only on the previous labels, so the output is
// the same at any thread count. ctx.Check() is polled between iterations.
// Cost: O(iterations * m log d); two int64 label arrays.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {

absl::StatusOr<std::vector<std::int64_t>> Cdlp(const PlainGraph& g, int iterations,
                                               const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (iterations < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("CDLP iterations must be >= 0, got ", iterations));
  }
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  std::vector<std::int64_t> label(g.external_ids()), next(n);
  internal::PerThread<std::vector<std::int64_t>> scratch(threads);
  for (int it = 0; it < iterations; ++it) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    internal::ParallelForDynamic(
        0, n, threads,
        [&](std::size_t i) {
          const NodeId v = static_cast<NodeId>(i);
          std::vector<std::int64_t>& seen = scratch.local();
          seen.clear();
          for (NodeId u : g.out_neighbours(v)) seen.push_back(label[u]);
          if (g.directed()) {
            for (NodeId u : g.in_neighbours(v)) seen.push_back(label[u]);
          }
          if (seen.empty()) {
            next[v] = label[v];
            return;
          }
          std::sort(seen.begin(), seen.end());
          std::int64_t best = seen[0];
          std::size_t best_count = 0;
          for (std::size_t a = 0; a < seen.size();) {
            std::size_t b = a + 1;
            while (b < seen.size() && seen[b] == seen[a]) ++b;
            if (b - a > best_count) {  // strictly more: ties keep the smaller (earlier) label
              best_count = b - a;
              best = seen[a];
            }
            a = b;
          }
          next[v] = best;
        },
        /*grain=*/256);
    label.swap(next);
  }
  return label;
}

}  // namespace polegraph::graphalytics
