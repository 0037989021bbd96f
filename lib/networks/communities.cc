// DetectCommunities: option validation and dispatch to one algorithm per file (louvain.cc,
// leiden.cc, label_propagation.cc), connected components on the shared Afforest core
// (internal/afforest.h), and modularity.
//
// Modularity (Newman & Girvan 2004; resolution after Reichardt & Bornholdt 2006):
//   Q = sum_c [ in_c / 2m - gamma (tot_c / 2m)^2 ],
// in_c the weight of arcs inside c (each internal edge counted from both ends), tot_c the sum
// of the strengths of c's members. Each vertex's strength and weight inside its community are
// summed over its arcs in parallel; sum_c in_c is added up in fixed blocks of vertices (the
// block sums in block order, DeterministicSum), tot_c sequentially in vertex order, so Q is
// bit-identical at any thread count. O(n + m); the O(m) part on `threads` threads (session 8:
// FinishPartition had run it on the calling thread, about 1.5 % of Leiden's time on LFR 10^6).
// Session 9 (tail9): the test of each arc's community is summed without a branch (a count on
// a unit-weight graph, 0.0 added otherwise: the same sums to the bit); the branch was
// mispredicted on about every third arc: FinishPartition on LFR 10^6 71 -> 18-28 ms at 1
// thread. Leiden and Louvain pass level 0's strengths (summed in the same order) and its
// unit-weight flag, so a unit-weight input's weights are not read. Summing on Leiden's copy of
// level 0 renumbered by community instead (nearby memory) saved only about 4 ms more: dropped.
#include "networks/internal/communities.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "graph/weighted_graph_check.h"
#include "networks/internal/afforest.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph {
namespace {

// Two sums formed together (DeterministicSum's T).
struct SumPair {
  double a = 0.0, b = 0.0;
  SumPair& operator+=(const SumPair& o) {
    a += o.a;
    b += o.b;
    return *this;
  }
};

// known_strength (optional): each vertex's strength summed as below (its arcs' weights in
// adjacency order, from 0.0), so not summed again; unit: every weight is 1.0, so none is read.
// Either way the same sums, to the bit.
double ModularityOf(const WeightedGraph& g, std::span<const std::uint32_t> comm, std::uint32_t k,
                    double resolution, int threads = 1,
                    std::span<const double> known_strength = {}, bool unit = false) {
  const NodeId n = g.num_nodes();
  const bool known = !known_strength.empty();
  std::vector<double> strength(known ? 0 : n);
  // a: sum of the strengths (2m), b: weight of the arcs inside communities (sum_c in_c).
  const SumPair sums = internal::DeterministicSum<SumPair>(n, threads, [&](std::size_t i) {
    const auto v = static_cast<NodeId>(i);
    auto adj = g.neighbours(v);
    const std::uint32_t c = comm[v];
    SumPair s;
    if (unit) {  // integer counts, without a branch per arc: the same sums as adding 1.0s
      std::uint64_t inside = 0;
      for (std::size_t e = 0; e < adj.size(); ++e) inside += comm[adj[e]] == c;
      s.b = static_cast<double>(inside);
      s.a = static_cast<double>(adj.size());
    } else {
      auto w = g.weights(v);
      for (std::size_t e = 0; e < adj.size(); ++e) {  // adding 0.0 changes no sum
        s.a += w[e];
        s.b += comm[adj[e]] == c ? w[e] : 0.0;
      }
    }
    if (known) {
      s.a = known_strength[v];
    } else {
      strength[v] = s.a;
    }
    return s;
  });
  const std::span<const double> str = known ? known_strength : std::span<const double>(strength);
  const double two_m = sums.a;
  if (two_m <= 0.0) return 0.0;
  std::vector<double> tot(k, 0.0);
  for (NodeId v = 0; v < n; ++v) tot[comm[v]] += str[v];
  double expected = 0.0;
  for (std::uint32_t c = 0; c < k; ++c) {
    const double t = tot[c] / two_m;
    expected += t * t;
  }
  return sums.b / two_m - resolution * expected;
}

}  // namespace

namespace internal {

Partition FinishPartition(const WeightedGraph& graph, std::vector<NodeId> labels, double resolution,
                          int levels, int threads) {
  return FinishPartition(graph, std::move(labels), resolution, levels, threads, {}, false);
}

Partition FinishPartition(const WeightedGraph& graph, std::vector<NodeId> labels, double resolution,
                          int levels, int threads, std::span<const double> strength,
                          bool unit_weights, bool renumbered) {
  Partition p;
  if (renumbered) {
    NodeId k = 0;
    for (NodeId l : labels) k = std::max(k, l + 1);
    p.num_communities = k;
  } else {
    p.num_communities = Renumber(labels);
  }
  static_assert(std::is_same_v<NodeId, std::uint32_t>);
  p.community = std::move(labels);
  p.modularity = ModularityOf(graph, p.community, p.num_communities, resolution, threads,
                              strength, unit_weights);
  p.levels = levels;
  return p;
}

}  // namespace internal

