// The PageRank power iteration shared by the Graphalytics kernel (PlainGraph, unweighted,
// directed or not) and polegraph::PageRankCentrality (WeightedGraph, optionally weighted).
//
// Page, Brin, Motwani, Winograd, "The PageRank Citation Ranking" (1999):
//   PR_0(v) = 1/n,  PR_i(v) = (1 - d)/n + d * sum_{u in N_in(v)} w_uv PR_{i-1}(u) / W_out(u)
//                             + d/n * sum_{u dangling} PR_{i-1}(u),
// where W_out(u) is u's out-degree (or out-strength) and dangling vertices have W_out = 0.
// Pull formulation (GAP pr.cc): each vertex sums w_uv * contribution over its in-neighbours in
// adjacency order, no atomics. One fused pass per iteration: while a block of vertices pulls
// its new ranks it also stores their contributions PR(v)/W_out(v) for the next iteration and
// sums, per block, the dangling mass and the L1 change |PR_i - PR_{i-1}|; the block sums are
// added in block order. Blocks are fixed (kBlock vertices, whatever the thread count), so
// every floating-point operation happens in the same order at any thread count and the result
// is bit-identical. With tolerance > 0 the iteration stops early once the L1 change of an
// iteration is below it (the error to the fixed point is then below tolerance * d / (1 - d)).
// polegraph::PageRankCentrality with a tolerance uses the Chebyshev-accelerated iteration of
// pagerank_chebyshev.cc instead, with the same guarantee.
// Cost: O(iterations * (n + m)); four n-arrays (rank, two contribution buffers, W_out).
#ifndef POLEGRAPH_LIB_CENTRALITY_INTERNAL_PAGERANK_CORE_H_
#define POLEGRAPH_LIB_CENTRALITY_INTERNAL_PAGERANK_CORE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "parallel/parallel.h"
#include "polegraph/centrality.h"
#include "polegraph/query.h"
#include "polegraph/types.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::internal {

struct PageRankRun {
  std::vector<double> rank;
  int iterations = 0;        // iterations performed
  double last_change = 0.0;  // L1 change of the last iteration (0 when none ran)
};

// out_mass(v): W_out(v) as a double. pull(v, contrib): sum over in-neighbours u of
// w_uv * contrib[u], in a fixed order. Runs `iterations` iterations, or fewer when
// tolerance > 0 and an iteration changes the ranks by less than tolerance in L1.
template <typename OutMass, typename Pull>
absl::StatusOr<PageRankRun> PageRankSolve(NodeId n, int iterations, double damping,
                                          double tolerance, OutMass&& out_mass, Pull&& pull,
                                          const QueryContext& ctx) {
  constexpr std::size_t kBlock = 1024;  // small enough to balance 10^4 vertices on 2+ threads
  const int threads = ctx.threads;
  PageRankRun run;
  if (n == 0) return run;
  const double inv_n = 1.0 / static_cast<double>(n);
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> mass(n), contrib(n), next_contrib(n);
  run.rank.assign(n, inv_n);
  std::vector<double> block_dangling(blocks), block_change(blocks);
  ParallelFor(0, n, threads, [&](std::size_t v) {
    mass[v] = out_mass(static_cast<NodeId>(v));
    contrib[v] = mass[v] == 0.0 ? 0.0 : inv_n / mass[v];
  });
  double dangling = DeterministicSum<double>(
      n, threads, [&](std::size_t v) { return mass[v] == 0.0 ? inv_n : 0.0; }, kBlock);
  for (int it = 0; it < iterations; ++it) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const double base = (1.0 - damping) * inv_n + damping * inv_n * dangling;
    ParallelForDynamic(
        0, blocks, threads,
        [&](std::size_t b) {
          double dangle = 0.0, change = 0.0;
          const std::size_t hi = std::min<std::size_t>(n, (b + 1) * kBlock);
          for (std::size_t v = b * kBlock; v < hi; ++v) {
            const double r = base + damping * pull(static_cast<NodeId>(v), contrib);
            change += std::abs(r - run.rank[v]);
            run.rank[v] = r;
            if (mass[v] == 0.0) {
              dangle += r;
              next_contrib[v] = 0.0;
            } else {
              next_contrib[v] = r / mass[v];
            }
          }
          block_dangling[b] = dangle;
          block_change[b] = change;
        },
        /*grain=*/1);
    contrib.swap(next_contrib);
    dangling = 0.0;
    run.last_change = 0.0;
    for (std::size_t b = 0; b < blocks; ++b) {
      dangling += block_dangling[b];
      run.last_change += block_change[b];
    }
    run.iterations = it + 1;
    if (tolerance > 0.0 && run.last_change < tolerance) break;
  }
  return run;
}

// PageRankSolve with a fixed number of iterations; the ranks only.
template <typename OutMass, typename Pull>
absl::StatusOr<std::vector<double>> PageRankIterate(NodeId n, int iterations, double damping,
                                                    OutMass&& out_mass, Pull&& pull,
                                                    const QueryContext& ctx) {
  absl::StatusOr<PageRankRun> run =
      PageRankSolve(n, iterations, damping, /*tolerance=*/0.0, out_mass, pull, ctx);
  if (!run.ok()) return run.status();
  return std::move(run->rank);
}

// The two pulls of PageRankCentrality on a WeightedGraph (arcs in adjacency order):
// weighted, sum of w_uv * c[u] (W_out = strength); unweighted, sum of c[u] (W_out = degree).
inline double WeightedPull(const WeightedGraph& g, NodeId v, const double* c) {
  const EdgeIndex* off = g.offsets.data();
  const NodeId* adj = g.targets.data();
  const double* wt = g.arc_weights.data();
  double sum = 0.0;
  for (EdgeIndex e = off[v]; e < off[v + 1]; ++e) sum += wt[e] * c[adj[e]];
  return sum;
}
inline double UnweightedPull(const WeightedGraph& g, NodeId v, const double* c) {
  // Four partial sums: one chain of dependent additions would bound the loop at the latency
  // of an add per arc.
  const NodeId* adj = g.targets.data();
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  EdgeIndex e = g.offsets[v];
  const EdgeIndex end = g.offsets[v + 1];
  for (; e + 4 <= end; e += 4) {
    s0 += c[adj[e]];
    s1 += c[adj[e + 1]];
    s2 += c[adj[e + 2]];
    s3 += c[adj[e + 3]];
  }
  for (; e < end; ++e) s0 += c[adj[e]];
  return (s0 + s1) + (s2 + s3);
}
// W_out(v): strength (weighted) or degree.
inline double OutMass(const WeightedGraph& g, NodeId v, bool weighted) {
  if (!weighted) return static_cast<double>(g.degree(v));
  double s = 0.0;
  for (EdgeIndex e = g.offsets[v]; e < g.offsets[v + 1]; ++e) s += g.arc_weights[e];
  return s;
}

// PageRankCentrality with options.tolerance > 0 (pagerank_chebyshev.cc): the fixed point to
// within tolerance * d / (1 - d) in L1, by Chebyshev-accelerated iteration. options are
// validated by the caller.
absl::StatusOr<PageRankRun> PageRankChebyshev(const WeightedGraph& g,
                                              const PageRankOptions& options,
                                              const QueryContext& ctx);

// polegraph::PageRankCentrality with the iteration count and last L1 change (degree.cc):
// options are validated here. For the benchmark's counters.
absl::StatusOr<PageRankRun> SolvePageRank(const WeightedGraph& g, const PageRankOptions& options,
                                          const QueryContext& ctx);

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_CENTRALITY_INTERNAL_PAGERANK_CORE_H_
