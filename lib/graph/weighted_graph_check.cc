// WeightedGraph::Validate: the CSR invariants the community and centrality algorithms index
// by, checked in one pass over the arrays (parallel over blocks of vertices), so a graph
// filled by hand that breaks them is an InvalidArgument instead of an out-of-bounds read.
// Symmetry (every arc u->v matched by v->u of the same weight) is not checked: it would cost
// a search per arc, and no algorithm indexes by it — every scratch array is sized by a
// vertex's own arcs or by the vertex count (lib/centrality/betweenness.cc sizes its successor
// lists by arcs for this reason) — so an asymmetric graph gives meaningless values, never an
// out-of-range access.
#include "graph/weighted_graph_check.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"
#include "polegraph/weighted_graph.h"

namespace polegraph {
namespace {

constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

// The first arc-level violation of vertex v as a message, or "" (offsets already checked to
// be in range and ordered for v).
std::string VertexViolation(const WeightedGraph& g, NodeId v) {
  const NodeId n = g.num_nodes();
  const EdgeIndex lo = g.offsets[v], hi = g.offsets[v + 1];
  for (EdgeIndex i = lo; i < hi; ++i) {
    const NodeId t = g.targets[i];
    const double w = g.arc_weights[i];
    if (t >= n) {
      return absl::StrCat("arc ", i, " of vertex ", v, " goes to ", t,
                          ", not a vertex (the graph has ", n, ")");
    }
    if (t == v) return absl::StrCat("arc ", i, " of vertex ", v, " is a self-loop");
    if (i > lo && t <= g.targets[i - 1]) {
      return absl::StrCat("the neighbours of vertex ", v, " are not in strictly ascending order (",
                          g.targets[i - 1], " then ", t, " at arc ", i, ")");
    }
    if (!std::isfinite(w) || !(w > 0.0)) {
      return absl::StrCat("arc ", i, " (", v, " -> ", t, ") has weight ", w,
                          "; weights must be finite and > 0");
    }
  }
  return "";
}

// Sum of a block's arc weights, and its first bad vertex (kNone if none).
struct Scan {
  double weight = 0.0;
  std::uint64_t first_bad = kNone;
  Scan& operator+=(const Scan& o) {
    weight += o.weight;
    first_bad = std::min(first_bad, o.first_bad);
    return *this;
  }
};

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("WeightedGraph: ", what));
}

}  // namespace

namespace internal {

absl::Status CheckWeightedGraph(const WeightedGraph& g, int threads, double* total_weight) {
  if (g.offsets.empty()) return Bad("offsets is empty (it holds num_nodes + 1 entries)");
  if (g.offsets.size() - 1 > std::numeric_limits<NodeId>::max()) {
    return Bad(absl::StrCat(g.offsets.size() - 1, " vertices: more than 32-bit ids allow"));
  }
  if (g.offsets.front() != 0) return Bad(absl::StrCat("offsets[0] is ", g.offsets.front()));
  if (g.offsets.back() != g.targets.size() || g.targets.size() != g.arc_weights.size()) {
    return Bad(absl::StrCat("offsets end at ", g.offsets.back(), " but there are ",
                            g.targets.size(), " targets and ", g.arc_weights.size(),
                            " arc weights (all three must agree)"));
  }
  const NodeId n = g.num_nodes();
  const EdgeIndex m = g.targets.size();
  const Scan scan = DeterministicSum<Scan>(n, threads, [&](std::size_t i) {
    const auto v = static_cast<NodeId>(i);
    Scan s;
    const EdgeIndex lo = g.offsets[v], hi = g.offsets[v + 1];
    if (lo > hi || hi > m) {
      s.first_bad = v;
      return s;
    }
    NodeId prev = 0;
    bool ok = true;
    for (EdgeIndex e = lo; e < hi; ++e) {  // no branch that exits early: all arcs are read
      const NodeId t = g.targets[e];
      const double w = g.arc_weights[e];
      ok &= t < n && t != v && (e == lo || t > prev) && std::isfinite(w) && w > 0.0;
      prev = t;
      s.weight += w;
    }
    if (!ok) s.first_bad = v;
    return s;
  });
  if (scan.first_bad != kNone) {
    const auto v = static_cast<NodeId>(scan.first_bad);
    const EdgeIndex lo = g.offsets[v], hi = g.offsets[v + 1];
    if (lo > hi) {
      return Bad(absl::StrCat("offsets decrease at vertex ", v, " (", lo, " then ", hi, ")"));
    }
    if (hi > m) {
      return Bad(absl::StrCat("offsets[", v + 1, "] = ", hi, " is past the ", m, " targets"));
    }
    return Bad(VertexViolation(g, v));
  }
  if (total_weight != nullptr) *total_weight = scan.weight;
  return absl::OkStatus();
}

absl::Status CheckTotalWeight(double total_weight, double resolution, const char* who) {
  if (std::isfinite(total_weight) && std::isfinite(total_weight * resolution)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      who, ": the total edge weight (", total_weight, " over both directions of every edge",
      resolution == 1.0 ? std::string() : absl::StrCat(", times the resolution ", resolution),
      ") overflows a double: rescale the weights (their sum must stay well below 1.8e308)"));
}

}  // namespace internal

absl::Status WeightedGraph::Validate(int threads) const {
  return internal::CheckWeightedGraph(*this, threads, nullptr);
}

}  // namespace polegraph