namespace {

// Connected components of a checked graph (ConnectedComponents and DetectCommunities).
absl::StatusOr<Partition> Components(const WeightedGraph& graph, const QueryContext& ctx) {
  absl::StatusOr<std::vector<NodeId>> roots = internal::AfforestComponents(
      graph.num_nodes(), /*directed=*/false, [&](NodeId v) { return graph.neighbours(v); },
      [&](NodeId v) { return graph.neighbours(v); }, ctx);
  if (!roots.ok()) return roots.status();
  return internal::FinishPartition(graph, std::move(*roots), 1.0, 1, ctx.threads);
}

}  // namespace

std::optional<CommunityAlgorithm> ParseCommunityAlgorithm(std::string_view name) {
  if (name == "wcc" || name == "components") return CommunityAlgorithm::kComponents;
  if (name == "lpa") return CommunityAlgorithm::kLabelPropagation;
  if (name == "louvain") return CommunityAlgorithm::kLouvain;
  if (name == "leiden") return CommunityAlgorithm::kLeiden;
  return std::nullopt;
}

std::string_view CommunityAlgorithmName(CommunityAlgorithm a) {
  switch (a) {
    case CommunityAlgorithm::kComponents:
      return "wcc";
    case CommunityAlgorithm::kLabelPropagation:
      return "lpa";
    case CommunityAlgorithm::kLouvain:
      return "louvain";
    case CommunityAlgorithm::kLeiden:
      return "leiden";
  }
  return "?";
}

absl::StatusOr<Partition> ConnectedComponents(const WeightedGraph& graph, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = graph.Validate(ctx.threads); !s.ok()) return s;
  return Components(graph, ctx);
}

absl::StatusOr<Partition> DetectCommunities(const WeightedGraph& graph,
                                            const CommunityOptions& options,
                                            const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (!(options.resolution > 0.0) || !std::isfinite(options.resolution)) {
    return absl::InvalidArgumentError(
        absl::StrCat("community resolution must be finite and > 0, got ", options.resolution));
  }
  if (options.max_levels < 1 || options.max_sweeps < 1 || options.max_iterations < 0 ||
      options.max_passes < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("community limits must be positive: max_levels=", options.max_levels,
                     " max_sweeps=", options.max_sweeps, " max_passes=", options.max_passes,
                     " max_iterations=", options.max_iterations));
  }
  // One pass over the arrays: a graph filled by hand is checked, and weights whose sum
  // overflows are refused (modularity would be NaN and every move's gain meaningless).
  double total_weight = 0.0;
  if (absl::Status s = internal::CheckWeightedGraph(graph, ctx.threads, &total_weight); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          internal::CheckTotalWeight(total_weight, options.resolution, "DetectCommunities");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Partition> p;
  switch (options.algorithm) {
    case CommunityAlgorithm::kComponents:
      p = Components(graph, ctx);
      break;
    case CommunityAlgorithm::kLabelPropagation:
      p = internal::LabelPropagation(graph, options, ctx);
      break;
    case CommunityAlgorithm::kLouvain:
      p = internal::Louvain(graph, options, ctx);
      break;
    case CommunityAlgorithm::kLeiden:
      p = internal::Leiden(graph, options, ctx);
      break;
  }
  if (p.ok() && options.algorithm == CommunityAlgorithm::kComponents) {
    p->modularity =
        ModularityOf(graph, p->community, p->num_communities, options.resolution, ctx.threads);
  }
  return p;
}

absl::StatusOr<double> Modularity(const WeightedGraph& graph,
                                  std::span<const std::uint32_t> community, double resolution) {
  if (community.size() != graph.num_nodes()) {
    return absl::InvalidArgumentError(absl::StrCat("Modularity: ", community.size(),
                                                   " community labels for a graph of ",
                                                   graph.num_nodes(), " vertices"));
  }
  double total_weight = 0.0;
  if (absl::Status s = internal::CheckWeightedGraph(graph, 1, &total_weight); !s.ok()) return s;
  if (absl::Status s = internal::CheckTotalWeight(total_weight, 1.0, "Modularity"); !s.ok()) {
    return s;
  }
  std::vector<NodeId> labels(community.begin(), community.end());
  const std::uint32_t k = internal::Renumber(labels);
  std::vector<std::uint32_t> dense(labels.begin(), labels.end());
  return ModularityOf(graph, dense, k, resolution);
}

}  // namespace polegraph
