// Graphalytics WCC: weakly connected components, labelled by the smallest external vertex id
// in each component.
//
// Afforest (Sutton, Ben-Nun, Barak, "Optimizing Parallel Graph Connectivity Computation via
// Subgraph Sampling", IPDPS 2018), as in the GAP Benchmark Suite's cc.cc: a union-find
// forest in comp[] where Link(u, v) hooks the root with the larger id under the smaller
// value (compare-and-swap, retried on contention) and Compress() shortcuts every vertex to
// its root. Phase 1 links only the first two out-neighbours of every vertex (two rounds),
// which already joins most of the giant component; a sample of 1024 vertices then finds
// that component, and phase 2 links the remaining edges of every vertex outside it only
// (in a directed graph also its in-edges, so an edge from the giant component to a vertex
// outside it is seen from the other end). Most edges of the giant component are never read.
//
// Hooks only ever point a root at a smaller id of the same component, so the smallest dense
// id of a component is never hooked and ends as its root, whatever the interleaving: the
// result is the same at any thread count (the sample only changes the amount of work). A
// final pass replaces each root by the smallest external id of its component (the root's
// own id when the .v file is sorted, as the specification requires). ctx.Check() is polled
// between phases.
// Cost: O(n + m) work in practice (near-linear union-find); one NodeId per vertex.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "parallel/frontier.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {
namespace {

constexpr EdgeIndex kNeighbourRounds = 2;
constexpr int kSamples = 1024;

class Forest {
 public:
  explicit Forest(NodeId n, int threads) : comp_(n) {
    internal::ParallelFor(0, n, threads, [&](std::size_t v) { comp_[v] = static_cast<NodeId>(v); });
  }
  NodeId Get(NodeId v) { return std::atomic_ref<NodeId>(comp_[v]).load(std::memory_order_relaxed); }
  // Joins the trees of u and v.
  void Link(NodeId u, NodeId v) {
    NodeId a = Get(u), b = Get(v);
    while (a != b) {
      NodeId high = std::max(a, b), low = std::min(a, b);
      NodeId parent = Get(high);
      if (parent == low) return;  // already hooked there
      if (parent == high) {
        NodeId expected = high;
        if (std::atomic_ref<NodeId>(comp_[high])
                .compare_exchange_strong(expected, low, std::memory_order_relaxed)) {
          return;
        }
      }
      a = Get(Get(high));
      b = Get(low);
    }
  }
  void Compress(int threads) {
    internal::ParallelFor(0, comp_.size(), threads, [&](std::size_t i) {
      const NodeId v = static_cast<NodeId>(i);
      NodeId c = Get(v);
      while (Get(c) != c) c = Get(c);
      std::atomic_ref<NodeId>(comp_[v]).store(c, std::memory_order_relaxed);
    });
  }
  // The most frequent root among a seeded sample (smallest on a tie).
  NodeId FrequentRoot() const {
    std::mt19937 rng(27491095);
    std::map<NodeId, int> count;
    std::uniform_int_distribution<std::size_t> pick(0, comp_.size() - 1);
    for (int i = 0; i < kSamples; ++i) ++count[comp_[pick(rng)]];
    return std::max_element(count.begin(), count.end(),
                            [](const auto& x, const auto& y) { return x.second < y.second; })
        ->first;
  }
  const std::vector<NodeId>& comp() const { return comp_; }

 private:
  std::vector<NodeId> comp_;
};

}  // namespace

absl::StatusOr<std::vector<std::int64_t>> Wcc(const PlainGraph& g, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  if (n == 0) return std::vector<std::int64_t>{};
  Forest forest(n, threads);
  // Phase 1: link the first kNeighbourRounds out-neighbours of every vertex.
  for (EdgeIndex r = 0; r < kNeighbourRounds; ++r) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    internal::ParallelFor(0, n, threads, [&](std::size_t i) {
      auto adj = g.out_neighbours(static_cast<NodeId>(i));
      if (r < adj.size()) forest.Link(static_cast<NodeId>(i), adj[r]);
    });
    forest.Compress(threads);
  }
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  // Phase 2: every other edge of the vertices outside the (probable) giant component.
  const NodeId giant = forest.FrequentRoot();
  internal::ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        const NodeId u = static_cast<NodeId>(i);
        if (forest.Get(u) == giant) return;
        auto out = g.out_neighbours(u);
        for (EdgeIndex k = kNeighbourRounds; k < out.size(); ++k) forest.Link(u, out[k]);
        if (g.directed()) {
          for (NodeId v : g.in_neighbours(u)) forest.Link(u, v);
        }
      },
      /*grain=*/256);
  forest.Compress(threads);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  // Label each component by its smallest external id.
  const std::vector<NodeId>& comp = forest.comp();
  std::vector<std::atomic<std::int64_t>> smallest(n);
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    smallest[v].store(std::numeric_limits<std::int64_t>::max(), std::memory_order_relaxed);
  });
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    internal::AtomicMin(smallest[comp[v]], g.external_id(static_cast<NodeId>(v)));
  });
  std::vector<std::int64_t> label(n);
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    label[v] = smallest[comp[v]].load(std::memory_order_relaxed);
  });
  return label;
}

}  // namespace polegraph::graphalytics
