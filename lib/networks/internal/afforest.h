// Afforest connected components on any symmetric-or-directed CSR view (Sutton, Ben-Nun,
// Barak, IPDPS 2018; after the GAP Benchmark Suite's cc.cc). Shared by the Graphalytics WCC
// kernel (PlainGraph) and polegraph::ConnectedComponents (WeightedGraph).
//
// A union-find forest in comp[] where Link(u, v) hooks the root with the larger id under the
// smaller value (compare-and-swap, retried on contention) and Compress() shortcuts every vertex
// to its root. Phase 1 links only the first two out-neighbours of every vertex (two rounds); a
// seeded sample of 1024 vertices then finds the probable giant component, and phase 2 links
// the remaining edges of every vertex outside it only (plus its in-edges when `directed`).
// Hooks only point a root at a smaller id of the same component, so each component's smallest
// id ends as its root whatever the interleaving: the result is the same at any thread count.
// Cost: O(n + m) work in practice; one NodeId per vertex.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_AFFOREST_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_AFFOREST_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "absl/status/statusor.h"
#include "parallel/parallel.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

namespace polegraph::internal {

class AfforestForest {
 public:
  AfforestForest(NodeId n, int threads) : comp_(n) {
    ParallelFor(0, n, threads, [&](std::size_t v) { comp_[v] = static_cast<NodeId>(v); });
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
    ParallelFor(0, comp_.size(), threads, [&](std::size_t i) {
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
    for (int i = 0; i < 1024; ++i) ++count[comp_[pick(rng)]];
    return std::max_element(count.begin(), count.end(),
                            [](const auto& x, const auto& y) { return x.second < y.second; })
        ->first;
  }
  std::vector<NodeId>& comp() { return comp_; }

 private:
  std::vector<NodeId> comp_;
};

// Returns, for every vertex, the smallest vertex id of its (weakly) connected component.
// `out(v)` and `in(v)` return ranges of neighbour ids; `in` is read only when `directed`.
template <typename Out, typename In>
absl::StatusOr<std::vector<NodeId>> AfforestComponents(NodeId n, bool directed, Out&& out, In&& in,
                                                       const QueryContext& ctx) {
  constexpr std::size_t kNeighbourRounds = 2;
  const int threads = ctx.threads;
  if (n == 0) return std::vector<NodeId>{};
  AfforestForest forest(n, threads);
  for (std::size_t r = 0; r < kNeighbourRounds; ++r) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    ParallelFor(0, n, threads, [&](std::size_t i) {
      auto adj = out(static_cast<NodeId>(i));
      if (r < adj.size()) forest.Link(static_cast<NodeId>(i), adj[r]);
    });
    forest.Compress(threads);
  }
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  const NodeId giant = forest.FrequentRoot();
  ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        const NodeId u = static_cast<NodeId>(i);
        if (forest.Get(u) == giant) return;
        auto adj = out(u);
        for (std::size_t k = kNeighbourRounds; k < adj.size(); ++k) forest.Link(u, adj[k]);
        if (directed) {
          for (NodeId v : in(u)) forest.Link(u, v);
        }
      },
      /*grain=*/256);
  forest.Compress(threads);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  return std::move(forest.comp());
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_AFFOREST_H_
