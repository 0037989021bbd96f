// Exact betweenness centrality: Brandes, "A faster algorithm for betweenness centrality",
// J. Math. Sociol. 25 (2001), on hop counts.
//
// For every source s: a BFS counts shortest paths sigma and records the visiting order; the
// dependencies delta(v) = sum over successors w of sigma(v)/sigma(w) (1 + delta(w)) are then
// accumulated in reverse order, finding v's predecessors by rescanning w's neighbours for
// dist = dist(w) - 1 (no predecessor lists). Sources run in parallel in fixed batches whose
// size depends only on n; each source writes its dependencies into its own row of the batch,
// and the rows are added into the result in source order. The floating-point sums are
// therefore formed in the same order at any thread count. Values are halved at the end (an
// undirected pair is seen from both ends), as boost::brandes_betweenness_centrality does.
// Cost: O(n m) time; O(batch * n) doubles of scratch, batch = clamp(max(2^22 / n,
// 2 threads), 1, 256).
#include <algorithm>
#include <cstdint>

#include "parallel/parallel.h"
#include "polegraph/centrality.h"

namespace polegraph {
namespace {

struct BfsScratch {
  std::vector<std::int32_t> dist;
  std::vector<double> sigma;
  std::vector<NodeId> order;
};

// Adds s's dependencies into delta (n entries, zero on entry).
void Dependencies(const WeightedGraph& g, NodeId s, BfsScratch& b, double* delta) {
  const NodeId n = g.num_nodes();
  if (b.dist.size() < n) {
    b.dist.assign(n, -1);
    b.sigma.assign(n, 0.0);
  }
  b.order.clear();
  b.order.push_back(s);
  b.dist[s] = 0;
  b.sigma[s] = 1.0;
  for (std::size_t head = 0; head < b.order.size(); ++head) {
    const NodeId v = b.order[head];
    for (NodeId w : g.neighbours(v)) {
      if (b.dist[w] < 0) {
        b.dist[w] = b.dist[v] + 1;
        b.order.push_back(w);
      }
      if (b.dist[w] == b.dist[v] + 1) b.sigma[w] += b.sigma[v];
    }
  }
  for (std::size_t i = b.order.size(); i-- > 1;) {
    const NodeId w = b.order[i];
    const double coeff = (1.0 + delta[w]) / b.sigma[w];
    for (NodeId v : g.neighbours(w)) {
      if (b.dist[v] == b.dist[w] - 1) delta[v] += b.sigma[v] * coeff;
    }
  }
  delta[s] = 0.0;
  for (NodeId v : b.order) {
    b.dist[v] = -1;
    b.sigma[v] = 0.0;
  }
}

}  // namespace

absl::StatusOr<std::vector<double>> Betweenness(const WeightedGraph& g, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  std::vector<double> bc(n, 0.0);
  if (n == 0) return bc;
  // Rows are added in source order whatever the batch size, so the batch may depend on the
  // thread count without changing a single bit of the result.
  const std::size_t batch = std::clamp<std::size_t>(
      std::max<std::size_t>((std::size_t{1} << 22) / n, 2 * static_cast<std::size_t>(ctx.threads)),
      1, 256);
  std::vector<double> rows(batch * n);
  internal::PerThread<BfsScratch> scratch(ctx.threads);
  for (std::size_t b0 = 0; b0 < n; b0 += batch) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const std::size_t count = std::min<std::size_t>(batch, n - b0);
    internal::ParallelForDynamic(
        0, count, ctx.threads,
        [&](std::size_t i) {
          double* row = rows.data() + i * n;
          std::fill(row, row + n, 0.0);
          Dependencies(g, static_cast<NodeId>(b0 + i), scratch.local(), row);
        },
        /*grain=*/1);
    internal::ParallelFor(0, n, ctx.threads, [&](std::size_t v) {
      double sum = bc[v];
      for (std::size_t i = 0; i < count; ++i) sum += rows[i * n + v];
      bc[v] = sum;
    });
  }
  for (double& x : bc) x /= 2.0;
  return bc;
}

}  // namespace polegraph
