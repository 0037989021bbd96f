// Closeness (with the Wasserman–Faust correction for disconnected graphs) and harmonic
// centrality (Marchiori & Latora 2000; Boldi & Vigna, "Axioms for centrality", 2014) on hop
// counts: one BFS per vertex, sources in parallel, each writing only its own result.
//   closeness(v) = (r - 1)/(n - 1) * (r - 1) / sum_{u reached} d(v, u),  0 when r = 1
//   harmonic(v)  = sum_{u != v reached} 1 / d(v, u)
// The per-source sums are formed in BFS order, the same at any thread count.
// Cost: O(n (n + m)) time; per thread one int32 array of n entries.
#include <cstdint>

#include "parallel/parallel.h"
#include "polegraph/centrality.h"

namespace polegraph {
namespace {

enum class Kind { kCloseness, kHarmonic };

absl::StatusOr<std::vector<double>> DistanceCentrality(const WeightedGraph& g, Kind kind,
                                                       const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = g.Validate(ctx.threads); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  std::vector<double> out(n, 0.0);
  struct Scratch {
    std::vector<std::int32_t> dist;
    std::vector<NodeId> queue;
  };
  internal::PerThread<Scratch> scratch(ctx.threads);
  constexpr std::size_t kRound = 1024;
  for (std::size_t s0 = 0; s0 < n; s0 += kRound) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    internal::ParallelForDynamic(
        s0, std::min<std::size_t>(n, s0 + kRound), ctx.threads,
        [&](std::size_t si) {
          Scratch& b = scratch.local();
          if (b.dist.size() < n) b.dist.assign(n, -1);
          const NodeId s = static_cast<NodeId>(si);
          b.queue.assign(1, s);
          b.dist[s] = 0;
          double sum = 0.0, harmonic = 0.0;
          for (std::size_t h = 0; h < b.queue.size(); ++h) {
            const NodeId v = b.queue[h];
            if (v != s) {
              sum += b.dist[v];
              harmonic += 1.0 / b.dist[v];
            }
            for (NodeId w : g.neighbours(v)) {
              if (b.dist[w] < 0) {
                b.dist[w] = b.dist[v] + 1;
                b.queue.push_back(w);
              }
            }
          }
          const double r1 = static_cast<double>(b.queue.size() - 1);
          if (kind == Kind::kHarmonic) {
            out[s] = harmonic;
          } else {
            out[s] = (r1 == 0.0 || n < 2) ? 0.0 : r1 / static_cast<double>(n - 1) * r1 / sum;
          }
          for (NodeId v : b.queue) b.dist[v] = -1;
        },
        /*grain=*/4);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<double>> ClosenessCentrality(const WeightedGraph& g,
                                                        const QueryContext& ctx) {
  return DistanceCentrality(g, Kind::kCloseness, ctx);
}

absl::StatusOr<std::vector<double>> HarmonicCentrality(const WeightedGraph& g,
                                                       const QueryContext& ctx) {
  return DistanceCentrality(g, Kind::kHarmonic, ctx);
}

}  // namespace polegraph
