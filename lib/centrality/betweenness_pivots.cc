// Betweenness estimated from a sample of pivot sources (Brandes & Pich, "Centrality
// estimation in large networks", 2007: uniform random pivots).
//
// How: the vertices with edges are the candidate sources; `pivots` of them are drawn without
// replacement by a Fisher–Yates prefix shuffle driven by std::mt19937_64(seed) with an
// explicit rejection draw (so the sample is the same on every platform and at any thread
// count); Brandes' dependencies from those sources are summed (internal::AddDependencies,
// bit-identical at any thread count) and scaled by candidates / pivots, then halved as in
// Betweenness. Each source's dependency vector is an unbiased sample of the full sum, so the
// estimate is unbiased; with pivots >= candidates it is Betweenness itself.
// Cost: O(pivots * m) time, O(threads * (n + m)) scratch.
#include <cstdint>
#include <random>
#include <vector>

#include "centrality/internal/brandes.h"
#include "polegraph/centrality.h"

namespace polegraph {
namespace {

// Uniform in [0, bound) from a 64-bit engine, by rejection of the biased top range.
std::uint64_t Draw(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  std::uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return x % bound;
}

}  // namespace

absl::StatusOr<std::vector<double>> PivotBetweenness(const WeightedGraph& g, std::uint32_t pivots,
                                                     std::uint64_t seed,
                                                     const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = g.Validate(ctx.threads); !s.ok()) return s;
  std::vector<NodeId> candidates;
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    if (g.degree(v) > 0) candidates.push_back(v);
  }
  if (pivots >= candidates.size()) return Betweenness(g, ctx);
  if (pivots == 0) {
    return absl::InvalidArgumentError("PivotBetweenness needs at least one pivot");
  }
  std::mt19937_64 rng(seed);
  for (std::uint32_t i = 0; i < pivots; ++i) {
    const std::uint64_t j = i + Draw(rng, candidates.size() - i);
    std::swap(candidates[i], candidates[j]);
  }
  std::vector<NodeId> sources(candidates.begin(), candidates.begin() + pivots);
  std::vector<double> bc(g.num_nodes(), 0.0);
  if (absl::Status s = internal::AddDependencies(g, sources, ctx, bc); !s.ok()) return s;
  const double scale = static_cast<double>(candidates.size()) / pivots / 2.0;
  for (double& x : bc) x *= scale;
  return bc;
}

}  // namespace polegraph
