// PageRank to a tolerance on an undirected graph: Chebyshev-accelerated iteration.
//
// PageRankCentrality with options.tolerance > 0 asks for the fixed point of
//   x(v) = (1 - d)/n + d/n * sum_{u dangling} x(u) + d * sum_{u in N(v)} w_uv x(u) / W_out(u)
// (within a stated L1 error), not for a number of power iterations (pagerank_core.h), so it
// may get there another way. On an undirected graph the dangling vertices are exactly the
// isolated ones; each of them has rank base = (1 - d)/n + d/n * D and D = (isolated) * base,
// so base = (1 - d)/n / (1 - d * isolated/n) is known up front, and the other vertices solve
// x = T x + c with T = d * W S^-1 (S: W_out on the diagonal). T is similar to the symmetric
// d * S^-1/2 W S^-1/2, so its eigenvalues are real and in [-d, d]. The power iteration
// reduces an error mode of eigenvalue mu by |mu| per iteration: bipartite pieces (stars and
// trees hanging off Kronecker graphs, small components) have mu = -d and converge at only d
// per iteration (0.85: Kronecker 20 took 102 iterations to an L1 change of 1e-13).
// Chebyshev semi-iteration (Golub & Varga 1961; Saad, "Iterative methods for sparse linear
// systems", 2003, §12.3) over the interval [-d, d] reduces every mode by at least
// r = d / (1 + sqrt(1 - d^2)) per step (0.557 at d = 0.85):
//   x_1 = T x_0 + c,   x_{k+1} = w_{k+1} (T x_k + c - x_{k-1}) + x_{k-1},
//   w_2 = 1 / (1 - d^2/2),   w_{k+1} = 1 / (1 - d^2 w_k / 4).
// The start gives the isolated vertices base and the others an equal share of the rest, so
// every connected component starts with its final total (on an undirected graph a
// component's PageRank mass is proportional to its size) and each step keeps the totals.
//
// Stopping keeps PageRankOptions' guarantee: each step computes y = T x_k + c for every vertex
// (the power iteration's step from x_k) and its L1 change |y - x_k|; once that is below the
// tolerance, y is returned, and its L1 distance to the exact PageRank is below
// tolerance * d / (1 - d), as for the power iteration. options.iterations caps the steps.
// Every vertex's operations are fixed and the L1 and mass sums go by fixed blocks of kBlock
// vertices in block order, so the result is bit-identical at any thread count.
// Cost: O(n + m) per step; five n-arrays (y, x_k, x_{k-1}, two contribution buffers) and W_out.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "centrality/internal/pagerank_core.h"
#include "parallel/parallel.h"

namespace polegraph::internal {
namespace {

constexpr std::size_t kBlock = 1024;

template <typename Pull>
absl::StatusOr<PageRankRun> Iterate(const WeightedGraph& g, const PageRankOptions& options,
                                    Pull&& pull, const QueryContext& ctx) {
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  const double d = options.damping;
  const double inv_n = 1.0 / static_cast<double>(n);
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> mass(n);
  ParallelFor(0, n, threads, [&](std::size_t v) {
    mass[v] = OutMass(g, static_cast<NodeId>(v), options.weighted);
  });
  const double isolated = DeterministicSum<double>(
      n, threads, [&](std::size_t v) { return mass[v] == 0.0 ? 1.0 : 0.0; }, kBlock);
  PageRankRun run;
  if (isolated == static_cast<double>(n)) {  // no edges: every rank is 1/n
    run.rank.assign(n, inv_n);
    return run;
  }
  const double base = (1.0 - d) * inv_n / (1.0 - d * isolated * inv_n);
  const double share = (1.0 - isolated * base) / (static_cast<double>(n) - isolated);
  // The constant term for a vertex with edges: (1 - d)/n + d/n * D.
  const double teleport = (1.0 - d) * inv_n + d * inv_n * (isolated * base);
  std::vector<double> x(n), x_prev(n), contrib(n), next_contrib(n);
  run.rank.resize(n);
  ParallelFor(0, n, threads, [&](std::size_t v) {
    x[v] = mass[v] == 0.0 ? base : share;
    contrib[v] = mass[v] == 0.0 ? 0.0 : share / mass[v];
  });
  std::vector<double> block_change(blocks);
  double w = 1.0;  // w_1: the first step is a plain one
  for (int k = 0; k < options.iterations; ++k) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    ParallelForDynamic(
        0, blocks, threads,
        [&](std::size_t b) {
          double change = 0.0;
          const std::size_t hi = std::min<std::size_t>(n, (b + 1) * kBlock);
          for (std::size_t v = b * kBlock; v < hi; ++v) {
            if (mass[v] == 0.0) {
              run.rank[v] = base;
              x_prev[v] = base;
              next_contrib[v] = 0.0;
              continue;
            }
            const double y = teleport + d * pull(static_cast<NodeId>(v), contrib.data());
            change += std::abs(y - x[v]);
            run.rank[v] = y;
            const double next = k == 0 ? y : w * (y - x_prev[v]) + x_prev[v];
            x_prev[v] = x[v];
            x[v] = next;
            next_contrib[v] = next / mass[v];
          }
          block_change[b] = change;
        },
        /*grain=*/1);
    contrib.swap(next_contrib);
    run.last_change = 0.0;
    for (double ch : block_change) run.last_change += ch;
    run.iterations = k + 1;
    if (run.last_change < options.tolerance) break;
    w = k == 0 ? 1.0 / (1.0 - d * d / 2.0) : 1.0 / (1.0 - d * d * w / 4.0);
  }
  return run;
}

}  // namespace

absl::StatusOr<PageRankRun> PageRankChebyshev(const WeightedGraph& g,
                                              const PageRankOptions& options,
                                              const QueryContext& ctx) {
  if (g.num_nodes() == 0 || options.iterations == 0) {
    PageRankRun run;
    run.rank.assign(g.num_nodes(), g.num_nodes() == 0 ? 0.0 : 1.0 / g.num_nodes());
    return run;
  }
  if (options.weighted) {
    return Iterate(
        g, options, [&](NodeId v, const double* c) { return WeightedPull(g, v, c); }, ctx);
  }
  return Iterate(
      g, options, [&](NodeId v, const double* c) { return UnweightedPull(g, v, c); }, ctx);
}

}  // namespace polegraph::internal
