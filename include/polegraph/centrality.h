// polegraph/centrality.h — who matters in a network: degree, PageRank, betweenness (exact and
// sampled with an error bound), closeness and harmonic centrality on a WeightedGraph (a person
// projection of a snapshot, or a plain graph; see weighted_graph.h and networks.h).
//
// Path-based measures (betweenness, closeness, harmonic) use hop counts: an edge's weight
// says how strong a link is, not how long, so it does not lengthen paths. Every function
// validates its options and then the graph (WeightedGraph::Validate, one O(n + m) pass:
// InvalidArgument for a graph filled by hand that breaks the layout) before any work, uses
// ctx.threads threads, polls ctx.Check() between rounds, and returns bit-identical values at
// any thread count.
//
// Example:
//   polegraph::QueryContext ctx;
//   ctx.threads = 8;
//   absl::StatusOr<std::vector<double>> bc = polegraph::Betweenness(projection.graph, ctx);
//   polegraph::SampledBetweennessOptions so;
//   so.samples = 20000;
//   absl::StatusOr<polegraph::SampledBetweenness> approx =
//       polegraph::ApproximateBetweenness(g, so, ctx);   // approx->epsilon bounds the error
#ifndef POLEGRAPH_CENTRALITY_H_
#define POLEGRAPH_CENTRALITY_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "polegraph/query.h"
#include "polegraph/weighted_graph.h"

namespace polegraph {

enum class CentralityMeasure : std::uint8_t {
  kDegree,
  kPageRank,
  kBetweenness,
  kCloseness,
  kHarmonic
};
// "degree", "pagerank" (or "pr"), "betweenness", "closeness", "harmonic" (exact, lower case);
// nullopt for anything else.
std::optional<CentralityMeasure> ParseCentralityMeasure(std::string_view name);
std::string_view CentralityMeasureName(CentralityMeasure m);

// Number of neighbours, or the sum of edge weights when `weighted`. O(n + m).
absl::StatusOr<std::vector<double>> DegreeCentrality(const WeightedGraph& g, bool weighted,
                                                     const QueryContext& ctx);

// Ranges (InvalidArgument otherwise): iterations >= 0, damping in [0, 1], tolerance finite
// and >= 0. (The error bound below means nothing at damping 1.)
struct PageRankOptions {
  int iterations = 100;
  double damping = 0.85;
  // Weighted: a vertex passes rank to neighbours in proportion to edge weight; otherwise
  // evenly. Isolated vertices spread their rank over all vertices.
  bool weighted = true;
  // 0: exactly `iterations` power iterations from 1/n (the Graphalytics definition).
  // > 0: solve to this accuracy instead, with at most `iterations` steps: the returned ranks
  // are one power step from the last iterate, that step changed them by less than
  // `tolerance` in L1 norm, and their L1 distance to the exact PageRank is therefore below
  // tolerance * damping / (1 - damping). The steps are Chebyshev-accelerated (every error
  // mode shrinks by at least d / (1 + sqrt(1 - d^2)) = 0.557 per step at d = 0.85, where the
  // power iteration's slowest shrink by d), so they take fewer steps than the power iteration
  // to the same rule — half or less on graphs with stars, trees or small components.
  double tolerance = 0.0;
};
// Sums to 1 (up to rounding). O(iterations * (n + m)).
absl::StatusOr<std::vector<double>> PageRankCentrality(const WeightedGraph& g,
                                                       const PageRankOptions& options,
                                                       const QueryContext& ctx);

// Exact betweenness (Brandes 2001), unnormalised, each unordered pair counted once (the values
// boost::brandes_betweenness_centrality gives on an undirected graph). Parallel over sources
// (degree-1 sources folded into their neighbour's search); dependencies are summed in fixed
// blocks of sources, in block order. O(n m) time, O(threads * (n + m)) memory.
absl::StatusOr<std::vector<double>> Betweenness(const WeightedGraph& g, const QueryContext& ctx);

// Betweenness estimated from `pivots` source vertices drawn uniformly without replacement
// among the vertices with edges (Brandes & Pich 2007): their exact Brandes dependencies scaled
// by (vertices with edges) / pivots. Unbiased; Betweenness itself when pivots is at least the
// number of vertices with edges. The sample depends only on `seed` (same result on every
// platform and at any thread count). Good for ranking the central vertices of a graph too big
// for the exact O(n m); no per-vertex error bound (ApproximateBetweenness below has one).
// InvalidArgument for pivots == 0 on a graph with edges. O(pivots m).
absl::StatusOr<std::vector<double>> PivotBetweenness(const WeightedGraph& g, std::uint32_t pivots,
                                                     std::uint64_t seed, const QueryContext& ctx);

// Ranges (InvalidArgument otherwise): delta in (0, 1); epsilon in (0, 1) when samples == 0.
struct SampledBetweennessOptions {
  // Shortest paths sampled. 0: derive from epsilon and delta (Riondato–Kornaropoulos bound).
  std::uint64_t samples = 0;
  double epsilon = 0.01;  // target error on the normalised scale (fraction of pairs)
  double delta = 0.1;     // failure probability
  std::uint64_t seed = 1;
};
struct SampledBetweenness {
  std::vector<double> values;  // estimates, on the same scale as Betweenness()
  std::uint64_t samples = 0;
  std::uint32_t vertex_diameter_bound = 0;
  // With probability >= 1 - delta, |values[v] - exact[v]| <= epsilon_absolute for every v.
  double epsilon = 0.0;  // on the normalised scale (exact / (n (n - 1) / 2))
  double epsilon_absolute = 0.0;
  double delta = 0.0;
};
// Riondato & Kornaropoulos, "Fast approximation of betweenness centrality through sampling"
// (WSDM 2014): r = (c / eps^2) (floor(log2(VD - 2)) + 1 + ln(1/delta)) sampled shortest paths,
// c = 0.5, VD bounded by twice a BFS eccentricity per component. O(r (n + m)) worst case.
absl::StatusOr<SampledBetweenness> ApproximateBetweenness(const WeightedGraph& g,
                                                          const SampledBetweennessOptions& options,
                                                          const QueryContext& ctx);

// Closeness with the Wasserman–Faust correction for disconnected graphs:
//   C(v) = (r - 1) / (n - 1) * (r - 1) / sum_{u reachable} d(v, u),  r = vertices v reaches
// (itself included); 0 when r = 1. Harmonic: H(v) = sum_{u != v} 1 / d(v, u). O(n (n + m)).
absl::StatusOr<std::vector<double>> ClosenessCentrality(const WeightedGraph& g,
                                                        const QueryContext& ctx);
absl::StatusOr<std::vector<double>> HarmonicCentrality(const WeightedGraph& g,
                                                       const QueryContext& ctx);

}  // namespace polegraph

#endif  // POLEGRAPH_CENTRALITY_H_
