// Graphalytics SSSP: shortest path lengths from a source along out-edges with non-negative
// double weights; unreachable vertices get +infinity.
//
// Delta-stepping (Meyer & Sanders, "Delta-stepping: a parallelizable shortest path
// algorithm", J. Algorithms 2003), in the bucket-per-thread form of the GAP Benchmark Suite:
// vertices wait in bins of width delta by tentative distance; the lowest non-empty bin is
// the frontier; every frontier vertex relaxes its out-edges with an atomic compare-and-swap
// minimum, and each lowered vertex goes into the thread's local bin for its new distance.
// The next frontier is the lowest non-empty bin over all threads (possibly the same bin
// again). A vertex is expanded again only when its distance dropped since its last
// expansion. delta = the mean edge weight (1 when all weights are 0).
//
// Determinism: every stored distance is the floating-point sum of some path, and
// floating-point addition is monotone, so the fixpoint reached is the smallest path sum over
// all paths whatever the relaxation order — the same value as sequential Dijkstra, at any
// thread count. ctx.Check() is polled between bins.
// Cost: O(m + n) expected work on graphs with bounded degree and weights (more when
// vertices are re-expanded); two doubles per vertex.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "parallel/frontier.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// A vertex is never put more than this many bins beyond the current one (far bins are
// merged: correctness does not depend on the bin, only the amount of re-expansion does).
constexpr std::size_t kMaxBinAhead = 4096;

absl::Status CheckWeights(const PlainGraph& g, int threads) {
  if (!g.weighted()) {
    return absl::FailedPreconditionError(
        "SSSP needs edge weights: load the graph as weighted (--weighted)");
  }
  std::atomic<NodeId> first_bad{kNoNode};
  internal::ParallelFor(0, g.num_nodes(), threads, [&](std::size_t v) {
    for (double w : g.out_weights(static_cast<NodeId>(v))) {
      if (!(w >= 0.0) || !std::isfinite(w)) internal::AtomicMin(first_bad, static_cast<NodeId>(v));
    }
  });
  if (NodeId v = first_bad.load(); v != kNoNode) {
    auto adj = g.out_neighbours(v);
    auto w = g.out_weights(v);
    for (std::size_t i = 0; i < adj.size(); ++i) {
      if (!(w[i] >= 0.0) || !std::isfinite(w[i])) {
        return absl::InvalidArgumentError(
            absl::StrCat("SSSP needs finite non-negative weights; edge ", g.external_id(v), " -> ",
                         g.external_id(adj[i]), " has weight ", w[i]));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<double>> Sssp(const PlainGraph& g, NodeId source,
                                         const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  if (source >= n) {
    return absl::InvalidArgumentError(
        absl::StrCat("SSSP source ", source, " is not a vertex of a graph with ", n, " vertices"));
  }
  if (absl::Status s = CheckWeights(g, threads); !s.ok()) return s;
  const double total = internal::DeterministicSum<double>(n, threads, [&](std::size_t v) {
    double s = 0;
    for (double w : g.out_weights(static_cast<NodeId>(v))) s += w;
    return s;
  });
  double delta = g.num_arcs() > 0 ? total / static_cast<double>(g.num_arcs()) : 1.0;
  if (!(delta > 0.0) || !std::isfinite(delta)) delta = 1.0;

  std::vector<double> dist(n, kInf), expanded(n, kInf);
  dist[source] = 0.0;
  std::vector<NodeId> frontier{source};
  internal::PerThread<std::vector<std::vector<NodeId>>> bins(threads);
  std::size_t current = 0;
  while (true) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    internal::ParallelForDynamic(
        0, frontier.size(), threads,
        [&](std::size_t i) {
          const NodeId v = frontier[i];
          const double dv = std::atomic_ref<double>(dist[v]).load(std::memory_order_relaxed);
          // Claim the expansion of v at distance dv (skip if already expanded at dv).
          if (std::atomic_ref<double>(expanded[v]).exchange(dv, std::memory_order_relaxed) == dv) {
            return;
          }
          auto adj = g.out_neighbours(v);
          auto w = g.out_weights(v);
          auto& local = bins.local();
          for (std::size_t k = 0; k < adj.size(); ++k) {
            const double nd = dv + w[k];
            std::atomic_ref<double> du(dist[adj[k]]);
            double old = du.load(std::memory_order_relaxed);
            bool lowered = false;
            while (nd < old) {
              if (du.compare_exchange_weak(old, nd, std::memory_order_relaxed)) {
                lowered = true;
                break;
              }
            }
            if (!lowered) continue;
            double b = std::floor(nd / delta);
            std::size_t bin = current + kMaxBinAhead;
            if (b < static_cast<double>(bin)) bin = std::max(current, static_cast<std::size_t>(b));
            if (local.size() <= bin) local.resize(bin + 1);
            local[bin].push_back(adj[k]);
          }
        },
        /*grain=*/64);
    // The next frontier: the lowest non-empty bin (>= current) over all threads.
    std::size_t next = std::numeric_limits<std::size_t>::max();
    for (std::size_t t = 0; t < bins.size(); ++t) {
      auto& local = bins[t];
      for (std::size_t b = current; b < local.size() && b < next; ++b) {
        if (!local[b].empty()) {
          next = b;
          break;
        }
      }
    }
    if (next == std::numeric_limits<std::size_t>::max()) break;
    current = next;
    frontier.clear();
    for (std::size_t t = 0; t < bins.size(); ++t) {
      auto& local = bins[t];
      if (current < local.size()) {
        frontier.insert(frontier.end(), local[current].begin(), local[current].end());
        local[current].clear();
      }
    }
  }
  return dist;
}

}  // namespace polegraph::graphalytics
