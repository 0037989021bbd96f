// Aggregation of the multilevel algorithms: one vertex per community, the weight between two
// communities the sum of the edge weights between their members, and each community's
// internal weight (over ordered pairs, plus its members' own loops) as its self-loop.
// Parallel over communities: members are taken in ascending id and their arcs in adjacency
// order, summed in a per-thread dense array, so every sum is formed in the same order at any
// thread count; the CSR is assembled by prefix sum. Cost: O(n + m); per thread n doubles.
#include <algorithm>

#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

LevelGraph Aggregate(const LevelGraph& lg, const std::vector<NodeId>& comm, std::uint32_t k,
                     int threads) {
  const NodeId n = lg.g.num_nodes();
  std::vector<EdgeIndex> start(static_cast<std::size_t>(k) + 1, 0);
  for (NodeId v = 0; v < n; ++v) ++start[comm[v] + 1];
  for (std::uint32_t c = 0; c < k; ++c) start[c + 1] += start[c];
  std::vector<NodeId> members(n);
  {
    std::vector<EdgeIndex> at(start.begin(), start.end() - 1);
    for (NodeId v = 0; v < n; ++v) members[at[comm[v]]++] = v;
  }
  LevelGraph out;
  out.loop.assign(k, 0.0);
  out.strength.assign(k, 0.0);
  std::vector<std::vector<std::pair<NodeId, double>>> rows(k);
  struct Scratch {
    std::vector<double> acc;
    std::vector<NodeId> touched;
  };
  PerThread<Scratch> scratch(threads);
  ParallelForDynamic(
      0, k, threads,
      [&](std::size_t c) {
        Scratch& s = scratch.local();
        if (s.acc.size() < k) s.acc.assign(k, 0.0);
        s.touched.clear();
        double loop = 0.0;
        for (EdgeIndex i = start[c]; i < start[c + 1]; ++i) {
          const NodeId v = members[i];
          loop += lg.loop[v];
          auto adj = lg.g.neighbours(v);
          auto w = lg.g.weights(v);
          for (std::size_t e = 0; e < adj.size(); ++e) {
            const NodeId d = comm[adj[e]];
            if (d == c) {
              loop += w[e];
              continue;
            }
            if (s.acc[d] == 0.0) s.touched.push_back(d);
            s.acc[d] += w[e];
          }
        }
        std::sort(s.touched.begin(), s.touched.end());
        auto& row = rows[c];
        row.reserve(s.touched.size());
        double strength = loop;
        for (NodeId d : s.touched) {
          row.push_back({d, s.acc[d]});
          strength += s.acc[d];
          s.acc[d] = 0.0;
        }
        out.loop[c] = loop;
        out.strength[c] = strength;
      },
      /*grain=*/16);
  std::vector<EdgeIndex> counts(k);
  for (std::uint32_t c = 0; c < k; ++c) counts[c] = rows[c].size();
  PrefixSum(counts, out.g.offsets, threads);
  out.g.targets.resize(out.g.offsets.back());
  out.g.arc_weights.resize(out.g.offsets.back());
  ParallelFor(0, k, threads, [&](std::size_t c) {
    EdgeIndex at = out.g.offsets[c];
    for (const auto& [d, w] : rows[c]) {
      out.g.targets[at] = d;
      out.g.arc_weights[at++] = w;
    }
  });
  for (double s : out.strength) out.two_m += s;
  return out;
}

}  // namespace polegraph::internal
