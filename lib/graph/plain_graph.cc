// PlainGraph: the vertex index and the parallel CSR build (see plain_graph_builder.h).
#include "polegraph/plain_graph.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "graph/plain_graph_builder.h"
#include "parallel/parallel.h"

namespace polegraph {
namespace {

struct WeightedArc {
  NodeId target;
  double weight;
};

// One direction of adjacency: offsets, neighbours, weights.
struct Csr {
  std::vector<EdgeIndex> offsets;
  std::vector<NodeId> targets;
  std::vector<double> weights;
};

// Builds the CSR of arcs from[i] -> to[i] over n vertices; sorts every list by (target,
// weight). On a repeated arc: drops later copies when `simplify`, else sets *dup_from/*dup_to
// to the smallest repeated arc and returns false.
bool BuildCsr(NodeId n, const std::vector<NodeId>& from, const std::vector<NodeId>& to,
              const std::vector<double>& weight, bool weighted, bool simplify, int threads,
              Csr& out, NodeId* dup_from, NodeId* dup_to) {
  const std::size_t m = from.size();
  std::vector<EdgeIndex> degree(n, 0);
  internal::ParallelFor(0, m, threads, [&](std::size_t i) {
    std::atomic_ref<EdgeIndex>(degree[from[i]]).fetch_add(1, std::memory_order_relaxed);
  });
  internal::PrefixSum(degree, out.offsets, threads);
  std::vector<EdgeIndex> cursor(out.offsets.begin(), out.offsets.end() - 1);
  std::vector<WeightedArc> arcs;
  if (weighted) {
    arcs.resize(m);
  } else {
    out.targets.resize(m);
  }
  internal::ParallelFor(0, m, threads, [&](std::size_t i) {
    EdgeIndex at =
        std::atomic_ref<EdgeIndex>(cursor[from[i]]).fetch_add(1, std::memory_order_relaxed);
    if (weighted) {
      arcs[at] = {to[i], weight[i]};
    } else {
      out.targets[at] = to[i];
    }
  });
  // Sort each list and count the distinct targets in it.
  std::vector<EdgeIndex> distinct(n, 0);
  internal::ParallelForDynamic(0, n, threads, [&](std::size_t v) {
    EdgeIndex lo = out.offsets[v], hi = out.offsets[v + 1];
    EdgeIndex count = 0;
    if (weighted) {
      auto less = [](const WeightedArc& a, const WeightedArc& b) {
        return a.target < b.target || (a.target == b.target && a.weight < b.weight);
      };
      if (!std::is_sorted(arcs.begin() + lo, arcs.begin() + hi, less)) {
        std::sort(arcs.begin() + lo, arcs.begin() + hi, less);
      }
      for (EdgeIndex e = lo; e < hi; ++e) {
        count += (e == lo || arcs[e].target != arcs[e - 1].target);
      }
    } else {
      if (!std::is_sorted(out.targets.begin() + lo, out.targets.begin() + hi)) {
        std::sort(out.targets.begin() + lo, out.targets.begin() + hi);
      }
      for (EdgeIndex e = lo; e < hi; ++e) {
        count += (e == lo || out.targets[e] != out.targets[e - 1]);
      }
    }
    distinct[v] = count;
  });
  bool has_duplicates = false;
  for (NodeId v = 0; v < n; ++v) {
    if (distinct[v] != degree[v]) {
      has_duplicates = true;
      if (!simplify) {
        *dup_from = v;
        for (EdgeIndex e = out.offsets[v] + 1; e < out.offsets[v + 1]; ++e) {
          NodeId a = weighted ? arcs[e].target : out.targets[e];
          NodeId b = weighted ? arcs[e - 1].target : out.targets[e - 1];
          if (a == b) {
            *dup_to = a;
            break;
          }
        }
        return false;
      }
      break;
    }
  }
  if (has_duplicates) {
    // Keep the first (lightest) copy of each arc.
    std::vector<EdgeIndex> offsets;
    internal::PrefixSum(distinct, offsets, threads);
    std::vector<NodeId> targets(offsets[n]);
    std::vector<WeightedArc> kept(weighted ? offsets[n] : 0);
    internal::ParallelForDynamic(0, n, threads, [&](std::size_t v) {
      EdgeIndex at = offsets[v];
      for (EdgeIndex e = out.offsets[v]; e < out.offsets[v + 1]; ++e) {
        if (weighted) {
          if (e == out.offsets[v] || arcs[e].target != arcs[e - 1].target) kept[at++] = arcs[e];
        } else if (e == out.offsets[v] || out.targets[e] != out.targets[e - 1]) {
          targets[at++] = out.targets[e];
        }
      }
    });
    out.offsets = std::move(offsets);
    if (weighted) {
      arcs = std::move(kept);
    } else {
      out.targets = std::move(targets);
    }
  }
  if (weighted) {
    out.targets.resize(arcs.size());
    out.weights.resize(arcs.size());
    internal::ParallelFor(0, arcs.size(), threads, [&](std::size_t e) {
      out.targets[e] = arcs[e].target;
      out.weights[e] = arcs[e].weight;
    });
  }
  return true;
}

}  // namespace

std::optional<NodeId> PlainGraph::Find(std::int64_t external) const {
  if (contiguous_ids_) {
    // Unsigned arithmetic: no overflow for any pair of 64-bit ids.
    std::uint64_t d = static_cast<std::uint64_t>(external) - static_cast<std::uint64_t>(first_id_);
    if (d < external_ids_.size()) return static_cast<NodeId>(d);
    return std::nullopt;
  }
  auto it = id_map_.find(external);
  if (it == id_map_.end()) return std::nullopt;
  return it->second;
}

absl::Status PlainGraphBuilder::SetVertices(PlainGraph& g, std::vector<std::int64_t> ids,
                                            std::size_t* index_of_duplicate) {
  if (ids.size() >= static_cast<std::size_t>(kNoNode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("graph has ", ids.size(), " vertices; PlainGraph holds fewer than 2^32 - 1"));
  }
  g.external_ids_ = std::move(ids);
  const auto& x = g.external_ids_;
  g.first_id_ = x.empty() ? 0 : x[0];
  g.contiguous_ids_ = true;
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (static_cast<std::uint64_t>(x[i]) - static_cast<std::uint64_t>(x[0]) != i) {
      g.contiguous_ids_ = false;
      break;
    }
  }
  g.id_map_.clear();
  if (g.contiguous_ids_) return absl::OkStatus();
  // Abseil's table (20220623) must not meet its first allocation failing: an empty table
  // whose reservation throws frees memory it does not own when destroyed (abort). So the
  // first allocation is a small one, and the big reservation grows a table that has memory,
  // which unwinds cleanly (tests/graphalytics/loader_test.cc, "... cannot be allocated").
  g.id_map_.reserve(1);
  g.id_map_.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!g.id_map_.emplace(x[i], static_cast<NodeId>(i)).second) {
      if (index_of_duplicate != nullptr) *index_of_duplicate = i;
      return absl::InvalidArgumentError(absl::StrCat("vertex id ", x[i], " is listed twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status PlainGraphBuilder::BuildAdjacency(PlainGraph& g, DenseEdges edges,
                                               const PlainGraphOptions& options, int threads,
                                               const std::string& what) {
  const NodeId n = g.num_nodes();
  g.directed_ = options.directed;
  g.weighted_ = options.weighted;
  if (!options.weighted) edges.weight.clear();
  const std::size_t m = edges.source.size();
  NodeId dup_from = 0, dup_to = 0;
  auto duplicate_error = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": edge ", g.external_id(dup_from), " ", g.external_id(dup_to),
        options.directed ? " is listed more than once"
                         : " is listed more than once (in either direction)",
        "; the Graphalytics format forbids repeated edges (load with simplify to drop them)"));
  };
  Csr out;
  if (options.directed) {
    if (!BuildCsr(n, edges.source, edges.target, edges.weight, options.weighted, options.simplify,
                  threads, out, &dup_from, &dup_to)) {
      return duplicate_error();
    }
    Csr in;
    if (!BuildCsr(n, edges.target, edges.source, edges.weight, options.weighted, options.simplify,
                  threads, in, &dup_from, &dup_to)) {
      std::swap(dup_from, dup_to);
      return duplicate_error();
    }
    g.in_offsets_ = std::move(in.offsets);
    g.in_sources_ = std::move(in.targets);
    g.in_weights_ = std::move(in.weights);
  } else {
    std::vector<NodeId> from(2 * m), to(2 * m);
    std::vector<double> w(options.weighted ? 2 * m : 0);
    internal::ParallelFor(0, m, threads, [&](std::size_t i) {
      from[i] = edges.source[i];
      to[i] = edges.target[i];
      from[m + i] = edges.target[i];
      to[m + i] = edges.source[i];
      if (options.weighted) w[i] = w[m + i] = edges.weight[i];
    });
    edges = DenseEdges{};
    if (!BuildCsr(n, from, to, w, options.weighted, options.simplify, threads, out, &dup_from,
                  &dup_to)) {
      return duplicate_error();
    }
    g.in_offsets_ = {0};
    g.in_sources_.clear();
    g.in_weights_.clear();
  }
  g.out_offsets_ = std::move(out.offsets);
  g.out_targets_ = std::move(out.targets);
  g.out_weights_ = std::move(out.weights);
  g.num_edges_ = options.directed ? g.out_targets_.size() : g.out_targets_.size() / 2;
  return absl::OkStatus();
}

