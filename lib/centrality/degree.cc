// Degree centrality (number of neighbours, or strength: the sum of edge weights) and weighted
// PageRank on a WeightedGraph, plus the measure names.
//
// PageRank reuses the Graphalytics power iteration (internal/pagerank_core.h): in the
// weighted form a vertex passes rank to each neighbour in proportion to the edge weight
// (W_out = strength); unweighted, evenly (W_out = degree). Isolated vertices are dangling.
// With options.tolerance > 0 the Chebyshev-accelerated iteration of pagerank_chebyshev.cc
// solves to that accuracy instead.
// Cost: degree O(n + m); PageRank O(iterations * (n + m)). Bit-identical at any thread count.
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "centrality/internal/pagerank_core.h"
#include "parallel/parallel.h"
#include "polegraph/centrality.h"

namespace polegraph {

std::optional<CentralityMeasure> ParseCentralityMeasure(std::string_view name) {
  if (name == "degree") return CentralityMeasure::kDegree;
  if (name == "pagerank" || name == "pr") return CentralityMeasure::kPageRank;
  if (name == "betweenness") return CentralityMeasure::kBetweenness;
  if (name == "closeness") return CentralityMeasure::kCloseness;
  if (name == "harmonic") return CentralityMeasure::kHarmonic;
  return std::nullopt;
}

std::string_view CentralityMeasureName(CentralityMeasure m) {
  switch (m) {
    case CentralityMeasure::kDegree:
      return "degree";
    case CentralityMeasure::kPageRank:
      return "pagerank";
    case CentralityMeasure::kBetweenness:
      return "betweenness";
    case CentralityMeasure::kCloseness:
      return "closeness";
    case CentralityMeasure::kHarmonic:
      return "harmonic";
  }
  return "?";
}

absl::StatusOr<std::vector<double>> DegreeCentrality(const WeightedGraph& g, bool weighted,
                                                     const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = g.Validate(ctx.threads); !s.ok()) return s;
  std::vector<double> out(g.num_nodes());
  internal::ParallelFor(0, g.num_nodes(), ctx.threads, [&](std::size_t v) {
    if (!weighted) {
      out[v] = static_cast<double>(g.degree(static_cast<NodeId>(v)));
      return;
    }
    double s = 0.0;
    for (double w : g.weights(static_cast<NodeId>(v))) s += w;
    out[v] = s;
  });
  return out;
}

namespace internal {

absl::StatusOr<PageRankRun> SolvePageRank(const WeightedGraph& g, const PageRankOptions& options,
                                          const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (options.iterations < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("PageRank iterations must be >= 0, got ", options.iterations));
  }
  if (!(options.damping >= 0.0 && options.damping <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("PageRank damping factor must be in [0, 1], got ", options.damping));
  }
  if (!(options.tolerance >= 0.0 && std::isfinite(options.tolerance))) {
    return absl::InvalidArgumentError(
        absl::StrCat("PageRank tolerance must be finite and >= 0 (0: fixed iterations), got ",
                     options.tolerance));
  }
  if (absl::Status s = g.Validate(ctx.threads); !s.ok()) return s;
  if (options.tolerance > 0.0) return PageRankChebyshev(g, options, ctx);
  if (options.weighted) {
    return PageRankSolve(
        g.num_nodes(), options.iterations, options.damping, /*tolerance=*/0.0,
        [&](NodeId v) { return OutMass(g, v, /*weighted=*/true); },
        [&](NodeId v, const std::vector<double>& c) { return WeightedPull(g, v, c.data()); },
        ctx);
  }
  return PageRankSolve(
      g.num_nodes(), options.iterations, options.damping, /*tolerance=*/0.0,
      [&](NodeId v) { return OutMass(g, v, /*weighted=*/false); },
      [&](NodeId v, const std::vector<double>& c) { return UnweightedPull(g, v, c.data()); },
      ctx);
}

}  // namespace internal

absl::StatusOr<std::vector<double>> PageRankCentrality(const WeightedGraph& g,
                                                       const PageRankOptions& options,
                                                       const QueryContext& ctx) {
  absl::StatusOr<internal::PageRankRun> run = internal::SolvePageRank(g, options, ctx);
  if (!run.ok()) return run.status();
  return std::move(run->rank);
}

}  // namespace polegraph
