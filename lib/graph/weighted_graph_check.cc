// WeightedGraph::Validate: the CSR invariants the community and centrality algorithms rely
// on, checked in one pass over the arrays (parallel over blocks of vertices), so that a graph
// filled by hand that breaks them is an InvalidArgument instead of an out-of-bounds access.
//
// Symmetry matters for bounds, not only for meaning: ApproximateBetweenness walks a sampled
// path back from its end through each vertex's own neighbours, and an arc u->v without v->u
// leaves it no predecessor (an index of kNoNode). Searching each arc's mirror would cost a
// binary search per arc at a random place; instead the same pass adds, for every arc u->v of
// weight w, +h(min, max, w) when u < v and -h(min, max, w) when u > v (h a 64-bit mix, sums
// modulo 2^64): the mirrors of a symmetric graph cancel, so the sum is 0. A graph whose sum
// is not 0 is certainly asymmetric, and only then are the mirrors searched, to name the first
// arc without one. (An asymmetric graph whose sum is 0 by accident needs a 64-bit hash
// collision: about 2^-64 for damage that is not built to collide.)
#include "graph/weighted_graph_check.h"

#include <algorithm>
#include <bit>
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

inline std::uint64_t Mix(std::uint64_t z) {  // SplitMix64's finaliser
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The signed hash of arc v -> t of weight w (see the file comment).
inline std::uint64_t ArcHash(NodeId v, NodeId t, double w) {
  const NodeId lo = std::min(v, t), hi = std::max(v, t);
  const std::uint64_t h =
      Mix(Mix((std::uint64_t{lo} << 32) | hi) ^ std::bit_cast<std::uint64_t>(w));
  return t > v ? h : std::uint64_t{0} - h;
}

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

// The first arc (in vertex order) without a mirror of the same weight, as a message, or "".
// Error path only, on a graph that passed every other check: O(m log d).
std::string FirstUnmirrored(const WeightedGraph& g) {
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    for (EdgeIndex i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      const NodeId t = g.targets[i];
      const auto back = g.neighbours(t);
      const auto it = std::lower_bound(back.begin(), back.end(), v);
      if (it == back.end() || *it != v) {
        return absl::StrCat("arc ", i, " (", v, " -> ", t, ") has no mirror ", t, " -> ", v,
                            "; every edge must be stored in both directions");
      }
      const double mirror = g.weights(t)[static_cast<std::size_t>(it - back.begin())];
      if (mirror != g.arc_weights[i]) {
        return absl::StrCat("arc ", i, " (", v, " -> ", t, ") has weight ", g.arc_weights[i],
                            " but its mirror ", t, " -> ", v, " has weight ", mirror);
      }
    }
  }
  return "";
}

// Over a block of vertices: the sum of the arc weights, the sum of the arcs' signed hashes,
// and the first bad vertex (kNone if none).
struct Scan {
  double weight = 0.0;
  std::uint64_t mirror = 0;
  std::uint64_t first_bad = kNone;
  Scan& operator+=(const Scan& o) {
    weight += o.weight;
    mirror += o.mirror;
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
    for (EdgeIndex e = lo; e < hi; ++e) {  // no early exit: the common case reads every arc
      const NodeId t = g.targets[e];
      const double w = g.arc_weights[e];
      ok &= t < n && t != v && (e == lo || t > prev) && std::isfinite(w) && w > 0.0;
      prev = t;
      s.weight += w;
      s.mirror += ArcHash(v, t, w);
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
  if (scan.mirror != 0) {
    if (std::string what = FirstUnmirrored(g); !what.empty()) return Bad(what);
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