absl::StatusOr<PlainGraph> PlainGraph::FromEdges(std::vector<std::int64_t> vertices,
                                                 const std::vector<PlainEdge>& edges,
                                                 const PlainGraphOptions& options, int threads) {
  PlainGraph g;
  if (absl::Status s = PlainGraphBuilder::SetVertices(g, std::move(vertices)); !s.ok()) return s;
  DenseEdges dense;
  dense.source.reserve(edges.size());
  dense.target.reserve(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const PlainEdge& e = edges[i];
    std::optional<NodeId> s = g.Find(e.source), t = g.Find(e.target);
    if (!s || !t) {
      return absl::InvalidArgumentError(absl::StrCat("edge #", i, " (", e.source, " ", e.target,
                                                     ") names vertex ", s ? e.target : e.source,
                                                     ", which is not in the vertex list"));
    }
    if (*s == *t) {
      if (options.simplify) continue;
      return absl::InvalidArgumentError(
          absl::StrCat("edge #", i, " is a self-loop on vertex ", e.source));
    }
    if (options.weighted && !(e.weight >= 0 && std::isfinite(e.weight))) {
      return absl::InvalidArgumentError(absl::StrCat("edge #", i, " (", e.source, " ", e.target,
                                                     ") has weight ", e.weight,
                                                     "; weights must be finite and non-negative"));
    }
    dense.source.push_back(*s);
    dense.target.push_back(*t);
    if (options.weighted) dense.weight.push_back(e.weight);
  }
  if (absl::Status s =
          PlainGraphBuilder::BuildAdjacency(g, std::move(dense), options, threads, "edges");
      !s.ok()) {
    return s;
  }
  return g;
}

}  // namespace polegraph
